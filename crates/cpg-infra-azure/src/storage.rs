//! Storage: one StorageV2 account per dataset, one blob container per bucket,
//! and the account-wide settings that Azure cannot set per container: blob
//! soft delete, versioning (the strictest over the account's buckets) and one
//! lifecycle management policy whose rules are filtered to each container.

use crate::storage_redundancy::StorageRedundancy;
use cpg_infra_abstraction::{BucketSpec, LifecycleRule, Output, Resource, Value};

use crate::settings::Settings;
use crate::{names, tokens};

/// Logical name of the dataset's resource group.
pub const RESOURCE_GROUP: &str = "azure-resource-group";
/// Logical name of the dataset's storage account.
pub const STORAGE_ACCOUNT: &str = "azure-storage-account";
/// Logical name of the account's blob service properties.
pub const BLOB_SERVICE: &str = "azure-blob-service";
/// Logical name of the account's lifecycle management policy.
pub const LIFECYCLE_POLICY: &str = "azure-storage-lifecycle";
/// Days after which versions are deleted in containers whose bucket asked for no
/// versioning (the account versions every container once one bucket needs it).
pub const UNWANTED_VERSION_DAYS: i64 = 1;
/// The lifecycle action of archive rules: the online Cold tier.
pub const ARCHIVE_TIER_ACTION: &str = "tierToCold";
/// Azure bills Cold-tier blobs for at least this many days (early deletion fee).
pub const COLD_MINIMUM_DAYS: u32 = 90;

/// A container of the account and the spec of the bucket it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    /// The container name.
    pub name: String,
    /// The bucket spec.
    pub spec: BucketSpec,
}

/// The dataset's resource group name, as an output (so resources depend on the group).
pub fn resource_group_name() -> Value {
    Output::resource(RESOURCE_GROUP, "name").into()
}

/// The storage account, with the organisation's redundancy
/// (`[infrastructure.azure] storage_redundancy`); shared keys are disabled so that
/// access is only through Entra ID and the role assignments of the plan. Public network
/// access stays enabled, and is said so: the datasets are read from Hail Batch,
/// notebooks and laptops outside any virtual network, as GCS buckets are (MAPPING.md,
/// "Hardening defaults").
pub fn storage_account(settings: &Settings) -> Resource {
    Resource::new(tokens::STORAGE_ACCOUNT, STORAGE_ACCOUNT)
        .prop("accountName", settings.storage_account.as_str())
        .prop("resourceGroupName", resource_group_name())
        .prop("location", settings.storage_region.as_str())
        .prop("kind", "StorageV2")
        .prop(
            "sku",
            Value::object([("name", Value::str(settings.storage_redundancy.sku()))]),
        )
        .prop("accessTier", "Hot")
        .prop("allowBlobPublicAccess", false)
        .prop("allowSharedKeyAccess", false)
        .prop("defaultToOAuthAuthentication", true)
        .prop("enableHttpsTrafficOnly", true)
        .prop("minimumTlsVersion", "TLS1_2")
        .prop("publicNetworkAccess", "Enabled")
}

/// A cool access tier a lifecycle rule can move blobs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Cold (online, 90-day minimum): where archive rules move blobs.
    Cold,
    /// Archive (offline, 180-day minimum).
    Archive,
}

impl Tier {
    /// The tier archive rules move blobs to ([`ARCHIVE_TIER_ACTION`]).
    pub const OF_ARCHIVE_RULES: Tier = Tier::Cold;

    /// Whether an account of `redundancy` has this tier. Hot, Cool and Cold exist for
    /// every redundancy; Archive only for LRS, GRS and RA-GRS
    /// (<https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview>,
    /// "Redundancy configurations": the archive tier is not supported for ZRS, GZRS or
    /// RA-GZRS accounts).
    pub fn supported_by(self, redundancy: StorageRedundancy) -> bool {
        match self {
            Tier::Cold => true,
            Tier::Archive => !redundancy.zone_redundant(),
        }
    }

    /// The tier's name.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Cold => "Cold",
            Tier::Archive => "Archive",
        }
    }
}

