//! The organisation's storage mutator role (storage policy `mutator_role`): an
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

/// What the role may do: objects and multipart uploads, reading the bucket and its IAM,
/// and restoring soft-deleted objects. `storage.objects.restore` is what Storage Admin
/// gave the groups for recovering a deleted object within the bucket's soft-delete
/// retention (with `objects.create`, `objects.list` to see soft-deleted objects and
/// `objects.get`: <https://cloud.google.com/storage/docs/use-soft-deleted-objects#required-roles>);
/// without it the switch to this role would take that recovery away. Not
/// `storage.buckets.restore`: the grant is on the bucket, so it is gone with a deleted
/// bucket, and the role cannot delete buckets.
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
    "storage.objects.restore",
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

/// What to do about the role when the organisation is being taken over (`take_over`)
/// and the dataset does not adopt it: an organisation that followed cpg-infrastructure's
/// later versions has the role, and the provider's create of an existing custom role
/// fails (it has no opt-in to take it over).
pub fn take_over_warning() -> String {
    format!(
        "the organisation is being taken over (take_over) and this program creates the organisation custom role {MUTATOR_ROLE_ID}: if it exists already, `pulumi up` fails (\"already exists\"; the provider cannot take a custom role over). Adopt it: datasets:adopt {{\"{MUTATOR_ROLE_KEY}\": \"organizations/<organisation number>/roles/{MUTATOR_ROLE_ID}\"}} in this dataset's stack file (the import's update then sets its title, description and permissions to the program's, shown by `diff` and `pulumi preview --diff`); leave it out only when the role does not exist"
    )
}

#[cfg(test)]
mod tests {
    use super::PERMISSIONS;

    #[test]
    fn mutators_can_restore_soft_deleted_objects_but_not_manage_buckets() {
        for needed in [
            "storage.objects.restore",
            "storage.objects.create",
            "storage.objects.list",
            "storage.objects.get",
        ] {
            assert!(PERMISSIONS.contains(&needed), "{needed}");
        }
        for never in [
            "storage.buckets.delete",
            "storage.buckets.update",
            "storage.buckets.setIamPolicy",
            "storage.buckets.restore",
        ] {
            assert!(!PERMISSIONS.contains(&never), "{never}");
        }
    }
}
