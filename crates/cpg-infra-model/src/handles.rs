//! Typed handles to planned resources and the references the blueprint passes around.
//!
//! A handle names a resource that a cloud's `Session` (the plugin API's) created.
//! Its kind is part of its type, so a bucket handle cannot be passed where a group
//! is needed, and so is its cloud: every session is branded with a lifetime `'b`
//! that only it has ([`with_brand`]), and its verbs take only `Handle<'b, _>`.
//! Handing a GCP handle to the Azure session is therefore a compile-time error:
//!
//! ```compile_fail
//! use cpg_infra_model::{Bucket, Handle, with_brand};
//!
//! fn same_cloud<'b>(_: &Handle<'b, Bucket>, _: &Handle<'b, Bucket>) {}
//!
//! with_brand(|gcp| {
//!     with_brand(|azure| {
//!         let on_gcp = gcp.handle::<Bucket>("gcp", "cpg-x-main");
//!         let on_azure = azure.handle::<Bucket>("azure", "azure-main");
//!         same_cloud(&on_gcp, &on_azure); // error: the brands differ
//!     })
//! });
//! ```
//!
//! Within one session the same code compiles:
//!
//! ```
//! use cpg_infra_model::{Bucket, Handle, with_brand};
//!
//! fn same_cloud<'b>(_: &Handle<'b, Bucket>, _: &Handle<'b, Bucket>) {}
//!
//! with_brand(|gcp| {
//!     let main = gcp.handle::<Bucket>("gcp", "cpg-x-main");
//!     let archive = gcp.handle::<Bucket>("gcp", "cpg-x-archive");
//!     same_cloud(&main, &archive);
//! });
//! ```
//!
//! Only a brand mints handles ([`Brand::handle`], which a plugin reaches through
//! the plugin API's `Session::handle`): there is no public constructor,
//! so a plugin cannot forge a handle of another session's brand.
//!
//! ```compile_fail
//! use cpg_infra_model::{Bucket, Handle};
//!
//! fn forge<'b>() -> Handle<'b, Bucket> {
//!     Handle::new("gcp", "cpg-x-main") // error: `Handle::new` is private
//! }
//! ```
//!
//! What may cross clouds is an [`Exported`] value (a credential, a bucket URL,
//! a group id): data that carries its origin but no brand.

use crate::organisation::OrganisationProject;
use std::fmt;
use std::marker::PhantomData;

use cpg_infra_config::CloudName;

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

/// The brand of one cloud session: an invariant lifetime that no other session
/// shares. Made only by [`with_brand`]; the only minter of handles.
#[derive(Clone, Copy)]
pub struct Brand<'b>(PhantomData<fn(&'b ()) -> &'b ()>);

impl fmt::Debug for Brand<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Brand")
    }
}

impl<'b> Brand<'b> {
    /// A handle of this brand to the resource with logical name `resource`, made
    /// by `cloud` (plugins mint through the plugin API's `Session::handle`).
    pub fn handle<K>(self, cloud: &'static str, resource: impl Into<String>) -> Handle<'b, K> {
        Handle::new(self, cloud, resource)
    }
}

/// Runs `body` with a brand that no other call of `with_brand` has.
pub fn with_brand<R>(body: impl for<'b> FnOnce(Brand<'b>) -> R) -> R {
    body(Brand(PhantomData))
}

/// A resource created by the session branded `'b`, of kind `K`.
pub struct Handle<'b, K> {
    cloud: &'static str,
    resource: String,
    brand: Brand<'b>,
    kind: PhantomData<K>,
}

impl<'b, K> Handle<'b, K> {
    /// A handle of `brand` to the resource with logical name `resource`, made by
    /// `cloud`. Private: only [`Brand::handle`] mints handles.
    fn new(brand: Brand<'b>, cloud: &'static str, resource: impl Into<String>) -> Self {
        Self {
            cloud,
            resource: resource.into(),
            brand,
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

impl<K> Clone for Handle<'_, K> {
    fn clone(&self) -> Self {
        Self {
            cloud: self.cloud,
            resource: self.resource.clone(),
            brand: self.brand,
            kind: PhantomData,
        }
    }
}

impl<K> PartialEq for Handle<'_, K> {
    fn eq(&self, other: &Self) -> bool {
        self.cloud == other.cloud && self.resource == other.resource
    }
}

impl<K> fmt::Debug for Handle<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.cloud, self.resource)
    }
}

/// A principal that can be granted access.
#[derive(Debug, Clone, PartialEq)]
pub enum Member<'b> {
    /// A group created by this plan.
    Group(Handle<'b, Group>),
    /// A machine account created by this plan.
    MachineAccount(Handle<'b, MachineAccount>),
    /// An account that exists outside this plan: the cloud it lives on and its id
    /// there (a GCP e-mail, an Azure directory object id). A plugin accepts only
    /// the external members of its own cloud and checks the id's form.
    External {
        /// The cloud the account lives on.
        cloud: CloudName,
        /// The account's id on that cloud.
        id: String,
    },
}

/// A bucket: one created by this plan or an organisation bucket named in config.
#[derive(Debug, Clone, PartialEq)]
pub enum BucketRef<'b> {
    /// A bucket created by this plan.
    Created(Handle<'b, Bucket>),
    /// An existing bucket, by its cloud name (GCP bucket name, Azure `account/container`).
    Existing(String),
}

/// A group that members can be added to.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupRef<'b> {
    /// A group created by this plan.
    Created(Handle<'b, Group>),
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
pub enum ProjectRef<'b> {
    /// The dataset's own project (GCP project, Azure resource group).
    Dataset,
    /// A project of the organisation; each cloud resolves it from its configuration.
    Organisation(OrganisationProject),
    /// A project created by this plan.
    Created(Handle<'b, Project>),
}

/// A container registry of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRef {
    /// The project (GCP) or resource group (Azure) holding it; part of resource keys.
    pub scope: String,
    /// The registry (repository) name.
    pub name: String,
    /// The logical name of a read-only (`get:`) resource standing for the
    /// registry, when the configuration names it as an existing resource.
    pub existing: Option<String>,
}

/// A web service of the organisation that members may invoke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRef {
    /// The project (GCP) or resource group (Azure) holding it.
    pub scope: String,
    /// The service name (Cloud Run service, Azure web app).
    pub name: String,
}

/// A value of one cloud's resource that another cloud may use: a machine
/// account's credentials, a bucket's URL, a group's id. It carries where it comes
/// from and what it is, but no brand, so it can be handed to any cloud's session.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// The cloud whose resource it comes from.
    pub cloud: &'static str,
    /// What it is, for plans and diagnostics (e.g. `credentials of cromwell-test`).
    pub what: String,
    /// The value: a reference to the resource's output (wrapped in
    /// [`Value::Secret`](crate::Value::Secret) when it is a secret).
    pub value: crate::Value,
}

impl Exported {
    /// Whether the value is a secret.
    pub fn is_secret(&self) -> bool {
        self.value.contains_secret()
    }
}