/// Why the lifecycle rules of `containers` cannot run on an account of `redundancy`:
/// one message per tier they use that the redundancy lacks.
pub fn tier_problems(redundancy: StorageRedundancy, containers: &[&str]) -> Vec<String> {
    let tier = Tier::OF_ARCHIVE_RULES;
    if containers.is_empty() || tier.supported_by(redundancy) {
        return Vec::new();
    }
    vec![format!(
        "the archive rules of {} move blobs to the {} tier, which {redundancy} accounts do not have: choose another [infrastructure.azure] storage_redundancy",
        containers.join(", "),
        tier.name()
    )]
}

/// The container `name` of the account.
pub fn container(key: &str, name: &str) -> Resource {
    Resource::new(tokens::BLOB_CONTAINER, key)
        .prop("accountName", Output::resource(STORAGE_ACCOUNT, "name"))
        .prop("resourceGroupName", resource_group_name())
        .prop("containerName", name)
        .prop("publicAccess", "None")
}

/// Whether a bucket spec has an archive rule.
pub fn archives(spec: &BucketSpec) -> bool {
    spec.lifecycle_rules
        .iter()
        .any(|r| matches!(r, LifecycleRule::Archive { .. }))
}

/// The longest undelete period of a bucket spec.
fn undelete_days(spec: &BucketSpec) -> Option<u32> {
    spec.lifecycle_rules
        .iter()
        .filter_map(|rule| match rule {
            LifecycleRule::Undelete { days } => Some(*days),
            LifecycleRule::Temporary { .. }
            | LifecycleRule::TemporaryUnder { .. }
            | LifecycleRule::Archive { .. } => None,
        })
        .max()
}

/// Account-wide blob settings: versioning when any bucket is versioned, soft delete
/// (blobs and containers) for the longest undelete period of any bucket. Returns the
/// resource and a message for every setting the buckets disagree on.
pub fn blob_service(containers: &[Container]) -> (Resource, Vec<String>) {
    let mut messages = Vec::new();
    let versioned: Vec<&str> = containers
        .iter()
        .filter(|c| c.spec.versioning)
        .map(|c| c.name.as_str())
        .collect();
    let unversioned: Vec<&str> = containers
        .iter()
        .filter(|c| !c.spec.versioning)
        .map(|c| c.name.as_str())
        .collect();
    let versioning = !versioned.is_empty();
    if versioning && !unversioned.is_empty() {
        messages.push(format!(
            "blob versioning is account-wide on Azure: it is on because {} need it, so containers {} are versioned too (their old versions are deleted after {UNWANTED_VERSION_DAYS} day by the lifecycle policy)",
            versioned.join(", "),
            unversioned.join(", ")
        ));
    }
    let retention = containers
        .iter()
        .filter_map(|c| undelete_days(&c.spec))
        .max();
    let without: Vec<&str> = containers
        .iter()
        .filter(|c| undelete_days(&c.spec) != retention)
        .map(|c| c.name.as_str())
        .collect();
    if let Some(days) = retention
        && !without.is_empty()
    {
        messages.push(format!(
            "blob soft delete is account-wide on Azure: deleted blobs of every container stay recoverable for {days} days, also in {} (whose buckets asked for less)",
            without.join(", ")
        ));
    }
    let policy = |days: Option<u32>| match days {
        Some(days) => Value::object([
            ("enabled", Value::Bool(true)),
            ("days", Value::Int(days.into())),
        ]),
        None => Value::object([("enabled", Value::Bool(false))]),
    };
    let resource = Resource::new(tokens::BLOB_SERVICE_PROPERTIES, BLOB_SERVICE)
        .prop("accountName", Output::resource(STORAGE_ACCOUNT, "name"))
        .prop("resourceGroupName", resource_group_name())
        .prop("blobServicesName", "default")
        .prop("isVersioningEnabled", versioning)
        .prop("deleteRetentionPolicy", policy(retention))
        .prop("containerDeleteRetentionPolicy", policy(retention));
    (resource, messages)
}

