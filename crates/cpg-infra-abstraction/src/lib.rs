//! The cloud-agnostic core of cpg-infra.
//!
//! - [`value`] and [`resource`]: the resource model (values with deferred outputs,
//!   secrets; resources with type tokens, logical names and options).
//! - [`plan`]: what one dataset needs on one or more clouds.
//! - [`handles`] and [`infra`]: the [`Infra`] trait that the dataset blueprint
//!   calls and that every cloud plugin implements.
//! - [`registry`]: cloud plugins collected with `inventory`.
//! - [`existing`]: reading organisation resources a stack does not manage.
//! - [`review`]: what a resource means to a reviewer (data, cost, grants), per cloud.
//! - [`render`]: text, JSON and Pulumi program renderers over a plan.

pub mod existing;
pub mod handles;
pub mod infra;
pub mod plan;
pub mod registry;
pub mod render;
pub mod resource;
pub mod review;
pub mod value;

pub use existing::ExistingReader;
pub use handles::{
    Brand, Bucket, BucketRef, Exported, Group, GroupRef, Handle, MachineAccount, Member, Project,
    ProjectRef, RegistryRef, Secret, ServiceRef, with_brand,
};
pub use infra::{
    BucketMembership, BucketName, BucketSpec, ContainerRegistryMembership, DatasetAccounts,
    EXPORTED_GROUP_KINDS, Infra, LifecycleRule, Organisation, ProjectRole, SecretMembership,
    TMP_BUCKET_PERIOD_IN_DAYS, UNDELETE_PERIOD_IN_DAYS, group_output_name,
};
pub use plan::{Diagnostic, Invoke, Plan, PlanError, Severity};
pub use registry::{
    CheckResourceId, CloudError, CloudPlugin, ProviderPackage, cloud_of_type, find_cloud,
    registered_clouds,
};
pub use resource::{Alias, ExistingResource, Resource, ResourceOptions};
pub use review::{Access, DeleteRule, Grant, PrincipalKind, ResourceKind, Review, ReviewResource};
pub use value::{Output, Source, Value};

pub use inventory;
