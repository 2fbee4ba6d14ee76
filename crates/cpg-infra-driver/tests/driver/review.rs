//! `diff`: what a change does, on the example organisation (golden output in every
//! format) and on real reference stack pairs (each change flags exactly what it changes).
//! A git revision as the base is `review_base.rs`, hand-made plans `review_plans.rs`.

use std::path::Path;

use super::support::{repo, run, shared};

/// A copy of a stack folder (with its cpg.toml) in a scratch folder.
/// Each copy is a folder of its own (removed when dropped), so tests that copy the same
/// source never share one.
pub struct Copy {
    _scratch: tempfile::TempDir,
    pub dir: std::path::PathBuf,
}

impl Copy {
    pub fn of(source: &Path, case: &str) -> Self {
        let scratch = tempfile::Builder::new()
            .prefix(&format!("cpg-infra-review-{case}-"))
            .tempdir()
            .expect("scratch");
        let dir = scratch.path().to_path_buf();
        for entry in std::fs::read_dir(source).expect("source folder") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_file() {
                std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
            }
        }
        Self {
            _scratch: scratch,
            dir,
        }
    }

    /// Replaces `from` by `to` in `file` (which must contain it), or appends `to` when `from` is empty.
    pub fn edit(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let text = if from.is_empty() {
            format!("{text}{to}\n")
        } else {
            assert!(text.contains(from), "{file} contains {from}");
            text.replace(from, to)
        };
        std::fs::write(path, text).expect("write");
        self
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

/// The example organisation with one change per dataset kind: alpha-study archives
/// sooner, drops its release bucket and depends on gamma-bridge; beta-cohort's budget
/// grows; gamma-bridge (both clouds) archives later; reference is unchanged.
fn changed_example() -> Copy {
    let copy = Copy::of(&repo().join("stack"), "example");
    copy.edit(
        "Pulumi.alpha-study.yaml",
        "datasets:archive_age: \"365\"",
        "datasets:archive_age: \"30\"",
    )
    .edit(
        "Pulumi.alpha-study.yaml",
        "datasets:enable_release: \"true\"",
        "datasets:enable_release: \"false\"",
    )
    .edit(
        "Pulumi.alpha-study.yaml",
        "",
        "  datasets:depends_on: '[\"gamma-bridge\"]'",
    )
    .edit(
        "Pulumi.beta-cohort.yaml",
        "shared_project_budget: 400",
        "shared_project_budget: 500",
    )
    .edit(
        "Pulumi.gamma-bridge.yaml",
        "",
        "  datasets:archive_age: \"60\"",
    );
    copy
}

/// Runs `diff --format <format>` of the organisation in `copy` against the example's
/// `cpg.toml`.
fn diff_against_example(copy: &Copy, format: &str) -> std::process::Output {
    let base = repo().join("stack/cpg.toml");
    run(
        &repo(),
        &[
            "--config",
            &copy.path("cpg.toml"),
            "diff",
            "--base-config",
            base.to_str().expect("utf-8"),
            "--format",
            format,
        ],
        &[],
    )
}

fn diff_example(format: &str) -> (i32, String) {
    let out = diff_against_example(&changed_example(), format);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error"), "{stderr}");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn example_change_in_text() {
    let (code, text) = diff_example("text");
    assert_eq!(code, 3, "flagged: exit 3\n{text}");
    snapshot("diff-example-text", &text);
}

#[test]
fn example_change_in_json() {
    let (code, text) = diff_example("json");
    assert_eq!(code, 3);
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let datasets = json["datasets"].as_array().expect("datasets");
    assert_eq!(datasets.len(), 4);
    for dataset in datasets {
        for key in ["dataset", "cloud", "added", "removed", "changed", "flags"] {
            assert!(dataset.get(key).is_some(), "{key} in {dataset}");
        }
    }
    snapshot("diff-example-json", &text);
}

#[test]
fn example_change_in_markdown() {
    let (code, text) = diff_example("md");
    assert_eq!(code, 3);
    assert!(text.starts_with("## cpg-infra diff\n"));
    snapshot("diff-example-md", &text);
}

#[test]
fn no_change_exits_0() {
    let copy = Copy::of(&repo().join("stack"), "same");
    for format in ["text", "json", "md"] {
        let out = diff_against_example(&copy, format);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("\"kind\""), "{text}");
        if format == "text" {
            assert_eq!(text.matches("no changes").count(), 4, "{text}");
        }
    }
}

