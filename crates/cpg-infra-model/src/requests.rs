//! What the blueprint asks a cloud for: bucket specs, lifecycle rules, kinds of
//! access, project roles, and the organisation's and dataset's resources as a
//! cloud names them. The verbs that take them are the plugin API's `Cloud`'s.

use cpg_infra_config::{AccessLevel, Currency};

use crate::handles::{
    Bucket, BucketRef, GroupRef, Handle, MachineAccount, Member, ProjectRef, RegistryRef, Secret,
    ServiceRef,
};
use crate::intent::GrantRequest;

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
    /// Delete the objects whose names start with `prefix` this many days after creation
    /// (e.g. a dropbox's unfinished uploads under `incomplete/`).
    TemporaryUnder {
        /// The start of the names of the objects it deletes, e.g. `incomplete/`.
        prefix: &'static str,
        /// Age in days.
        days: u32,
    },
    /// Move objects to archive storage this many days after creation.
    Archive {
        /// Age in days.
        days: u32,
    },
}

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
    /// Whether objects move between storage classes by access (GCP Autoclass).
    pub autoclass: bool,
    /// Abort multipart uploads left incomplete this many days.
    pub abort_incomplete_uploads_after: Option<u32>,
    /// How long deleted objects stay recoverable.
    pub soft_delete: SoftDelete,
}

/// A bucket's soft delete: how long deleted objects stay recoverable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoftDelete {
    /// The cloud's default retention, left to the cloud: the program says nothing.
    Default,
    /// The cloud's default retention, stated in the program: a bucket whose soft delete a
    /// policy switch turns off. Providers keep a property's last value when it disappears
    /// from the program, so turning the switch back off restores the retention only if
    /// the program states it.
    StatedDefault,
    /// Deleted objects are gone at once.
    Off,
}

/// A bucket setting that some clouds do not have (asked with `Cloud::bucket_feature`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketFeature {
    /// `BucketSpec::requester_pays`: readers pay for egress.
    RequesterPays,
    /// `BucketSpec::autoclass`.
    Autoclass,
    /// `BucketSpec::abort_incomplete_uploads_after`.
    AbortIncompleteUploads,
    /// `BucketSpec::soft_delete` off: no soft delete for this bucket alone.
    NoSoftDelete,
}

impl BucketFeature {
    /// What it is, for the standard diagnostic.
    pub fn describe(self) -> &'static str {
        match self {
            BucketFeature::RequesterPays => "requester pays",
            BucketFeature::Autoclass => "autoclass",
            BucketFeature::AbortIncompleteUploads => "aborting incomplete multipart uploads",
            BucketFeature::NoSoftDelete => "turning soft delete off for one bucket",
        }
    }

    /// The features `spec` asks for.
    pub fn of(spec: &BucketSpec) -> Vec<BucketFeature> {
        let mut out = Vec::new();
        if spec.requester_pays {
            out.push(BucketFeature::RequesterPays);
        }
        if spec.autoclass {
            out.push(BucketFeature::Autoclass);
        }
        if spec.abort_incomplete_uploads_after.is_some() {
            out.push(BucketFeature::AbortIncompleteUploads);
        }
        if spec.soft_delete == SoftDelete::Off {
            out.push(BucketFeature::NoSoftDelete);
        }
        out
    }
}

/// A budget the blueprint asks for: `amount` for `project`, starting again every
/// `period`, in `currency` (`None`: the organisation's `budget_currency`).
#[derive(Debug, Clone, Copy)]
pub struct BudgetSpec<'a, 'b> {
    /// What it covers.
    pub project: &'a ProjectRef<'b>,
    /// The amount per period, in whole units of the currency.
    pub amount: u64,
    /// How often it starts counting again.
    pub period: BudgetPeriod,
    /// Its currency, when not the organisation's.
    pub currency: Option<&'a Currency>,
}

/// How often a budget starts counting again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetPeriod {
    /// Every month, notifying at the organisation's `budget_notification_thresholds`.
    Monthly,
    /// Never: counted from `start` (year, month, day) on.
    Fixed {
        /// The first day it counts.
        start: (u16, u8, u8),
    },
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
    /// Full control of objects (on a cloud whose deployed grants predate a narrower
    /// role, also of the bucket: see the blueprint's intent table).
    Mutate,
    /// Create, overwrite and delete objects, never the bucket, its settings or its
    /// access (for people, such as `upload_config`'s uploaders).
    MutateObjects,
}

impl BucketMembership {
    /// Every bucket membership.
    pub const ALL: [BucketMembership; 5] = [
        Self::List,
        Self::Read,
        Self::Append,
        Self::Mutate,
        Self::MutateObjects,
    ];
}