/// The blob types a rule acts on. Lifecycle management acts on block and append blobs,
/// but only deletes append blobs (they cannot be tiered), so delete rules cover both
/// and tiering rules block blobs alone
/// (<https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-structure>,
/// "Rule filters": `appendBlob` supports delete only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleAction {
    /// The rule only deletes (current blobs, previous versions, snapshots).
    Delete,
    /// The rule moves blobs to another tier.
    Tier,
}

/// Blob types deleted by delete rules: every type the workloads can write, block blobs
/// (uploads, most tools) and append blobs (logs written by appending). Page blobs (disk
/// images) are not written to dataset containers.
pub const DELETED_BLOB_TYPES: [&str; 2] = ["blockBlob", "appendBlob"];
/// Blob types moved by tiering rules: Azure tiers block blobs only.
pub const TIERED_BLOB_TYPES: [&str; 1] = ["blockBlob"];

/// One lifecycle rule for the blobs whose names start with `prefix` (`<container>/`, or a
/// folder of it).
fn rule(name: String, prefix: &str, action: RuleAction, actions: Value) -> Value {
    let types: &[&str] = match action {
        RuleAction::Delete => &DELETED_BLOB_TYPES,
        RuleAction::Tier => &TIERED_BLOB_TYPES,
    };
    Value::object([
        ("name", Value::Str(name)),
        ("enabled", Value::Bool(true)),
        ("type", Value::str("Lifecycle")),
        (
            "definition",
            Value::object([
                ("actions", actions),
                (
                    "filters",
                    Value::object([
                        (
                            "blobTypes",
                            Value::List(types.iter().map(|t| Value::str(*t)).collect()),
                        ),
                        ("prefixMatch", Value::List(vec![Value::str(prefix)])),
                    ]),
                ),
            ]),
        ),
    ])
}

fn after_creation(days: i64) -> Value {
    Value::object([("daysAfterCreationGreaterThan", Value::Int(days))])
}

/// The actions of a rule that deletes everything of a blob `days` after creation: the
/// current blob, its snapshots and, on a versioned account, its previous versions. On
/// a versioned account deleting the current blob only turns it into a previous version
/// (<https://learn.microsoft.com/azure/storage/blobs/versioning-overview>, "Deleting a
/// blob"), which a `baseBlob` action never touches, so without the `version` action the
/// temporary data would stay forever.
fn delete_everything(days: i64, versioning: bool) -> Value {
    let mut actions = vec![
        (
            "baseBlob",
            Value::object([("delete", after_creation(days))]),
        ),
        (
            "snapshot",
            Value::object([("delete", after_creation(days))]),
        ),
    ];
    if versioning {
        actions.push(("version", Value::object([("delete", after_creation(days))])));
    }
    Value::object(actions)
}

/// The rules of one container, in the order of its bucket's lifecycle rules.
fn container_rules(container: &Container, versioning: bool) -> Vec<Value> {
    let mut rules = Vec::new();
    for lifecycle in &container.spec.lifecycle_rules {
        let mut under = "";
        let (kind, action, actions) = match *lifecycle {
            // Previous versions are deleted `days` after the version was created: the
            // only condition Azure has for versions (`DateAfterCreation` in azure-native
            // 3.29.0 has `daysAfterCreationGreaterThan` and, for tiering only,
            // `daysAfterLastTierChangeGreaterThan`). See `UNDELETE_NOTE` for what that
            // means for recovery.
            LifecycleRule::Undelete { days } => (
                "Undelete",
                RuleAction::Delete,
                Value::object([(
                    "version",
                    Value::object([("delete", after_creation(days.into()))]),
                )]),
            ),
            LifecycleRule::Temporary { days } => (
                "Temporary",
                RuleAction::Delete,
                delete_everything(days.into(), versioning),
            ),
            // A folder of temporary data: deleted as a temporary container is, previous
            // versions and snapshots included.
            LifecycleRule::TemporaryUnder { prefix, days } => {
                under = prefix;
                (
                    "Incomplete",
                    RuleAction::Delete,
                    delete_everything(days.into(), versioning),
                )
            }
            // Cold, not Archive: Azure's Archive tier is offline (a blob must be
            // rehydrated for hours before it can be read), GCS ARCHIVE is not.
            LifecycleRule::Archive { days } => (
                "Archive",
                RuleAction::Tier,
                Value::object([(
                    "baseBlob",
                    Value::object([(ARCHIVE_TIER_ACTION, after_creation(days.into()))]),
                )]),
            ),
        };
        rules.push(rule(
            names::lifecycle_rule(&container.name, kind),
            &format!("{}/{under}", container.name),
            action,
            actions,
        ));
    }
    if versioning && !container.spec.versioning {
        rules.push(rule(
            names::lifecycle_rule(&container.name, "Unversioned"),
            &format!("{}/", container.name),
            RuleAction::Delete,
            Value::object([(
                "version",
                Value::object([("delete", after_creation(UNWANTED_VERSION_DAYS))]),
            )]),
        ));
    }
    rules
}

