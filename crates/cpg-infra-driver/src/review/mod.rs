//! Reviewing a change before it deploys, one concern per module. Everything
//! cloud-specific (which resource is a bucket, what a role allows) comes from the cloud
//! plugins through [`cpg_infra_abstraction::review`]; [`names`] turns references into
//! readable names for all of them.
//!
//! - What a change does to the programs: [`diff`] (rendered by [`diff_report`]), both
//!   sides planned by [`compare`]; [`predict`] tells what the engine will do to each
//!   resource and which steps are blocked.
//! - Who can do what: [`access`], across a dataset's clouds [`compare_clouds`].
//! - The policies of `check` and `validate`: one module per policy in [`policies`]
//!   (each its id, severity, sentence and rule, registered in
//!   [`policies::POLICIES`]); [`check`] gives the findings of a plan;
//!   [`check_report`] applies the configured suppressions and renders the findings
//!   ([`sarif`] for code-scanning tools).
//! - Deploy selection: [`changed`] decides which stacks `deploy --changed` runs.
//! - The base of a comparison: [`base`] reads the configuration at a git revision or in
//!   another folder, through the git plumbing of [`git`].
//!
//! [`table`] renders rows as text, CSV, JSON or Markdown; [`error`] holds the errors.

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
pub mod git;
pub mod names;
pub mod policies;
pub mod predict;
pub mod sarif;
pub mod table;

pub use error::{Flagged, ReviewError};
