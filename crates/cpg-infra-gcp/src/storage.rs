//! Storage: one GCS bucket per bucket of the blueprint, with uniform
//! bucket-level access, its lifecycle rules and the dataset's labels.

use cpg_infra_abstraction::{BucketName, BucketSpec, LifecycleRule, Resource, Value};

use crate::settings::Settings;
use crate::tokens;

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
/// the soft-delete policy appear only when asked for, so other buckets stay as they were.
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
    if !spec.soft_delete {
        resource = resource.prop(
            "softDeletePolicy",
            Value::object([("retentionDurationSeconds", Value::Int(0))]),
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
