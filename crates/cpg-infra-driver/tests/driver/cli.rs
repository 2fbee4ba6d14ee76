//! The command line against bad input: each case must give one specific error
//! naming the culprit, exit 1 (2 for usage errors), print nothing on stdout and
//! never panic. Also the happy paths of `clouds`, `validate`, `schema` and the
//! example config.

use std::path::{Path, PathBuf};

use super::support::{repo, run};

/// A scratch stack folder with the example organisation's cpg.toml and a valid
/// reference dataset; cases add or overwrite files.
struct Scratch {
    dir: PathBuf,
}

const REFERENCE_STACK: &str = "config:
  datasets:gcp_hail_service_account_test: reference-test-1@egi-hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_standard: reference-standard-2@egi-hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_full: reference-full-3@egi-hail.iam.gserviceaccount.com
  gcp:project: egi-reference-4821
";

/// A valid stack file for `name` with extra config lines.
fn stack(name: &str, extra: &str) -> String {
    format!(
        "config:
  datasets:gcp_hail_service_account_test: {name}-test-1@egi-hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_standard: {name}-standard-2@egi-hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_full: {name}-full-3@egi-hail.iam.gserviceaccount.com
  gcp:project: {name}-5530
{extra}"
    )
}

impl Scratch {
    fn new(case: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("cpg-infra-cli-{}-{case}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        std::fs::copy(repo().join("stack/cpg.toml"), dir.join("cpg.toml")).expect("copy cpg.toml");
        std::fs::write(dir.join("Pulumi.reference.yaml"), REFERENCE_STACK).expect("write");
        Self { dir }
    }

    fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(path, contents).expect("write");
        self
    }

    fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn config_with(replace: &str, with: &str) -> String {
    let text = std::fs::read_to_string(repo().join("stack/cpg.toml")).expect("cpg.toml");
    assert!(text.contains(replace), "example cpg.toml lacks {replace:?}");
    text.replacen(replace, with, 1)
}

struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<&'static str>,
    env: Vec<(&'static str, String)>,
    exit: i32,
    expect: Vec<&'static str>,
}

fn case(name: &'static str) -> Case {
    Case {
        name,
        files: Vec::new(),
        args: vec!["validate"],
        env: Vec::new(),
        exit: 1,
        expect: Vec::new(),
    }
}

impl Case {
    fn file(mut self, name: &'static str, contents: impl Into<Vec<u8>>) -> Self {
        self.files.push((name, contents.into()));
        self
    }
    fn args(mut self, args: &[&'static str]) -> Self {
        self.args = args.to_vec();
        self
    }
    fn env(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.env.push((key, value.into()));
        self
    }
    fn exit(mut self, code: i32) -> Self {
        self.exit = code;
        self
    }
    fn expect(mut self, fragments: &[&'static str]) -> Self {
        self.expect = fragments.to_vec();
        self
    }
}

fn cases() -> Vec<Case> {
    vec![
        case("malformed-toml")
            .file("cpg.toml", "[infrastructure\ndomain = 1\n")
            .expect(&["cpg.toml:1:"]),
        case("empty-cpg-toml").file("cpg.toml", "").expect(&["missing section [infrastructure]"]),
        case("unknown-infrastructure-key")
            .file("cpg.toml", config_with("domain = ", "domian = \"x\"\ndomain = "))
            .expect(&["cpg.toml:", "domian"]),
        case("wrong-type-in-toml")
            .file(
                "cpg.toml",
                config_with("budget_notification_thresholds = [0.5, 0.9, 1.0]", "budget_notification_thresholds = \"high\""),
            )
            .expect(&["cpg.toml:", "budget_notification_thresholds"]),
        case("missing-gcp-section")
            .file("cpg.toml", config_with("[infrastructure.gcp]", "[infrastructure.gcp-old]"))
            .expect(&["gcp"]),
        case("malformed-yaml")
            .file("Pulumi.alpha.yaml", "config: [\n")
            .expect(&["Pulumi.alpha.yaml"]),
        case("duplicate-yaml-key")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"30\"\n  datasets:archive_age: \"31\"\n"))
            .expect(&["Pulumi.alpha.yaml", "archive_age"]),
        case("unknown-dataset-key")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archve_age: \"30\"\n"))
            .expect(&["Pulumi.alpha.yaml", "datasets:archve_age", "did you mean", "datasets:archive_age"]),
        case("wrong-type-archive-age")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"soon\"\n"))
            .expect(&["datasets:archive_age", "soon"]),
        case("zero-archive-age")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"0\"\n"))
            .expect(&["datasets:archive_age"]),
        case("bad-dataset-name")
            .file("Pulumi.Alpha_Study.yaml", stack("alpha", ""))
            .expect(&["Alpha_Study"]),
        case("dependency-cycle")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:depends_on: '[\"beta\"]'\n"))
            .file("Pulumi.beta.yaml", stack("beta", "  datasets:depends_on: '[\"alpha\"]'\n"))
            .expect(&["cycle", "alpha", "beta"]),
        case("cycle-through-reference")
            .file(
                "Pulumi.reference.yaml",
                format!("{REFERENCE_STACK}  datasets:depends_on: '[\"alpha\"]'\n"),
            )
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .expect(&["cycle", "reference", "alpha"]),
        case("unknown-dependency")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:depends_on: '[\"gamma\"]'\n"))
            .expect(&["/Pulumi.alpha.yaml: dataset alpha: datasets:depends_on names `gamma`"]),
        case("depends-on-itself")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:depends_on: '[\"alpha\"]'\n"))
            .expect(&["alpha", "depends_on"]),
        case("unknown-cloud-in-deploy-locations")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:deploy_locations: '[\"aws\"]'\n"))
            .expect(&["unknown cloud `aws`", "gcp"]),
        case("unknown-component")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:components: '{\"gcp\": [\"storag\"]}'\n"))
            .expect(&["storag", "storage"]),
        case("bad-email")
            .file(
                "Pulumi.alpha.yaml",
                "config:\n  datasets:gcp_hail_service_account_test: not-an-email\n  gcp:project: alpha-5530\n",
            )
            .expect(&["gcp_hail_service_account_test", "not-an-email"]),
        case("empty-stack-file").file("Pulumi.alpha.yaml", "").expect(&["Pulumi.alpha.yaml"]),
        case("non-utf8-stack-file")
            .file("Pulumi.alpha.yaml", b"config:\n  datasets:archive_age: \"\xff\xfe\"\n".to_vec())
            .expect(&["Pulumi.alpha.yaml", "UTF-8"]),
        case("shared-project-without-release")
            .file(
                "Pulumi.alpha.yaml",
                stack("alpha", "  datasets:enable_shared_project: \"true\"\n  datasets:shared_project_budget: 100\n"),
            )
            .expect(&["alpha", "enable_release"]),
        case("shared-project-without-budget")
            .file(
                "Pulumi.alpha.yaml",
                stack("alpha", "  datasets:enable_shared_project: \"true\"\n  datasets:enable_release: \"true\"\n"),
            )
            .expect(&["alpha", "shared_project_budget"]),
        case("zero-budget")
            .file(
                "Pulumi.alpha.yaml",
                stack(
                    "alpha",
                    "  datasets:enable_shared_project: \"true\"\n  datasets:enable_release: \"true\"\n  datasets:shared_project_budget: 0\n",
                ),
            )
            .expect(&["shared_project_budget"]),
        case("gcp-without-project")
            .file(
                "Pulumi.alpha.yaml",
                "config:\n  datasets:gcp_hail_service_account_test: a-1@egi-hail.iam.gserviceaccount.com\n  datasets:gcp_hail_service_account_standard: a-2@egi-hail.iam.gserviceaccount.com\n  datasets:gcp_hail_service_account_full: a-3@egi-hail.iam.gserviceaccount.com\n",
            )
            .expect(&["/Pulumi.alpha.yaml: dataset alpha: deploying to GCP needs `gcp:project`"]),
        case("dataset-defined-twice")
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .file(
                "datasets/alpha.toml",
                "gcp_project = \"alpha-5530\"\ngcp_hail_service_account_test = \"a-1@egi-hail.iam.gserviceaccount.com\"\ngcp_hail_service_account_standard = \"a-2@egi-hail.iam.gserviceaccount.com\"\ngcp_hail_service_account_full = \"a-3@egi-hail.iam.gserviceaccount.com\"\n",
            )
            .expect(&["alpha", "defined twice"]),
        case("name-too-long")
            .file("Pulumi.abcdefghij-klmnopqrstu-vw.yaml", stack("abcdefghij-klmnopqrstu-vw", ""))
            .expect(&["Pulumi.abcdefghij-klmnopqrstu-vw.yaml: file name", "must be 2 to 21 characters long, got 25", "`notebook-<dataset>`, may have 30"]),
        case("new-dataset-name-too-long")
            .args(&["new-dataset", "abcdefghij-klmnopqrstu"])
            .expect(&["must be 2 to 21 characters long, got 22"]),
        case("azure-containers-sharing-rule-names")
            .file(
                "Pulumi.delta.yaml",
                "config:\n  datasets:deploy_locations: '[\"azure\"]'\n  datasets:additional_upload_buckets: '[\"maintmp\"]'\n",
            )
            .expect(&["delta", "maintmp", "main-tmp"]),
        case("bad-azure-principal")
            .file(
                "Pulumi.alpha.yaml",
                stack("alpha", "  datasets:azure_hail_principal_test: not-a-guid\n"),
            )
            .expect(&["datasets:azure_hail_principal_test", "not-a-guid", "GUID"]),
        case("unknown-namespace")
            .file("Pulumi.alpha.yaml", stack("alpha", "  dataset:enable_release: \"true\"\n"))
            .expect(&["Pulumi.alpha.yaml:6:3: dataset:enable_release: unknown namespace `dataset`", "did you mean `datasets:enable_release`?"]),
        case("unknown-provider-setting")
            .file("Pulumi.alpha.yaml", stack("alpha", "  gcp:billing_projet: alpha-5530\n"))
            .expect(&["gcp:billing_projet: unknown setting of the `gcp` provider", "did you mean `gcp:billing_project`?"]),
        case("every-broken-file-at-once")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archve_age: \"30\"\n  datasets:enable_release: maybe\n"))
            .file("Pulumi.beta.yaml", "config: [\n")
            .file("datasets/gamma.toml", "archive_age = 0\n")
            .expect(&["error: ", "Pulumi.alpha.yaml:6:3: datasets:archve_age", "Pulumi.alpha.yaml:7:3: datasets:enable_release", "Pulumi.beta.yaml", "gamma.toml:1:"]),
        case("dataset-in-cpg-toml-and-a-stack-file")
            .file("cpg.toml", config_with("[infrastructure.gcp]", "[datasets.alpha]\narchive_age = 5\n\n[infrastructure.gcp]"))
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .expect(&["dataset alpha is defined twice", "cpg.toml ([datasets.alpha]) and in ", "/Pulumi.alpha.yaml;"]),
        case("selected-dataset-broken")
            .args(&["--dataset", "alpha", "plan"])
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"0\"\n"))
            .expect(&["Pulumi.alpha.yaml:6:3: datasets:archive_age"]),
        case("upload-bucket-is-the-main-bucket")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"egi-alpha-main\"]'\n"))
            .expect(&["dataset alpha: bucket `egi-alpha-main` would be used twice: as dataset alpha's `main` bucket and as an additional upload bucket of dataset alpha"]),
        case("upload-bucket-of-another-dataset")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"egi-reference-main-upload\"]'\n"))
            .expect(&["bucket `egi-reference-main-upload` would be used twice: as dataset reference's `main-upload` bucket and as an additional upload bucket of dataset alpha"]),
        case("upload-bucket-of-the-organisation")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"egi-config\"]'\n"))
            .expect(&["bucket `egi-config` would be used twice: as the organisation's bucket (infrastructure.gcp.config_bucket_name in cpg.toml) and as an additional upload bucket of dataset alpha"]),
        case("upload-bucket-listed-twice")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"alpha-partner\", \"alpha-partner\"]'\n"))
            .expect(&["bucket `alpha-partner` is listed twice as an additional upload bucket of dataset alpha"]),
        case("dataset-account-is-an-organisation-account")
            .file("cpg.toml", config_with("web-server@egi-analysis-runner.iam.gserviceaccount.com", "main-upload@alpha-5530.iam.gserviceaccount.com"))
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .expect(&["dataset alpha: service account `main-upload@alpha-5530.iam.gserviceaccount.com` would be used twice: as the organisation's account (infrastructure.web_service.gcp.server_machine_account in cpg.toml) and as the service account `main-upload` of dataset alpha"]),
        case("every-dataset-that-fails-to-plan")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:adopt: '{\"cpg-alpha-mian\": \"alpha-5530/x\"}'\n"))
            .file("Pulumi.beta.yaml", stack("beta", "  datasets:adopt: '{\"cpg-beta-mian\": \"beta-5530/x\"}'\n"))
            .expect(&["error: dataset alpha: datasets:adopt: `cpg-alpha-mian`", "error: dataset beta: datasets:adopt: `cpg-beta-mian`"]),
        case("unknown-clouds-of-two-datasets")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:deploy_locations: '[\"aws\"]'\n"))
            .file("Pulumi.beta.yaml", stack("beta", "  datasets:deploy_locations: '[\"ibm\"]'\n"))
            .expect(&["unknown cloud `aws` (dataset alpha)", "unknown cloud `ibm` (dataset beta)"]),
        case("new-dataset-bad-name")
            .args(&["new-dataset", "Delta"])
            .expect(&["dataset name", "`Delta`", "lowercase"]),
        case("missing-config-file")
            .args(&["--config", "/nonexistent/cpg.toml", "validate"])
            .expect(&["/nonexistent/cpg.toml"]),
        case("unknown-flag").args(&["--frobnicate"]).exit(2).expect(&["--frobnicate"]),
        case("unknown-subcommand").args(&["frobnicate"]).exit(2).expect(&["frobnicate"]),
        case("unknown-cloud-flag")
            .args(&["--cloud", "aws", "plan"])
            .expect(&["unknown cloud `aws`", "registered clouds", "gcp"]),
        case("unknown-dataset-flag")
            .args(&["--dataset", "gamma", "plan"])
            .expect(&["unknown dataset `gamma`"]),
        case("bad-pulumi-config-json")
            .args(&["program"])
            .env("PULUMI_STACK", "alpha")
            .env("PULUMI_CONFIG", "{\"gcp:project\": ")
            .expect(&["PULUMI_CONFIG"]),
        case("duplicate-pulumi-config-key")
            .args(&["program"])
            .env("PULUMI_STACK", "alpha")
            .env(
                "PULUMI_CONFIG",
                "{\"datasets:archive_age\": \"30\", \"datasets:archive_age\": \"31\"}",
            )
            .expect(&["PULUMI_CONFIG", "datasets:archive_age"]),
        case("stack-name-mismatch")
            .args(&["program"])
            .env("PULUMI_STACK", "alpha")
            .env("PULUMI_CONFIG", "{\"datasets:dataset\": \"beta\", \"gcp:project\": \"alpha-5530\"}")
            .expect(&["alpha", "beta"]),
        case("bad-stack-name-in-compiler-mode")
            .args(&["program"])
            .env("PULUMI_STACK", "Alpha Study")
            .env("PULUMI_CONFIG", "{}")
            .expect(&["Alpha Study"]),
    ]
}

