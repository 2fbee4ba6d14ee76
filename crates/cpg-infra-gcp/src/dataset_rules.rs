//! GCP's rules for one dataset's configuration, checked when it is loaded (so the
//! message names the dataset's file): the dataset's project (set, and never one of the
//! organisation's), the per-cloud `[infrastructure.<section>.gcp]` tables its components
//! need, the Hail accounts of the `hail-accounts` component, that every machine-identity
//! key holds a service account ([`crate::machine_ids`]), and what its budgets need: the
//! billing account's currency and a quota project for the Budgets API.

use cpg_infra_config::{CloudName, Component, DatasetConfig, InfrastructureConfig};

/// The provider settings that make the `gcp` provider send a quota project with every
/// request: `billing_project` (the project) and `user_project_override` (send it). The
/// Cloud Billing Budget API refuses requests made with user credentials (`gcloud auth
/// application-default login`) that carry no quota project
/// (<https://cloud.google.com/billing/docs/how-to/budget-api-setup>, "quota project"; the
/// provider's settings: <https://registry.terraform.io/providers/hashicorp/google/latest/docs/guides/provider_reference#user_project_override>).
const QUOTA_PROJECT_KEYS: [&str; 2] = ["gcp:billing_project", "gcp:billingProject"];
const USER_PROJECT_OVERRIDE_KEYS: [&str; 2] =
    ["gcp:user_project_override", "gcp:userProjectOverride"];

/// Whether the dataset plans a GCP budget: a monthly one (`budgets.gcp`) or the shared
/// project's.
fn has_budgets(dataset: &DatasetConfig) -> bool {
    dataset.budgets.keys().any(|cloud| cloud.as_str() == "gcp")
        || (dataset.enable_shared_project && dataset.shared_budget_on("gcp").is_some())
}

/// The problems of the dataset's GCP budgets.
///
/// - Currency: a budget's `currencyCode` must be the billing account's when the budget is
///   created, and stays the budget's afterwards
///   (<https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets#Budget>,
///   `amount.specifiedAmount`). Every GCP budget is on `[infrastructure.gcp]
///   billing_account_id`, whose currency `[infrastructure] budget_currency` states, so
///   `budgets.gcp.currency` may only repeat it.
/// - Quota project: see [`QUOTA_PROJECT_KEYS`].
fn budget_problems(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(budget) = dataset
        .budgets
        .iter()
        .find(|(cloud, _)| cloud.as_str() == "gcp")
        .map(|(_, budget)| budget)
        && let Some(currency) = &budget.currency
        && currency != &config.budget_currency
    {
        problems.push(format!(
            "datasets:budgets.gcp.currency is {currency}, but GCP budgets are in the billing account's currency, which [infrastructure] budget_currency says is {}: Cloud Billing refuses another; give the amounts in {} (or remove `currency`)",
            config.budget_currency, config.budget_currency
        ));
    }
    if !has_budgets(dataset) {
        return problems;
    }
    let setting = |keys: &[&str]| {
        keys.iter()
            .find_map(|key| dataset.provider_config.get(*key))
            .map(|v| v.trim().to_owned())
    };
    let project = setting(&QUOTA_PROJECT_KEYS).filter(|p| !p.is_empty());
    let override_on =
        setting(&USER_PROJECT_OVERRIDE_KEYS).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if project.is_none() || !override_on {
        problems.push(
            "the dataset has GCP budgets, and the Budgets API needs a quota project: set `gcp:billing_project` (e.g. the dataset's project) and `gcp:user_project_override: \"true\"` in its stack file (TOML: [provider_config]); without them a `pulumi up` with user credentials fails to create the budget".to_owned(),
        );
    }
    problems
}

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
    problems.extend(crate::machine_ids::organisation_project_problems(
        config, dataset,
    ));
    problems.extend(crate::machine_ids::dataset_problems(config, dataset));
    problems.extend(dataset.component_section_problems(config, &gcp));
    problems.extend(budget_problems(config, dataset));
    problems.extend(crate::pam::duration_problem(
        dataset.tmp_main_read_max_hours.get(),
    ));
    if let Some((_, region)) = dataset.region.iter().find(|(cloud, _)| **cloud == gcp)
        && let Some(problem) =
            crate::locations::bucket_location_problem("datasets:region.gcp", region.as_str())
    {
        problems.push(problem);
    }
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

    use cpg_infra_config::{Email, GcpProjectId, parse_cpg_toml, parse_stack_file};

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
        no_hail_section.hail.clear();
        assert!(
            check(&no_hail_section, &dataset)
                .iter()
                .any(|p| p.contains("[infrastructure.hail.gcp]")),
            "the hail-accounts component needs [infrastructure.hail.gcp]"
        );
    }

    #[test]
    fn an_organisation_project_and_a_person_as_hail_account_are_errors() {
        let (config, dataset) = example();
        let mut wrong = dataset.clone();
        wrong.gcp_project = Some(GcpProjectId::parse("egi-analysis-runner").expect("project"));
        wrong.gcp_hail_service_account.standard =
            Some(Email::parse("alex.smith@example-institute.org").expect("e-mail"));
        let problems = check(&config, &wrong);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("gcp:project (TOML: gcp_project): the dataset's project `egi-analysis-runner` is the organisation's project (infrastructure.analysis_runner.gcp.project in cpg.toml)"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("datasets:gcp_hail_service_account_standard: `alex.smith@example-institute.org` is not a service account"),
            "{problems:?}"
        );
        // The shared project counts too, and a project only the organisation's accounts name.
        let mut shared = dataset;
        shared.gcp_project = Some(GcpProjectId::parse("egi-cromwell").expect("project"));
        assert!(
            check(&config, &shared)[0]
                .contains("the project of infrastructure.existing.gcp.cromwell_runner"),
            "{:?}",
            check(&config, &shared)
        );
    }
}
