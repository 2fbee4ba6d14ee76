//! What a machine identity looks like on GCP, and which projects are the organisation's.
//!
//! A slot meant for a machine (a dataset's Hail and deployment accounts, the accounts it
//! grants sample-metadata access to: [`DatasetConfig::machine_slots`] on GCP; the
//! organisation's accounts of `cpg.toml`) must hold a service account. Every service
//! account's e-mail is in a subdomain of `gserviceaccount.com`: user-managed accounts
//! `NAME@PROJECT_ID.iam.gserviceaccount.com` (or `NAME@PROJECT.DOMAIN.iam.gserviceaccount.com`
//! for a domain-scoped project), the default accounts `PROJECT_ID@appspot.gserviceaccount.com`
//! (App Engine) and `PROJECT_NUMBER-compute@developer.gserviceaccount.com` (Compute Engine),
//! and service agents such as `service-PROJECT_NUMBER@gcp-sa-SERVICE.iam.gserviceaccount.com`
//! or `PROJECT_NUMBER@cloudservices.gserviceaccount.com`. Sources:
//! <https://cloud.google.com/iam/docs/service-account-types> and
//! <https://cloud.google.com/iam/docs/service-agents> (read 2026-12). A person's Google
//! account or a group's address never is, so such an e-mail in a machine's slot is a person
//! (or group) getting a machine's roles, groups and keys.
//!
//! A dataset's `gcp:project` (and its shared project, `<project>-shared`) is never one of the
//! organisation's projects named in `cpg.toml` (billing, registry, analysis runner,
//! notebooks, sample metadata, the projects of `existing` ids, of the budget topic and of the
//! organisation's service accounts): the dataset's groups and accounts get project roles in
//! its project and its machine accounts are created there.

use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};

/// The domain every GCP service account's e-mail is a subdomain of.
const SERVICE_ACCOUNT_DOMAIN: &str = ".gserviceaccount.com";

/// Whether `email` is a GCP service account's e-mail (compared without case).
pub fn is_service_account(email: &str) -> bool {
    email.rsplit_once('@').is_some_and(|(_, domain)| {
        domain
            .to_ascii_lowercase()
            .ends_with(SERVICE_ACCOUNT_DOMAIN)
    })
}

/// The project of a user-managed service account's e-mail,
/// `NAME@PROJECT_ID.iam.gserviceaccount.com`.
fn project_of_account(email: &str) -> Option<&str> {
    let (_, domain) = email.rsplit_once('@')?;
    domain
        .strip_suffix(".iam.gserviceaccount.com")
        .filter(|p| !p.contains('.'))
}

/// The project of a resource id `projects/<project>/...`, or a bare project id.
fn project_of_id(id: &str) -> Option<&str> {
    match id.strip_prefix("projects/") {
        Some(rest) => rest.split('/').next().filter(|p| !p.is_empty()),
        None => (!id.contains('/') && !id.is_empty()).then_some(id),
    }
}

