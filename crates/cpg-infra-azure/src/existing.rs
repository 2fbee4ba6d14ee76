//! Organisation resources that cpg-infra reads but does not manage
//! (`[infrastructure.existing.azure]`): each becomes a `get:` resource whose
//! outputs the plan uses, so a wrong id fails at `pulumi preview` and deleting
//! a stack never touches it.

use cpg_infra_abstraction::{ExistingReader, Organisation, Session};
use cpg_infra_config::ExistingResources;

use crate::resource_ids;
use crate::tokens;

/// Logical name of the read-only notebooks resource group.
pub const NOTEBOOKS_GROUP: &str = "azure-existing-notebooks-project";

/// Adds the configured existing resources to `plan` and points the organisation
/// at them. Fails with a message naming the key when an id has the wrong shape
/// or names a kind of resource Azure does not have.
pub fn apply<'b>(
    existing: &ExistingResources,
    session: &mut Session<'b>,
    organisation: &mut Organisation<'b>,
) -> Result<(), String> {
    if existing.hail_accounts {
        return Err("[infrastructure.existing.azure] hail_accounts: Azure has no Hail service accounts to read (Hail Batch accounts are GCP service accounts); remove the key".to_owned());
    }
    let mut reader = ExistingReader {
        session,
        prefix: "azure-existing-",
        check: resource_ids::check_adopted,
    };
    reader.identities(existing, organisation, tokens::USER_ASSIGNED_IDENTITY)?;
    if let Some(id) = &existing.notebooks_project {
        reader.read(
            "notebooks_project",
            "notebooks-project",
            tokens::RESOURCE_GROUP,
            id,
        )?;
    }
    if let Some(id) = &existing.common_registry {
        let name = reader.read(
            "common_registry",
            "common-registry",
            tokens::CONTAINER_REGISTRY,
            id,
        )?;
        if let Some(registry) = &mut organisation.common_registry {
            registry.existing = Some(name);
        }
    }
    Ok(())
}
