//! The cloud-agnostic core of cpg-infra.
//!
//! - [`value`] and [`resource`]: the resource model (values with deferred outputs,
//!   secrets; resources with type tokens, logical names and options).
//! - [`plan`]: what one dataset needs on one or more clouds.
//! - [`handles`]: typed, branded handles to planned resources.
//! - [`organisation`]: the organisation's shared resources and projects, as one typed
//!   structure every cloud fills.
//! - [`requests`]: what the blueprint asks a cloud for (bucket specs, roles, ...).
//! - [`session`]: the [`Session`] every cloud records into (plan, component,
//!   brand, diagnostics, the policies that are the same on every cloud).
//! - [`cloud`]: the [`Cloud`] trait of resource verbs every cloud plugin implements.
//! - [`infra`]: [`Infra`], a cloud's session as the dataset blueprint calls it.
//! - [`registry`]: cloud plugins collected with `inventory`.
//! - [`existing`]: reading organisation resources a stack does not manage.
//! - [`review`]: what a resource means to a reviewer (data, cost, grants), per cloud.
//! - [`provider_facts`]: what the providers do to live resources (replacements, creates of
//!   existing resources, deletes of storage with contents), as data with its sources.
//! - [`render`]: text, JSON and Pulumi program renderers over a plan.

pub mod capability;
pub mod cloud;
pub mod existing;
pub mod handles;
pub mod infra;
pub mod intent;
pub mod organisation;
pub mod plan;
pub mod provider_facts;
pub mod registry;
pub mod render;
pub mod requests;
pub mod resource;
pub mod review;
mod review_facts;
pub mod session;
pub mod value;

pub use capability::{Capabilities, Capability, MembershipFacts, PermissionFacts, parsed_once};
pub use cloud::{Cloud, Opened};
pub use existing::ExistingReader;
pub use handles::{
    Brand, Bucket, BucketRef, Exported, Group, GroupRef, Handle, MachineAccount, Member, Project,
    ProjectRef, RegistryRef, Secret, ServiceRef, with_brand,
};
pub use infra::Infra;
pub use intent::{GrantRequest, Intent, IntentOf};
pub use organisation::{Organisation, OrganisationProject, OrganisationResource};
pub use plan::{Diagnostic, Invoke, Plan, PlanError, Severity, StatedRole};
pub use registry::{
    AccountProject, CheckResourceId, CloudError, CloudPlugin, CreateCloud, DatasetRules,
    IgnoredProviderSetting, PlannedAccount, PlannedDataset, ServiceSettings, SettingsType,
    cloud_of_type, find_cloud, registered_clouds, settings_of,
};
pub use requests::{
    BucketFeature, BucketMembership, BucketName, BucketSpec, BudgetPeriod, BudgetSpec,
    ContainerRegistryMembership, DatasetAccounts, EligibleAccess, GrantTarget, GroupOutputs,
    LifecycleRule, ProjectRole, SecretMembership, SoftDelete,
};
pub use resource::STACK_REFERENCE;
pub use resource::{Alias, ExistingResource, ProviderPackage, Resource, ResourceOptions};
pub use review::{
    Access, DeleteRule, Eligibility, Grant, PrincipalKind, ResourceKind, Review, ReviewResource,
    StorageFacts,
};
pub use session::{SKIPPED_MEMBERSHIPS_SUBJECT, Session, Unavailable};
pub use value::{Output, Source, Value};

pub use inventory;
