//! The resource model of cpg-infra and its renderers: what a plan is, whatever cloud made
//! it. It knows no cloud, no plugin API and no registry (Cargo enforces it: it depends on
//! the config crate only); the plugin API (`cpg-infra-abstraction`) builds on it and
//! re-exports it.
//!
//! - [`value`] and [`resource`]: values with deferred outputs and secrets; resources with
//!   type tokens, logical names and options.
//! - [`plan`]: what one dataset needs on one or more clouds.
//! - [`handles`]: typed, branded handles to planned resources.
//! - [`organisation`]: the organisation's shared resources and projects, as one typed
//!   structure every cloud fills.
//! - [`requests`]: what the blueprint asks a cloud for (bucket specs, roles, grants, ...).
//! - [`intent`] and [`capability`]: what each grant is meant to allow, in one vocabulary.
//! - [`review_facts`]: what a resource means to a reviewer (data, cost, grants).
//! - [`render`]: text, JSON and Pulumi program renderers over a plan.

pub mod capability;
pub mod handles;
pub mod intent;
pub mod organisation;
pub mod plan;
pub mod render;
pub mod requests;
pub mod resource;
pub mod review_facts;
pub mod value;

pub use capability::{Capabilities, Capability, MembershipFacts, PermissionFacts, parsed_once};
pub use handles::{
    Brand, Bucket, BucketRef, Exported, Group, GroupRef, Handle, MachineAccount, Member, Project,
    ProjectRef, RegistryRef, Secret, ServiceRef, with_brand,
};
pub use intent::{GrantRequest, Intent, IntentOf};
pub use organisation::{Organisation, OrganisationProject, OrganisationResource};
pub use plan::{Diagnostic, Invoke, Plan, PlanError, Severity, StatedRole};
pub use requests::{
    BucketFeature, BucketMembership, BucketName, BucketSpec, BudgetPeriod, BudgetSpec,
    ContainerRegistryMembership, DatasetAccounts, EligibleAccess, GrantTarget, GroupOutputs,
    LifecycleRule, ProjectRole, SecretMembership, SoftDelete,
};
pub use resource::STACK_REFERENCE;
pub use resource::{Alias, ExistingResource, ProviderPackage, Resource, ResourceOptions};
pub use value::{Output, Source, Value};
