//! `check`: the built-in policies. Golden output on the example organisation in both
//! formats; each policy made to fire (through the configuration where one can make
//! it fire, else on a plan changed in memory); `validate` running the checks; the
//! reference stacks' hand-checked finding counts. Members from outside and the allow-list
//! are `check_allowed_members.rs`, suppressions `check_suppressions.rs`.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Plan, Value};
use cpg_infra_blueprint::dataset_buckets;
use cpg_infra_config::{CloudName, InfrastructureConfig};
use cpg_infra_driver::review::check::{Finding, findings};

use super::support::{Scratch, example_dataset, example_plan, repo, run, shared};

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `check --format json` in `dir` with `args` before the command: exit code and report.
pub fn check_json(dir: &std::path::Path, args: &[&str]) -> (i32, serde_json::Value) {
    let args = [args, &["check", "--format", "json"]].concat();
    let out = run(dir, &args, &[]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stderr)));
    (out.status.code().expect("exit code"), report)
}

/// `(policy, dataset, resource, suppressed)` of every finding of a JSON report.
pub fn rows(report: &serde_json::Value) -> Vec<(String, String, String, bool)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["policy"].as_str().expect("policy").to_owned(),
                f["dataset"].as_str().expect("dataset").to_owned(),
                f["resource"].as_str().expect("resource").to_owned(),
                !f["suppressed"].is_null(),
            )
        })
        .collect()
}

/// The findings of `policy` on a plan.
fn of(config: &InfrastructureConfig, plan: &Plan, policy: &str) -> Vec<Finding> {
    findings(plan, config)
        .into_iter()
        .filter(|f| f.policy.id == policy)
        .collect()
}

fn set(plan: &mut Plan, resource: &str, property: &'static str, value: Value) {
    plan.get_mut(resource)
        .unwrap_or_else(|| panic!("no {resource}"))
        .properties
        .insert(property, value);
}

fn gcp() -> Vec<CloudName> {
    vec![CloudName::gcp()]
}

fn azure() -> Vec<CloudName> {
    vec![CloudName::azure()]
}

#[test]
fn golden_output_on_the_example_in_both_formats() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for format in ["text", "json"] {
        let out = run(&repo(), &["--example", "check", "--format", format], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        settings
            .bind(|| insta::assert_snapshot!(format!("check-example-{format}"), text(&out.stdout)));
    }
    // The example keeps every policy: no finding, nothing suppressed.
    let (code, report) = check_json(&repo(), &["--example"]);
    assert_eq!(code, 0);
    assert_eq!(rows(&report), [], "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 0);
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn public_access_fires_on_a_public_member_public_containers_and_shared_keys() {
    let (config, mut plan) = example_plan("alpha-study", &gcp());
    assert!(of(&config, &plan, "public-access").is_empty());
    set(
        &mut plan,
        "access-group-main-analysis-bucket-viewer",
        "member",
        Value::str("allUsers"),
    );
    let found = of(&config, &plan, "public-access");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].resource,
        "access-group-main-analysis-bucket-viewer"
    );
    assert!(
        found[0].message.contains("`allUsers`"),
        "{}",
        found[0].message
    );

    let (config, mut plan) = example_plan("alpha-study", &azure());
    assert!(of(&config, &plan, "public-access").is_empty());
    set(
        &mut plan,
        "azure-container-main-web",
        "publicAccess",
        Value::str("Blob"),
    );
    // Without the property, Azure accepts shared-key requests.
    plan.get_mut("azure-storage-account")
        .expect("account")
        .properties
        .remove("allowSharedKeyAccess");
    let found = of(&config, &plan, "public-access");
    let on: Vec<(&str, bool)> = found
        .iter()
        .map(|f| {
            (
                f.resource.as_str(),
                f.message.contains("shared account keys"),
            )
        })
        .collect();
    assert_eq!(
        on,
        [
            ("azure-container-main-web", false),
            ("azure-storage-account", true)
        ]
    );
    assert_eq!(found[1].name.as_deref(), Some("egialphastudy"));
}