/// The flags of one reference dataset after `change` to its stack file, as
/// `(kind, resource)` pairs, with the exit code.
fn reference_flags(
    shared: &Path,
    dataset: &str,
    change: (&str, &str),
) -> (i32, Vec<(String, String)>, serde_json::Value) {
    let copy = Copy::of(&shared.join("reference/stacks"), dataset);
    copy.edit(&format!("Pulumi.{dataset}.yaml"), change.0, change.1);
    let base_config = shared.join("reference/cpg.toml");
    let base_stacks = shared.join("reference/stacks");
    let out = run(
        &repo(),
        &[
            "--config",
            base_config.to_str().expect("utf-8"),
            "--stack-dir",
            &copy.path(""),
            "--dataset",
            dataset,
            "diff",
            "--base-config",
            base_config.to_str().expect("utf-8"),
            "--base-stack-dir",
            base_stacks.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let entry = json["datasets"][0].clone();
    let flags = entry["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().expect("kind").to_owned(),
                f["resource"].as_str().expect("resource").to_owned(),
            )
        })
        .collect();
    (out.status.code().expect("exit"), flags, entry)
}

pub fn kinds(flags: &[(String, String)]) -> std::collections::BTreeSet<&str> {
    flags.iter().map(|(k, _)| k.as_str()).collect()
}

#[test]
fn reference_pairs_flag_exactly_what_changed() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared is absent; reference diff pairs skipped");
        return;
    };
    // Nothing changed.
    let (code, flags, entry) = reference_flags(&shared, "tob-wgs", ("", ""));
    assert_eq!((code, flags.len()), (0, 0), "{entry}");
    assert_eq!(entry["changed"], serde_json::json!([]));

    // A dependency added: the new stack reference and the memberships in its groups.
    let (code, flags, entry) = reference_flags(
        &shared,
        "fewgenomes",
        ("", "  datasets:depends_on: '[\"hgdp\"]'"),
    );
    assert_eq!(code, 3);
    assert_eq!(kinds(&flags), ["access-widening"].into(), "{entry}");
    assert!(flags.contains(&("access-widening".into(), "hgdp".into())));
    assert_eq!(
        flags.len(),
        5,
        "stack reference + access and three level groups: {entry}"
    );
    assert_eq!(entry["removed"], serde_json::json!([]));

    // Release enabled: a new billable bucket and the grants on it.
    let (code, flags, entry) = reference_flags(
        &shared,
        "fewgenomes",
        ("enable_release: \"false\"", "enable_release: \"true\""),
    );
    assert_eq!(code, 3);
    assert_eq!(kinds(&flags), ["access-widening", "cost"].into(), "{entry}");
    assert!(flags.contains(&("cost".into(), "cpg-fewgenomes-release".into())));
    assert!(flags.contains(&("access-widening".into(), "full-release-bucket-admin".into())));

    // Release disabled: the protected release bucket is lost, its readers narrow, and
    // the engine refuses to delete it (blocked).
    let (code, flags, entry) = reference_flags(
        &shared,
        "acute-care",
        ("enable_release: \"true\"", "enable_release: \"false\""),
    );
    assert_eq!(code, 3);
    assert_eq!(
        kinds(&flags),
        ["access-narrowing", "blocked", "data-loss"].into(),
        "{entry}"
    );
    let lost: Vec<_> = flags.iter().filter(|(k, _)| k == "data-loss").collect();
    assert_eq!(
        lost,
        [&("data-loss".to_owned(), "cpg-acute-care-release".to_owned())]
    );
    let blocked: Vec<_> = flags.iter().filter(|(k, _)| k == "blocked").collect();
    assert_eq!(
        blocked,
        [&("blocked".to_owned(), "cpg-acute-care-release".to_owned())]
    );
    let predicted = entry["predicted"].as_array().expect("predicted");
    let release = predicted
        .iter()
        .find(|p| p["name"] == "cpg-acute-care-release")
        .expect("the release bucket is predicted");
    assert_eq!(release["operation"], "delete");
    assert!(
        release["blocked"]
            .as_str()
            .is_some_and(|b| b.contains("protected")),
        "{release}"
    );

    // Components cut down to storage and Hail accounts: secrets are lost, access
    // narrows, nothing widens or costs more.
    let (code, flags, entry) = reference_flags(
        &shared,
        "hgdp",
        (
            "",
            "  datasets:components: '{\"gcp\": [\"storage\", \"hail-accounts\"]}'",
        ),
    );
    assert_eq!(code, 3);
    assert_eq!(
        kinds(&flags),
        ["access-narrowing", "data-loss"].into(),
        "{entry}"
    );
    assert!(flags.contains(&("data-loss".into(), "hgdp-cromwell-test-key".into())));
    assert_eq!(entry["added"], serde_json::json!([]));

    // Archive age changed: the archive bucket's lifecycle (cost), nothing else.
    let (code, flags, entry) = reference_flags(
        &shared,
        "rdnow",
        ("archive_age: \"365\"", "archive_age: \"30\""),
    );
    assert_eq!(code, 3);
    assert_eq!(
        flags,
        [("cost".to_owned(), "cpg-rdnow-archive".to_owned())],
        "{entry}"
    );
    assert_eq!(
        entry["changed"][0]["paths"],
        serde_json::json!([{"path": "lifecycleRules[0].condition.age", "old": "365", "new": "30"}])
    );
}
