//! Typed handles to planned resources and the references the blueprint passes around.
//!
//! A handle names a resource that an [`Infra`](crate::Infra) created; its kind is
//! part of its type, so a bucket handle cannot be passed where a group is needed.
//! Handles also carry the cloud that created them: an `Infra` refuses handles of
//! another cloud (see [`Handle::cloud`]).

use std::fmt;
use std::marker::PhantomData;

use cpg_infra_config::Email;

/// Kind marker: a storage bucket (GCS bucket, Azure blob container).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {}
/// Kind marker: an access group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {}
/// Kind marker: a machine account (GCP service account, Azure managed identity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineAccount {}
/// Kind marker: a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {}
/// Kind marker: a project (GCP project, Azure resource group).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Project {}

/// A resource created by an `Infra`, of kind `K`.
pub struct Handle<K> {
    cloud: &'static str,
    resource: String,
    kind: PhantomData<K>,
}

impl<K> Handle<K> {
    /// A handle to the resource with logical name `resource`, made by `cloud`.
    /// Only cloud plugins call this.
    pub fn new(cloud: &'static str, resource: impl Into<String>) -> Self {
        Self {
            cloud,
            resource: resource.into(),
            kind: PhantomData,
        }
    }

    /// The cloud that created the resource.
    pub fn cloud(&self) -> &'static str {
        self.cloud
    }

    /// The logical name of the resource.
    pub fn resource(&self) -> &str {
        &self.resource
    }
}

impl<K> Clone for Handle<K> {
    fn clone(&self) -> Self {
        Self::new(self.cloud, self.resource.clone())
    }
}

impl<K> PartialEq for Handle<K> {
    fn eq(&self, other: &Self) -> bool {
        self.cloud == other.cloud && self.resource == other.resource
    }
}

impl<K> fmt::Debug for Handle<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.cloud, self.resource)
    }
}

/// A principal that can be granted access.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    /// A group created by this plan.
    Group(Handle<Group>),
    /// A machine account created by this plan.
    MachineAccount(Handle<MachineAccount>),
    /// An account that exists outside this plan, by e-mail (GCP).
    Email(Email),
    /// An account that exists outside this plan, by directory object id (Azure).
    Principal(String),
}

/// A bucket: one created by this plan or an organisation bucket named in config.
#[derive(Debug, Clone, PartialEq)]
pub enum BucketRef {
    /// A bucket created by this plan.
    Created(Handle<Bucket>),
    /// An existing bucket, by its cloud name (GCP bucket name, Azure `account/container`).
    Existing(String),
}

/// A group that members can be added to.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupRef {
    /// A group created by this plan.
    Created(Handle<Group>),
    /// An existing group, by its cloud id (e.g. `groups/0abc`).
    Existing(String),
    /// A group of another dataset, read from that dataset's stack outputs.
    StackOutput {
        /// The other dataset's stack name.
        stack: String,
        /// The output name.
        output: String,
    },
}

/// A project-like scope: where machine accounts, secrets and role grants live.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectRef {
    /// The dataset's own project (GCP project, Azure resource group).
    Dataset,
    /// The organisation's notebooks project.
    Notebooks,
    /// The analysis-runner project.
    AnalysisRunner,
    /// A project created by this plan.
    Created(Handle<Project>),
}

/// A container registry of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRef {
    /// The project (GCP) or resource group (Azure) holding it; part of resource keys.
    pub scope: String,
    /// The registry (repository) name.
    pub name: String,
}

/// A web service of the organisation that members may invoke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRef {
    /// The project (GCP) or resource group (Azure) holding it.
    pub scope: String,
    /// The service name (Cloud Run service, Azure web app).
    pub name: String,
}
