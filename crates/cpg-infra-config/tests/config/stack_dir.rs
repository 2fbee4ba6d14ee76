//! Loading a stack folder: deterministic whatever the order of files, `cpg.toml` merged, every
//! broken file reported, paths that are not files named.

use std::path::Path;

use cpg_infra_config::{DatasetName, load_stack_dir, parse_cpg_toml, validate_dataset_set};

use super::support::{cpg_with, infra, stack};

/// The names of the datasets a scan of a stack folder loaded.
fn dataset_names(scanned: &cpg_infra_config::StackDir) -> Vec<&str> {
    scanned
        .datasets
        .iter()
        .map(|d| d.dataset.as_str())
        .collect()
}

/// `err` must name every one of `fragments`.
fn assert_mentions(err: &str, fragments: &[&str]) {
    for fragment in fragments {
        assert!(err.contains(fragment), "no {fragment:?} in {err}");
    }
}

/// A scratch folder of its own per test (removed when dropped), with a `datasets/` folder.
struct TempDir(tempfile::TempDir);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("cpg-infra-config-{tag}-"))
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(dir.path().join("datasets")).unwrap();
        Self(dir)
    }
    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.path().join(name), text).unwrap();
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
}
const BETA_TOML: &str =
    "gcp_project = \"beta-cohort-4821\"\ncomponents = { gcp = [\"storage\"] }\n";

#[test]
fn stack_dir_is_deterministic() {
    let names = ["zeta-panel", "alpha-study", "reference", "mid-cohort"];
    let a = TempDir::new("order-a");
    for n in names {
        a.write(&format!("Pulumi.{n}.yaml"), &stack(&format!("{n}-4821")));
    }
    a.write("Pulumi.yaml", "name: datasets\nruntime: python\n");
    a.write("README.md", "not a stack\n");
    a.write("datasets/beta-cohort.toml", BETA_TOML);
    let b = TempDir::new("order-b");
    b.write("datasets/beta-cohort.toml", BETA_TOML);
    for n in names.iter().rev() {
        b.write(&format!("Pulumi.{n}.yaml"), &stack(&format!("{n}-4821")));
    }
    b.write("Pulumi.yaml", "name: datasets\n");
    let la = load_stack_dir(a.path()).unwrap();
    let lb = load_stack_dir(b.path()).unwrap();
    assert_eq!(la.datasets, lb.datasets);
    assert_eq!(la.warnings.len(), 4);
    let got: Vec<&str> = la.datasets.iter().map(|d| d.dataset.as_str()).collect();
    assert_eq!(
        got,
        [
            "alpha-study",
            "beta-cohort",
            "mid-cohort",
            "reference",
            "zeta-panel"
        ]
    );
    validate_dataset_set(&la.datasets, &infra(), true).unwrap();

    // A dataset defined twice names both files.
    a.write("datasets/alpha-study.toml", "archive_age = 5\n");
    let err = load_stack_dir(a.path()).unwrap_err().to_string();
    assert!(
        err.contains("dataset alpha-study is defined twice"),
        "{err}"
    );
    assert_mentions(&err, &["Pulumi.alpha-study.yaml", "alpha-study.toml"]);

    // A stack file whose name is not a dataset name.
    b.write("Pulumi.Bad_Name.yaml", &stack("bad-name-4821"));
    let err = load_stack_dir(b.path()).unwrap_err().to_string();
    assert_mentions(&err, &["Pulumi.Bad_Name.yaml", "invalid dataset name"]);
}