/// The dataset's GCP machine-identity keys that hold no service account, one message each
/// (a registered user's id is the configuration's own error, said once).
pub fn dataset_problems(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Vec<String> {
    let gcp = CloudName::gcp();
    dataset
        .machine_slots()
        .into_iter()
        .filter(|slot| slot.cloud == gcp && !is_service_account(slot.id))
        .filter(|slot| config.user_with_id(&gcp, slot.id).is_none())
        .map(|slot| {
            format!(
                "{}: `{}` is not a service account (a service account's e-mail ends in `{SERVICE_ACCOUNT_DOMAIN}`, e.g. NAME@PROJECT.iam{SERVICE_ACCOUNT_DOMAIN}); this key holds a machine account, never a person or group, which would get the account's groups, roles and keys: give the service account's e-mail",
                slot.key, slot.id
            )
        })
        .collect()
}

/// The organisation's GCP accounts of `cpg.toml` that are no service account, one message each.
pub fn organisation_problems(config: &InfrastructureConfig) -> Vec<String> {
    let gcp = CloudName::gcp();
    config
        .organisation_accounts()
        .into_iter()
        .filter(|account| account.cloud == gcp && !is_service_account(account.id))
        .map(|account| {
            format!(
                "cpg.toml: infrastructure.{}: `{}` is not a service account (a service account's e-mail ends in `{SERVICE_ACCOUNT_DOMAIN}`); give the organisation's service account",
                account.key, account.id
            )
        })
        .collect()
}

/// The organisation's GCP projects that `cpg.toml` names: (project, where).
pub fn organisation_projects(config: &InfrastructureConfig) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |project: Option<&str>, key: String| {
        if let Some(project) = project {
            out.push((project.to_owned(), key));
        }
    };
    if let Some(gcp) = crate::organisation_settings::GcpConfig::written(config) {
        add(
            Some(&gcp.billing_project_id),
            "infrastructure.gcp.billing_project_id".to_owned(),
        );
        add(
            Some(&gcp.common_artifact_registry_project),
            "infrastructure.gcp.common_artifact_registry_project".to_owned(),
        );
        add(
            gcp.budget_notification_pubsub
                .as_deref()
                .and_then(project_of_id),
            "the project of infrastructure.gcp.budget_notification_pubsub".to_owned(),
        );
    }
    if let Some(runner) = crate::service_settings::service::<
        crate::service_settings::AnalysisRunnerGcp,
    >(config, "analysis_runner")
    {
        add(
            Some(&runner.project),
            "infrastructure.analysis_runner.gcp.project".to_owned(),
        );
    }
    if let Some(notebooks) = crate::service_settings::service::<crate::service_settings::NotebooksGcp>(
        config,
        "notebooks",
    ) {
        add(
            Some(&notebooks.project),
            "infrastructure.notebooks.gcp.project".to_owned(),
        );
    }
    if let Some(metadata) = crate::service_settings::service::<
        crate::service_settings::SampleMetadataGcp,
    >(config, "sample_metadata")
    {
        add(
            Some(&metadata.project),
            "infrastructure.sample_metadata.gcp.project".to_owned(),
        );
    }
    if let Some(existing) = config.existing.get(&crate::infra::cloud_name()) {
        for (id, key) in [
            (&existing.cromwell_runner, "cromwell_runner"),
            (&existing.analysis_runner_server, "analysis_runner_server"),
            (&existing.web_server, "web_server"),
            (&existing.notebooks_project, "notebooks_project"),
            (&existing.common_registry, "common_registry"),
        ] {
            add(
                id.as_deref().and_then(project_of_id),
                format!("the project of infrastructure.existing.gcp.{key}"),
            );
        }
    }
    let gcp = CloudName::gcp();
    for account in config.organisation_accounts() {
        if account.cloud == gcp {
            add(
                project_of_account(account.id),
                format!(
                    "the project of the organisation's account infrastructure.{}",
                    account.key
                ),
            );
        }
    }
    out
}

/// The dataset's projects on GCP: its `gcp:project` and, with `enable_shared_project`,
/// the shared project `<project>-shared` (what each is, for messages).
pub fn dataset_projects(dataset: &DatasetConfig) -> Vec<(String, &'static str)> {
    let Some(project) = &dataset.gcp_project else {
        return Vec::new();
    };
    let mut out = vec![(project.as_str().to_owned(), "project")];
    if dataset.enable_shared_project {
        out.push((format!("{project}-shared"), "shared project"));
    }
    out
}

/// The dataset's projects that are one of the organisation's, one message each.
pub fn organisation_project_problems(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Vec<String> {
    let organisation = organisation_projects(config);
    dataset_projects(dataset)
        .into_iter()
        .filter_map(|(project, what)| {
            let (_, key) = organisation.iter().find(|(p, _)| *p == project)?;
            Some(format!(
                "gcp:project (TOML: gcp_project): the dataset's {what} `{project}` is the organisation's project ({key} in cpg.toml); the dataset's groups and accounts would get roles in it and its machine accounts would be created there: give the dataset its own project"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_service_account_and_nothing_else() {
        for machine in [
            "alpha-test-1@hail-295901.iam.gserviceaccount.com",
            "ci@my-project.example.com.iam.gserviceaccount.com",
            "my-project@appspot.gserviceaccount.com",
            "123456789-compute@developer.gserviceaccount.com",
            "service-123456789@gcp-sa-cloudbuild.iam.gserviceaccount.com",
            "123456789@cloudservices.gserviceaccount.com",
            "ROBOT@PROJECT.IAM.GSERVICEACCOUNT.COM",
        ] {
            assert!(is_service_account(machine), "{machine}");
        }
        for person in [
            "alex.smith@example-institute.org",
            "alex@gmail.com",
            "someone@gserviceaccount.com.evil.org",
            "team@googlegroups.com",
            "x@gserviceaccount.com",
        ] {
            assert!(!is_service_account(person), "{person}");
        }
    }

    #[test]
    fn projects_of_ids_and_accounts() {
        assert_eq!(
            project_of_id("projects/egi-common/locations/x/repositories/images"),
            Some("egi-common")
        );
        assert_eq!(project_of_id("egi-notebooks"), Some("egi-notebooks"));
        assert_eq!(project_of_id("organizations/1/x"), None);
        assert_eq!(
            project_of_account("runner@egi-cromwell.iam.gserviceaccount.com"),
            Some("egi-cromwell")
        );
        assert_eq!(
            project_of_account("p@appspot.gserviceaccount.com"),
            None,
            "a default account's domain names no project"
        );
    }
}
