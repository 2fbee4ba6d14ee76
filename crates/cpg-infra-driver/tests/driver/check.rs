//! `check`: the built-in policies. Golden output on the example organisation in both
//! formats; each policy made to fire (through the configuration where one can make
//! it fire, else on a plan changed in memory); suppressions (with a reason they
//! silence a finding, without one they are an error, a stale one is reported); the
//! allow-list; `validate` running the checks; the reference stacks' hand-checked
//! finding counts.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Plan, Value};
use cpg_infra_config::{CloudName, InfrastructureConfig, PolicyId};
use cpg_infra_driver::review::check::{Finding, findings};

use super::support::{Scratch, example_plan, repo, run, shared, stack};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `check --format json` in `dir` with `args` before the command: exit code and report.
fn check_json(dir: &std::path::Path, args: &[&str]) -> (i32, serde_json::Value) {
    let args = [args, &["check", "--format", "json"]].concat();
    let out = run(dir, &args, &[]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stderr)));
    (out.status.code().expect("exit code"), report)
}

/// `(policy, dataset, resource, suppressed)` of every finding of a JSON report.
fn rows(report: &serde_json::Value) -> Vec<(String, String, String, bool)> {
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
fn of(config: &InfrastructureConfig, plan: &Plan, policy: PolicyId) -> Vec<Finding> {
    findings(plan, config)
        .into_iter()
        .filter(|f| f.policy == policy)
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
    assert!(of(&config, &plan, PolicyId::PublicAccess).is_empty());
    set(
        &mut plan,
        "access-group-main-analysis-bucket-viewer",
        "member",
        Value::str("allUsers"),
    );
    let found = of(&config, &plan, PolicyId::PublicAccess);
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
    assert!(of(&config, &plan, PolicyId::PublicAccess).is_empty());
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
    let found = of(&config, &plan, PolicyId::PublicAccess);
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
    assert!(of(&config, &plan, PolicyId::UniformAccess).is_empty());
    set(
        &mut plan,
        "egi-alpha-study-main-web",
        "uniformBucketLevelAccess",
        Value::Bool(false),
    );
    let found = of(&config, &plan, PolicyId::UniformAccess);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].resource, "egi-alpha-study-main-web");
    // Azure: a hierarchical namespace brings per-blob ACLs to every container.
    let (config, mut plan) = example_plan("alpha-study", &azure());
    assert!(of(&config, &plan, PolicyId::UniformAccess).is_empty());
    set(
        &mut plan,
        "azure-storage-account",
        "isHnsEnabled",
        Value::Bool(true),
    );
    let found = of(&config, &plan, PolicyId::UniformAccess);
    assert_eq!(found.len(), 13, "every container: {found:#?}");
}

#[test]
fn data_buckets_must_keep_versions_or_deleted_objects() {
    let (config, mut plan) = example_plan("alpha-study", &gcp());
    assert!(of(&config, &plan, PolicyId::DataBucketProtected).is_empty());
    // main-analysis does not hold data (the bucket table says so): never a finding.
    for bucket in ["egi-alpha-study-main", "egi-alpha-study-main-analysis"] {
        set(
            &mut plan,
            bucket,
            "versioning",
            Value::object([("enabled", Value::Bool(false))]),
        );
    }
    let found = of(&config, &plan, PolicyId::DataBucketProtected);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].resource, "egi-alpha-study-main");
    assert!(found[0].message.contains("neither earlier versions"));
    // Azure: versioning and soft delete are the account's blob settings, which every
    // container of the account takes.
    let (config, mut plan) = example_plan("alpha-study", &azure());
    assert!(of(&config, &plan, PolicyId::DataBucketProtected).is_empty());
    set(
        &mut plan,
        "azure-blob-service",
        "isVersioningEnabled",
        Value::Bool(false),
    );
    assert!(
        of(&config, &plan, PolicyId::DataBucketProtected).is_empty(),
        "soft delete still keeps deleted blobs"
    );
    set(
        &mut plan,
        "azure-blob-service",
        "deleteRetentionPolicy",
        Value::object([("enabled", Value::Bool(false))]),
    );
    let found: Vec<String> = of(&config, &plan, PolicyId::DataBucketProtected)
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
    assert!(of(&config, &plan, PolicyId::LiteralSecret).is_empty());
    set(
        &mut plan,
        "cromwell-service-account-full-secret-version",
        "secretData",
        Value::Secret(Box::new(Value::str("hunter2"))),
    );
    let found = of(&config, &plan, PolicyId::LiteralSecret);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("`secretData`"));
    assert!(!format!("{found:?}").contains("hunter2"));
    // Azure's placeholder secrets (an empty value another process writes) hold nothing.
    let (config, mut plan) = example_plan("alpha-study", &azure());
    assert!(of(&config, &plan, PolicyId::LiteralSecret).is_empty());
    set(
        &mut plan,
        "azure-secret-alpha-study-cromwell-full-key",
        "properties",
        Value::object([("value", Value::str("hunter2"))]),
    );
    let found = of(&config, &plan, PolicyId::LiteralSecret);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("`properties.value`"));
}

