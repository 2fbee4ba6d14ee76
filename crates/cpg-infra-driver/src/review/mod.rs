//! Reviewing a change before it deploys: what a configuration change does to the
//! programs ([`diff`], rendered by [`diff_report`]) and who can do what
//! ([`access`], across clouds [`compare_clouds`]). Everything cloud-specific (which resource is a bucket, what a
//! role allows) comes from the cloud plugins through
//! [`cpg_infra_abstraction::review`]; [`names`] turns references into readable
//! names; [`base`] reads the configuration a change is compared with; [`table`]
//! renders rows as text, CSV, JSON or Markdown; [`changed`] decides which stacks
//! `deploy --changed` runs; [`predict`] tells what the engine will do to each resource
//! and which steps are blocked; [`check`] evaluates the built-in policies on a plan (the
//! access invariants in [`invariants`]) and [`check_report`] applies the configured
//! suppressions and renders the findings ([`sarif`] for code-scanning tools).

pub mod access;
pub mod base;
pub mod changed;
pub mod check;
pub mod check_report;
pub mod compare;
pub mod compare_clouds;
pub mod diff;
pub mod diff_report;
pub mod error;
pub mod invariants;
pub mod names;
pub mod predict;
pub mod sarif;
pub mod table;

pub use error::{Flagged, ReviewError};
