//! GCP's rules for one dataset's configuration, checked when it is loaded (so the
//! message names the dataset's file): the dataset's project, the per-cloud
//! `[infrastructure.<section>.gcp]` tables its components need, and the Hail
//! accounts of the `hail-accounts` component.

use cpg_infra_config::{CloudName, Component, DatasetConfig, InfrastructureConfig};

/// The dataset keys only GCP reads: the service accounts (e-mails) of each level and of
/// sample-metadata access (another cloud cannot grant a GCP service account anything), and
/// Autoclass (a GCS feature; another cloud says it has none).
pub const DATASET_KEYS: &[&str] = &[
    "gcp_hail_service_account_test",
    "gcp_hail_service_account_standard",
    "gcp_hail_service_account_full",
    "deployment_service_account_test",
    "deployment_service_account_standard",
    "deployment_service_account_full",
    "sm_read_only_sas",
    "sm_read_write_sas",
    "autoclass",
];

/// Why a `gcp:` setting has no effect on GCP programs: the provider's default region
/// and zone, since every regional resource the plugin creates (buckets, secret
/// replicas, registry and Cloud Run grants) sets its location from `[infrastructure.gcp]
/// region` or `datasets:region` (a test over the example's programs holds this against
/// the provider schema), and the rest are read by `get:` ids.
pub fn ignored_provider_setting(_namespace: &str, key: &str) -> Option<&'static str> {
    matches!(key, "region" | "zone").then_some(
        "every regional GCP resource of the programs takes its location from [infrastructure.gcp] region in cpg.toml (or datasets:region for the dataset's buckets), never from the provider's default; set it there",
    )
}

/// Every problem of `dataset` on GCP, one message each.
pub fn check(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Vec<String> {
    let gcp = CloudName::gcp();
    let mut problems = Vec::new();
    if dataset.gcp_project.is_none() {
        problems.push(
            "deploying to GCP needs `gcp:project` (TOML: gcp_project); set the dataset's GCP project id"
                .to_owned(),
        );
    }
    problems.extend(dataset.component_section_problems(config, &gcp));
    if dataset
        .components_for(&gcp)
        .contains(&Component::HailAccounts)
    {
        for (level, account) in dataset.gcp_hail_service_account.each() {
            if account.is_none() && dataset.access_levels().contains(&level) {
                problems.push(format!(
                    "component `hail-accounts` on gcp needs datasets:gcp_hail_service_account_{level}; set it or remove the component from datasets:components"
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use cpg_infra_config::{parse_cpg_toml, parse_stack_file};

    use super::*;

    fn example() -> (InfrastructureConfig, DatasetConfig) {
        let stack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stack");
        let text = std::fs::read_to_string(stack.join("cpg.toml")).expect("cpg.toml");
        let config = parse_cpg_toml(&text, "cpg.toml")
            .expect("config")
            .infrastructure;
        let text = std::fs::read_to_string(stack.join("Pulumi.alpha-study.yaml")).expect("stack");
        let dataset =
            parse_stack_file(&text, "Pulumi.alpha-study.yaml", "alpha-study").expect("dataset");
        (config, dataset)
    }

    #[test]
    fn the_project_the_hail_accounts_and_the_sections_are_checked() {
        let (config, dataset) = example();
        assert_eq!(check(&config, &dataset), Vec::<String>::new());

        let mut no_project = dataset.clone();
        no_project.gcp_project = None;
        assert_eq!(
            check(&config, &no_project),
            [
                "deploying to GCP needs `gcp:project` (TOML: gcp_project); set the dataset's GCP project id"
            ]
        );

        let mut no_hail = dataset.clone();
        no_hail.gcp_hail_service_account.full = None;
        assert_eq!(
            check(&config, &no_hail),
            [
                "component `hail-accounts` on gcp needs datasets:gcp_hail_service_account_full; set it or remove the component from datasets:components"
            ]
        );
        no_hail
            .components
            .insert(CloudName::gcp(), vec![Component::Storage]);
        assert_eq!(check(&config, &no_hail), Vec::<String>::new());

        let mut no_hail_section = config.clone();
        no_hail_section.hail = None;
        assert!(
            check(&no_hail_section, &dataset)
                .iter()
                .any(|p| p.contains("[infrastructure.hail.gcp]")),
            "the hail-accounts component needs [infrastructure.hail.gcp]"
        );
    }
}
