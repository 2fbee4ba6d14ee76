//! Azure's rules for one dataset's configuration, checked when it is loaded (so the
//! message names the dataset's file): the per-cloud `[infrastructure.<section>.azure]`
//! tables its components need.

use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};

/// The dataset keys only Azure reads: the Entra ID principals of each level.
pub const DATASET_KEYS: &[&str] = &[
    "azure_hail_principal_test",
    "azure_hail_principal_standard",
    "azure_hail_principal_full",
    "azure_deployment_principal_test",
    "azure_deployment_principal_standard",
    "azure_deployment_principal_full",
];

/// Why an `azure-native:` or `azuread:` setting has no effect: every Azure resource of a
/// program names an explicit provider built from `[infrastructure.azure]`
/// (`providers.rs`), and an explicit provider reads none of the stack's config.
pub fn ignored_provider_setting(_namespace: &str, _key: &str) -> Option<&'static str> {
    Some(
        "every Azure resource of the programs uses an explicit provider built from [infrastructure.azure] in cpg.toml (subscription, tenant, region), which reads no stack config; set the value there, or credentials in the ARM_* environment variables",
    )
}

/// Every problem of `dataset` on Azure, one message each.
pub fn check(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Vec<String> {
    let mut problems = dataset.component_section_problems(config, &CloudName::azure());
    problems.extend(crate::pim::duration_problem(
        dataset.tmp_main_read_max_hours.get(),
    ));
    problems
}
