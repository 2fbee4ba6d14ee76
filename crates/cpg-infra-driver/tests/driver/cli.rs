//! The command line's happy paths: `clouds`, `validate`, `schema`, the example config,
//! program folders, a broken dataset beside a good one, the longest names. Bad input is
//! `bad_input.rs`.

use super::support::{Scratch, repo, run, stack};

#[test]
fn the_example_configuration_validates_and_plans() {
    let output = run(&repo(), &["validate"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run(&repo(), &[], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("dataset alpha-study (gcp in australia-southeast1)"),
        "{text}"
    );
    // Summary first: one line per dataset, then the totals (and what a cloud lacks).
    assert!(
        text.lines()
            .nth(4)
            .is_some_and(|l| l.starts_with("4 datasets, ") && l.contains(" resources, ")),
        "{text}"
    );
}

#[test]
fn clouds_lists_every_registered_plugin_sorted() {
    let output = run(&repo(), &["clouds"], &[]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert!(names.contains(&"gcp"), "{text}");
}

/// What the e2e harness installs and behaves by: every registered cloud of the binary
/// (the test cloud is not linked into it) with its pinned provider packages and each
/// package's provider facts, parsed.
#[test]
fn clouds_as_json_name_the_pinned_packages_and_their_facts() {
    let output = run(&repo(), &["clouds", "--format", "json"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let clouds = listed["clouds"].as_array().expect("clouds");
    let names: Vec<&str> = clouds.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["azure", "gcp"], "{listed}");
    let packages = |cloud: &serde_json::Value| -> Vec<(String, String)> {
        cloud["providers"]
            .as_array()
            .expect("providers")
            .iter()
            .map(|p| {
                let field = |k: &str| p[k].as_str().expect("string").to_string();
                (field("name"), field("version"))
            })
            .collect()
    };
    let pin = |name: &str, version: &str| (name.to_string(), version.to_string());
    assert_eq!(
        packages(&clouds[0]),
        [pin("azure-native", "3.29.0"), pin("azuread", "6.11.1")]
    );
    assert_eq!(packages(&clouds[1]), [pin("gcp", "10.2.0")]);
    for cloud in clouds {
        assert!(
            cloud["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{cloud}"
        );
        let mut pinned = packages(cloud);
        pinned.sort();
        let facts = cloud["provider_facts"].as_array().expect("provider_facts");
        // Every package has its facts, each file naming the package and its pinned version.
        let mut named: Vec<(String, String)> = facts
            .iter()
            .map(|f| {
                assert!(
                    f["resources"].as_object().is_some_and(|r| !r.is_empty()),
                    "{f}"
                );
                let field = |k: &str| f[k].as_str().expect("string").to_string();
                (field("package"), field("pinned"))
            })
            .collect();
        named.sort();
        assert_eq!(named, pinned, "{}", cloud["name"]);
    }
    // The same bytes on every run.
    let again = run(&repo(), &["clouds", "--format", "json"], &[]);
    assert_eq!(output.stdout, again.stdout);
}

#[test]
fn schema_prints_json_schemas() {
    for kind in ["cpg-toml", "dataset"] {
        let output = run(&repo(), &["schema", kind], &[]);
        assert!(output.status.success());
        let schema: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("json schema");
        assert!(
            schema.get("properties").is_some() || schema.get("$defs").is_some(),
            "{kind}: {schema}"
        );
    }
}

#[test]
fn compiler_mode_without_a_stack_names_every_provider() {
    let output = run(&repo().join("stack"), &["program"], &[]);
    assert!(output.status.success());
    let program: serde_json::Value = serde_json::from_slice(&output.stdout).expect("program");
    let resources = program["resources"].as_object().expect("resources");
    let types: Vec<&str> = resources
        .values()
        .filter_map(|r| r["type"].as_str())
        .collect();
    assert!(types.contains(&"pulumi:providers:gcp"), "{types:?}");
    assert!(
        resources
            .values()
            .all(|r| r["options"]["version"].is_string())
    );
}

#[test]
fn program_out_dir_writes_every_program_or_nothing() {
    let scratch = tempfile::tempdir().expect("scratch dir");
    let out = scratch.path().join("programs");
    let out_arg = out.to_str().expect("path").to_owned();
    let output = run(&repo(), &["program", "--out-dir", &out_arg], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .expect("out dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "alpha-study.json",
            "beta-cohort.json",
            "gamma-bridge.json",
            "reference.json"
        ]
    );
    for name in ["alpha-study", "gamma-bridge"] {
        let single = run(&repo(), &["--dataset", name, "program"], &[]);
        let file = std::fs::read(out.join(format!("{name}.json"))).expect("program file");
        assert_eq!(
            single.stdout, file,
            "{name}: bulk and single programs differ"
        );
    }
    let _ = std::fs::remove_dir_all(&out);

    // A dataset that fails to plan: exit 1 and no program left behind.
    let scratch = Scratch::new("out-dir-error").file(
        "Pulumi.alpha.yaml",
        stack(
            "alpha",
            "  datasets:adopt: '{\"cpg-alpha-mian\": \"alpha-5530/x\"}'\n",
        ),
    );
    let out = scratch.path().join("programs");
    let config = scratch.path().join("cpg.toml");
    let output = run(
        scratch.path(),
        &[
            "--config",
            config.to_str().expect("path"),
            "program",
            "--out-dir",
            out.to_str().expect("path"),
        ],
        &[],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("cpg-alpha-mian"));
    let left = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "programs were left behind after an error");
}

#[test]
fn a_broken_dataset_does_not_block_a_run_for_another() {
    let scratch = Scratch::new("broken-other")
        .file("Pulumi.alpha.yaml", stack("alpha", ""))
        .file("Pulumi.beta.yaml", "config: [\n")
        .file(
            "Pulumi.gamma.yaml",
            stack("gamma", "  datasets:archive_age: \"0\"\n"),
        );
    let config = scratch.path().join("cpg.toml");
    let config = config.to_str().expect("path");
    let output = run(
        scratch.path(),
        &["--config", config, "--dataset", "alpha", "plan"],
        &[],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("dataset alpha (gcp in "),
        "{stderr}"
    );
    for other in ["Pulumi.beta.yaml", "Pulumi.gamma.yaml"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(other) && l.contains("not selected with --dataset")),
            "{other} not mentioned:\n{stderr}"
        );
    }
    // A run over every dataset reports both at once.
    let output = run(scratch.path(), &["--config", config, "validate"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Pulumi.beta.yaml") && stderr.contains("Pulumi.gamma.yaml"),
        "{stderr}"
    );
}

#[test]
fn the_longest_dataset_name_fills_the_longest_derived_gcp_name() {
    let name = "abcdefghij-klmnopqrst";
    assert_eq!(name.len(), cpg_infra_config::DatasetName::MAX_LEN);
    let scratch =
        Scratch::new("longest-name").file(&format!("Pulumi.{name}.yaml"), stack(name, ""));
    let program = scratch.json(&["--dataset", name, "program"]);
    let longest = program["resources"]
        .as_object()
        .expect("resources")
        .values()
        .filter(|r| r["type"] == "gcp:serviceaccount/account:Account")
        .filter_map(|r| r["properties"]["accountId"].as_str())
        .map(str::len)
        .max();
    // GCP's service-account id limit, reached exactly by `notebook-<dataset>`.
    assert_eq!(longest, Some(30));
}

#[test]
fn the_blueprints_bucket_listing_is_what_it_creates() {
    let scratch = Scratch::new("bucket-list").file(
        "Pulumi.alpha.yaml",
        stack("alpha", "  datasets:enable_release: \"true\"\n  datasets:additional_upload_buckets: '[\"alpha-partner\"]'\n"),
    );
    let program = scratch.json(&["--dataset", "alpha", "program"]);
    let mut created: Vec<String> = program["resources"]
        .as_object()
        .expect("resources")
        .values()
        .filter(|r| r["type"] == "gcp:storage/bucket:Bucket")
        .filter_map(|r| r["properties"]["name"].as_str().map(str::to_owned))
        .collect();
    created.sort();
    // What validation checks names against: the blueprint's own listing.
    let stack = std::fs::read_to_string(scratch.path().join("Pulumi.alpha.yaml")).expect("stack");
    let dataset = cpg_infra_config::parse_stack_file(&stack, "Pulumi.alpha.yaml", "alpha")
        .expect("stack file");
    let mut expected: Vec<String> =
        cpg_infra_blueprint::dataset_buckets(&dataset, &cpg_infra_config::CloudName::gcp())
            .into_iter()
            .map(|bucket| match bucket {
                cpg_infra_abstraction::BucketName::Dataset(suffix) => format!("egi-alpha-{suffix}"),
                cpg_infra_abstraction::BucketName::Unique(name) => name,
            })
            .collect();
    expected.sort();
    assert_eq!(created, expected);
}