#[test]
fn uniform_access_fires_on_a_bucket_with_object_acls() {
    let (config, mut plan) = example_plan("alpha-study", &gcp());
    assert!(of(&config, &plan, "uniform-access").is_empty());
    set(
        &mut plan,
        "egi-alpha-study-main-web",
        "uniformBucketLevelAccess",
        Value::Bool(false),
    );
    let found = of(&config, &plan, "uniform-access");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].resource, "egi-alpha-study-main-web");
    // Azure: a hierarchical namespace brings per-blob ACLs to every container.
    let (config, mut plan) = example_plan("alpha-study", &azure());
    assert!(of(&config, &plan, "uniform-access").is_empty());
    set(
        &mut plan,
        "azure-storage-account",
        "isHnsEnabled",
        Value::Bool(true),
    );
    let found = of(&config, &plan, "uniform-access");
    let containers = dataset_buckets(&example_dataset("alpha-study"), &CloudName::azure());
    assert_eq!(found.len(), containers.len(), "every container: {found:#?}");
}

#[test]
fn data_buckets_must_keep_versions_or_deleted_objects() {
    let (config, mut plan) = example_plan("alpha-study", &gcp());
    assert!(of(&config, &plan, "data-bucket-protected").is_empty());
    // main-analysis does not hold data (the bucket table says so): never a finding.
    for bucket in ["egi-alpha-study-main", "egi-alpha-study-main-analysis"] {
        set(
            &mut plan,
            bucket,
            "versioning",
            Value::object([("enabled", Value::Bool(false))]),
        );
    }
    let found = of(&config, &plan, "data-bucket-protected");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].resource, "egi-alpha-study-main");
    assert!(found[0].message.contains("neither earlier versions"));
    // Azure: versioning and soft delete are the account's blob settings, which every
    // container of the account takes.
    let (config, mut plan) = example_plan("alpha-study", &azure());
    assert!(of(&config, &plan, "data-bucket-protected").is_empty());
    set(
        &mut plan,
        "azure-blob-service",
        "isVersioningEnabled",
        Value::Bool(false),
    );
    assert!(
        of(&config, &plan, "data-bucket-protected").is_empty(),
        "soft delete still keeps deleted blobs"
    );
    set(
        &mut plan,
        "azure-blob-service",
        "deleteRetentionPolicy",
        Value::object([("enabled", Value::Bool(false))]),
    );
    let found: Vec<String> = of(&config, &plan, "data-bucket-protected")
        .into_iter()
        .map(|f| f.resource)
        .collect();
    assert_eq!(
        found,
        [
            "azure-container-archive",
            "azure-container-main",
            "azure-container-main-upload",
            "azure-container-release"
        ]
    );
}

#[test]
fn unprotected_data_buckets_fail_check_and_validate() {
    let config = std::fs::read_to_string(repo().join("stack/cpg.toml")).expect("cpg.toml");
    let config = config.replace(
        "reference_dataset = \"reference\"\n",
        "reference_dataset = \"reference\"\nprotect_data_buckets = false\n",
    );
    let scratch = Scratch::new("check-unprotected").file("cpg.toml", config);
    let (code, report) = check_json(scratch.path(), &[]);
    assert_eq!(code, 1);
    let unprotected: Vec<String> = rows(&report)
        .into_iter()
        .filter(|(policy, ..)| policy == "data-bucket-protected")
        .map(|(_, _, resource, _)| resource)
        .collect();
    assert_eq!(
        unprotected,
        [
            "egi-reference-archive",
            "egi-reference-main",
            "egi-reference-main-upload"
        ]
    );
    let out = run(scratch.path(), &["validate"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("error: [data-bucket-protected] reference (gcp) "))
            .count(),
        3,
        "{stderr}"
    );
    assert!(
        stderr.contains("set protect_data_buckets = true"),
        "{stderr}"
    );
    assert!(text(&out.stdout).is_empty());
}

#[test]
fn literal_secrets_fire_and_are_never_shown() {
    let (config, mut plan) = example_plan("alpha-study", &gcp());
    assert!(of(&config, &plan, "literal-secret").is_empty());
    set(
        &mut plan,
        "cromwell-service-account-full-secret-version",
        "secretData",
        Value::Secret(Box::new(Value::str("hunter2"))),
    );
    let found = of(&config, &plan, "literal-secret");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("`secretData`"));
    assert!(!format!("{found:?}").contains("hunter2"));
    // Azure's placeholder secrets (an empty value another process writes) hold nothing.
    let (config, mut plan) = example_plan("alpha-study", &azure());
    assert!(of(&config, &plan, "literal-secret").is_empty());
    set(
        &mut plan,
        "azure-secret-alpha-study-cromwell-full-key",
        "properties",
        Value::object([("value", Value::str("hunter2"))]),
    );
    let found = of(&config, &plan, "literal-secret");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("`properties.value`"));
}

