//! Helpers shared by the Azure plugin's test binaries: the tests' organisation
//! (`cpg.toml` beside this file), an organisation from `cpg.toml` text, a dataset on
//! Azure, the plan of a session the test drives, and datasets to validate.

use cpg_infra_abstraction::{CloudPlugin, Infra, Plan, PlannedDataset, find_cloud, with_brand};
use cpg_infra_azure::organisation_settings::AzureConfig;
use cpg_infra_config::{
    CloudName, DatasetConfig, DatasetName, DeployLocations, InfrastructureConfig, parse_cpg_toml,
};

/// The organisation of the tests, as `cpg.toml` text.
pub const CPG_TOML: &str = include_str!("cpg.toml");

/// The organisation of the tests ([`CPG_TOML`]).
pub fn config() -> InfrastructureConfig {
    config_from(CPG_TOML)
}

/// The organisation of the `cpg.toml` text `text`, which must parse.
pub fn config_from(text: &str) -> InfrastructureConfig {
    match parse_cpg_toml(text, "test cpg.toml") {
        Ok(parsed) => parsed.infrastructure,
        Err(e) => panic!("test cpg.toml: {e}"),
    }
}

/// A dataset named `name` that deploys to Azure only.
pub fn dataset(name: &str) -> DatasetConfig {
    let mut dataset = DatasetConfig::new(DatasetName::parse(name).expect("valid dataset name"));
    dataset.deploy_locations = DeployLocations::one(CloudName::azure());
    dataset
}

/// The registered Azure plugin.
pub fn azure() -> &'static CloudPlugin {
    find_cloud("azure").expect("the azure plugin is registered")
}

/// The plan of `dataset` on Azure under `config`, after `body` drove its session.
pub fn plan_with(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    body: impl for<'b> FnOnce(&mut Infra<'b>),
) -> Plan {
    with_brand(|brand| {
        let mut infra = Infra::open(azure(), brand, config, dataset)
            .expect("the Azure infra of a valid dataset");
        body(&mut infra);
        infra.finish()
    })
}

/// The datasets to validate, with no buckets or accounts listed.
pub fn planned<'a>(datasets: &[&'a DatasetConfig]) -> Vec<PlannedDataset<'a>> {
    datasets
        .iter()
        .map(|dataset| PlannedDataset {
            dataset,
            buckets: Vec::new(),
            accounts: Vec::new(),
        })
        .collect()
}

/// What the plugin finds wrong in the `[infrastructure.azure]` of `text`, located.
pub fn settings_error(text: &str) -> String {
    let cpg = parse_cpg_toml(text, "test cpg.toml").expect("cpg.toml parses");
    let section = cpg
        .infrastructure
        .section("azure")
        .expect("the azure table");
    let error = section
        .read::<AzureConfig>("azure")
        .expect_err("a wrong setting");
    let message = error.to_string();
    assert!(message.starts_with("test cpg.toml:"), "located: {message}");
    message
}
