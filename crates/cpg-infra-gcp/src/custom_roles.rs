//! The organisation's storage mutator role (issue 14, storage policy `mutator_role`): an
//! organisation custom role that changes a bucket's objects and reads the bucket, but
//! cannot delete the bucket, change its settings or its IAM. The reference dataset's
//! program creates it; every dataset's "mutate" grants name it.

use cpg_infra_abstraction::{Output, Resource, Value};

use crate::projects::ORGANIZATION;
use crate::tokens;

/// The role's id in the organisation (`organizations/<id>/roles/<this>`).
pub const MUTATOR_ROLE_ID: &str = "StorageObjectAndBucketMutator";

/// Its logical name in the reference dataset's program.
pub const MUTATOR_ROLE_KEY: &str = "storage-mutator-role";

/// The suffix of a mutate grant's logical name with the role (the reference's), so the
/// grant is a new resource rather than an in-place change of a storage-admin one.
pub const MUTATOR_GRANT_SUFFIX: &str = "-no-bucket-deletion";

/// What the role may do: objects and multipart uploads, reading the bucket and its IAM.
pub const PERMISSIONS: &[&str] = &[
    "storage.buckets.get",
    "storage.buckets.getIamPolicy",
    "storage.buckets.list",
    "storage.multipartUploads.abort",
    "storage.multipartUploads.create",
    "storage.multipartUploads.list",
    "storage.multipartUploads.listParts",
    "storage.objects.create",
    "storage.objects.delete",
    "storage.objects.get",
    "storage.objects.getIamPolicy",
    "storage.objects.list",
    "storage.objects.update",
];

/// The custom role resource, protected (every dataset's grants name it, and GCP keeps a
/// deleted role's id for weeks).
pub fn mutator_role() -> Resource {
    Resource::new(tokens::ORG_CUSTOM_ROLE, MUTATOR_ROLE_KEY)
        .prop("orgId", Output::invoke(ORGANIZATION, "orgId"))
        .prop("roleId", MUTATOR_ROLE_ID)
        .prop("title", "Storage object and bucket mutator")
        .prop(
            "description",
            "Change a bucket's objects; cannot delete the bucket or change its settings or IAM (cpg-infra)",
        )
        .prop(
            "permissions",
            Value::List(PERMISSIONS.iter().map(|p| Value::str(*p)).collect()),
        )
        .protect(true)
}
