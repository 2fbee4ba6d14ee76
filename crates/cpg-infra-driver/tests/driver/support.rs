//! Shared helpers: paths to the repository and to `../shared`, running the binary,
//! scratch stack folders.

// The test clouds, linked into every test of the driver (a plugin crate nothing names
// is dropped by the linker).
use cpg_infra_minicloud as _;
use cpg_infra_testcloud as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// `../shared` beside the repository, when present.
pub fn shared() -> Option<PathBuf> {
    let path = repo().join("../shared");
    path.is_dir()
        .then(|| path.canonicalize().expect("shared folder"))
}

/// Runs the driver binary with `args` in `cwd` and a clean environment plus `env`.
pub fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cpg-infra-driver"));
    command.args(args).current_dir(cwd);
    for var in [
        "PULUMI_STACK",
        "PULUMI_PROJECT",
        "PULUMI_CONFIG",
        "CPG_CONFIG_PATH",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run cpg-infra-driver")
}

/// The test cloud's own section, `[infrastructure.testcloud]`: the example
/// organisation does not have it (the binary has no test cloud, so the section
/// would name an unregistered cloud), tests that plan on the test cloud add it.
pub const TESTCLOUD_SECTION: &str = "
[infrastructure.testcloud]
name_prefix = \"tc-\"
";

/// The text of the example organisation's `cpg.toml`.
pub fn example_config() -> String {
    std::fs::read_to_string(repo().join("stack/cpg.toml")).expect("cpg.toml")
}

/// The second test cloud's own section, `[infrastructure.minicloud]`.
pub const MINICLOUD_SECTION: &str = "
[infrastructure.minicloud]
region = \"mc-south\"
account_domain = \"example-institute.org\"
";

/// The example organisation's `cpg.toml` with the test clouds' own sections.
pub fn example_config_with_testcloud() -> String {
    format!("{}{TESTCLOUD_SECTION}{MINICLOUD_SECTION}", example_config())
}

/// The organisation of the `cpg.toml` text `text`, which must parse.
pub fn organisation(text: &str) -> cpg_infra_config::InfrastructureConfig {
    cpg_infra_config::parse_cpg_toml(text, "cpg.toml")
        .expect("config parses")
        .infrastructure
}

/// The entry of `user` in the users registry of `cpg.toml`: its id `gcp` on GCP and
/// `azure` on Azure.
pub fn registry_user(user: &str, gcp: &str, azure: &str) -> String {
    format!(
        "\n[infrastructure.users.\"{user}\".clouds.gcp]\nid = \"{gcp}\"\n[infrastructure.users.\"{user}\".clouds.azure]\nid = \"{azure}\"\n"
    )
}

/// `sam`'s Entra object id.
const SAM_AZURE_ID: &str = "1c8d5f63-0a2b-4e4c-9d3f-2b3c4d5e6f70";

/// One user of the registry with ids on both clouds: `sam` of the institute.
pub fn sam() -> String {
    registry_user("sam", "sam@example-institute.org", SAM_AZURE_ID)
}

/// Two users of the registry with ids on both clouds: `alex.smith` of the institute and
/// `sam` of a partner.
pub fn partner_users() -> String {
    let alex = registry_user(
        "alex.smith",
        "alex.smith@example-institute.org",
        "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f",
    );
    let sam = registry_user("sam", "sam@partner.example.org", SAM_AZURE_ID);
    format!("{alex}{sam}")
}

/// A users registry and two organisation groups for the example's `cpg.toml`:
/// `alex.smith` (ids on both clouds) and `sam-jones` (a GCP id only, its e-mail written
/// with capitals); the group `platform` (`sam-jones`) inside `data-managers`
/// (`alex.smith` and `group:platform`).
pub const ORGANISATION_GROUPS: &str = r#"
[infrastructure.users."alex.smith".clouds.gcp]
id = "alex.smith@example-institute.org"
[infrastructure.users."alex.smith".clouds.azure]
id = "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f"

[infrastructure.users.sam-jones.clouds.gcp]
id = "Sam.Jones@example-institute.org"

[[infrastructure.adhoc_groups]]
name = "data-managers"
description = "Who curates the data"
members = ["alex.smith", "group:platform"]

[[infrastructure.adhoc_groups]]
name = "platform"
members = ["sam-jones"]
"#;

