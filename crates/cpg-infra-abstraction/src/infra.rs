//! The cloud-agnostic `Infra` trait: the verbs the dataset blueprint uses.
//!
//! Every cloud plugin implements it. Verbs record resources into the plugin's
//! [`Plan`]; nothing talks to a cloud. Abilities that only some clouds have are
//! methods too: a cloud without an equivalent records a diagnostic instead of a
//! resource, so the blueprint never checks which cloud it runs on.

use cpg_infra_config::{AccessLevel, DatasetName};

use crate::handles::{
    Bucket, BucketRef, Exported, Group, GroupRef, Handle, MachineAccount, Member, Project,
    ProjectRef, RegistryRef, Secret, ServiceRef,
};
use crate::plan::Plan;

/// Days a deleted or overwritten object stays recoverable.
pub const UNDELETE_PERIOD_IN_DAYS: u32 = 30;
/// Days before objects of temporary buckets are deleted.
pub const TMP_BUCKET_PERIOD_IN_DAYS: u32 = 8;

/// A bucket lifecycle rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleRule {
    /// Keep noncurrent (deleted or overwritten) versions this many days, then delete them.
    Undelete {
        /// Retention in days.
        days: u32,
    },
    /// Delete objects this many days after creation.
    Temporary {
        /// Age in days.
        days: u32,
    },
    /// Move objects to archive storage this many days after creation.
    Archive {
        /// Age in days.
        days: u32,
    },
}

/// Every dataset bucket the blueprint may create, by [`BucketName::Dataset`] suffix:
/// archive, the main buckets, the test buckets, release and Hail. Plugins use it to check
/// the names they derive (e.g. for collisions with other buckets) before planning.
pub const DATASET_BUCKETS: [&str; 13] = [
    "archive",
    "main",
    "main-tmp",
    "main-analysis",
    "main-web",
    "main-upload",
    "test",
    "test-analysis",
    "test-tmp",
    "test-web",
    "test-upload",
    "release",
    "hail",
];

/// How a bucket is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketName {
    /// A name relative to the dataset (`main` -> `<prefix><dataset>-main`).
    Dataset(String),
    /// A name used as is (additional upload buckets).
    Unique(String),
}

/// What a bucket should look like.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketSpec {
    /// Its name.
    pub name: BucketName,
    /// Lifecycle rules, in order.
    pub lifecycle_rules: Vec<LifecycleRule>,
    /// Whether readers pay for egress.
    pub requester_pays: bool,
    /// Whether objects are versioned.
    pub versioning: bool,
    /// Whether the bucket holds data that must not be deleted by accident.
    pub holds_data: bool,
}

/// Access to a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketMembership {
    /// List the bucket's objects.
    List,
    /// Read objects.
    Read,
    /// Read and create objects, never delete or overwrite.
    Append,
    /// Full control of objects.
    Mutate,
}

/// Access to a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretMembership {
    /// Read secret versions.
    Accessor,
    /// Add and manage secret versions.
    Admin,
}

/// Access to a container registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerRegistryMembership {
    /// Pull images.
    Reader,
    /// Push images.
    Append,
}

/// Project-level roles the blueprint grants; each cloud maps them to its closest role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectRole {
    /// See compute resources.
    ComputeViewer,
    /// Read logs.
    LoggingViewer,
    /// Read monitoring data.
    MonitoringViewer,
    /// Pay for requests to requester-pays buckets from this project.
    ServiceUsageConsumer,
    /// Administer compute resources (notebooks).
    ComputeAdmin,
    /// See Spark (Dataproc) clusters.
    DataprocViewer,
    /// Create Spark clusters.
    DataprocAdmin,
    /// Run Spark workers without storage access.
    DataprocWorker,
    /// Run workflows on the genomics pipelines API (Cromwell).
    WorkflowsRunner,
}