#[test]
fn keys_are_needed_only_where_another_cloud_or_a_named_reader_reads_them() {
    // On both clouds each key is read by the other cloud: no finding.
    let both = [CloudName::gcp(), CloudName::azure()];
    let (config, plan) = example_plan("gamma-bridge", &both);
    assert!(of(&config, &plan, PolicyId::UnneededKey).is_empty());
    // On one cloud, each Cromwell credential is read only at home, by the secret that
    // the design grants to the analysis-runner server and the Hail account: needed.
    for clouds in [gcp(), azure()] {
        let (config, plan) = example_plan("gamma-bridge", &clouds);
        assert!(of(&config, &plan, PolicyId::UnneededKey).is_empty());
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
    let found = of(&config, &plan, PolicyId::UnneededKey);
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
    let found: Vec<String> = of(&config, &plan, PolicyId::UnneededKey)
        .into_iter()
        .map(|f| f.resource)
        .collect();
    assert_eq!(found, ["cromwell-service-account-full-key", "extra-key"]);
}

/// A person outside the domain, a user of the registry in a dataset group (sample-metadata
/// keys hold machine accounts only).
const VISITOR: &str = "  datasets:members: '{\"sample-metadata-main-read\": [\"visitor\"]}'\n";
const VISITOR_USER: &str =
    "\n[infrastructure.users.visitor.clouds.gcp]\nid = \"visitor@partner-uni.edu\"\n";
const VISITOR_MEMBERSHIP: &str = "members/sample-metadata-main-read/visitor";

/// `cpg.toml` of an organisation whose Google groups accept external members (the
/// visitor joins a sample-metadata group).
fn groups_allow_external(text: String) -> String {
    text.replacen(
        "[infrastructure.gcp]\n",
        "[infrastructure.gcp]\ngroups_allow_external_members = true\n",
        1,
    )
}

#[test]
fn external_group_members_are_errors_unless_the_organisations_groups_accept_them() {
    let scratch = Scratch::new("check-external-group")
        .file("Pulumi.delta.yaml", stack("delta", VISITOR))
        .append("cpg.toml", VISITOR_USER);
    let out = run(scratch.path(), &["validate"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{VISITOR_MEMBERSHIP}: `visitor@partner-uni.edu` is outside example-institute.org and the organisation's groups do not accept external members")),
        "{stderr}"
    );
    assert!(
        stderr.contains("groups_allow_external_members = true"),
        "{stderr}"
    );
    let allowed = scratch.edit("cpg.toml", groups_allow_external);
    let out = run(allowed.path(), &["validate"], &[]);
    assert!(
        !text(&out.stderr).contains("do not accept external members"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn members_outside_the_domain_need_the_allow_list() {
    let scratch = Scratch::new("check-external")
        .file("Pulumi.delta.yaml", stack("delta", VISITOR))
        .edit("cpg.toml", groups_allow_external)
        .append("cpg.toml", VISITOR_USER);
    let (code, report) = check_json(scratch.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let external: Vec<_> = rows(&report)
        .into_iter()
        .filter(|(policy, ..)| policy == "external-member")
        .collect();
    assert_eq!(
        external,
        [(
            "external-member".to_owned(),
            "delta".to_owned(),
            VISITOR_MEMBERSHIP.to_owned(),
            false
        )]
    );
    let message = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["policy"] == "external-member")
        .expect("finding")["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(
        message.contains("the user `visitor@partner-uni.edu`, outside example-institute.org"),
        "{message}"
    );
    let out = run(scratch.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains(&format!(
            "error [external-member] delta (gcp) {VISITOR_MEMBERSHIP}: "
        )),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).contains("error: policy errors: fix each"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("check-external-member-text", text(&out.stdout)));
    // A domain on the allow-list lets its members in.
    for allowed in ["\"@partner-uni.edu\"", "\"Visitor@partner-uni.edu\""] {
        let scratch = Scratch::new("check-external-allowed")
            .file("Pulumi.delta.yaml", stack("delta", VISITOR))
            .edit("cpg.toml", groups_allow_external)
            .append("cpg.toml", VISITOR_USER)
            .append(
                "cpg.toml",
                &format!("\n[infrastructure.check]\nallowed_external_members = [{allowed}]\n"),
            );
        let (code, report) = check_json(scratch.path(), &[]);
        assert_eq!(code, 0, "{allowed}: {report:#}");
        assert!(rows(&report).iter().all(|(p, ..)| p != "external-member"));
    }
}

#[test]
fn a_suppression_with_a_reason_silences_a_finding_and_stays_listed() {
    let reason = "the partner university's auditor, approved in ticket 42";
    let scratch = Scratch::new("check-suppressed")
        .file("Pulumi.delta.yaml", stack("delta", VISITOR))
        .edit("cpg.toml", groups_allow_external)
        .append("cpg.toml", VISITOR_USER)
        .append("cpg.toml", &format!(
            "\n[[infrastructure.check.suppress]]\npolicy = \"external-member\"\ndataset = \"delta\"\nresource = \"{VISITOR_MEMBERSHIP}\"\nreason = \"{reason}\"\n"
        ));
    let (code, report) = check_json(scratch.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["policy"] == "external-member")
        .expect("still listed");
    assert_eq!(finding["suppressed"], reason);
    assert_eq!(finding["severity"], "error");
    let out = run(scratch.path(), &["check"], &[]);
    assert!(
        text(&out.stdout).contains(&format!(
            "suppressed error [external-member] delta (gcp) {VISITOR_MEMBERSHIP}: "
        )),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains(&format!("(reason: {reason})")));
    // validate says nothing of suppressed findings.
    let out = run(scratch.path(), &["validate"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn a_suppression_without_a_reason_or_with_an_unknown_policy_is_an_error() {
    // The entry is appended after a blank line: its table header is two lines past the
    // example's last line.
    let header = std::fs::read_to_string(super::support::repo().join("stack/cpg.toml"))
        .expect("cpg.toml")
        .lines()
        .count()
        + 2;
    for (entry, expected) in [
        (
            "policy = \"external-member\"\n",
            format!("cpg.toml:{header}:1: missing key `reason`: add it to this table"),
        ),
        (
            "policy = \"external-member\"\nreason = \" \"\n",
            format!(
                "cpg.toml:{}:10: infrastructure.check.suppress.reason: must not be empty: say why the finding is accepted",
                header + 2
            ),
        ),
        (
            "policy = \"public-acess\"\nreason = \"typo\"\n",
            format!(
                "cpg.toml:{}:10: infrastructure.check.suppress.policy: unknown variant `public-acess`, expected one of `public-access`, ",
                header + 1
            ),
        ),
    ] {
        let scratch = Scratch::new("check-bad-suppression").append(
            "cpg.toml",
            &format!("\n[[infrastructure.check.suppress]]\n{entry}"),
        );
        for command in ["check", "validate"] {
            let out = run(scratch.path(), &[command], &[]);
            assert_eq!(out.status.code(), Some(1), "{entry}");
            let stderr = text(&out.stderr);
            assert!(
                stderr.starts_with("error: ") && stderr.contains(&expected),
                "{entry}: {stderr}"
            );
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn a_stale_suppression_is_reported() {
    let scratch = Scratch::new("check-stale").append(
        "cpg.toml",
        "\n[[infrastructure.check.suppress]]\npolicy = \"public-access\"\ndataset = \"reference\"\nreason = \"nothing is public\"\n",
    );
    let (code, report) = check_json(scratch.path(), &[]);
    assert_eq!(code, 0, "a stale suppression is a warning");
    assert_eq!(
        report["stale_suppressions"],
        serde_json::json!([{
            "number": 1,
            "policy": "public-access",
            "dataset": "reference",
            "resource": null,
            "reason": "nothing is public",
        }])
    );
    let out = run(scratch.path(), &["validate"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "warning: [public-access] suppression 1 of [[infrastructure.check.suppress]] (dataset reference) matches no finding: remove it, or correct its dataset or resource\n"
    );
    // With --cloud the run cannot judge it: another cloud's plan is not the deployed one.
    let (_, report) = check_json(scratch.path(), &["--cloud", "azure"]);
    assert_eq!(report["stale_suppressions"], serde_json::json!([]));
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
