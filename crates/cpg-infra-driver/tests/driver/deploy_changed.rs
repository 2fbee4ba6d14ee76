//! `deploy --changed --base REV`: only the stacks whose program changed since REV,
//! or that read a stack output whose value changed, run; the others are listed as
//! skipped with their reason; `deploy --base REV` does not start a stack with a blocked
//! step unless told to. A stand-in `pulumi` records the stacks it is run for.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::{ORGANISATION_GROUPS, repo, run};

/// A git repository holding a copy of the example organisation (`stack/`), committed,
/// and a stand-in `pulumi` that appends `<stack>` to `pulumi.log`.
struct Repo {
    dir: PathBuf,
}

impl Repo {
    fn new(case: &str) -> Self {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("deploy-changed-{case}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("stack")).expect("scratch");
        for entry in std::fs::read_dir(repo().join("stack")).expect("stack") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_file() {
                std::fs::copy(entry.path(), dir.join("stack").join(entry.file_name()))
                    .expect("copy");
            }
        }
        let pulumi = dir.join("pulumi");
        std::fs::write(
            &pulumi,
            "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --stack ] && echo \"$2\" >> \"$LOG\"; shift; done\n",
        )
        .expect("fake pulumi");
        std::fs::set_permissions(&pulumi, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let repo = Self { dir };
        repo.git(&["init", "-q"]);
        repo.git(&["add", "stack"]);
        repo.git(&["commit", "-qm", "base"]);
        repo
    }

    fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(["-c", "user.email=ci@example.org", "-c", "user.name=ci"])
            .args(args)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    fn append(&self, file: &str, line: &str) {
        let path = self.dir.join("stack").join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(path, format!("{text}{line}\n")).expect("write");
    }

    /// Runs `deploy --changed --base HEAD --preview`: (exit code, stderr, stacks run).
    fn deploy(&self, extra: &[&str]) -> (i32, String, Vec<String>) {
        self.deploy_from_head(&["--preview", "--changed"], extra)
    }

    /// Runs `deploy` with `mode` flags, `--base HEAD` and `extra` flags: (exit code,
    /// stderr, stacks run).
    fn deploy_from_head(&self, mode: &[&str], extra: &[&str]) -> (i32, String, Vec<String>) {
        let log = self.dir.join("pulumi.log");
        let _ = std::fs::remove_file(&log);
        let pulumi = self.dir.join("pulumi");
        let mut args = vec!["--config", "stack/cpg.toml", "deploy"];
        args.extend_from_slice(mode);
        args.extend_from_slice(&[
            "--base",
            "HEAD",
            "--pulumi",
            pulumi.to_str().expect("utf-8"),
        ]);
        args.extend_from_slice(extra);
        let out = run(&self.dir, &args, &[("LOG", log.to_str().expect("utf-8"))]);
        let stacks = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        (
            out.status.code().expect("exit code"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            stacks,
        )
    }

    fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn nothing_changed_runs_nothing() {
    let repo = Repo::new("none");
    let (code, stderr, stacks) = repo.deploy(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stacks.is_empty(), "{stacks:?}");
    for dataset in ["alpha-study", "beta-cohort", "gamma-bridge", "reference"] {
        assert!(
            stderr.contains(&format!(
                "skipping {dataset}: its program and the outputs it reads are unchanged"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn only_the_changed_stack_runs() {
    let repo = Repo::new("one");
    repo.append(
        "Pulumi.alpha-study.yaml",
        "  datasets:depends_on: '[\"gamma-bridge\"]'",
    );
    let (code, stderr, stacks) = repo.deploy(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stacks, ["alpha-study"], "{stderr}");
    assert!(
        stderr.contains("running alpha-study: its program changed"),
        "{stderr}"
    );
    assert!(stderr.contains("skipping beta-cohort: "), "{stderr}");
    assert!(
        stderr.contains(
            "only the changed stacks run; their dependencies are assumed deployed: reference"
        ),
        "{stderr}"
    );
}

#[test]
fn a_stack_that_reads_a_changed_output_runs_after_it() {
    // The reference dataset moves onto Azure too: it now exports its groups' Azure ids,
    // which gamma-bridge's Azure side reads; gamma-bridge's own program is unchanged.
    let repo = Repo::new("outputs");
    repo.append(
        "Pulumi.reference.yaml",
        "  datasets:deploy_locations: '[\"gcp\", \"azure\"]'",
    );
    let (code, stderr, stacks) = repo.deploy(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stacks, ["reference", "gamma-bridge"], "{stderr}");
    assert!(
        stderr.contains("and it reads changed outputs reference/reference-access-group-id-azure"),
        "{stderr}"
    );
    assert!(stderr.contains("skipping alpha-study: "), "{stderr}");
}

#[test]
fn a_new_stack_runs_and_dataset_narrows_the_choice() {
    let repo = Repo::new("new");
    std::fs::copy(
        repo.path().join("stack/Pulumi.reference.yaml"),
        repo.path().join("stack/Pulumi.delta-new.yaml"),
    )
    .expect("copy");
    // A dataset of its own GCP project and Hail accounts (the copy's would be reference's).
    let delta = repo.path().join("stack/Pulumi.delta-new.yaml");
    let text = std::fs::read_to_string(&delta).expect("read");
    std::fs::write(
        &delta,
        text.replace("egi-reference-4821", "egi-delta-new-4821")
            .replace("reference-", "delta-new-"),
    )
    .expect("write");
    repo.append(
        "Pulumi.alpha-study.yaml",
        "  datasets:depends_on: '[\"gamma-bridge\"]'",
    );
    let (code, stderr, mut stacks) = repo.deploy(&[]);
    assert_eq!(code, 0, "{stderr}");
    stacks.sort();
    assert_eq!(stacks, ["alpha-study", "delta-new"], "{stderr}");
    assert!(
        stderr.contains("running delta-new: new since the base"),
        "{stderr}"
    );
    let (code, stderr, stacks) = repo.deploy(&["--dataset", "delta-new"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stacks, ["delta-new"], "{stderr}");
}

#[test]
fn changed_and_allow_blocked_need_base() {
    let repo = Repo::new("usage");
    let out = run(
        repo.path(),
        &["--config", "stack/cpg.toml", "deploy", "--changed"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        repo.path(),
        &["--config", "stack/cpg.toml", "deploy", "--allow-blocked"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "--allow-blocked needs --base");
    let (code, stderr, _) = {
        let out = run(
            repo.path(),
            &[
                "--config",
                "stack/cpg.toml",
                "deploy",
                "--preview",
                "--changed",
                "--base",
                "nope",
            ],
            &[],
        );
        (
            out.status.code().expect("code"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            (),
        )
    };
    assert_eq!(code, 1);
    assert!(stderr.contains("--base nope: unknown revision"), "{stderr}");
}

#[test]
fn a_change_to_an_organisation_groups_members_runs_every_dataset_that_expands_it() {
    let repo = Repo::new("group-members");
    repo.append("cpg.toml", ORGANISATION_GROUPS);
    repo.append(
        "Pulumi.alpha-study.yaml",
        "  datasets:members: '{\"access\": [\"group:data-managers\"]}'",
    );
    repo.git(&["commit", "-qam", "an organisation group"]);
    let cpg = repo.path().join("stack/cpg.toml");
    let text = std::fs::read_to_string(&cpg).expect("read");
    std::fs::write(
        &cpg,
        text.replace(
            "name = \"platform\"\nmembers = [\"sam-jones\"]",
            "name = \"platform\"\nmembers = [\"alex.smith\"]",
        ),
    )
    .expect("write");
    let (code, stderr, mut stacks) = repo.deploy(&[]);
    assert_eq!(code, 0, "{stderr}");
    stacks.sort();
    // The inner group's members changed: the reference's program holds the groups'
    // memberships; alpha-study's holds data-managers' users (through platform too),
    // expanded into its access group.
    assert_eq!(stacks, ["alpha-study", "reference"], "{stderr}");
    assert!(
        stderr.contains("running alpha-study: its program changed"),
        "{stderr}"
    );
    assert!(stderr.contains("skipping beta-cohort: "), "{stderr}");
}

/// Runs `deploy --base HEAD` (an up, `--yes`) with `extra` flags: (exit code, stderr,
/// stacks run).
fn up_from_head(repo: &Repo, extra: &[&str]) -> (i32, String, Vec<String>) {
    repo.deploy_from_head(&["--yes"], extra)
}

#[test]
fn a_blocked_step_stops_deploy_unless_allowed() {
    let repo = Repo::new("blocked");
    let path = repo.path().join("stack/Pulumi.alpha-study.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace(
            "datasets:enable_release: \"true\"",
            "datasets:enable_release: \"false\"",
        ),
    )
    .expect("write");
    // The protected release bucket would be deleted: `pulumi up` fails there.
    let (code, stderr, stacks) = up_from_head(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stacks.is_empty(), "no stack starts: {stacks:?}");
    assert!(
        stderr.contains(
            "blocked alpha-study egi-alpha-study-release: delete of the gcp:storage/bucket:Bucket"
        ) && stderr.contains("it is protected")
            && stderr.contains("--allow-blocked"),
        "{stderr}"
    );
    let (code, stderr, stacks) = up_from_head(&repo, &["--allow-blocked"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stacks.contains(&"alpha-study".to_owned()), "{stacks:?}");
    // Nothing blocked: every stack runs.
    repo.git(&["commit", "-qam", "release off"]);
    let (code, stderr, stacks) = up_from_head(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stacks.len(), 4, "{stacks:?}");
}
