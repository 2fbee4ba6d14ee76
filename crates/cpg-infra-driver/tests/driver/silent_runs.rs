//! Runs that would otherwise pass with another plan than the one written, beyond the
//! table of mistakes in `silent.rs`: a stack folder without datasets (and the first dataset
//! of an organisation), `new-dataset` against the whole organisation, compiler mode and
//! `$CPG_CONFIG_PATH` left in the environment, and the provider-schema facts behind "a
//! provider setting the programs never read".

use super::support::{Scratch, run};

#[test]
fn a_stack_folder_without_any_dataset_is_an_error() {
    let scratch = Scratch::example("silent-no-datasets");
    let empty = tempfile::tempdir().expect("empty folder");
    let dir = empty.path().to_str().expect("utf-8");
    for command in [&["validate"][..], &["deploy", "--preview"], &["plan"]] {
        let mut args = vec!["--stack-dir", dir];
        args.extend_from_slice(command);
        let out = scratch.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{command:?}");
        assert!(
            stderr.contains("no dataset found")
                && stderr.contains("reference_dataset `reference` must be configured"),
            "{command:?}: {stderr}"
        );
    }
}

/// The facts behind "a provider setting the programs never read": no GCP resource of the
/// example's programs leaves a `region`, `location` or `zone` input to the provider's
/// default (per the pinned provider schema), and every Azure resource names an explicit
/// provider (which reads no stack config).
#[test]
fn the_programs_never_read_the_provider_settings_said_to_have_no_effect() {
    let Some(shared) = super::support::shared() else {
        eprintln!("note: ../shared is absent; provider-schema check skipped");
        return;
    };
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(shared.join("provider-schemas/gcp.json")).expect("gcp schema"),
    )
    .expect("gcp schema JSON");
    let out_dir = tempfile::tempdir().expect("out dir");
    let dir = out_dir.path().to_str().expect("utf-8");
    let out = run(
        &super::support::repo(),
        &["--example", "program", "--out-dir", dir],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut checked = 0;
    for entry in std::fs::read_dir(out_dir.path()).expect("programs") {
        let program: serde_json::Value =
            serde_json::from_slice(&std::fs::read(entry.expect("entry").path()).expect("read"))
                .expect("program JSON");
        let resources = program["resources"].as_object().expect("resources");
        for (name, resource) in resources {
            let token = resource["type"].as_str().expect("type");
            if resource.get("get").is_some() {
                continue;
            }
            if token.starts_with("azure-native:") || token.starts_with("azuread:") {
                assert!(
                    resource["options"]["provider"].is_string(),
                    "{name} ({token}) uses the default provider"
                );
                checked += 1;
            }
            if !token.starts_with("gcp:") {
                continue;
            }
            let inputs = &schema["resources"][token]["inputs"];
            assert!(inputs.is_object(), "{token} is not in the gcp schema");
            for key in ["region", "location", "zone"] {
                if inputs.get(key).is_some() {
                    assert!(
                        resource["properties"].get(key).is_some(),
                        "{name} ({token}) leaves `{key}` to the provider's default"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} resources checked");
}

#[test]
fn new_dataset_writes_nothing_the_next_validate_rejects() {
    let scratch = Scratch::example("silent-new-dataset");
    // Another dataset's project: each cloud's rules over the whole organisation refuse it.
    let out = new_delta_study(&scratch, "alpha-study-5530");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("would not be valid") && stderr.contains("dataset alpha-study"),
        "{stderr}"
    );
    assert!(!scratch.path().join("Pulumi.delta-study.yaml").exists());
    // With its own project it is written, and the organisation still validates.
    let out = new_delta_study(&scratch, "delta-study-5530");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    scratch.succeeds(&["validate"]);
}

#[test]
fn compiler_mode_left_in_the_environment_says_it_reads_only_pulumi_config() {
    let scratch = Scratch::example("silent-pulumi-stack");
    let config = scratch.path().join("cpg.toml");
    let out = run(
        scratch.path(),
        &["--config", config.to_str().expect("utf-8"), "program"],
        &[("PULUMI_STACK", "alpha-study")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("needs `gcp:project`")
            && stderr.contains("PULUMI_STACK=alpha-study is set, so this is compiler mode, which reads the dataset's settings only from PULUMI_CONFIG")
            && stderr.contains("Pulumi.alpha-study.yaml"),
        "{stderr}"
    );
}

#[test]
fn cpg_config_path_over_a_cpg_toml_here_names_both() {
    let here = Scratch::example("silent-config-here");
    let other = Scratch::example("silent-config-other");
    let other_config = other.path().join("cpg.toml");
    let other_config = other_config.to_str().expect("utf-8");
    let out = run(
        here.path(),
        &["validate"],
        &[("CPG_CONFIG_PATH", other_config)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let here_config = here.path().join("cpg.toml");
    assert!(
        stderr.contains(&format!(
            "{} is not read: $CPG_CONFIG_PATH ({other_config}) comes first",
            here_config.display()
        )),
        "{stderr}"
    );
}

#[test]
fn the_first_dataset_of_an_organisation_may_be_created_in_an_empty_folder() {
    let scratch = Scratch::new("silent-first-dataset");
    std::fs::remove_file(scratch.path().join("Pulumi.reference.yaml")).expect("remove");
    let config = scratch.path().join("cpg.toml");
    let config = config.to_str().expect("utf-8");
    // Nothing to validate yet: an error, not "0 datasets valid".
    let out = run(scratch.path(), &["--config", config, "validate"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(
        scratch.path(),
        &[
            "--config",
            config,
            "new-dataset",
            "reference",
            "--gcp-project",
            "egi-reference-4821",
            "--hail-account-test",
            "reference-test@egi-hail.iam.gserviceaccount.com",
            "--hail-account-standard",
            "reference-standard@egi-hail.iam.gserviceaccount.com",
            "--hail-account-full",
            "reference-full@egi-hail.iam.gserviceaccount.com",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(scratch.path(), &["--config", config, "validate"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `new-dataset delta-study` in the GCP project `project`, with its Hail accounts.
fn new_delta_study(scratch: &Scratch, project: &str) -> std::process::Output {
    scratch.run(&[
        "new-dataset",
        "delta-study",
        "--gcp-project",
        project,
        "--hail-account-test",
        "delta-study-test@egi-hail.iam.gserviceaccount.com",
        "--hail-account-standard",
        "delta-study-standard@egi-hail.iam.gserviceaccount.com",
        "--hail-account-full",
        "delta-study-full@egi-hail.iam.gserviceaccount.com",
    ])
}
