//! Grants on buckets: a member's access to one container (through a built-in or custom
//! data role) and its listing of the storage account's containers.

use cpg_infra_abstraction::{BucketMembership, BucketRef, Output, ProjectRef, Session, Value};

use super::{AzureInfra, PREFIX, describe};
use crate::grants::Scope;
use crate::members::Principal;
use crate::roles::{BuiltInRole, CustomRole};
use crate::storage;

impl<'b> AzureInfra {
    /// `Cloud::grant` of a bucket: the principal's data role on one container.
    pub(crate) fn bucket_grant(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        bucket: &BucketRef,
        principal: Principal,
        membership: BucketMembership,
    ) {
        let scope = match bucket {
            BucketRef::Created(handle) => {
                let container = handle
                    .resource()
                    .strip_prefix(&format!("{PREFIX}container-"))
                    .unwrap_or(handle.resource())
                    .to_owned();
                Scope {
                    id: Output::resource(handle.resource(), "id").into(),
                    label: format!("container:{container}"),
                }
            }
            BucketRef::Existing(path) => {
                let mut parts = path.splitn(3, '/');
                let (Some(group), Some(account), Some(container)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return session.error(
                        key,
                        format!(
                            "the organisation container `{path}` is not `<resource group>/<storage account>/<container>`: correct it in cpg.toml"
                        ),
                    );
                };
                let id = format!(
                    "{}/providers/Microsoft.Storage/storageAccounts/{account}/blobServices/default/containers/{container}",
                    self.settings.resource_group_id(group)
                );
                Scope {
                    label: format!("container:{path}"),
                    id: Value::Str(id),
                }
            }
        };
        let role = match membership {
            // Listing blob names needs the blob read data action: Azure cannot list without reading.
            BucketMembership::List | BucketMembership::Read => {
                self.builtin(BuiltInRole::StorageBlobDataReader)
            }
            BucketMembership::Append => self.custom_role(session, CustomRole::BlobAppender),
            // Not Storage Blob Data Contributor: it also deletes and configures the
            // container (`containers/delete`, `containers/write`).
            BucketMembership::Mutate | BucketMembership::MutateObjects => {
                self.custom_role(session, CustomRole::BlobMutator)
            }
        };
        if membership == BucketMembership::List {
            session.note(
                key,
                "Azure has no list-only data role: listing blobs needs Storage Blob Data Reader, which also reads them".to_owned(),
            );
        }
        self.assign_role(session, key, &principal, scope, role);
    }

    /// `Cloud::grant` of listing buckets: Reader on the dataset's storage account.
    pub(super) fn container_listing_grant(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        principal: Principal,
        project: &ProjectRef,
    ) {
        if *project != ProjectRef::Dataset {
            return session.diagnose(
                key,
                format!("only the dataset's storage account is known to this plan; listing containers of {} not granted", describe(project)),
            );
        }
        // Reader on the account: `blobServices/containers/read` lists containers
        // (portal, ARM and the data-plane List Containers call) without any blob data access.
        self.ensure_storage_account(session);
        let scope = Scope {
            id: Output::resource(storage::STORAGE_ACCOUNT, "id").into(),
            label: format!("storage-account:{}", self.settings.storage_account),
        };
        let role = self.builtin(BuiltInRole::Reader);
        self.assign_role(session, key, &principal, scope, role);
    }
}