impl ProjectRole {
    /// A human-readable name for diagnostics.
    pub fn describe(self) -> &'static str {
        match self {
            ProjectRole::ComputeViewer => "compute viewer",
            ProjectRole::LoggingViewer => "logging viewer",
            ProjectRole::MonitoringViewer => "monitoring viewer",
            ProjectRole::ServiceUsageConsumer => "service usage consumer (requester pays)",
            ProjectRole::ComputeAdmin => "compute admin",
            ProjectRole::DataprocViewer => "Dataproc viewer",
            ProjectRole::DataprocAdmin => "Dataproc admin",
            ProjectRole::DataprocWorker => "Dataproc worker",
            ProjectRole::WorkflowsRunner => "Life Sciences workflows runner",
        }
    }
}

/// The organisation's shared resources, as this cloud names them (from `cpg.toml`).
/// `None` where the configuration has no section for this cloud.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Organisation<'b> {
    /// The web server's account (reads web buckets and the web-access cache).
    pub web_server: Option<Member<'b>>,
    /// The analysis-runner server's account.
    pub analysis_runner_server: Option<Member<'b>>,
    /// The analysis-runner logger's account (writes sample metadata).
    pub analysis_runner_logger: Option<Member<'b>>,
    /// The analysis-runner Cloud Run service / web app.
    pub analysis_runner_service: Option<ServiceRef>,
    /// The bucket with analysis-runner configs.
    pub config_bucket: Option<BucketRef<'b>>,
    /// The bucket with reference data.
    pub reference_bucket: Option<BucketRef<'b>>,
    /// The bucket with Hail wheels.
    pub hail_wheel_bucket: Option<BucketRef<'b>>,
    /// The account of the access-group cache process.
    pub access_group_cache: Option<Member<'b>>,
    /// The sample-metadata API's account.
    pub sample_metadata_api: Option<Member<'b>>,
    /// The sample-metadata service.
    pub sample_metadata_service: Option<ServiceRef>,
    /// The Cromwell server's account.
    pub cromwell_runner: Option<Member<'b>>,
    /// The group of accounts that may use Cromwell.
    pub cromwell_access_group: Option<GroupRef<'b>>,
    /// The analysis-runner's container registry.
    pub analysis_runner_registry: Option<RegistryRef>,
    /// The organisation's common container registry.
    pub common_registry: Option<RegistryRef>,
}

