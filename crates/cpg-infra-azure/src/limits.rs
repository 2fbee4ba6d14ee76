//! Checks of the datasets that deploy to Azure: every globally unique name the
//! plugin derives (storage account, Key Vault) must fit Azure's rules and must
//! not be shared by two datasets; resource groups and additional containers must
//! fit too, and no two datasets may derive the same resource group (case-insensitive);
//! no two of a dataset's containers (the buckets the blueprint lists for it,
//! [`PlannedDataset::buckets`]) may share lifecycle rule names; and no derived storage
//! account or resource group may be one the organisation configures in `cpg.toml` (e.g.
//! the reference container's account, the group of an `[infrastructure.existing.azure]` id).

use std::collections::BTreeMap;

use cpg_infra_abstraction::{BucketName, PlannedDataset};
use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};

use crate::organisation_settings::AzureConfig;
use crate::{adopt, names};

/// Checks every dataset that deploys to Azure; one message per problem.
pub fn validate(config: &InfrastructureConfig, planned: &[PlannedDataset<'_>]) -> Vec<String> {
    let azure_cloud = CloudName::azure();
    let planned: Vec<&PlannedDataset<'_>> = planned
        .iter()
        .filter(|p| p.dataset.deploy_locations.contains(&azure_cloud))
        .collect();
    let datasets: Vec<&DatasetConfig> = planned.iter().map(|p| p.dataset).collect();
    let mut problems = Vec::new();
    if !planned.is_empty() {
        problems.extend(crate::user_ids::problems(config));
    }
    // A missing or malformed table is the driver's to report (once, located).
    let Some(azure) = AzureConfig::written(config) else {
        return problems;
    };
    let mut accounts: BTreeMap<String, &str> = BTreeMap::new();
    let mut vaults: BTreeMap<String, &str> = BTreeMap::new();
    // Resource group names are unique in a subscription and case-insensitive
    // (<https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources>):
    // `<prefix>foo` + `-shared` is also dataset `foo-shared`'s group.
    let mut groups: BTreeMap<String, (String, &str)> = BTreeMap::new();
    if let Err(problem) = azure.credential_end_date() {
        problems.push(format!(
            "infrastructure.azure.credential_rotation_date: {problem}"
        ));
    }
    for planned in &planned {
        let dataset = planned.dataset;
        let name = dataset.dataset.as_str();
        problems.extend(dataset_problems(config, &azure.name_prefix, planned));
        problems.extend(adopt::foreign_subscriptions(
            azure.subscription_id.as_str(),
            dataset,
        ));
        let account = names::storage_account(&azure.name_prefix, name);
        if let Some(other) = accounts.insert(account.clone(), name) {
            problems.push(format!(
                "datasets {other} and {name} both map to the storage account `{account}` (name_prefix + letters and digits of the dataset); storage account names are globally unique: rename one dataset"
            ));
        }
        for group in derived_groups(config, dataset) {
            if let Some((other_group, other)) =
                groups.insert(group.to_ascii_lowercase(), (group.clone(), name))
            {
                problems.push(format!(
                    "datasets {other} and {name} both map to the resource group `{group}` ({other}: `{other_group}`; dataset_storage_prefix + dataset, and `-shared` for the shared project); resource group names are unique in the subscription, whatever their case: rename one dataset"
                ));
            }
        }
        let vault = names::key_vault(&azure.name_prefix, name);
        if let Some(other) = vaults.insert(vault.clone(), name) {
            problems.push(format!(
                "datasets {other} and {name} both map to the Key Vault `{vault}`; Key Vault names are globally unique: rename one dataset"
            ));
        }
    }
    problems.extend(organisation_clashes(config, &azure, &datasets));
    problems
}

/// Derived storage accounts and resource groups that are the organisation's own (named in
/// `cpg.toml`): creating them would fail, or take over the organisation's.
fn organisation_clashes(
    config: &InfrastructureConfig,
    azure: &AzureConfig,
    datasets: &[&DatasetConfig],
) -> Vec<String> {
    // `<resource group>/<storage account>/<container>` paths of cpg.toml.
    let mut paths: Vec<(&str, &crate::container_path::AzureContainerPath)> = vec![
        ("azure.reference_bucket", &azure.reference_bucket),
        ("azure.config_bucket", &azure.config_bucket),
    ];
    let hail =
        crate::service_settings::service::<crate::service_settings::HailAzure>(config, "hail");
    if let Some(hail) = &hail {
        paths.push(("hail.azure.wheel_bucket", &hail.wheel_bucket));
    }
    let mut accounts: Vec<(String, String)> = Vec::new();
    let mut groups: Vec<(String, String)> = Vec::new();
    for (key, path) in &paths {
        groups.push((path.resource_group.clone(), format!("infrastructure.{key}")));
        accounts.push((path.account.clone(), format!("infrastructure.{key}")));
    }
    groups.push((
        azure.common_registry_resource_group.clone(),
        "infrastructure.azure.common_registry_resource_group".to_owned(),
    ));
    let named_groups = [
        (
            crate::service_settings::service::<crate::service_settings::AnalysisRunnerAzure>(
                config,
                "analysis_runner",
            )
            .map(|a| a.resource_group.clone()),
            "analysis_runner.azure.resource_group",
        ),
        (
            crate::service_settings::service::<crate::service_settings::NotebooksAzure>(
                config,
                "notebooks",
            )
            .map(|n| n.resource_group.clone()),
            "notebooks.azure.resource_group",
        ),
        (
            crate::service_settings::service::<crate::service_settings::SampleMetadataAzure>(
                config,
                "sample_metadata",
            )
            .map(|s| s.resource_group.clone()),
            "sample_metadata.azure.resource_group",
        ),
    ];
    for (group, key) in named_groups {
        if let Some(group) = group {
            groups.push((group, format!("infrastructure.{key}")));
        }
    }
    // The resource groups of the organisation's existing resources (`get:` by id).
    if let Some(existing) = config.existing.get(&CloudName::azure()) {
        let ids = [
            ("cromwell_runner", &existing.cromwell_runner),
            ("analysis_runner_server", &existing.analysis_runner_server),
            ("web_server", &existing.web_server),
            ("notebooks_project", &existing.notebooks_project),
            ("common_registry", &existing.common_registry),
        ];
        for (key, id) in ids {
            if let Some(group) = id.as_deref().and_then(resource_group_of) {
                groups.push((
                    group.to_owned(),
                    format!("infrastructure.existing.azure.{key}"),
                ));
            }
        }
    }
    let mut problems = Vec::new();
    for dataset in datasets {
        let name = dataset.dataset.as_str();
        let account = names::storage_account(&azure.name_prefix, name);
        if let Some((_, key)) = accounts.iter().find(|(a, _)| *a == account) {
            problems.push(format!(
                "dataset {name}: its storage account `{account}` (name_prefix + the dataset's letters and digits) is the organisation's account of {key} in cpg.toml; keep the organisation's containers in another storage account, or change name_prefix"
            ));
        }
        for derived in derived_groups(config, dataset) {
            if let Some((_, key)) = groups
                .iter()
                .find(|(g, _)| g.eq_ignore_ascii_case(&derived))
            {
                problems.push(format!(
                    "dataset {name}: its resource group `{derived}` (dataset_storage_prefix + dataset) is the organisation's resource group of {key} in cpg.toml; move the organisation's resources to another resource group"
                ));
            }
        }
    }
    problems
}

/// The problems of one dataset's own names (its containers: the buckets the blueprint
/// creates for it on Azure).
fn dataset_problems(
    config: &InfrastructureConfig,
    name_prefix: &str,
    planned: &PlannedDataset<'_>,
) -> Vec<String> {
    let name = planned.dataset.dataset.as_str();
    let mut problems = Vec::new();
    if let Err(e) = names::check_storage_account(&names::storage_account(name_prefix, name)) {
        problems.push(format!(
            "dataset {name}: {e}: use a shorter dataset name or name_prefix"
        ));
    }
    if let Err(e) = names::check_key_vault(&names::key_vault(name_prefix, name)) {
        problems.push(format!("dataset {name}: {e}"));
    }
    let group = names::resource_group(&config.dataset_storage_prefix, name);
    // `-shared` is the longest suffix of a created resource group.
    if group.len() + "-shared".len() > names::RESOURCE_GROUP_MAX {
        problems.push(format!(
            "dataset {name}: the resource group `{group}-shared` exceeds {} characters",
            names::RESOURCE_GROUP_MAX
        ));
    }
    // Additional upload buckets are containers named as given.
    for bucket in &planned.buckets {
        if let BucketName::Unique(bucket) = bucket
            && let Err(e) = names::check_container(bucket)
        {
            problems.push(format!(
                "dataset {name}: additional upload bucket: {e} (on Azure it is a container of the dataset's storage account)"
            ));
        }
    }
    // Containers share one account and one lifecycle policy, whose rule names are
    // the container's letters and digits: two containers must differ in those.
    let mut seen: Vec<(String, &str)> = Vec::new();
    for bucket in &planned.buckets {
        let (container, what) = match bucket {
            BucketName::Dataset(suffix) => (suffix.as_str(), "container"),
            BucketName::Unique(bucket) => (bucket.as_str(), "additional upload bucket"),
        };
        let key = alphanumeric(container);
        if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
            problems.push(format!(
                "dataset {name}: {what} `{container}` and container `{other}` would share the storage account's lifecycle rule names (`{key}...`): rename the bucket"
            ));
        } else {
            seen.push((key, container));
        }
    }
    problems
}

fn alphanumeric(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The resource groups the plan creates for `dataset`: its own and, with a shared
/// project, `<group>-shared` (the blueprint's only created project).
fn derived_groups(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Vec<String> {
    let group = names::resource_group(&config.dataset_storage_prefix, dataset.dataset.as_str());
    let mut derived = vec![group.clone()];
    if dataset.enable_shared_project {
        derived.push(format!("{group}-shared"));
    }
    derived
}

/// The resource group named in an Azure resource id
/// (`/subscriptions/<s>/resourceGroups/<group>[/...]`), matched without regard to case.
fn resource_group_of(id: &str) -> Option<&str> {
    let mut segments = id.split('/');
    while let Some(segment) = segments.next() {
        if segment.eq_ignore_ascii_case("resourceGroups") {
            return segments.next().filter(|g| !g.is_empty());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::resource_group_of;

    #[test]
    fn the_resource_group_of_an_id() {
        assert_eq!(
            resource_group_of(
                "/subscriptions/8c9d/resourcegroups/egi-cromwell/providers/Microsoft.ManagedIdentity/userAssignedIdentities/runner"
            ),
            Some("egi-cromwell")
        );
        assert_eq!(resource_group_of("/subscriptions/8c9d"), None);
    }
}
