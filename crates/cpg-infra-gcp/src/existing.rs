//! Organisation resources that cpg-infra reads but does not manage
//! (`[infrastructure.existing.gcp]`): each becomes a `get:` resource whose
//! outputs the plan uses, so a wrong id fails at `pulumi preview` and deleting
//! a stack never touches it.

use cpg_infra_abstraction::{DatasetAccounts, Handle, Member, Organisation, Plan, Resource};
use cpg_infra_config::ExistingResources;

use crate::resource_ids;
use crate::tokens;

/// Logical name of the read-only notebooks project.
pub const NOTEBOOKS_PROJECT: &str = "existing-notebooks-project";
/// Logical name of the read-only common registry.
pub const COMMON_REGISTRY: &str = "existing-common-registry";

const CLOUD: &str = "gcp";

/// Adds the configured existing resources to `plan` and points the organisation
/// (and the dataset's Hail accounts) at them. Fails with a message naming the
/// key when an id has the wrong shape.
pub fn apply<'b>(
    existing: &ExistingResources,
    plan: &mut Plan,
    organisation: &mut Organisation<'b>,
    accounts: &mut DatasetAccounts<'b>,
) -> Result<(), String> {
    let mut read = |key: &str, name: &str, token: &'static str, id: &str| -> Result<(), String> {
        if let Some(problem) = resource_ids::check(token, id) {
            return Err(format!("[infrastructure.existing.gcp] {key}: {problem}"));
        }
        let mut resource = Resource::existing(token, name, id);
        resource.component = "existing";
        plan.add(resource);
        Ok(())
    };
    let accounts_to_read = [
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
    for (key, id, member) in accounts_to_read {
        if let Some(id) = id {
            let name = format!("existing-{}", key.replace('_', "-"));
            read(key, &name, tokens::SERVICE_ACCOUNT, id)?;
            *member = Some(Member::MachineAccount(Handle::new(CLOUD, name)));
        }
    }
    if let Some(id) = &existing.notebooks_project {
        read("notebooks_project", NOTEBOOKS_PROJECT, tokens::PROJECT, id)?;
    }
    if let Some(id) = &existing.common_registry {
        read("common_registry", COMMON_REGISTRY, tokens::REPOSITORY, id)?;
        if let Some(registry) = &mut organisation.common_registry {
            registry.existing = Some(COMMON_REGISTRY.to_owned());
        }
    }
    if existing.hail_accounts {
        for (level, member) in &mut accounts.hail {
            let Member::Email(email) = member else {
                continue;
            };
            let project = email
                .as_str()
                .split('@')
                .nth(1)
                .and_then(|domain| domain.strip_suffix(".iam.gserviceaccount.com"))
                .ok_or_else(|| {
                    format!(
                        "[infrastructure.existing.gcp] hail_accounts: `{email}` is not a service-account e-mail, so it cannot be read"
                    )
                })?
                .to_owned();
            let name = format!("existing-hail-{}", level.as_str());
            let id = format!("projects/{project}/serviceAccounts/{}", email.as_str());
            read("hail_accounts", &name, tokens::SERVICE_ACCOUNT, &id)?;
            *member = Member::MachineAccount(Handle::new(CLOUD, name));
        }
    }
    Ok(())
}
