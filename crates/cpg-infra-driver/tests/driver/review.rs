//! `diff`: what a change does, on the example organisation (golden output in every
//! format), on real reference stack pairs (each change flags exactly what it
//! changes), with a git revision as the base, and on hand-made plans (secrets,
//! aliases, replacements).

use std::path::Path;
use std::process::Command;

use cpg_infra_abstraction::{Alias, Plan, Resource, Value};
use cpg_infra_driver::review::diff::{FlagKind, diff};
use cpg_infra_driver::review::predict::Operation;

use super::support::{repo, run, shared};

/// A copy of a stack folder (with its cpg.toml) in a scratch folder.
/// Each copy is a folder of its own (removed when dropped), so tests that copy the same
/// source never share one.
struct Copy {
    _scratch: tempfile::TempDir,
    dir: std::path::PathBuf,
}

impl Copy {
    fn of(source: &Path, case: &str) -> Self {
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
    fn edit(&self, file: &str, from: &str, to: &str) -> &Self {
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

    fn path(&self, name: &str) -> String {
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

fn diff_example(format: &str) -> (i32, String) {
    let copy = changed_example();
    let base = repo().join("stack/cpg.toml");
    let out = run(
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
    );
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
    let base = repo().join("stack/cpg.toml");
    for format in ["text", "json", "md"] {
        let out = run(
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
        );
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

fn kinds(flags: &[(String, String)]) -> std::collections::BTreeSet<&str> {
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

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=ci@example.org", "-c", "user.name=ci"])
        .args(args)
        .output()
        .expect("git");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

#[test]
fn base_at_a_git_revision() {
    let copy = Copy::of(&repo().join("stack"), "git");
    let dir = copy.dir.clone();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "base"]);
    let args = |rev: &str| {
        vec![
            "--config".to_owned(),
            copy.path("cpg.toml"),
            "diff".to_owned(),
            "--base".to_owned(),
            rev.to_owned(),
        ]
    };
    let diff_at = |rev: &str| {
        let args = args(rev);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&dir, &args, &[])
    };
    let same = diff_at("HEAD");
    assert_eq!(same.status.code(), Some(0), "{same:?}");
    copy.edit(
        "Pulumi.alpha-study.yaml",
        "datasets:archive_age: \"365\"",
        "datasets:archive_age: \"30\"",
    );
    let changed = diff_at("HEAD");
    assert_eq!(changed.status.code(), Some(3), "{changed:?}");
    let text = String::from_utf8_lossy(&changed.stdout);
    assert!(
        text.contains("lifecycleRules[0].condition.age: 365 -> 30"),
        "{text}"
    );
    // A stack file added since the base: a dataset whose every resource is added.
    // (its own GCP project and Hail accounts: the copy's would be reference's)
    let reference = std::fs::read_to_string(dir.join("Pulumi.reference.yaml")).expect("read");
    std::fs::write(
        dir.join("Pulumi.delta-new.yaml"),
        reference
            .replace("egi-reference-4821", "egi-delta-new-4821")
            .replace("reference-", "delta-new-"),
    )
    .expect("write");
    let added = diff_at("HEAD");
    let text = String::from_utf8_lossy(&added.stdout);
    assert!(text.contains("dataset delta-new (gcp): "), "{text}");
    std::fs::remove_file(dir.join("Pulumi.delta-new.yaml")).expect("remove");

    let unknown = diff_at("no-such-branch");
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("--base no-such-branch: unknown revision"),
        "{stderr}"
    );

    // A base revision whose stack file is invalid names the file as REV:path.
    copy.edit(
        "Pulumi.beta-cohort.yaml",
        "shared_project_budget: 400",
        "shared_project_budget: lots",
    );
    git(&dir, &["commit", "-qam", "broken"]);
    copy.edit(
        "Pulumi.beta-cohort.yaml",
        "shared_project_budget: lots",
        "shared_project_budget: 400",
    );
    let broken = diff_at("HEAD");
    assert_eq!(broken.status.code(), Some(1), "{broken:?}");
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("HEAD:Pulumi.beta-cohort.yaml"), "{stderr}");
    assert!(
        !stderr.contains("cpg-infra-base-"),
        "no temporary path: {stderr}"
    );
}

#[test]
fn base_path_absent_at_the_revision() {
    let copy = Copy::of(&repo().join("stack"), "git-absent");
    let dir = copy.dir.clone();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "Pulumi.reference.yaml"]);
    git(&dir, &["commit", "-qm", "only a stack file"]);
    let out = run(
        &dir,
        &["--config", &copy.path("cpg.toml"), "diff", "--base", "HEAD"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cpg.toml does not exist at HEAD"),
        "{stderr}"
    );
}

#[test]
fn usage_errors() {
    let out = run(&repo(), &["--example", "diff"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&repo(), &["--example", "diff", "--base", "HEAD"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &repo(),
        &[
            "--example",
            "diff",
            "--base",
            "HEAD",
            "--base-config",
            "x.toml",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &repo(),
        &["--example", "diff", "--base-stack-dir", "x"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
}

fn plan_of(resources: Vec<Resource>) -> Plan {
    let mut plan = Plan::new("d", "gcp");
    for resource in resources {
        plan.add(resource);
    }
    plan
}

const BUCKET: &str = "gcp:storage/bucket:Bucket";

#[test]
fn secrets_are_masked_in_changed_paths() {
    let secret = |s: &str| Value::Secret(Box::new(Value::str(s)));
    let old = plan_of(vec![
        Resource::new("gcp:secretmanager/secretVersion:SecretVersion", "v")
            .prop("secretData", secret("hunter2-old")),
    ]);
    let new = plan_of(vec![
        Resource::new("gcp:secretmanager/secretVersion:SecretVersion", "v")
            .prop("secretData", secret("hunter2-new")),
    ]);
    let d = diff(Some(&old), Some(&new));
    let text = format!("{d:?}");
    assert!(!text.contains("hunter2"), "{text}");
    let paths = &d.changed[0].paths;
    assert_eq!(paths[0].old.as_deref(), Some("[secret]"));
    assert_eq!(paths[0].new.as_deref(), Some("[secret] (changed)"));
    let json = cpg_infra_driver::review::diff_report::json(std::slice::from_ref(&d)).to_string();
    let md = cpg_infra_driver::review::diff_report::markdown(std::slice::from_ref(&d));
    let plain = cpg_infra_driver::review::diff_report::text(&[d]);
    for out in [json, md, plain] {
        assert!(!out.contains("hunter2"), "{out}");
    }
}

#[test]
fn an_alias_keeps_the_urn_and_a_renamed_bucket_is_replaced() {
    let old = plan_of(vec![
        Resource::new("gcp:serviceAccount/account:Account", "sa").prop("accountId", "sa"),
        Resource::new(BUCKET, "main").prop("name", "egi-d-main"),
    ]);
    let mut account =
        Resource::new("gcp:serviceaccount/account:Account", "sa").prop("accountId", "sa");
    account
        .options
        .aliases
        .push(Alias::Type("gcp:serviceAccount/account:Account".to_owned()));
    let new = plan_of(vec![
        account,
        Resource::new(BUCKET, "main-bucket").prop("name", "egi-d-main"),
    ]);
    let d = diff(Some(&old), Some(&new));
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
    assert_eq!(d.replaced.len(), 1, "{d:?}");
    assert_eq!(d.replaced[0].old.name, "main");
    assert_eq!(d.replaced[0].new.name, "main-bucket");
    let kinds: Vec<FlagKind> = d.flags.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [FlagKind::DataLoss, FlagKind::Replace, FlagKind::Blocked],
        "{d:?}"
    );
    // The aliased account is a change of type only, not a replacement.
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].paths[0].path, "type");
    // The engine creates the new URN and deletes the old one; the bucket without
    // forceDestroy is deleted only when empty; the aliased account takes no step.
    let steps: Vec<(&str, Operation, bool)> = d
        .predicted
        .iter()
        .map(|p| (p.name.as_str(), p.operation, p.blocked.is_some()))
        .collect();
    assert_eq!(
        steps,
        [
            ("main", Operation::Delete, true),
            ("main-bucket", Operation::Create, false)
        ],
        "{d:?}"
    );
}

#[test]
fn protect_removed_and_delete_rule_shortened_are_data_loss() {
    let rule = |age: i64| {
        Value::List(vec![Value::object([
            ("action", Value::object([("type", Value::str("Delete"))])),
            ("condition", Value::object([("age", Value::Int(age))])),
        ])])
    };
    let old = plan_of(vec![
        Resource::new(BUCKET, "b")
            .prop("name", "egi-b")
            .prop("lifecycleRules", rule(30))
            .protect(true),
    ]);
    let new = plan_of(vec![
        Resource::new(BUCKET, "b")
            .prop("name", "egi-b")
            .prop("lifecycleRules", rule(7)),
    ]);
    let d = diff(Some(&old), Some(&new));
    let reasons: Vec<String> = d
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::DataLoss)
        .map(|f| f.reason.clone())
        .collect();
    assert_eq!(reasons.len(), 2, "{d:?}");
    assert!(reasons.iter().any(|r| r.contains("protect is removed")));
    assert!(reasons.iter().any(|r| r.contains("from 30 to 7 days")));
    // A longer delete rule is a cost change only.
    let d = diff(Some(&new), Some(&old));
    assert!(
        d.flags.iter().all(|f| f.kind != FlagKind::DataLoss),
        "{d:?}"
    );
}

#[test]
fn a_selected_dataset_that_does_not_load_is_an_error_not_a_removal() {
    let base = super::support::Scratch::example("diff-broken-base");
    let broken = super::support::Scratch::example("diff-broken").append(
        "Pulumi.alpha-study.yaml",
        "  datasets:setup_test: \"false\"\n",
    );
    let config = base.path().join("cpg.toml");
    let out = broken.run(&[
        "--dataset",
        "alpha-study",
        "diff",
        "--base-config",
        config.to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Pulumi.alpha-study.yaml") && stderr.contains("setup_test"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no report of a removed dataset");
}
