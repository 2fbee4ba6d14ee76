//! Organisation resources that cpg-infra reads but does not manage
//! (`[infrastructure.existing.gcp]`): each becomes a `get:` resource whose
//! outputs the plan uses, so a wrong id fails at `pulumi preview` and deleting
//! a stack never touches it.

use cpg_infra_abstraction::{DatasetAccounts, ExistingReader, Member, Organisation, Session};
use cpg_infra_config::ExistingResources;

use crate::resource_ids;
use crate::tokens;

/// Logical name of the read-only notebooks project (`PREFIX` + `notebooks-project`).
pub const NOTEBOOKS_PROJECT: &str = "existing-notebooks-project";

const PREFIX: &str = "existing-";

/// Adds the configured existing resources to `plan` and points the organisation
/// (and the dataset's Hail accounts) at them. Fails with a message naming the
/// key when an id has the wrong shape.
pub fn apply<'b>(
    existing: &ExistingResources,
    session: &mut Session<'b>,
    organisation: &mut Organisation<'b>,
    accounts: &mut DatasetAccounts<'b>,
) -> Result<(), String> {
    let mut reader = ExistingReader {
        session,
        prefix: PREFIX,
        check: resource_ids::check_adopted,
    };
    reader.identities(existing, organisation, tokens::SERVICE_ACCOUNT)?;
    if let Some(id) = &existing.notebooks_project {
        reader.read(
            "notebooks_project",
            "notebooks-project",
            tokens::PROJECT,
            id,
        )?;
    }
    if let Some(id) = &existing.common_registry {
        let name = reader.read("common_registry", "common-registry", tokens::REPOSITORY, id)?;
        if let Some(registry) = &mut organisation.common_registry {
            registry.existing = Some(name);
        }
    }
    if existing.hail_accounts {
        for (level, member) in &mut accounts.hail {
            let Member::External { id: email, .. } = member else {
                continue;
            };
            let project = email
                .split('@')
                .nth(1)
                .and_then(|domain| domain.strip_suffix(".iam.gserviceaccount.com"))
                .ok_or_else(|| {
                    format!(
                        "[infrastructure.existing.gcp] hail_accounts: `{email}` is not a service-account e-mail, so it cannot be read"
                    )
                })?
                .to_owned();
            let id = format!("projects/{project}/serviceAccounts/{email}");
            let name = reader.read(
                "hail_accounts",
                &format!("hail-{}", level.as_str()),
                tokens::SERVICE_ACCOUNT,
                &id,
            )?;
            *member = Member::MachineAccount(reader.session.handle(name));
        }
    }
    Ok(())
}