/// What a grant gives its member, and on what (the plugin API's `Cloud::grant`).
#[derive(Debug, Clone, Copy)]
pub enum GrantTarget<'a, 'b> {
    /// `membership` on `bucket`.
    Bucket {
        /// The bucket.
        bucket: &'a BucketRef<'b>,
        /// The access.
        membership: BucketMembership,
    },
    /// Listing the buckets of `project`.
    ListBuckets {
        /// The project.
        project: &'a ProjectRef<'b>,
    },
    /// Acting as `account`.
    ActAs {
        /// The machine account.
        account: &'a Handle<'b, MachineAccount>,
    },
    /// Membership of `group` (never asked under `disable_group_memberships`).
    Membership {
        /// The group.
        group: &'a GroupRef<'b>,
    },
    /// `membership` on `secret`.
    Secret {
        /// The secret.
        secret: &'a Handle<'b, Secret>,
        /// The access.
        membership: SecretMembership,
    },
    /// `membership` on an organisation registry.
    Registry {
        /// The registry.
        registry: &'a RegistryRef,
        /// The access.
        membership: ContainerRegistryMembership,
    },
    /// A project-level `role` in `project`.
    Project {
        /// The role.
        role: ProjectRole,
        /// The project.
        project: &'a ProjectRef<'b>,
    },
    /// Invoking an organisation web service.
    Invoker {
        /// The service.
        service: &'a ServiceRef,
    },
    /// Requesting `eligible` access to `bucket` and its objects, each time with a
    /// justification, for at most `eligible.max_hours`, granted without approval (the
    /// member is the group whose members may request it).
    EligibleBucket {
        /// The bucket.
        bucket: &'a Handle<'b, Bucket>,
        /// What may be requested, and for how long.
        eligible: EligibleAccess,
    },
}

impl GrantTarget<'_, '_> {
    /// The grant request it answers (what the design's intent table is asked about).
    pub fn request(self) -> GrantRequest {
        match self {
            GrantTarget::Bucket { membership, .. } => GrantRequest::Bucket(membership),
            GrantTarget::ListBuckets { .. } => GrantRequest::ListBuckets,
            GrantTarget::ActAs { .. } => GrantRequest::ActAs,
            GrantTarget::Membership { .. } => GrantRequest::Membership,
            GrantTarget::Secret { membership, .. } => GrantRequest::Secret(membership),
            GrantTarget::Registry { membership, .. } => GrantRequest::Registry(membership),
            GrantTarget::Project { role, .. } => GrantRequest::Project(role),
            GrantTarget::Invoker { .. } => GrantRequest::Invoker,
            GrantTarget::EligibleBucket { eligible, .. } => {
                GrantRequest::EligibleBucket(eligible.access)
            }
        }
    }
}

/// Access that members of a group may request for a while instead of holding it: each
/// request names a reason and lasts at most `max_hours`; no one approves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EligibleAccess {
    /// What they may request on the bucket.
    pub access: BucketMembership,
    /// The longest one request may last, in hours.
    pub max_hours: u32,
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
    /// See the project and where it sits in the organisation (its name, its folders),
    /// nothing inside it: how a temporary reader finds the project to request access in.
    Browser,
}

impl ProjectRole {
    /// Every project role.
    pub const ALL: [ProjectRole; 10] = [
        Self::ComputeViewer,
        Self::LoggingViewer,
        Self::MonitoringViewer,
        Self::ServiceUsageConsumer,
        Self::ComputeAdmin,
        Self::DataprocViewer,
        Self::DataprocAdmin,
        Self::DataprocWorker,
        Self::WorkflowsRunner,
        Self::Browser,
    ];

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
            ProjectRole::Browser => "project browser",
        }
    }
}

/// Accounts of the dataset that exist outside the plan (from the dataset config).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatasetAccounts<'b> {
    /// Hail accounts per access level, where configured for this cloud.
    pub hail: Vec<(AccessLevel, Member<'b>)>,
    /// Deployment accounts per access level, where configured.
    pub deployment: Vec<(AccessLevel, Member<'b>)>,
}

/// How a cloud publishes a dataset's groups to the stacks of other datasets: one stack
/// output per group, `<dataset>-<kind>-group-id<suffix>`, holding the group's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupOutputs {
    /// What ends each output's name: empty on GCP, which keeps the reference's names;
    /// `-azure` on Azure, so the names of two clouds never collide.
    pub suffix: &'static str,
    /// The output of the group resource that holds its id (`id`, `objectId`).
    pub id_property: &'static str,
}

impl GroupOutputs {
    /// The stack output name of `dataset`'s group of `kind`.
    pub fn name(self, dataset: &str, kind: &str) -> String {
        format!("{dataset}-{kind}-group-id{}", self.suffix)
    }
}