#[test]
fn keys_are_needed_only_where_another_cloud_or_a_named_reader_reads_them() {
    // On both clouds each key is read by the other cloud: no finding.
    let both = [CloudName::gcp(), CloudName::azure()];
    let (config, plan) = example_plan("gamma-bridge", &both);
    assert!(of(&config, &plan, "unneeded-key").is_empty());
    // On one cloud, each Cromwell credential is read only at home, by the secret that
    // the design grants to the analysis-runner server and the Hail account: needed.
    for clouds in [gcp(), azure()] {
        let (config, plan) = example_plan("gamma-bridge", &clouds);
        assert!(of(&config, &plan, "unneeded-key").is_empty());
    }
    // The default design raises no finding anywhere: nothing to suppress.
    for args in [&["--example"][..], &["--example", "--cloud", "azure"]] {
        let (code, report) = check_json(&repo(), args);
        assert_eq!(code, 0);
        assert_eq!(report["summary"]["warnings"], 0, "{args:?}: {report:#}");
        assert_eq!(report["summary"]["suppressed"], 0, "{args:?}: {report:#}");
    }

    // A key the design names no outside reader for, read only at home: found.
    let (config, mut plan) = example_plan("alpha-study", &gcp());
    let key = plan
        .get("cromwell-service-account-full-key")
        .expect("key")
        .clone();
    let mut reader = plan
        .get("cromwell-service-account-full-secret-version")
        .expect("secret version")
        .clone();
    plan.add(cpg_infra_abstraction::Resource {
        name: "extra-key".to_owned(),
        ..key
    });
    reader.name = "extra-key-version".to_owned();
    reader.properties.insert(
        "secretData",
        Value::Output(cpg_infra_abstraction::Output::resource(
            "extra-key",
            "privateKey",
        )),
    );
    plan.add(reader);
    let found = of(&config, &plan, "unneeded-key");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].resource, "extra-key");
    assert!(
        found[0]
            .message
            .contains("read only on gcp (by extra-key-version)"),
        "{}",
        found[0].message
    );
    // A key nothing reads is unneeded whoever the design meant it for.
    set(
        &mut plan,
        "cromwell-service-account-full-secret-version",
        "secretData",
        Value::str("placeholder"),
    );
    let found: Vec<String> = of(&config, &plan, "unneeded-key")
        .into_iter()
        .map(|f| f.resource)
        .collect();
    assert_eq!(found, ["cromwell-service-account-full-key", "extra-key"]);
}

#[test]
fn the_reference_stacks_findings_by_policy() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared is absent; reference check skipped");
        return;
    };
    let config = shared.join("reference/cpg.toml");
    let stacks = shared.join("reference/stacks");
    let mut args = vec![
        "--config".to_owned(),
        config.to_str().expect("utf-8").to_owned(),
        "--stack-dir".to_owned(),
        stacks.to_str().expect("utf-8").to_owned(),
    ];
    let mut datasets = Vec::new();
    for entry in std::fs::read_dir(&stacks).expect("stacks") {
        let name = entry.expect("entry").file_name();
        let name = name.to_str().expect("utf-8");
        if let Some(dataset) = name
            .strip_prefix("Pulumi.")
            .and_then(|n| n.strip_suffix(".yaml"))
        {
            datasets.push(dataset.to_owned());
            args.extend(["--dataset".to_owned(), dataset.to_owned()]);
        }
    }
    assert_eq!(datasets.len(), 10);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report) = check_json(&repo(), &args);
    assert_eq!(code, 0, "{report:#}");
    let mut by_policy: BTreeMap<String, usize> = BTreeMap::new();
    for (policy, ..) in rows(&report) {
        *by_policy.entry(policy).or_default() += 1;
    }
    // Hand-checked against the recorded resources: every bucket has uniform access,
    // data buckets are versioned (and protected by protect_data_buckets), no member is
    // public or outside populationgenomics.org.au (service accounts are not checked),
    // no secret is literal; each dataset's three Cromwell keys are read only by GCP
    // secret versions, which the design grants to the analysis-runner server and the
    // Hail accounts (readers outside the program): needed, so no finding.
    assert_eq!(by_policy, BTreeMap::new(), "{report:#}");
    assert_eq!(report["summary"]["datasets"], 10);
}
