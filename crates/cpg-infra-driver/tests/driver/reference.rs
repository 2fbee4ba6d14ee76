//! Golden comparison with the Python reference's recorded output.
//!
//! `../shared/reference` holds real stack files and what the reference created
//! for them; `../shared/tools` compares our programs with it and checks them
//! against the provider schemas. These tests read that folder in place (nothing
//! of it is copied into the repository) and are skipped, with a note, when it
//! is absent.

use std::path::Path;
use std::process::Command;

use super::support::{repo, run, shared};

/// `PULUMI_CONFIG` as Pulumi's YAML runtime builds it from a stack file: every
/// value as a string (a YAML scalar becomes its text, a list or map its JSON).
fn pulumi_config(stack_file: &Path) -> String {
    #[derive(serde::Deserialize)]
    struct StackFile {
        config: std::collections::BTreeMap<String, serde_json::Value>,
    }
    let text = std::fs::read_to_string(stack_file).expect("stack file");
    let parsed: StackFile = serde_saphyr::from_str(&text).expect("stack file yaml");
    let config: serde_json::Map<String, serde_json::Value> = parsed
        .config
        .into_iter()
        .map(|(key, value)| {
            let text = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (key, serde_json::Value::String(text))
        })
        .collect();
    serde_json::to_string(&config).expect("json")
}

/// The reference datasets, by name, with their stack files.
fn reference_stacks(shared: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut stacks: Vec<_> = std::fs::read_dir(shared.join("reference/stacks"))
        .expect("stacks folder")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let dataset = name
                .strip_prefix("Pulumi.")?
                .strip_suffix(".yaml")?
                .to_owned();
            Some((dataset, path))
        })
        .collect();
    stacks.sort();
    stacks
}

#[test]
fn every_reference_dataset_differs_only_as_listed() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared is absent; golden comparison skipped");
        return;
    };
    // scripts/compare-reference runs compare-with-reference over every reference stack and
    // accepts only the intended differences of reference-differences.toml.
    let output = Command::new("python3")
        .arg(repo().join("scripts/compare-reference"))
        .arg("--driver")
        .arg(env!("CARGO_BIN_EXE_cpg-infra-driver"))
        .arg("--shared")
        .arg(&shared)
        .output()
        .expect("run scripts/compare-reference");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the programs differ from the reference beyond reference-differences.toml:\n{stdout}\n{stderr}"
    );
    let datasets = reference_stacks(&shared).len();
    assert!(
        stdout.contains(&format!(
            "compare-reference: {datasets} datasets, 0 unexplained differences"
        )),
        "{stdout}"
    );
}

#[test]
fn every_reference_program_passes_the_schema_check_and_is_deterministic() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared is absent; schema check skipped");
        return;
    };
    let config = shared.join("reference/cpg.toml");
    let config = config.to_str().expect("utf-8 path");
    let scratch_dir = tempfile::tempdir().expect("scratch dir");
    let scratch = scratch_dir.path().to_path_buf();
    let mut files = Vec::new();
    for (dataset, stack_file) in reference_stacks(&shared) {
        let pulumi_config = pulumi_config(&stack_file);
        let env = [
            ("PULUMI_STACK", dataset.as_str()),
            ("PULUMI_PROJECT", "datasets"),
            ("PULUMI_CONFIG", pulumi_config.as_str()),
            ("CPG_CONFIG_PATH", config),
        ];
        let first = run(&repo().join("stack"), &["program"], &env);
        assert!(
            first.status.success(),
            "{dataset}: {}",
            String::from_utf8_lossy(&first.stderr)
        );
        let second = run(&repo().join("stack"), &["program"], &env);
        assert_eq!(
            first.stdout, second.stdout,
            "{dataset}: program differs between runs"
        );

        // The same config with its keys in reverse order gives the same bytes.
        let mut reversed: Vec<(String, serde_json::Value)> =
            serde_json::from_str::<serde_json::Map<_, _>>(&pulumi_config)
                .expect("config json")
                .into_iter()
                .collect();
        reversed.reverse();
        let reversed =
            serde_json::to_string(&reversed.into_iter().collect::<serde_json::Map<_, _>>())
                .expect("json");
        let env_reversed = [
            ("PULUMI_STACK", dataset.as_str()),
            ("PULUMI_PROJECT", "datasets"),
            ("PULUMI_CONFIG", reversed.as_str()),
            ("CPG_CONFIG_PATH", config),
        ];
        let third = run(&repo().join("stack"), &["program"], &env_reversed);
        assert_eq!(
            first.stdout, third.stdout,
            "{dataset}: program depends on key order"
        );

        let file = scratch.join(format!("{dataset}.json"));
        std::fs::write(&file, &first.stdout).expect("write program");
        files.push(file);
    }
    let checker = shared.join("tools/check-pulumi-program");
    for file in &files {
        let output = Command::new("python3")
            .arg(&checker)
            .arg(file)
            .output()
            .expect("checker");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}: {stdout}", file.display());
        assert!(stdout.trim_end().ends_with("0 problems"), "{stdout}");
    }
}

#[test]
fn the_text_plan_lists_every_reference_resource() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared is absent; plan check skipped");
        return;
    };
    let recorded: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("reference/gcp/mito-disease.json"))
            .expect("reference"),
    )
    .expect("reference json");
    let config = shared.join("reference/cpg.toml");
    let stacks = shared.join("reference/stacks");
    let output = run(
        &repo(),
        &[
            "--config",
            config.to_str().expect("path"),
            "--stack-dir",
            stacks.to_str().expect("path"),
            "--cloud",
            "gcp",
            "--dataset",
            "mito-disease",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let resources = recorded["resources"].as_array().expect("resources");
    for resource in resources {
        let name = resource["name"].as_str().expect("name");
        let listed = text
            .lines()
            .any(|line| line.split_whitespace().nth(2) == Some(name));
        assert!(listed, "{name} missing from the plan:\n{text}");
    }
    assert!(
        text.starts_with(&format!(
            "dataset mito-disease (gcp in australia-southeast1): {} resources",
            resources.len()
        )),
        "{text}"
    );
}