/// Accounts of the dataset that exist outside the plan (from the dataset config).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatasetAccounts<'b> {
    /// Hail accounts per access level, where configured for this cloud.
    pub hail: Vec<(AccessLevel, Member<'b>)>,
    /// Deployment accounts per access level, where configured.
    pub deployment: Vec<(AccessLevel, Member<'b>)>,
}

/// The cloud-agnostic verbs of a cloud. `key` arguments are the logical names of
/// the resources recorded (they must be unique in a stack).
pub trait Infra<'b> {
    /// The registered name of this cloud (`gcp`, `azure`).
    fn cloud(&self) -> &'static str;
    /// Sets the blueprint component that following resources belong to.
    fn set_component(&mut self, component: &'static str);
    /// Consumes the infra and returns its plan.
    fn into_plan(self: Box<Self>) -> Plan;
    /// The organisation's shared resources on this cloud.
    fn organisation(&self) -> Organisation<'b>;
    /// The dataset's external accounts on this cloud.
    fn dataset_accounts(&self) -> DatasetAccounts<'b>;
    /// Records a diagnostic about `subject` (used by the blueprint when it cannot do something).
    fn diagnose(&mut self, subject: &str, message: String);

    /// Creates a project named after the dataset's project with `suffix` appended.
    fn create_project(&mut self, suffix: &str) -> Handle<'b, Project>;
    /// A monthly budget for `project`.
    fn create_monthly_budget(&mut self, key: &str, project: &Handle<'b, Project>, amount: u64);
    /// A budget for `project` that never resets, counted from `start` (year, month, day).
    fn create_fixed_budget(
        &mut self,
        key: &str,
        project: &Handle<'b, Project>,
        amount: u64,
        start: (u16, u8, u8),
    );

    /// Creates a bucket.
    fn create_bucket(&mut self, spec: &BucketSpec) -> Handle<'b, Bucket>;
    /// Grants `member` `membership` on `bucket`.
    fn add_member_to_bucket(
        &mut self,
        key: &str,
        bucket: &BucketRef<'b>,
        member: &Member<'b>,
        membership: BucketMembership,
    );
    /// Lets `member` list the buckets of `project`.
    fn give_member_ability_to_list_buckets(
        &mut self,
        key: &str,
        member: &Member<'b>,
        project: &ProjectRef<'b>,
    );

    /// Creates a machine account `name` in `project`, under logical name `key`
    /// (default: the cloud's naming rule).
    fn create_machine_account(
        &mut self,
        name: &str,
        project: &ProjectRef<'b>,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount>;
    /// Lets `member` act as `account`.
    fn add_member_to_machine_account_access(
        &mut self,
        key: &str,
        account: &Handle<'b, MachineAccount>,
        member: &Member<'b>,
    );
    /// A credential of `account` (a secret), exportable to any cloud's secret store.
    fn machine_account_credentials(
        &mut self,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported;
    /// The URL of `bucket`, exportable to another cloud.
    fn bucket_url(&self, bucket: &Handle<'b, Bucket>) -> Exported;
    /// The id of `group`, exportable to another cloud.
    fn group_id(&self, group: &Handle<'b, Group>) -> Exported;

    /// Creates a group `name` (already qualified with the dataset).
    fn create_group(&mut self, name: &str) -> Handle<'b, Group>;
    /// Adds `member` to `group` (honours `disable_group_memberships`).
    fn add_group_member(&mut self, key: &str, group: &GroupRef<'b>, member: &Member<'b>);
    /// Publishes a group's id as a stack output `<dataset>-<kind>-group-id` for other datasets.
    fn export_group(&mut self, dataset: &DatasetName, kind: &str, group: &Handle<'b, Group>);
    /// The `kind` group of another dataset, read from its stack.
    fn dependency_group(&mut self, dependency: &DatasetName, kind: &str) -> GroupRef<'b>;

    /// Creates a secret `name` in `project`.
    fn create_secret(&mut self, name: &str, project: &ProjectRef<'b>) -> Handle<'b, Secret>;
    /// Grants `member` `membership` on `secret`.
    fn add_secret_member(
        &mut self,
        key: &str,
        secret: &Handle<'b, Secret>,
        member: &Member<'b>,
        membership: SecretMembership,
    );
    /// Adds a version with `contents` to `secret`. The contents may come from any
    /// cloud (that is how values cross clouds); they are stored as a secret.
    fn add_secret_version(&mut self, key: &str, secret: &Handle<'b, Secret>, contents: &Exported);

    /// Grants `member` `membership` on an organisation registry.
    fn add_member_to_container_registry(
        &mut self,
        key: &str,
        registry: &RegistryRef,
        member: &Member<'b>,
        membership: ContainerRegistryMembership,
    );

    /// Grants `member` a project-level `role` in `project` (a capability: clouds
    /// without an equivalent record a diagnostic).
    fn add_project_role(
        &mut self,
        key: &str,
        member: &Member<'b>,
        role: ProjectRole,
        project: &ProjectRef<'b>,
    );
    /// Lets `member` invoke an organisation web service (a capability).
    fn add_service_invoker(&mut self, key: &str, service: &ServiceRef, member: &Member<'b>);
}

/// Every group kind a dataset exports, in order.
pub const EXPORTED_GROUP_KINDS: [&str; 4] = ["access", "test", "standard", "full"];

/// The stack output name of a dataset's group of `kind`.
pub fn group_output_name(dataset: &str, kind: &str) -> String {
    format!("{dataset}-{kind}-group-id")
}
