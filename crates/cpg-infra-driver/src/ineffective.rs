//! Settings of a dataset that would have no effect, each an error that says why: a key
//! only clouds read that the dataset does not deploy to (Azure principals on a GCP-only
//! dataset), a setting of a provider package whose cloud the dataset does not deploy to
//! (`gcp:project` on an Azure-only dataset), and a provider setting the cloud's programs
//! never read (`azure-native:location`, which the explicit provider built from cpg.toml
//! overrides). Which keys and settings belong to which cloud is each plugin's answer
//! ([`CloudPlugin::dataset_keys`], [`CloudPlugin::providers`],
//! [`CloudPlugin::ignored_provider_setting`]).

use cpg_infra_abstraction::{CloudPlugin, registered_clouds};
use cpg_infra_config::{CloudName, DatasetConfig};

/// Every setting of `dataset` that has no effect, one message each (without the
/// dataset's name).
pub fn problems(dataset: &DatasetConfig) -> Vec<String> {
    let clouds = registered_clouds();
    let deploys = |plugin: &CloudPlugin| {
        dataset
            .deploy_locations
            .iter()
            .any(|c| c.as_str() == plugin.name)
    };
    let locations = dataset
        .deploy_locations
        .iter()
        .map(CloudName::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = Vec::new();
    for key in dataset.set_keys() {
        let readers: Vec<&str> = clouds
            .iter()
            .filter(|p| p.dataset_keys.contains(&key))
            .map(|p| p.name)
            .collect();
        if readers.is_empty()
            || clouds
                .iter()
                .any(|p| readers.contains(&p.name) && deploys(p))
        {
            continue;
        }
        out.push(format!(
            "datasets:{key}: only {} reads it and the dataset does not deploy there (datasets:deploy_locations is [{locations}]), so it has no effect; remove it or add {} to datasets:deploy_locations",
            readers.join(" and "),
            readers.join(" or ")
        ));
    }
    for setting in dataset.provider_settings() {
        let Some((namespace, key)) = setting.split_once(':') else {
            continue;
        };
        // `pulumi:` and this tool's namespaces belong to no cloud.
        let Some(plugin) = clouds
            .iter()
            .find(|p| p.providers.iter().any(|package| package.name == namespace))
        else {
            continue;
        };
        if !deploys(plugin) {
            out.push(format!(
                "{setting}: a setting of the `{namespace}` provider, which only {cloud} programs use, and the dataset does not deploy to {cloud} (datasets:deploy_locations is [{locations}]), so it has no effect; remove it or add {cloud} to datasets:deploy_locations",
                cloud = plugin.name
            ));
        } else if let Some(why) = (plugin.ignored_provider_setting)(namespace, key) {
            out.push(format!(
                "{setting}: has no effect: {why}; remove it from the dataset's settings"
            ));
        }
    }
    out
}
