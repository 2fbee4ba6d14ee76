//! The GCP plugin against the pinned provider schema.

use std::path::Path;

use cpg_infra_gcp::aliases::RENAMED_TYPES;
use cpg_infra_gcp::tokens;

fn schema() -> Option<serde_json::Value> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/provider-schemas/gcp.json");
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_json::from_str(&text).expect("gcp.json is JSON"))
}

#[test]
fn the_alias_table_is_the_schemas() {
    let Some(schema) = schema() else {
        eprintln!("note: ../shared/provider-schemas is absent; alias check skipped");
        return;
    };
    let mut expected: Vec<(String, String)> = schema["aliases"]
        .as_object()
        .expect("aliases")
        .iter()
        .map(|(old, new)| (old.clone(), new.as_str().expect("token").to_owned()))
        .collect();
    expected.sort();
    let mut ours: Vec<(String, String)> = RENAMED_TYPES
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    ours.sort();
    assert_eq!(
        ours, expected,
        "regenerate RENAMED_TYPES from the pinned schema's alias table"
    );
    assert_eq!(
        schema["version"],
        cpg_infra_gcp::GCP_PROVIDER.version,
        "pinned version = schema version"
    );
}

#[test]
fn every_type_token_used_is_in_the_schema() {
    let Some(schema) = schema() else {
        eprintln!("note: ../shared/provider-schemas is absent; token check skipped");
        return;
    };
    let resources = schema["resources"].as_object().expect("resources");
    for token in [
        tokens::BUCKET,
        tokens::BUCKET_IAM_MEMBER,
        tokens::PROJECT_IAM_MEMBER,
        tokens::PROJECT_SERVICE,
        tokens::SERVICE_ACCOUNT,
        tokens::SERVICE_ACCOUNT_IAM_MEMBER,
        tokens::SERVICE_ACCOUNT_KEY,
        tokens::GROUP,
        tokens::GROUP_MEMBERSHIP,
        tokens::SECRET,
        tokens::SECRET_IAM_MEMBER,
        tokens::SECRET_VERSION,
        tokens::REPOSITORY_IAM_MEMBER,
        tokens::REPOSITORY,
        tokens::CLOUD_RUN_IAM_MEMBER,
        tokens::PROJECT,
        tokens::BUDGET,
    ] {
        assert!(
            resources.contains_key(token),
            "{token} is not a resource of the pinned schema"
        );
    }
    assert!(schema["functions"].get(tokens::GET_ORGANIZATION).is_some());
}