/// A scratch stack folder with the example organisation's cpg.toml and a valid
/// reference dataset; cases add or overwrite files.
pub struct Scratch {
    _scratch: tempfile::TempDir,
    dir: PathBuf,
}

pub const REFERENCE_STACK: &str = "config:
  datasets:gcp_hail_service_account_test: reference-test-1@egi-hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_standard: reference-standard-2@egi-hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_full: reference-full-3@egi-hail.iam.gserviceaccount.com
  gcp:project: egi-reference-4821
";

/// A valid stack file for `name` with extra config lines.
pub fn stack(name: &str, extra: &str) -> String {
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
    pub fn new(case: &str) -> Self {
        let scratch = tempfile::Builder::new()
            .prefix(&format!("cpg-infra-cli-{case}-"))
            .tempdir()
            .expect("scratch dir");
        let dir = scratch.path().to_path_buf();
        std::fs::copy(repo().join("stack/cpg.toml"), dir.join("cpg.toml")).expect("copy cpg.toml");
        std::fs::write(dir.join("Pulumi.reference.yaml"), REFERENCE_STACK).expect("write");
        Self {
            _scratch: scratch,
            dir,
        }
    }

    /// A scratch copy of the whole example organisation (`stack/`: `cpg.toml` and every
    /// stack file), for turning a feature on in a test.
    pub fn example(case: &str) -> Self {
        let scratch = Self::new(case);
        for entry in std::fs::read_dir(repo().join("stack")).expect("stack/") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let name = path.file_name().expect("file name");
                std::fs::copy(&path, scratch.dir.join(name)).expect("copy stack file");
            }
        }
        scratch
    }

    /// `file` with `edit` applied to the text of the existing file `name`.
    pub fn edit(self, name: &str, edit: impl FnOnce(String) -> String) -> Self {
        let text = std::fs::read_to_string(self.dir.join(name)).expect("read scratch file");
        self.file(name, edit(text))
    }

    /// The file `name` with its text `from` replaced by `to`; `from` must occur, so
    /// that a case never tests the unchanged file.
    pub fn replace(self, name: &str, from: &str, to: &str) -> Self {
        self.edit(name, |text| {
            assert!(text.contains(from), "no {from:?} in {name}");
            text.replace(from, to)
        })
    }

    /// Appends `lines` to the file `name` (a stack file's `config:` block ends the file).
    pub fn append(self, name: &str, lines: &str) -> Self {
        let path = self.dir.join(name);
        let mut text = std::fs::read_to_string(&path).expect("read");
        text.push_str(lines);
        std::fs::write(path, text).expect("write");
        self
    }

    /// Runs the driver on this folder's `cpg.toml` with `args`.
    pub fn run(&self, args: &[&str]) -> Output {
        let config = self.dir.join("cpg.toml");
        let mut all = vec!["--config", config.to_str().expect("utf-8")];
        all.extend_from_slice(args);
        run(&self.dir, &all, &[])
    }

    /// Runs the driver with `args`, which must succeed (exit 0).
    pub fn succeeds(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// The JSON the driver prints for `args`, which must succeed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_slice(&self.succeeds(args).stdout).expect("JSON output")
    }

    /// The program of `dataset` on the clouds it deploys to, which must plan.
    pub fn dataset_program(&self, dataset: &str) -> serde_json::Value {
        self.json(&["--dataset", dataset, "program"])
    }

    /// The program of `dataset` on `cloud`, which must plan.
    pub fn program(&self, dataset: &str, cloud: &str) -> serde_json::Value {
        self.json(&["--cloud", cloud, "--dataset", dataset, "program"])
    }

    /// The JSON plan of `dataset` on `cloud` (its diagnostics included), which must plan.
    pub fn plan(&self, dataset: &str, cloud: &str) -> serde_json::Value {
        self.json(&[
            "--cloud",
            cloud,
            "--dataset",
            dataset,
            "plan",
            "--format",
            "json",
        ])
    }

    /// `diff` (text) of `dataset` from a fresh copy of the example organisation (named
    /// by `base_case`) to this folder, which must flag something (exit 3): the report.
    pub fn flagged_diff_from_example(&self, base_case: &str, dataset: &str) -> String {
        let base = Scratch::example(base_case);
        let config = base.dir.join("cpg.toml");
        let out = self.run(&[
            "--dataset",
            dataset,
            "diff",
            "--base-config",
            config.to_str().expect("utf-8"),
        ]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(3), "{text}");
        text
    }

    /// `diff --format json` of `dataset` from `base` to this folder: exit code and report.
    pub fn diff_from(
        &self,
        base: &Scratch,
        dataset: &str,
        cloud: &str,
    ) -> (i32, serde_json::Value) {
        let config = base.dir.join("cpg.toml");
        let out = self.run(&[
            "--cloud",
            cloud,
            "--dataset",
            dataset,
            "diff",
            "--base-config",
            config.to_str().expect("utf-8"),
            "--base-stack-dir",
            base.dir.to_str().expect("utf-8"),
            "--format",
            "json",
        ]);
        let json = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code().expect("exit code"), json)
    }

    /// `validate` on this folder, which must fail (exit 1, no panic) naming every one of
    /// `expected`; `case` names the case in a failure. Its stderr, for further checks.
    pub fn invalid(&self, case: &str, expected: &[&str]) -> String {
        let out = self.run(&["validate"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{case}: {stderr}");
        for fragment in expected {
            assert!(
                stderr.contains(fragment),
                "{case}: no {fragment:?} in {stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        stderr
    }

    pub fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(path, contents).expect("write");
        self
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

/// The example organisation's dataset `name`, from its stack file.
pub fn example_dataset(name: &str) -> cpg_infra_config::DatasetConfig {
    let file = format!("Pulumi.{name}.yaml");
    let text = std::fs::read_to_string(repo().join("stack").join(&file)).expect("stack file");
    cpg_infra_config::parse_stack_file(&text, &file, name).expect("stack file")
}

/// The example organisation's `cpg.toml` and the plan of its dataset `name` on
/// `clouds` (the real pipeline, in memory).
pub fn example_plan(
    name: &str,
    clouds: &[cpg_infra_config::CloudName],
) -> (
    cpg_infra_config::InfrastructureConfig,
    cpg_infra_abstraction::Plan,
) {
    example_plan_in(&repo().join("stack"), name, clouds)
}

/// [`example_plan`] of the organisation in `dir` (a [`Scratch`] copy of the example).
pub fn example_plan_in(
    dir: &Path,
    name: &str,
    clouds: &[cpg_infra_config::CloudName],
) -> (
    cpg_infra_config::InfrastructureConfig,
    cpg_infra_abstraction::Plan,
) {
    let config = std::fs::read_to_string(dir.join("cpg.toml")).expect("cpg.toml");
    let stack = std::fs::read_to_string(dir.join(format!("Pulumi.{name}.yaml"))).expect("stack");
    plan_of_texts(&config, &stack, name, clouds)
}

/// The organisation of the `cpg.toml` text `config` and the plan of its dataset `name`,
/// whose stack file holds `stack`, on `clouds` (the real pipeline, in memory).
pub fn plan_of_texts(
    config: &str,
    stack: &str,
    name: &str,
    clouds: &[cpg_infra_config::CloudName],
) -> (
    cpg_infra_config::InfrastructureConfig,
    cpg_infra_abstraction::Plan,
) {
    let config = organisation(config);
    let file = format!("Pulumi.{name}.yaml");
    let dataset = cpg_infra_config::parse_stack_file(stack, &file, name).expect("stack file");
    let plan = cpg_infra_driver::pipeline::plan(
        &config,
        &dataset,
        clouds,
        &cpg_infra_driver::pipeline::Deployments::default(),
    )
    .expect("plan");
    (config, plan)
}

/// The example organisation with every opt-in feature on (written by
/// `e2e/example-with-features`) in the folder `features` of `scratch`: that folder.
pub fn example_with_features(scratch: &Path) -> PathBuf {
    let dir = scratch.join("features");
    let written = Command::new("python3")
        .arg(repo().join("e2e/example-with-features"))
        .arg(&dir)
        .output()
        .expect("python3");
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    dir
}

/// Whether `program` (a program as the driver prints it) declares the resource `name`.
pub fn declares(program: &serde_json::Value, name: &str) -> bool {
    program["resources"].get(name).is_some()
}

/// The line of `text` that holds `key` must exist and hold every one of `fragments`.
pub fn assert_row(text: &str, key: &str, fragments: &[&str]) {
    let row = text
        .lines()
        .find(|l| l.contains(key))
        .unwrap_or_else(|| panic!("no row with {key:?} in {text}"));
    for fragment in fragments {
        assert!(row.contains(fragment), "no {fragment:?} in {row}");
    }
}
