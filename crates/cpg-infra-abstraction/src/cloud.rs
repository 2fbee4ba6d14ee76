//! The `Cloud` trait: the resource verbs a cloud plugin implements.
//!
//! Each verb gets the cloud's [`Session`], records resources into its plan and
//! mints handles with its brand; nothing talks to a cloud. What only some clouds have
//! is a question asked before the verb ([`Cloud::grant_available`],
//! [`Cloud::bucket_feature`]) or the verb's own answer, `Err(Unavailable)` where the
//! cloud has no equivalent. The blueprint never calls these verbs itself: [`Infra`](crate::Infra) does, and applies
//! what is the same on every cloud (see [`infra`](crate::infra)), so the blueprint never
//! checks which cloud it runs on.

use cpg_infra_config::CloudName;

use crate::handles::{
    Bucket, Exported, Group, Handle, MachineAccount, Member, Project, ProjectRef, Secret,
};
use crate::intent::GrantRequest;
use crate::organisation::{Organisation, OrganisationResource};
use crate::requests::{BucketFeature, BucketSpec, BudgetSpec, DatasetAccounts, GrantTarget};
use crate::session::{Session, Unavailable};

/// What a plugin's constructor returns: the cloud, and the organisation's and
/// the dataset's resources as this cloud names them.
pub struct Opened<'b> {
    /// The cloud's verbs and its own state.
    pub cloud: Box<dyn Cloud<'b> + 'b>,
    /// The organisation's shared resources this cloud has.
    pub organisation: Organisation<'b>,
    /// The dataset's external accounts on this cloud.
    pub accounts: DatasetAccounts<'b>,
}

/// The resource verbs of a cloud. `key` arguments are the logical names of the
/// resources recorded (they must be unique in a stack).
///
/// A member passed to [`Cloud::grant`] is one the cloud accepts: [`Infra`](crate::Infra)
/// gives another cloud's account the cloud's [`Cloud::foreign_member`] warning, asks
/// [`Cloud::parse_member_id`] about its own cloud's, and hands the verb the id in the
/// cloud's form.
pub trait Cloud<'b> {
    /// The id of an account of this cloud outside the plan (`Member::External`) in the
    /// form the cloud's resources name it, or why `id` is not one (an error of the plan).
    fn parse_member_id(&self, id: &str) -> Result<String, String>;
    /// The warning for an account `id` of another cloud `cloud`, for which this cloud
    /// creates nothing.
    fn foreign_member(&self, cloud: &CloudName, id: &str) -> String;

    /// Creates a project named after the dataset's project with `suffix` appended.
    fn create_project(&mut self, session: &mut Session<'b>, suffix: &str) -> Handle<'b, Project>;
    /// The budget `budget`.
    fn create_budget(&mut self, session: &mut Session<'b>, key: &str, budget: BudgetSpec<'_, 'b>);

    /// Creates a bucket ([`Session::protects`] says whether it is protected).
    fn create_bucket(&mut self, session: &mut Session<'b>, spec: &BucketSpec)
    -> Handle<'b, Bucket>;
    /// The `cpg.toml` key that would provide the organisation's `resource` on this
    /// cloud (e.g. `[infrastructure.hail.gcp] wheel_bucket_name`), for the diagnostic
    /// when [`Opened::organisation`] lacks it; or why the cloud has no such resource.
    fn organisation_key(&self, resource: OrganisationResource)
    -> Result<&'static str, Unavailable>;
    /// Creates a machine account `name` in `project`, under logical name `key`
    /// (default: the cloud's naming rule).
    fn create_machine_account(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef<'b>,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount>;
    /// A credential of `account` (a secret), exportable to any cloud's secret store.
    fn machine_account_credentials(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported;

    /// Creates a group `name` (already qualified with the dataset), with `description`
    /// when the configuration gives one (organisation groups).
    fn create_group(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        description: Option<&str>,
    ) -> Handle<'b, Group>;
    /// Creates a secret `name` in `project`.
    fn create_secret(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef<'b>,
    ) -> Handle<'b, Secret>;
    /// Adds a version with `contents` to `secret`. The contents may come from any
    /// cloud (that is how values cross clouds); they are stored as a secret.
    fn add_secret_version(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        secret: &Handle<'b, Secret>,
        contents: &Exported,
    );

    /// Grants `member` the access `target` describes (the session has asked
    /// [`Cloud::grant_available`] and accepted the member first).
    fn grant(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        member: &Member<'b>,
        target: GrantTarget<'_, 'b>,
    );

    /// Creates the organisation's access broker, when the cloud's configuration declares
    /// one: a machine account that a CI workflow uses to request eligible access for
    /// machine accounts ([`Cloud::add_access_broker_for`]). Called in the reference
    /// dataset's program only, which owns it. Nothing by default, and nothing where the
    /// configuration declares no broker: each dataset that needs one says so
    /// ([`Cloud::add_access_broker_for`]'s answer).
    fn create_access_broker(&mut self, session: &mut Session<'b>) {
        let _ = session;
    }
    /// Lets the organisation's access broker act as `account` to request the eligible
    /// access `account` may request (and nothing else), or says why the cloud (or its
    /// configuration) has no broker.
    fn add_access_broker_for(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Result<(), Unavailable>;

    /// Whether the cloud (or the organisation's licence) has an equivalent of `request`;
    /// [`Infra`](crate::Infra) asks before the grant verb, which is called only when it has.
    fn grant_available(&self, request: GrantRequest) -> Result<(), Unavailable>;
    /// Whether buckets can have `feature` (the bucket is created without it otherwise).
    fn bucket_feature(&self, feature: BucketFeature) -> Result<(), Unavailable>;

    /// Creates the organisation's storage mutator role (changes objects, cannot delete a
    /// bucket or change its IAM) that `BucketMembership::Mutate` grants with the
    /// `mutator_role` storage policy, or says why the cloud needs none. The reference
    /// dataset's program owns it.
    fn create_storage_mutator_role(&mut self, session: &mut Session<'b>)
    -> Result<(), Unavailable>;

    /// Completes the plan once the blueprint is done (resources that depend on
    /// everything planned, e.g. account-wide settings). Nothing by default.
    fn finish(self: Box<Self>, session: &mut Session<'b>) {
        let _ = session;
    }
}
