//! JSON Schemas (draft 2020-12) of `cpg.toml` and of dataset TOML files, for editors and CI.
//!
//! The dataset schema comes from the table of dataset keys the loaders read with
//! (`dataset_keys.rs`); the `cpg.toml` schema from the types `[infrastructure]` is
//! deserialized into.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::dataset_fields::LEGACY_KEYS;
use crate::dataset_keys::key_schemas;
use crate::infrastructure::InfrastructureConfig;
use crate::key_table::describe;
use crate::names::{DatasetName, GcpProjectId};

/// One dataset's settings: a `datasets/<dataset>.toml` file or a `[datasets.<dataset>]` table
/// of `cpg.toml`. Its schema is built from the table of dataset keys (`dataset_keys.rs`),
/// the same table the loaders read with, plus the keys only TOML has.
struct DatasetToml;

impl JsonSchema for DatasetToml {
    fn schema_name() -> Cow<'static, str> {
        "DatasetToml".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let none = || serde_json::json!({});
        let mut properties = serde_json::Map::new();
        properties.insert(
            "dataset".to_owned(),
            describe(
                generator.subschema_for::<DatasetName>(),
                &["The dataset's name; must equal the file / table name when given."],
                none(),
            ),
        );
        properties.insert(
            "gcp_project".to_owned(),
            describe(
                generator.subschema_for::<GcpProjectId>(),
                &["The dataset's GCP project id (stack files: `gcp:project`). Needed to deploy to GCP."],
                none(),
            ),
        );
        properties.extend(key_schemas(generator));
        properties.insert(
            "provider_config".to_owned(),
            describe(
                generator.subschema_for::<BTreeMap<String, String>>(),
                &["Extra Pulumi provider settings as strings, e.g. `\"gcp:user_project_override\" = \"true\"`."],
                none(),
            ),
        );
        for legacy in LEGACY_KEYS {
            properties.insert(
                (*legacy).to_owned(),
                describe(
                    generator.subschema_for::<String>(),
                    &["Legacy key: accepted and ignored, with a warning."],
                    serde_json::json!({ "deprecated": true }),
                ),
            );
        }
        schemars::json_schema!({
            "title": "DatasetToml",
            "type": "object",
            "description": "One dataset's settings: a `datasets/<dataset>.toml` file or a `[datasets.<dataset>]` table\nof `cpg.toml`. Every key is optional.",
            "properties": properties,
            "additionalProperties": false,
        })
    }
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
pub(crate) fn drop_null(value: &mut Value) {
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

/// A generated schema as published: no `null` alternatives, provider keys restricted.
fn finish(mut value: Value) -> Value {
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

/// How one table of `[infrastructure]` that a cloud plugin reads is described: its dotted
/// key (`gcp`, `hail.gcp`) and the function giving its schema (the plugin's type's).
pub type SectionSchema = (String, fn(&mut SchemaGenerator) -> Schema);

/// The JSON Schema (draft 2020-12) of `cpg.toml`, with the cloud plugins' own tables
/// `sections` (`[infrastructure.gcp]`, ...), which this crate has no types for.
pub fn cpg_toml_schema(sections: &[SectionSchema]) -> Value {
    let mut generator = SchemaGenerator::default();
    let mut root = generator.root_schema_for::<CpgTomlSchema>().to_value();
    let mut tables: Vec<(String, Value)> = Vec::new();
    for (key, schema) in sections {
        tables.push((key.clone(), schema(&mut generator).to_value()));
    }
    let definitions = generator.take_definitions(true);
    root["$defs"] = Value::Object(definitions);
    if let Some(Value::Object(properties)) =
        root.pointer_mut("/$defs/InfrastructureConfig/properties")
    {
        for (key, schema) in tables {
            match key.split_once('.') {
                // A service's table of one cloud: a property of the service's table.
                Some((service, cloud)) => {
                    let table = properties
                        .entry(service.to_owned())
                        .or_insert_with(|| serde_json::json!({ "type": "object" }));
                    table["additionalProperties"] = Value::Bool(false);
                    if let Some(map) = table.as_object_mut() {
                        map.remove("propertyNames");
                        map.remove("patternProperties");
                    }
                    table["properties"][cloud] = schema;
                }
                None => {
                    properties.insert(key, schema);
                }
            }
        }
    }
    finish(root)
}

/// The JSON Schema (draft 2020-12) of a dataset TOML file (`datasets/<dataset>.toml`).
pub fn dataset_toml_schema() -> Value {
    finish(schemars::schema_for!(DatasetToml).to_value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset_fields::{LEGACY_KEYS, TOML_ONLY_KEYS};
    use crate::dataset_keys::DATASET_KEYS;

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
        let hours = &schema["properties"]["tmp_main_read_max_hours"];
        assert_eq!(hours["minimum"], 1);
        assert_eq!(hours["maximum"], 8760);
    }

    #[test]
    fn provider_config_keys_are_restricted_in_both_schemas() {
        for schema in [dataset_toml_schema(), cpg_toml_schema(&[])] {
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
    fn cpg_schema_bounds_what_the_loader_bounds() {
        let schema = cpg_toml_schema(&[]);
        let defs = &schema["$defs"];
        assert!(
            defs["Guid"]["pattern"]
                .as_str()
                .unwrap()
                .starts_with("^[0-9a-fA-F]{8}-")
        );
        let infra = &defs["InfrastructureConfig"]["properties"];
        assert_eq!(
            infra["dataset_storage_prefix"]["pattern"],
            "^[a-z0-9-]{0,20}$"
        );
        assert_eq!(infra["budget_currency"]["$ref"], "#/$defs/Currency");
    }

    #[test]
    fn schemas_describe_members_as_code() {
        let cpg = cpg_toml_schema(&[]);
        let defs = &cpg["$defs"];
        let infra = &defs["InfrastructureConfig"]["properties"];
        assert_eq!(infra["users"]["type"], "object");
        assert_eq!(infra["adhoc_groups"]["type"], "array");
        assert_eq!(
            defs["User"]["properties"]["clouds"]["patternProperties"]["^[a-z][a-z0-9-]{0,31}$"]["$ref"],
            "#/$defs/UserCloud"
        );
        assert_eq!(defs["UserCloud"]["required"][0], "id");
        assert_eq!(defs["AdhocGroup"]["required"][0], "name");

        let dataset = dataset_toml_schema();
        let props = &dataset["properties"];
        let members = &props["members"];
        assert_eq!(members["type"], "object");
        assert_eq!(members["additionalProperties"], false);
        let kinds: Vec<&String> = members["properties"]
            .as_object()
            .expect("group kinds")
            .keys()
            .collect();
        assert_eq!(kinds.len(), crate::GroupKind::ALL.len(), "{kinds:?}");
        assert!(kinds.iter().any(|k| *k == "web-access"), "{kinds:?}");
        assert_eq!(
            members["properties"]["access"]["items"]["$ref"],
            "#/$defs/MemberRef"
        );
        assert_eq!(props["depends_on_readonly"]["type"], "array");
        assert_eq!(props["main_read_group"]["type"], "boolean");
    }

    #[test]
    fn the_clouds_tables_join_infrastructure() {
        #[derive(JsonSchema)]
        #[allow(dead_code)]
        struct Settings {
            name_prefix: crate::Guid,
        }
        let schema = cpg_toml_schema(&[("tc".to_owned(), |g| g.subschema_for::<Settings>())]);
        let infra = &schema["$defs"]["InfrastructureConfig"]["properties"];
        assert_eq!(infra["tc"]["$ref"], "#/$defs/Settings");
        assert_eq!(
            schema["$defs"]["Settings"]["properties"]["name_prefix"]["$ref"],
            "#/$defs/Guid"
        );
        assert!(schema["$defs"]["Guid"].is_object());
    }

    #[test]
    fn cpg_schema_has_infrastructure() {
        let schema = cpg_toml_schema(&[]);
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