/// An error chain must not say the same thing twice (e.g. a `source` printed by
/// both the outer message and the chain).
fn assert_no_repeated_clause(case: &str, stderr: &str) {
    for line in stderr.lines().filter(|l| l.starts_with("error:")) {
        let clauses: Vec<&str> = line
            .split([';', ':'])
            .map(str::trim)
            .filter(|c| c.len() >= 25)
            .collect();
        for (i, clause) in clauses.iter().enumerate() {
            assert!(
                !clauses[i + 1..].contains(clause),
                "{case}: repeated clause `{clause}` in:\n{line}"
            );
        }
    }
}

#[test]
fn bad_input_gives_one_specific_error_and_no_output() {
    let cases = cases();
    assert!(cases.len() >= 25, "at least twenty-five kinds of bad input");
    for case in cases {
        let mut scratch = Scratch::new(case.name);
        for (name, contents) in &case.files {
            scratch = scratch.file(name, contents);
        }
        let config = scratch.path().join("cpg.toml");
        let mut env: Vec<(&str, &str)> = case.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let config_path = config.to_str().expect("path").to_owned();
        if case.args.first() != Some(&"--config") {
            env.push(("CPG_CONFIG_PATH", &config_path));
        }
        let output = run(scratch.path(), &case.args, &env);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(case.exit),
            "{}: exit code; stderr:\n{stderr}",
            case.name
        );
        assert!(
            output.stdout.is_empty(),
            "{}: printed on stdout: {}",
            case.name,
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(
            !stderr.contains("panicked"),
            "{}: panicked:\n{stderr}",
            case.name
        );
        assert_no_repeated_clause(case.name, &stderr);
        for fragment in &case.expect {
            assert!(
                stderr.contains(fragment),
                "{}: expected {fragment:?} in:\n{stderr}",
                case.name
            );
        }
    }
}

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
    assert!(text.contains("dataset alpha-study (gcp)"), "{text}");
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.ends_with("resources")),
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
    let out = std::env::temp_dir().join(format!("cpg-infra-programs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
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
        String::from_utf8_lossy(&output.stdout).contains("dataset alpha (gcp)"),
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
    let config = scratch.path().join("cpg.toml");
    let output = run(
        scratch.path(),
        &[
            "--config",
            config.to_str().expect("path"),
            "--dataset",
            name,
            "program",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let program: serde_json::Value = serde_json::from_slice(&output.stdout).expect("program");
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
fn the_dataset_bucket_list_is_what_the_blueprint_creates() {
    let scratch = Scratch::new("bucket-list").file(
        "Pulumi.alpha.yaml",
        stack("alpha", "  datasets:enable_release: \"true\"\n  datasets:additional_upload_buckets: '[\"alpha-partner\"]'\n"),
    );
    let config = scratch.path().join("cpg.toml");
    let output = run(
        scratch.path(),
        &[
            "--config",
            config.to_str().expect("path"),
            "--dataset",
            "alpha",
            "program",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let program: serde_json::Value = serde_json::from_slice(&output.stdout).expect("program");
    let mut created: Vec<String> = program["resources"]
        .as_object()
        .expect("resources")
        .values()
        .filter(|r| r["type"] == "gcp:storage/bucket:Bucket")
        .filter_map(|r| r["properties"]["name"].as_str().map(str::to_owned))
        .collect();
    created.sort();
    let mut expected: Vec<String> = cpg_infra_abstraction::DATASET_BUCKETS
        .iter()
        .map(|suffix| format!("egi-alpha-{suffix}"))
        .chain(["alpha-partner".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(created, expected);
}
