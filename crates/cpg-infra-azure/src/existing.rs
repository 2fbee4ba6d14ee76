//! Organisation resources that cpg-infra reads but does not manage
//! (`[infrastructure.existing.azure]`): each becomes a `get:` resource whose
//! outputs the plan uses, so a wrong id fails at `pulumi preview` and deleting
//! a stack never touches it.

use cpg_infra_abstraction::{Handle, Member, Organisation, Plan, Resource};
use cpg_infra_config::ExistingResources;

use crate::resource_ids;
use crate::tokens;

/// Logical name of the read-only notebooks resource group.
pub const NOTEBOOKS_GROUP: &str = "azure-existing-notebooks-project";
/// Logical name of the read-only common registry.
pub const COMMON_REGISTRY: &str = "azure-existing-common-registry";

const CLOUD: &str = "azure";

/// Adds the configured existing resources to `plan` and points the organisation
/// at them. Fails with a message naming the key when an id has the wrong shape
/// or names a kind of resource Azure does not have.
pub fn apply(
    existing: &ExistingResources,
    plan: &mut Plan,
    organisation: &mut Organisation<'_>,
) -> Result<(), String> {
    if existing.hail_accounts {
        return Err("[infrastructure.existing.azure] hail_accounts: Azure has no Hail service accounts to read (Hail Batch accounts are GCP service accounts); remove the key".to_owned());
    }
    let mut read = |key: &str, name: &str, token: &'static str, id: &str| -> Result<(), String> {
        if let Some(problem) = resource_ids::check(token, id) {
            return Err(format!("[infrastructure.existing.azure] {key}: {problem}"));
        }
        let mut resource = Resource::existing(token, name, id);
        resource.component = "existing";
        plan.add(resource);
        Ok(())
    };
    let identities = [
        (
            "cromwell_runner",
            &existing.cromwell_runner,
            &mut organisation.cromwell_runner,
        ),
        (
            "analysis_runner_server",
            &existing.analysis_runner_server,
            &mut organisation.analysis_runner_server,
        ),
        (
            "web_server",
            &existing.web_server,
            &mut organisation.web_server,
        ),
    ];
    for (key, id, member) in identities {
        if let Some(id) = id {
            let name = format!("azure-existing-{}", key.replace('_', "-"));
            read(key, &name, tokens::USER_ASSIGNED_IDENTITY, id)?;
            *member = Some(Member::MachineAccount(Handle::new(CLOUD, name)));
        }
    }
    if let Some(id) = &existing.notebooks_project {
        read(
            "notebooks_project",
            NOTEBOOKS_GROUP,
            tokens::RESOURCE_GROUP,
            id,
        )?;
    }
    if let Some(id) = &existing.common_registry {
        read(
            "common_registry",
            COMMON_REGISTRY,
            tokens::CONTAINER_REGISTRY,
            id,
        )?;
        if let Some(registry) = &mut organisation.common_registry {
            registry.existing = Some(COMMON_REGISTRY.to_owned());
        }
    }
    Ok(())
}
