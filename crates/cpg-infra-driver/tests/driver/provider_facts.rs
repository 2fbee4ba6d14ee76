//! Provider facts cover what the plugins emit: every resource type of the programs of
//! the example organisation, on every registered cloud, with the organisation's opt-in
//! storage policy on (the mutator role) and off, has facts with a source; and every
//! plugin's facts files parse and belong to its pinned packages.

use std::collections::BTreeSet;

use cpg_infra_abstraction::{STACK_REFERENCE, provider_facts, registered_clouds};
use cpg_infra_config::{CloudName, parse_cpg_toml, parse_stack_file};
use cpg_infra_driver::pipeline;

use super::support::{example_config_with_testcloud, repo};

const STORAGE_POLICY: &str = "
[infrastructure.storage_policy]
abort_incomplete_uploads = true
no_soft_delete_for_tmp = true
mutator_role = true
";

/// Every type token the example organisation's datasets emit on `cloud` under `config`.
fn emitted_types(config_text: &str, cloud: &CloudName) -> BTreeSet<String> {
    let config = parse_cpg_toml(config_text, "stack/cpg.toml")
        .expect("example config")
        .infrastructure;
    let mut types = BTreeSet::new();
    let mut stacks: Vec<_> = std::fs::read_dir(repo().join("stack"))
        .expect("stack/")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .filter(|n| n.starts_with("Pulumi.") && n.ends_with(".yaml") && n != "Pulumi.yaml")
        .collect();
    stacks.sort();
    assert!(!stacks.is_empty(), "the example has stack files");
    for file in stacks {
        let name = &file["Pulumi.".len()..file.len() - ".yaml".len()];
        let text = std::fs::read_to_string(repo().join("stack").join(&file)).expect("stack");
        let dataset = parse_stack_file(&text, &file, name).expect("stack file");
        // A dataset that cannot plan on this cloud (an adopt table of another cloud) is
        // covered on its own cloud.
        let Ok(plan) = pipeline::plan(
            &config,
            &dataset,
            std::slice::from_ref(cloud),
            &pipeline::Deployments::default(),
        ) else {
            continue;
        };
        types.extend(plan.resources.iter().map(|r| r.type_token.to_string()));
    }
    types
}

#[test]
fn every_plugin_facts_file_parses_and_is_of_its_pinned_packages() {
    assert_eq!(provider_facts::problems(), Vec::<String>::new());
}

#[test]
fn every_emitted_resource_type_has_provider_facts_with_a_source() {
    let base = example_config_with_testcloud();
    let with_policy = format!("{base}{STORAGE_POLICY}");
    let mut missing = Vec::new();
    let mut checked = BTreeSet::new();
    for cloud in registered_clouds() {
        let name = CloudName::parse(cloud.name).expect("cloud name");
        let mut types = emitted_types(&base, &name);
        types.extend(emitted_types(&with_policy, &name));
        assert!(!types.is_empty(), "{} emits nothing", cloud.name);
        for token in types {
            // Pulumi's own resources (stack references, explicit providers) have no provider.
            if token == STACK_REFERENCE || token.starts_with("pulumi:providers:") {
                continue;
            }
            match provider_facts::facts_of(&token) {
                Some(facts) if !facts.source.is_empty() => {}
                _ => missing.push(format!("{}: {token}", cloud.name)),
            }
            checked.insert(token);
        }
    }
    assert!(
        checked.contains("gcp:organizations/iAMCustomRole:IAMCustomRole"),
        "the storage policy's mutator role was planned: {checked:?}"
    );
    assert!(
        missing.is_empty(),
        "resource types emitted without provider facts (add them, with their source, to the plugin's data/provider-facts*.json): {missing:#?}"
    );
}

#[test]
fn a_facts_path_replaces_its_nested_changes_and_only_them() {
    let bucket = provider_facts::facts_of("gcp:storage/bucket:Bucket").expect("bucket facts");
    assert_eq!(bucket.replacing("location"), Some("location"));
    assert_eq!(
        bucket.replacing("customPlacementConfig.dataLocations[0]"),
        Some("customPlacementConfig.dataLocations")
    );
    assert_eq!(bucket.replacing("customPlacementConfig"), None);
    assert_eq!(bucket.replacing("labels.bucket"), None);
    assert!(bucket.equivalent("location", "australia-southeast1", "AUSTRALIA-SOUTHEAST1"));
    // The old spelling of a renamed module finds the facts of the new one.
    assert!(provider_facts::facts_of("gcp:serviceAccount/account:Account").is_some());
}

#[test]
fn every_type_of_the_example_with_every_opt_in_feature_has_provider_facts() {
    // The opt-in features (temporary access, dropboxes, budgets, ...) emit types the
    // default example does not: their programs, on the clouds each dataset deploys to.
    let scratch = tempfile::tempdir().expect("scratch dir");
    let dir = super::support::example_with_features(scratch.path());
    let programs = scratch.path().join("programs");
    let config = dir.join("cpg.toml");
    let out = super::support::run(
        &repo(),
        &[
            "--config",
            config.to_str().expect("utf-8"),
            "program",
            "--out-dir",
            programs.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut missing = BTreeSet::new();
    let mut without_delete_first = BTreeSet::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&programs).expect("programs") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("program");
        let program: serde_json::Value = serde_json::from_str(&text).expect("JSON program");
        for resource in program["resources"]
            .as_object()
            .expect("resources")
            .values()
        {
            let token = resource["type"].as_str().expect("type");
            if token == STACK_REFERENCE || token.starts_with("pulumi:providers:") {
                continue;
            }
            checked += 1;
            let facts = provider_facts::facts_of(token);
            if facts.is_none_or(|facts| facts.source.is_empty()) {
                missing.insert(token.to_owned());
            }
            // A type replaced under the same identity must be deleted before its
            // replacement is created.
            if facts.is_some_and(|f| f.delete_before_replace.is_some())
                && resource["options"]["deleteBeforeReplace"] != serde_json::json!(true)
            {
                without_delete_first.insert(token.to_owned());
            }
        }
    }
    assert!(
        without_delete_first.is_empty(),
        "resources whose provider facts say a replacement needs deleteBeforeReplace, without it: {without_delete_first:#?}"
    );
    assert!(
        checked > 1000,
        "the features example's programs: {checked} resources"
    );
    assert!(
        missing.is_empty(),
        "types of the example with every opt-in feature without provider facts (add them, with their source, to the plugin's data/provider-facts*.json): {missing:#?}"
    );
}
