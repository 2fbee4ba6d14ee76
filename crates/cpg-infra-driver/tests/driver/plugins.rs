//! The plugin story: a third cloud crate (`cpg-infra-testcloud`, a test-only
//! workspace crate) linked into this test binary registers itself, and the
//! driver library lists it and plans with it with no change to driver code.
//! The crate must be referenced, or the linker drops its registration.

use cpg_infra_abstraction::{SKIPPED_MEMBERSHIPS_SUBJECT, registered_clouds, render};
use cpg_infra_config::{CloudName, parse_cpg_toml, parse_stack_file};
use cpg_infra_driver::pipeline;
use cpg_infra_testcloud as _;

use super::support::repo;

#[test]
fn a_third_cloud_is_listed_sorted_and_plans_a_dataset() {
    let names: Vec<&str> = registered_clouds().iter().map(|c| c.name).collect();
    assert!(
        names.contains(&"testcloud") && names.contains(&"gcp"),
        "{names:?}"
    );
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(
        names, sorted,
        "the registry is sorted whatever the link order"
    );
    assert!(pipeline::registered_names().contains("testcloud"));

    let config_text = std::fs::read_to_string(repo().join("stack/cpg.toml")).expect("cpg.toml");
    let config = parse_cpg_toml(&config_text, "stack/cpg.toml")
        .expect("example config")
        .infrastructure;
    let stack =
        std::fs::read_to_string(repo().join("stack/Pulumi.alpha-study.yaml")).expect("stack file");
    let dataset =
        parse_stack_file(&stack, "Pulumi.alpha-study.yaml", "alpha-study").expect("stack file");
    let testcloud = CloudName::parse("testcloud").expect("name");
    pipeline::validate_for_clouds(
        &config,
        std::slice::from_ref(&dataset),
        std::slice::from_ref(&testcloud),
    )
    .expect("testcloud validates");

    let plan = pipeline::plan(
        &config,
        &dataset,
        std::slice::from_ref(&testcloud),
        &pipeline::Deployments::default(),
    )
    .expect("plan");
    assert_eq!(plan.clouds, ["testcloud"]);
    assert!(
        plan.resources
            .iter()
            .all(|r| r.type_token.starts_with("testcloud:index:"))
    );
    assert!(
        plan.get("tc-group-alpha-study-access").is_some(),
        "the blueprint created the access group"
    );
    assert!(
        plan.get("tc-bucket-alpha-study-main").is_some(),
        "the blueprint created the main bucket"
    );
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.message.contains("is not available on testcloud")),
        "capabilities the cloud lacks become diagnostics"
    );
    let program = pipeline::program(&plan);
    let rendered = program.to_string();
    assert!(
        rendered.contains("\"version\":\"0.0.1\""),
        "its provider version is pinned"
    );
    assert!(render::text::text(&[plan]).contains("dataset alpha-study (testcloud)"));
}

#[test]
fn cloud_independent_policies_apply_the_same_on_every_cloud() {
    let config_text = std::fs::read_to_string(repo().join("stack/cpg.toml")).expect("cpg.toml");
    let mut config = parse_cpg_toml(&config_text, "stack/cpg.toml")
        .expect("example config")
        .infrastructure;
    config.disable_group_memberships = true;
    let stack =
        std::fs::read_to_string(repo().join("stack/Pulumi.alpha-study.yaml")).expect("stack file");
    let dataset =
        parse_stack_file(&stack, "Pulumi.alpha-study.yaml", "alpha-study").expect("stack file");
    let mut messages = Vec::new();
    for cloud in ["gcp", "testcloud"] {
        let cloud = CloudName::parse(cloud).expect("name");
        let plan = pipeline::plan(
            &config,
            &dataset,
            std::slice::from_ref(&cloud),
            &pipeline::Deployments::default(),
        )
        .expect("plan");
        assert!(
            !plan
                .resources
                .iter()
                .any(|r| r.type_token.contains("embership") || r.type_token.contains("GroupMember")),
            "no group membership is planned on {cloud}"
        );
        let skipped: Vec<&str> = plan
            .diagnostics
            .iter()
            .filter(|d| d.subject == SKIPPED_MEMBERSHIPS_SUBJECT)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(skipped.len(), 1, "one counted diagnostic on {cloud}");
        messages.push(skipped[0].to_owned());
    }
    for message in &messages {
        assert!(
            message.starts_with("disable_group_memberships is set: ")
                && message.contains(" group memberships are not created"),
            "the same words on every cloud: {message}"
        );
    }
}
