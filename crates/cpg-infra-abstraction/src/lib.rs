//! The plugin API of cpg-infra: the one crate a cloud plugin depends on (with the config
//! crate). It builds on the resource model (`cpg-infra-model`: values, resources, plans,
//! handles, requests, renderers), which it re-exports, so a plugin names one crate.
//!
//! - [`session`]: the [`Session`] every cloud records into (plan, component,
//!   brand, diagnostics, the policies that are the same on every cloud).
//! - [`cloud`]: the [`Cloud`] trait of resource verbs every cloud plugin implements.
//! - [`infra`]: [`Infra`], a cloud's session as the dataset blueprint calls it.
//! - [`registry`]: cloud plugins collected with `inventory`.
//! - [`existing`]: reading organisation resources a stack does not manage.
//! - [`review`]: what a resource means to a reviewer (data, cost, grants), per cloud.
//! - [`provider_facts`]: what the providers do to live resources (replacements, creates of
//!   existing resources, deletes of storage with contents), as data with its sources.

pub mod cloud;
pub mod existing;
pub mod infra;
pub mod provider_facts;
pub mod registry;
pub mod review;
pub mod session;

// The resource model, its modules and items, as the plugin API's own.
pub use cpg_infra_model::*;

pub use cloud::{Cloud, Opened};
pub use existing::ExistingReader;
pub use infra::Infra;
pub use registry::{
    AccountProject, CheckResourceId, CloudError, CloudPlugin, CreateCloud, DatasetRules,
    IgnoredProviderSetting, PlannedAccount, PlannedDataset, ServiceSettings, SettingsType,
    cloud_of_type, find_cloud, registered_clouds, settings_of, written_service, written_settings,
};
pub use review::{
    Access, DeleteRule, Eligibility, Grant, PrincipalKind, ResourceKind, Review, ReviewResource,
    StorageFacts,
};
pub use session::{SKIPPED_MEMBERSHIPS_SUBJECT, Session, Unavailable};

pub use inventory;
