//! Storage: one GCS bucket per bucket of the blueprint, with uniform
//! bucket-level access, its lifecycle rules and the dataset's labels.

use cpg_infra_abstraction::{BucketName, BucketSpec, LifecycleRule, Resource, SoftDelete, Value};

use crate::settings::Settings;
use crate::tokens;

/// GCS's default soft-delete retention, 7 days
/// (<https://cloud.google.com/storage/docs/soft-delete#retention-duration>). Stated on the
/// buckets whose soft delete a policy switch turns off: `softDeletePolicy` is optional and
/// computed in pulumi-gcp 10.2.0 (`soft_delete_policy`, Optional + Computed in the
/// Terraform provider's `resource_storage_bucket.go`), so when the property disappears
/// from the program the provider keeps the last value (0) instead of the default.
pub const DEFAULT_SOFT_DELETE_SECONDS: i64 = 7 * 24 * 60 * 60;

/// The GCS name of a bucket (`<prefix><dataset>-<suffix>`, or a unique name as is).
pub fn bucket_name(settings: &Settings, spec: &BucketSpec) -> String {
    match &spec.name {
        BucketName::Dataset(suffix) => format!(
            "{}{}-{suffix}",
            settings.dataset_storage_prefix, settings.dataset
        ),
        BucketName::Unique(name) => name.clone(),
    }
}

/// The bucket `name` of `spec`, protected when `protect`. Autoclass, the abort rule and
/// the soft-delete policy appear only when asked for (the soft-delete policy also on the
/// buckets a policy switch can turn it off for), so other buckets stay as they were.
pub fn bucket(settings: &Settings, name: &str, spec: &BucketSpec, protect: bool) -> Resource {
    let mut rules: Vec<Value> = spec.lifecycle_rules.iter().map(lifecycle_rule).collect();
    if let Some(days) = spec.abort_incomplete_uploads_after {
        rules.push(Value::object([
            (
                "action",
                Value::object([("type", Value::str("AbortIncompleteMultipartUpload"))]),
            ),
            (
                "condition",
                Value::object([("age", Value::Int(days.into()))]),
            ),
        ]));
    }
    let mut resource = Resource::new(tokens::BUCKET, name);
    if spec.autoclass {
        resource = resource.prop("autoclass", Value::object([("enabled", Value::Bool(true))]));
    }
    let retention = match spec.soft_delete {
        SoftDelete::Default => None,
        SoftDelete::StatedDefault => Some(DEFAULT_SOFT_DELETE_SECONDS),
        SoftDelete::Off => Some(0),
    };
    if let Some(seconds) = retention {
        resource = resource.prop(
            "softDeletePolicy",
            Value::object([("retentionDurationSeconds", Value::Int(seconds))]),
        );
    }
    resource
        .prop("name", name)
        .prop("location", settings.bucket_region.as_str())
        .prop("uniformBucketLevelAccess", true)
        .prop(
            "versioning",
            Value::object([("enabled", Value::Bool(spec.versioning))]),
        )
        .prop("labels", Value::object([("bucket", Value::str(name))]))
        .prop("lifecycleRules", Value::List(rules))
        .prop("requesterPays", spec.requester_pays)
        .prop("project", settings.project_id.as_str())
        .protect(protect)
}

/// One lifecycle rule as the `gcp` provider takes it.
fn lifecycle_rule(rule: &LifecycleRule) -> Value {
    match *rule {
        LifecycleRule::Undelete { days } => Value::object([
            ("action", Value::object([("type", Value::str("Delete"))])),
            (
                "condition",
                Value::object([
                    ("daysSinceNoncurrentTime", Value::Int(days.into())),
                    ("withState", Value::str("ARCHIVED")),
                ]),
            ),
        ]),
        LifecycleRule::Temporary { days } => Value::object([
            ("action", Value::object([("type", Value::str("Delete"))])),
            (
                "condition",
                Value::object([("age", Value::Int(days.into()))]),
            ),
        ]),
        LifecycleRule::TemporaryUnder { prefix, days } => Value::object([
            ("action", Value::object([("type", Value::str("Delete"))])),
            (
                "condition",
                Value::object([
                    ("age", Value::Int(days.into())),
                    ("matchesPrefixes", Value::List(vec![Value::str(prefix)])),
                ]),
            ),
        ]),
        LifecycleRule::Archive { days } => Value::object([
            (
                "action",
                Value::object([
                    ("storageClass", Value::str("ARCHIVE")),
                    ("type", Value::str("SetStorageClass")),
                ]),
            ),
            (
                "condition",
                Value::object([("age", Value::Int(days.into()))]),
            ),
        ]),
    }
}
