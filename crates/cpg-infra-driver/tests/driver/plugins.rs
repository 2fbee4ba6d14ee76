//! The plugin story: a third cloud crate (`cpg-infra-testcloud`, a test-only
//! workspace crate) linked into this test binary registers itself, and the
//! driver library lists it and plans with it with no change to driver code.
//! The crate must be referenced, or the linker drops its registration.

use cpg_infra_abstraction::{SKIPPED_MEMBERSHIPS_SUBJECT, registered_clouds, render};
use cpg_infra_config::CloudName;
use cpg_infra_driver::pipeline;
use cpg_infra_driver::review::check::Severity;

use super::support::{
    TESTCLOUD_SECTION, example_config, example_config_with_testcloud, example_dataset, organisation,
};

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

    let config_text = example_config_with_testcloud();
    let config = organisation(&config_text);
    let dataset = example_dataset("alpha-study");
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
    let config_text = example_config_with_testcloud();
    let mut config = organisation(&config_text);
    config.disable_group_memberships = true;
    let dataset = example_dataset("alpha-study");
    let mut messages = Vec::new();
    for cloud in ["gcp", "testcloud"] {
        let cloud = CloudName::parse(cloud).expect("name");
        let plan = plan_on(&config, &dataset, &cloud);
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

/// The example organisation with `section` in place of the test cloud's own
/// section, validated for alpha-study on the test cloud.
fn validate_testcloud_with(section: &str) -> Result<(), String> {
    let config = organisation(&format!("{}{section}", example_config()));
    let dataset = example_dataset("alpha-study");
    let testcloud = CloudName::parse("testcloud").expect("name");
    pipeline::validate_for_clouds(&config, &[dataset], &[testcloud]).map_err(|e| e.to_string())
}

#[test]
fn the_test_cloud_reads_its_own_section_like_any_third_party_cloud() {
    assert_eq!(validate_testcloud_with(TESTCLOUD_SECTION), Ok(()));
    let missing = validate_testcloud_with("").expect_err("no section");
    assert!(
        missing.contains(
            "dataset alpha-study: deploying to testcloud needs the section [infrastructure.testcloud] in cpg.toml"
        ),
        "{missing}"
    );
    let unknown = validate_testcloud_with(&format!("{TESTCLOUD_SECTION}region = \"r1\"\n"))
        .expect_err("unknown key");
    assert!(
        unknown.contains("cpg.toml:113:1: infrastructure.testcloud.region: unknown key `region`")
            && unknown.matches("unknown key").count() == 1,
        "{unknown}"
    );
    let unregistered = validate_testcloud_with(&format!(
        "{TESTCLOUD_SECTION}\n[infrastructure.testclod]\nname_prefix = \"x\"\n"
    ))
    .expect_err("a section of no registered cloud");
    assert!(
        unregistered.contains(
            "infrastructure.testclod: unknown key: neither a setting of [infrastructure] nor the table of a registered cloud ("
        ),
        "{unregistered}"
    );
    assert!(
        unregistered.ends_with("did you mean `testcloud`?"),
        "{unregistered}"
    );

    // The setting is used: every logical name starts with the configured prefix.
    let config = organisation(
        &example_config_with_testcloud().replace("name_prefix = \"tc-\"", "name_prefix = \"t2-\""),
    );
    let dataset = example_dataset("alpha-study");
    let testcloud = CloudName::parse("testcloud").expect("name");
    let plan = plan_on(&config, &dataset, &testcloud);
    assert!(
        plan.resources.iter().all(|r| r.name.starts_with("t2-")),
        "every name has the configured prefix"
    );
}

#[test]
fn a_missing_organisation_resource_names_the_key_of_that_cloud() {
    let mut config = organisation(&example_config());
    config.hail.clear();
    let dataset = example_dataset("alpha-study");
    for (cloud, key) in [
        ("gcp", "[infrastructure.hail.gcp] wheel_bucket_name"),
        ("azure", "[infrastructure.hail.azure] wheel_bucket"),
    ] {
        let cloud = CloudName::parse(cloud).expect("name");
        let plan = plan_on(&config, &dataset, &cloud);
        let expected = format!("not created: needs {key} in cpg.toml");
        assert!(
            plan.diagnostics
                .iter()
                .any(|d| d.subject == "hail-wheels-viewer" && d.message == expected),
            "{cloud}: {expected}"
        );
    }
}

/// The plan of `dataset` on `cloud` alone, which must plan.
fn plan_on(
    config: &cpg_infra_config::InfrastructureConfig,
    dataset: &cpg_infra_config::DatasetConfig,
    cloud: &CloudName,
) -> cpg_infra_abstraction::Plan {
    pipeline::plan(
        config,
        dataset,
        std::slice::from_ref(cloud),
        &pipeline::Deployments::default(),
    )
    .expect("plan")
}

/// The gates every registered cloud is held to, the test clouds included (a new cloud
/// meets them by being registered, with no test of its own): the example organisation's
/// datasets validate and plan on it alone, every grant it emits has permission facts, and
/// the access invariants of `check` hold (the test clouds do not protect or version their
/// buckets, so the storage policies are the real clouds' tests) (the provider facts of what it emits are
/// `provider_facts::every_emitted_resource_type_has_provider_facts_with_a_source`).
#[test]
fn every_registered_cloud_plans_the_example_and_passes_the_checks() {
    let config = organisation(&example_config_with_testcloud());
    let datasets: Vec<_> = ["alpha-study", "beta-cohort", "gamma-bridge", "reference"]
        .into_iter()
        .map(example_dataset)
        .collect();
    let clouds = registered_clouds();
    assert!(clouds.len() >= 4, "gcp, azure and the two test clouds");
    for cloud in clouds {
        let name = CloudName::parse(cloud.name).expect("cloud name");
        pipeline::validate_for_clouds(&config, &datasets, std::slice::from_ref(&name))
            .unwrap_or_else(|e| panic!("{}: {e}", cloud.name));
        for dataset in &datasets {
            let plan = plan_on(&config, dataset, &name);
            // `plan_on` fails on an error diagnostic (a verb asked for what the cloud lacks).
            let what = format!("{} on {}", dataset.dataset, cloud.name);
            for resource in &plan.resources {
                let review = (cloud.review)(resource);
                for grant in &review.grants {
                    assert!(
                        grant.capabilities.is_some(),
                        "{what}: {} has no facts",
                        grant.role
                    );
                }
            }
            let errors: Vec<String> = cpg_infra_driver::review::check::findings(&plan, &config)
                .into_iter()
                .filter(|f| f.policy.access_invariant && f.severity() == Severity::Error)
                .map(|f| format!("{}: {}", f.policy, f.message))
                .collect();
            assert!(errors.is_empty(), "{what}: {errors:#?}");
        }
    }
}

/// The config crate finds the organisation's accounts in the shared services' tables by
/// their keys' names: every account (an e-mail or a principal's GUID) of every registered
/// cloud's service types is named so.
#[test]
fn every_registered_clouds_service_accounts_follow_the_naming_convention() {
    let mut generator = schemars::SchemaGenerator::default();
    for cloud in registered_clouds() {
        for declared in cloud.services {
            (declared.settings.schema)(&mut generator);
        }
    }
    let mut accounts = Vec::new();
    for definition in generator.definitions().values() {
        let Some(properties) = definition["properties"].as_object() else {
            continue;
        };
        for (key, property) in properties {
            let reference = property["$ref"].as_str().unwrap_or_default();
            if reference.ends_with("/Email") || reference.ends_with("/Guid") {
                assert!(cpg_infra_config::names_an_account(key), "{key}");
                accounts.push(key.clone());
            }
        }
    }
    assert!(accounts.len() >= 12, "{accounts:?}");
}
