//! JSON Schemas (draft 2020-12) of `cpg.toml` and of dataset TOML files, for editors and CI.
//!
//! The schema types mirror what the loaders accept; the loaders themselves do not use them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde_json::Value;

use crate::component::Component;
use crate::infrastructure::InfrastructureConfig;
use crate::names::{BucketName, CloudName, DatasetName, Email, GcpProjectId};

/// One dataset's settings: a `datasets/<dataset>.toml` file or a `[datasets.<dataset>]` table
/// of `cpg.toml`. Every key is optional.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct DatasetToml {
    /// The dataset's name; must equal the file / table name when given.
    dataset: Option<DatasetName>,
    /// The dataset's GCP project id (stack files: `gcp:project`). Needed to deploy to GCP.
    gcp_project: Option<GcpProjectId>,
    /// Hail Batch service account of the `test` level.
    gcp_hail_service_account_test: Option<Email>,
    /// Hail Batch service account of the `standard` level.
    gcp_hail_service_account_standard: Option<Email>,
    /// Hail Batch service account of the `full` level.
    gcp_hail_service_account_full: Option<Email>,
    /// Deployment service account of the `test` level.
    deployment_service_account_test: Option<Email>,
    /// Deployment service account of the `standard` level.
    deployment_service_account_standard: Option<Email>,
    /// Deployment service account of the `full` level.
    deployment_service_account_full: Option<Email>,
    /// Clouds to deploy to (default `["gcp"]`), without repeats.
    #[schemars(length(min = 1))]
    deploy_locations: Option<Vec<CloudName>>,
    /// Create a requester-pays release bucket (default false).
    enable_release: Option<bool>,
    /// Create a shared project (default false; needs `enable_release` and
    /// `shared_project_budget`).
    enable_shared_project: Option<bool>,
    /// Monthly budget of the shared project (> 0).
    #[schemars(range(min = 1))]
    shared_project_budget: Option<u64>,
    /// Datasets this dataset gets access to.
    depends_on: Option<Vec<DatasetName>>,
    /// Extra buckets collaborators may upload to.
    additional_upload_buckets: Option<Vec<BucketName>>,
    /// Extra service accounts with read-only sample-metadata access.
    sm_read_only_sas: Option<Vec<Email>>,
    /// Extra service accounts with read-write sample-metadata access.
    sm_read_write_sas: Option<Vec<Email>>,
    /// Components per cloud, e.g. `{gcp = ["storage", "hail-accounts"]}`; a cloud without an
    /// entry gets every component.
    components: Option<BTreeMap<CloudName, Vec<Component>>>,
    /// Days before objects move to archive storage (default 30, > 0).
    #[schemars(range(min = 1))]
    archive_age: Option<u32>,
    /// Azure: Entra ID object id (GUID) of the Hail Batch account of the `test` level.
    azure_hail_principal_test: Option<String>,
    /// Azure: Entra ID object id (GUID) of the Hail Batch account of the `standard` level.
    azure_hail_principal_standard: Option<String>,
    /// Azure: Entra ID object id (GUID) of the Hail Batch account of the `full` level.
    azure_hail_principal_full: Option<String>,
    /// Azure: Entra ID object id (GUID) of the deployment account of the `test` level.
    azure_deployment_principal_test: Option<String>,
    /// Azure: Entra ID object id (GUID) of the deployment account of the `standard` level.
    azure_deployment_principal_standard: Option<String>,
    /// Azure: Entra ID object id (GUID) of the deployment account of the `full` level.
    azure_deployment_principal_full: Option<String>,
    /// Store each cloud's workflow-engine credentials as secrets on the dataset's other
    /// clouds (default true; only matters when deploying to more than one cloud).
    cross_cloud_secrets: Option<bool>,
    /// Existing resources to bring under management: logical resource name -> cloud id.
    adopt: Option<BTreeMap<String, String>>,
    /// Extra Pulumi provider settings as strings, e.g. `"gcp:user_project_override" = "true"`.
    provider_config: Option<BTreeMap<String, String>>,
    /// Legacy key: accepted and ignored, with a warning.
    #[schemars(extend("deprecated" = true))]
    customer_id: Option<String>,
}