/// Why archive rules move blobs to the Cold tier, for the plan.
fn archive_note(containers: &[&str]) -> String {
    format!(
        "archive rule of {}: blobs move to the Cold tier, not Archive: Azure's Archive tier is offline (a blob must be rehydrated, which takes hours, before it can be read), unlike GCS ARCHIVE; Cold is online, billed for at least {COLD_MINIMUM_DAYS} days",
        containers.join(", ")
    )
}

/// What the undelete rules of `containers` (name, days) do on Azure, for the plan.
///
/// Azure counts a previous version's age from the version's creation, the time its
/// content was written, not from when it was replaced: for snapshots and versions the
/// only condition is the days since the snapshot or version was created
/// (<https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-configure>),
/// and azure-native 3.29.0 has no other condition for versions (no days after becoming a
/// previous version). So a version older than `days` is deleted by the next run after it
/// is replaced. A blob that lifecycle management deletes on an account with blob soft
/// delete is soft-deleted, not gone
/// (<https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-delete>),
/// and the account's retention is the longest undelete period of its containers
/// ([`blob_service`]), so a replaced or deleted blob stays recoverable for at least
/// `days` after it was replaced: as a previous version, then (once the rule removed it)
/// through Undelete Blob.
pub fn undelete_note(containers: &[(&str, u32)]) -> String {
    let listed: Vec<String> = containers
        .iter()
        .map(|(name, days)| format!("{name} ({days} days)"))
        .collect();
    format!(
        "undelete rule of {}: Azure deletes a previous version when the version itself is older than the period, counted from when its content was written, not from when it was replaced (GCS counts from replacement); the deleted version is then soft-deleted for the account's retention (at least the same period), so a replaced or deleted blob stays recoverable for at least the period, but after the rule ran only by undeleting it",
        listed.join(", ")
    )
}

/// The account's lifecycle management policy (`None` when no container has rules)
/// and notes about what its rules do differently from GCS.
pub fn lifecycle_policy(containers: &[Container]) -> (Option<Resource>, Vec<String>) {
    let versioning = containers.iter().any(|c| c.spec.versioning);
    let rules: Vec<Value> = containers
        .iter()
        .flat_map(|c| container_rules(c, versioning))
        .collect();
    let archived: Vec<&str> = containers
        .iter()
        .filter(|c| archives(&c.spec))
        .map(|c| c.name.as_str())
        .collect();
    let mut notes = Vec::new();
    if !archived.is_empty() {
        notes.push(archive_note(&archived));
    }
    let undeleted: Vec<(&str, u32)> = containers
        .iter()
        .filter_map(|c| undelete_days(&c.spec).map(|days| (c.name.as_str(), days)))
        .collect();
    if !undeleted.is_empty() {
        notes.push(undelete_note(&undeleted));
    }
    if rules.is_empty() {
        return (None, notes);
    }
    let resource = Resource::new(tokens::MANAGEMENT_POLICY, LIFECYCLE_POLICY)
        .prop("accountName", Output::resource(STORAGE_ACCOUNT, "name"))
        .prop("resourceGroupName", resource_group_name())
        .prop("managementPolicyName", "default")
        .prop("policy", Value::object([("rules", Value::List(rules))]))
        .depends_on([BLOB_SERVICE]);
    (Some(resource), notes)
}