#[test]
fn stack_dir_merges_cpg_toml() {
    let dir = TempDir::new("merge");
    dir.write("Pulumi.alpha-study.yaml", &stack("alpha-study-4821"));
    let mut loaded = load_stack_dir(dir.path()).unwrap();
    let cpg = parse_cpg_toml(
        &cpg_with("[datasets.alpha-study]\narchive_age = 5\n"),
        "cpg.toml",
    )
    .unwrap();
    let err = loaded
        .merge_cpg_toml(&cpg, "cpg.toml")
        .unwrap_err()
        .to_string();
    assert_mentions(&err, &["Pulumi.alpha-study.yaml", "cpg.toml"]);
}
#[test]
fn every_broken_file_of_a_stack_dir_is_reported() {
    let dir = TempDir::new("broken");
    dir.write(
        "Pulumi.alpha-study.yaml",
        "config:\n  datasets:archve_age: \"3\"\n",
    );
    dir.write("Pulumi.beta-cohort.yaml", "config: [\n");
    dir.write("Pulumi.reference.yaml", &stack("reference-4821"));
    dir.write("datasets/gamma-trial.toml", "archive_age = 0\n");
    let err = load_stack_dir(dir.path()).unwrap_err().to_string();
    for file in [
        "Pulumi.alpha-study.yaml:2:3",
        "Pulumi.beta-cohort.yaml",
        "gamma-trial.toml:1:",
    ] {
        assert!(err.contains(file), "{file} missing from:\n{err}");
    }
    let scanned = cpg_infra_config::scan_stack_dir(dir.path()).unwrap();
    let names = dataset_names(&scanned);
    assert_eq!(names, ["reference"]);
    let broken: Vec<Option<&str>> = scanned
        .broken
        .iter()
        .map(|b| b.dataset.as_ref().map(DatasetName::as_str))
        .collect();
    assert_eq!(
        broken,
        [
            Some("alpha-study"),
            Some("beta-cohort"),
            Some("gamma-trial")
        ]
    );
}

#[cfg(unix)]
#[test]
fn stack_files_that_are_not_files_are_errors_naming_the_path() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("vanish");
    dir.write("Pulumi.reference.yaml", &stack("reference-4821"));
    std::fs::create_dir(dir.path().join("Pulumi.alpha-study.yaml")).unwrap();
    symlink(
        dir.path().join("nowhere.yaml"),
        dir.path().join("Pulumi.beta-cohort.yaml"),
    )
    .unwrap();
    symlink(
        dir.path().join("Pulumi.loop-b.yaml"),
        dir.path().join("Pulumi.loop-a.yaml"),
    )
    .unwrap();
    symlink(
        dir.path().join("Pulumi.loop-a.yaml"),
        dir.path().join("Pulumi.loop-b.yaml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("datasets/gamma-trial.toml")).unwrap();
    // A link to a real stack file is read.
    dir.write("real.yaml", &stack("delta-cohort-4821"));
    symlink(
        dir.path().join("real.yaml"),
        dir.path().join("Pulumi.delta-cohort.yaml"),
    )
    .unwrap();
    let err = load_stack_dir(dir.path()).unwrap_err().to_string();
    let shown = |name: &str| dir.path().join(name).display().to_string();
    for (name, what) in [
        (
            "Pulumi.alpha-study.yaml",
            "is a directory, not a dataset file",
        ),
        ("Pulumi.beta-cohort.yaml", "is a symbolic link to"),
        ("Pulumi.loop-a.yaml", "cannot be followed"),
        ("Pulumi.loop-b.yaml", "cannot be followed"),
        ("datasets/gamma-trial.toml", "is a directory"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&shown(name)) && l.contains(what)),
            "{name}: `{what}` missing from:\n{err}"
        );
    }
    assert!(err.contains("nowhere.yaml`, which does not exist"), "{err}");
    let scanned = cpg_infra_config::scan_stack_dir(dir.path()).unwrap();
    let names = dataset_names(&scanned);
    assert_eq!(names, ["delta-cohort", "reference"]);

    // A `datasets` entry that is a dangling link is an error too.
    let other = TempDir::new("vanish-datasets");
    std::fs::remove_dir(other.path().join("datasets")).unwrap();
    symlink(other.path().join("gone"), other.path().join("datasets")).unwrap();
    let err = load_stack_dir(other.path()).unwrap_err().to_string();
    assert_mentions(&err, &["datasets", "does not exist"]);
}