/// The layout of `cpg.toml`.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct CpgTomlSchema {
    /// Organisation-wide settings (required).
    infrastructure: InfrastructureConfig,
    /// Datasets defined inline, `[datasets.<dataset>]`.
    datasets: Option<BTreeMap<DatasetName, DatasetToml>>,
}

/// TOML has no null: optional keys are simply not required, so drop the `null` alternatives
/// that optional Rust fields add (`"type": ["string", "null"]`, `anyOf: [X, {type: null}]`).
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".to_string(), only);
                }
            }
            let single = match map.get_mut("anyOf") {
                Some(Value::Array(alternatives)) => {
                    alternatives.retain(|a| a.get("type").and_then(Value::as_str) != Some("null"));
                    (alternatives.len() == 1).then(|| alternatives.remove(0))
                }
                _ => None,
            };
            if let Some(Value::Object(inner)) = single {
                map.remove("anyOf");
                for (k, v) in inner {
                    map.entry(k).or_insert(v);
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

fn finish(schema: schemars::Schema) -> Value {
    let mut value = schema.to_value();
    drop_null(&mut value);
    restrict_provider_keys(&mut value);
    value
}

/// Every `provider_config` table accepts only the keys the loaders accept.
fn restrict_provider_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "provider_config"
                    && let Value::Object(table) = child
                {
                    table.insert(
                        "propertyNames".to_owned(),
                        serde_json::json!({ "pattern": crate::provider_keys::key_pattern() }),
                    );
                }
                restrict_provider_keys(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(restrict_provider_keys),
        _ => {}
    }
}

/// The JSON Schema (draft 2020-12) of `cpg.toml`.
pub fn cpg_toml_schema() -> Value {
    finish(schemars::schema_for!(CpgTomlSchema))
}

/// The JSON Schema (draft 2020-12) of a dataset TOML file (`datasets/<dataset>.toml`).
pub fn dataset_toml_schema() -> Value {
    finish(schemars::schema_for!(DatasetToml))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset_fields::{DATASET_KEYS, LEGACY_KEYS, TOML_ONLY_KEYS};

    #[test]
    fn dataset_schema_lists_every_key() {
        let schema = dataset_toml_schema();
        let props = schema["properties"].as_object().unwrap();
        let mut keys: Vec<&str> = props.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected: Vec<&str> = DATASET_KEYS
            .iter()
            .chain(TOML_ONLY_KEYS)
            .chain(LEGACY_KEYS)
            .copied()
            .collect();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(
            schema["additionalProperties"],
            serde_json::Value::Bool(false)
        );
        assert!(schema["$schema"].as_str().unwrap().contains("2020-12"));
        assert_eq!(schema["properties"]["archive_age"]["type"], "integer");
        assert_eq!(schema["properties"]["archive_age"]["minimum"], 1);
    }

    #[test]
    fn provider_config_keys_are_restricted_in_both_schemas() {
        for schema in [dataset_toml_schema(), cpg_toml_schema()] {
            let text = schema.to_string();
            assert!(text.contains("propertyNames"), "{text}");
        }
        let pattern =
            dataset_toml_schema()["properties"]["provider_config"]["propertyNames"]["pattern"]
                .as_str()
                .unwrap()
                .to_owned();
        assert!(pattern.contains("|gcp:(") && pattern.contains("userProjectOverride|"));
        assert!(pattern.contains("user_project_override"), "{pattern}");
    }

    #[test]
    fn cpg_schema_has_infrastructure() {
        let schema = cpg_toml_schema();
        assert!(schema["properties"]["infrastructure"].is_object());
        assert_eq!(schema["required"][0], "infrastructure");
        assert!(!schema.to_string().contains("null"), "{schema}");
        let infra = &schema["$defs"]["InfrastructureConfig"];
        let required: Vec<&str> = infra["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(
            required,
            [
                "domain",
                "dataset_storage_prefix",
                "budget_currency",
                "reference_dataset"
            ]
        );
    }
}
