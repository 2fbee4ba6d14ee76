//! `diff` with a git revision as the base (the stack folder as it was then), and its usage
//! errors.

use std::path::Path;
use std::process::Command;

use super::review::Copy;
use super::support::{repo, run};

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
