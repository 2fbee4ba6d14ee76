//! Storage: one StorageV2 account per dataset, one blob container per bucket,
//! and the account-wide settings that Azure cannot set per container: blob
//! soft delete, versioning (the strictest over the account's buckets) and one
//! lifecycle management policy whose rules are filtered to each container.

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

/// The storage account, `Standard_LRS` (the cheapest redundancy; archive buckets use
/// the Cold tier, which every redundancy supports); shared keys are disabled so that
/// access is only through Entra ID and the role assignments of the plan.
pub fn storage_account(settings: &Settings) -> Resource {
    Resource::new(tokens::STORAGE_ACCOUNT, STORAGE_ACCOUNT)
        .prop("accountName", settings.storage_account.as_str())
        .prop("resourceGroupName", resource_group_name())
        .prop("location", settings.storage_region.as_str())
        .prop("kind", "StorageV2")
        .prop("sku", Value::object([("name", Value::str("Standard_LRS"))]))
        .prop("accessTier", "Hot")
        .prop("allowBlobPublicAccess", false)
        .prop("allowSharedKeyAccess", false)
        .prop("defaultToOAuthAuthentication", true)
        .prop("enableHttpsTrafficOnly", true)
        .prop("minimumTlsVersion", "TLS1_2")
}

/// The container `name` of the account.
pub fn container(key: &str, name: &str) -> Resource {
    Resource::new(tokens::BLOB_CONTAINER, key)
        .prop("accountName", Output::resource(STORAGE_ACCOUNT, "name"))
        .prop("resourceGroupName", resource_group_name())
        .prop("containerName", name)
        .prop("publicAccess", "None")
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

/// One lifecycle rule for the blobs whose names start with `prefix` (`<container>/`, or a
/// folder of it).
fn rule(name: String, prefix: &str, actions: Value) -> Value {
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
                        ("blobTypes", Value::List(vec![Value::str("blockBlob")])),
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

/// The rules of one container, in the order of its bucket's lifecycle rules.
fn container_rules(container: &Container, versioning: bool) -> Vec<Value> {
    let mut rules = Vec::new();
    for lifecycle in &container.spec.lifecycle_rules {
        let mut under = "";
        let (kind, actions) = match *lifecycle {
            // Noncurrent versions (overwritten or deleted objects) are deleted after `days`.
            LifecycleRule::Undelete { days } => (
                "Undelete",
                Value::object([(
                    "version",
                    Value::object([("delete", after_creation(days.into()))]),
                )]),
            ),
            LifecycleRule::Temporary { days } => (
                "Temporary",
                Value::object([(
                    "baseBlob",
                    Value::object([("delete", after_creation(days.into()))]),
                )]),
            ),
            LifecycleRule::TemporaryUnder { prefix, days } => {
                under = prefix;
                (
                    "Incomplete",
                    Value::object([(
                        "baseBlob",
                        Value::object([("delete", after_creation(days.into()))]),
                    )]),
                )
            }
            // Cold, not Archive: Azure's Archive tier is offline (a blob must be
            // rehydrated for hours before it can be read), GCS ARCHIVE is not.
            LifecycleRule::Archive { days } => (
                "Archive",
                Value::object([(
                    "baseBlob",
                    Value::object([(ARCHIVE_TIER_ACTION, after_creation(days.into()))]),
                )]),
            ),
        };
        rules.push(rule(
            names::lifecycle_rule(&container.name, kind),
            &format!("{}/{under}", container.name),
            actions,
        ));
    }
    if versioning && !container.spec.versioning {
        rules.push(rule(
            names::lifecycle_rule(&container.name, "Unversioned"),
            &format!("{}/", container.name),
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
        .filter(|c| {
            c.spec
                .lifecycle_rules
                .iter()
                .any(|r| matches!(r, LifecycleRule::Archive { .. }))
        })
        .map(|c| c.name.as_str())
        .collect();
    let notes = if archived.is_empty() {
        Vec::new()
    } else {
        vec![archive_note(&archived)]
    };
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
