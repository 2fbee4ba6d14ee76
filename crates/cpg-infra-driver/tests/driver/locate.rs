//! Where the configuration comes from: the embedded example only on request or when
//! nothing is configured (and then with a note), never mixed with a user's stack
//! files; `--stack-dir DIR` reads `DIR/cpg.toml`; compiler mode knows the stack
//! files beside its stack.

use super::support::{REFERENCE_STACK, Scratch, repo, run, stack};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_example_serves_on_request_or_with_a_note_when_nothing_is_configured() {
    let empty_dir = tempfile::tempdir().expect("empty folder");
    let empty = empty_dir.path().to_path_buf();
    let out = run(&empty, &["validate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("<embedded example stack/cpg.toml>: 4 datasets valid"),
        "{}",
        text(&out.stdout)
    );
    let err = text(&out.stderr);
    assert!(
        err.starts_with("note: no configuration found") && err.contains("--example"),
        "{err}"
    );
    let out = run(&empty, &["--example", "validate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        !err.contains("no configuration found"),
        "no note when asked for: {err}"
    );
}

#[test]
fn stack_dir_reads_its_own_cpg_toml_not_the_example_found_above() {
    // Run from the repository, where stack/cpg.toml (the example) is found by search:
    // the stack folder's own cpg.toml must win, with its own domain.
    let scratch = Scratch::new("own-config").file(
        "cpg.toml",
        std::fs::read_to_string(repo().join("stack/cpg.toml"))
            .expect("cpg.toml")
            .replacen(
                "domain = \"example-institute.org\"",
                "domain = \"own.example\"",
                1,
            ),
    );
    let dir = scratch.path().to_str().expect("path");
    let out = run(
        &repo(),
        &["--stack-dir", dir, "--dataset", "reference", "plan"],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert!(plan.contains("@own.example"), "{plan}");
    assert!(!plan.contains("@example-institute.org"), "{plan}");
    let out = run(&repo(), &["--stack-dir", dir, "validate"], &[]);
    assert_eq!(
        text(&out.stdout),
        format!("{dir}/cpg.toml: 1 dataset valid\n"),
        "{}",
        text(&out.stderr)
    );
    // $CPG_CONFIG_PATH comes first, and says that the folder's own file is not read.
    let example = repo().join("stack/cpg.toml");
    let out = run(
        &repo(),
        &["--stack-dir", dir, "validate"],
        &[("CPG_CONFIG_PATH", example.to_str().expect("path"))],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with(&format!(
            "warning: {dir}/cpg.toml is not read: $CPG_CONFIG_PATH ("
        )),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_config_file_is_found_in_the_current_folder_whatever_its_name() {
    let scratch = Scratch::new("any-folder-name");
    let out = run(scratch.path(), &["validate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with("/cpg.toml: 1 dataset valid\n"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&out.stderr), "");
    // From a folder below it: found, and said.
    let below = scratch.path().join("datasets");
    std::fs::create_dir_all(&below).expect("folder below");
    let out = run(&below, &["validate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("note: using ")
            && text(&out.stderr).contains("found above the current folder"),
        "{}",
        text(&out.stderr)
    );
}

/// Compiler mode for `alpha` in `scratch`, with `alpha`'s settings as PULUMI_CONFIG.
fn compile(scratch: &Scratch, config: &str) -> (bool, String) {
    let cfg = scratch.path().join("cpg.toml");
    let out = run(
        scratch.path(),
        &["program"],
        &[
            ("PULUMI_STACK", "alpha"),
            ("PULUMI_CONFIG", config),
            ("CPG_CONFIG_PATH", cfg.to_str().expect("path")),
        ],
    );
    (
        out.status.success() && !out.stdout.is_empty(),
        text(&out.stderr),
    )
}

#[test]
fn compiler_mode_knows_the_stack_files_beside_it() {
    let config = r#"{"datasets:gcp_hail_service_account_test": "alpha-test-1@egi-hail.iam.gserviceaccount.com", "datasets:gcp_hail_service_account_standard": "alpha-standard-2@egi-hail.iam.gserviceaccount.com", "datasets:gcp_hail_service_account_full": "alpha-full-3@egi-hail.iam.gserviceaccount.com", "gcp:project": "alpha-5530", "datasets:depends_on": "[\"beta\"]"}"#;
    let scratch = Scratch::new("compiler-siblings")
        .file(
            "Pulumi.alpha.yaml",
            stack("alpha", "  datasets:depends_on: '[\"beta\"]'\n"),
        )
        .file("Pulumi.beta.yaml", stack("beta", ""))
        .file("Pulumi.broken.yaml", "config: [\n");
    let (ok, stderr) = compile(&scratch, config);
    assert!(ok, "{stderr}");
    assert_eq!(
        stderr, "",
        "no warning when every dependency has its stack file"
    );

    // Without beta's stack file: one precise warning.
    std::fs::remove_file(scratch.path().join("Pulumi.beta.yaml")).expect("rm");
    std::fs::write(scratch.path().join("Pulumi.betta.yaml"), REFERENCE_STACK).expect("write");
    let (ok, stderr) = compile(&scratch, config);
    assert!(ok, "{stderr}");
    assert!(
        stderr.starts_with("warning: dataset alpha: depends on `beta` (did you mean `betta`?), which has no stack file (Pulumi.<dataset>.yaml) in ")
            && stderr.ends_with("deploy it first\n")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    // Without the reference's either: both named in one warning.
    std::fs::remove_file(scratch.path().join("Pulumi.reference.yaml")).expect("rm");
    let (ok, stderr) = compile(&scratch, config);
    assert!(ok, "{stderr}");
    assert!(
        stderr.starts_with("warning: dataset alpha: depends on 2 datasets that have no stack file")
            && stderr.contains(": `beta` (did you mean `betta`?), `reference` (the reference dataset, an implicit dependency);")
            && !stderr.contains("add its stack file")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
}
