//! Reviewable output: insta snapshots of the real pipeline's output for the
//! example organisation (`stack/`), on gcp, azure, both clouds and the test
//! cloud: the text plan (secrets are never shown in it) and every dataset's
//! Pulumi program, as the driver renders it, pretty-printed for review.
//!
//! A change to the blueprint or a plugin shows up here as a snapshot diff; review
//! it with `cargo insta review` (or `cargo insta test --review`) and commit the
//! accepted `.snap` files with the change.

use cpg_infra_abstraction::render;
use cpg_infra_config::CloudName;
use cpg_infra_driver::inputs::{self, ConfigLocation, ConfigSource};
use cpg_infra_driver::pipeline;
use cpg_infra_testcloud as _;

use super::support::{example_config_with_testcloud, repo};

/// Plans every example dataset on `clouds` and snapshots the text plan and the programs.
fn snapshot_selection(label: &str, clouds: &[&str]) {
    let clouds: Vec<CloudName> = clouds
        .iter()
        .map(|c| CloudName::parse(c).expect("cloud name"))
        .collect();
    let mut path = repo().join("stack/cpg.toml");
    let scratch_dir = tempfile::tempdir().expect("scratch dir");
    let scratch = scratch_dir.path().to_path_buf();
    if label == "testcloud" {
        path = scratch.join("cpg.toml");
        std::fs::write(&path, example_config_with_testcloud()).expect("write cpg.toml");
    }
    let location = ConfigLocation::File {
        path,
        source: ConfigSource::Flag,
        stack_dir: repo().join("stack"),
    };
    let loaded = inputs::load(&location, true).expect("the example organisation loads");
    drop(scratch_dir);
    pipeline::validate_for_clouds(&loaded.infrastructure, &loaded.datasets, &clouds)
        .expect("the example organisation validates");
    let deployments = pipeline::Deployments::of(&loaded.datasets);
    let plans: Vec<_> = loaded
        .datasets
        .iter()
        .map(|dataset| {
            pipeline::plan(&loaded.infrastructure, dataset, &clouds, &deployments)
                .unwrap_or_else(|e| panic!("plan of {}: {e}", dataset.dataset))
        })
        .collect();
    assert!(!plans.is_empty(), "the example organisation has datasets");

    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!(format!("{label}-plan"), render::text::text(&plans));
        for plan in &plans {
            let bytes = pipeline::render_program(plan);
            let program: serde_json::Value =
                serde_json::from_slice(&bytes).expect("the program is JSON");
            let pretty = serde_json::to_string_pretty(&program).expect("pretty JSON");
            insta::assert_snapshot!(format!("{label}-{}-program", plan.dataset), pretty);
        }
    });
}

#[test]
fn example_organisation_on_gcp() {
    snapshot_selection("gcp", &["gcp"]);
}

#[test]
fn example_organisation_on_azure() {
    snapshot_selection("azure", &["azure"]);
}

#[test]
fn example_organisation_on_both_clouds() {
    snapshot_selection("both", &["gcp", "azure"]);
}

#[test]
fn example_organisation_on_the_test_cloud() {
    snapshot_selection("testcloud", &["testcloud"]);
}
