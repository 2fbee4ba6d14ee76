//! `plan` against a base (the configuration that is deployed): every dataset's plan also
//! carries the engine's predicted step for each resource, the same prediction `diff`
//! makes, in every format; a blocked step makes the exit code 3.

use super::review::Copy;
use super::support::{repo, run};

/// The example organisation with `from` replaced by `to` in alpha-study's stack file.
fn alpha_changed(case: &str, from: &str, to: &str) -> Copy {
    let copy = Copy::of(&repo().join("stack"), case);
    copy.edit("Pulumi.alpha-study.yaml", from, to);
    copy
}

/// The test namespace dropped: its five buckets are deleted, and the provider deletes a
/// bucket without `forceDestroy` only when it is empty.
fn test_namespace_dropped() -> Copy {
    alpha_changed(
        "plan-blocked",
        "  datasets:gcp_hail_service_account_test: alpha-study-test-201@egi-hail.iam.gserviceaccount.com\n",
        "  datasets:setup_test: \"false\"\n",
    )
}

/// `cpg-infra-driver --config <copy> --dataset alpha-study <command...> --base-config
/// stack/cpg.toml`: (exit code, stdout).
fn against_example(copy: &Copy, command: &[&str]) -> (i32, String) {
    let base = repo().join("stack/cpg.toml");
    let config = copy.path("cpg.toml");
    let mut args = vec!["--config", &config, "--dataset", "alpha-study"];
    args.extend_from_slice(command);
    args.extend(["--base-config", base.to_str().expect("utf-8")]);
    let out = run(&repo(), &args, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error"), "{stderr}");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

/// The `predicted` steps of alpha-study in `plan --format json` and in `diff --format json`.
fn predicted_by_plan_and_diff(copy: &Copy) -> (i32, serde_json::Value, serde_json::Value) {
    let (code, plan) = against_example(copy, &["plan", "--format", "json"]);
    let (_, diff) = against_example(copy, &["diff", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&plan).expect("plan JSON");
    let diff: serde_json::Value = serde_json::from_str(&diff).expect("diff JSON");
    assert_eq!(plan[0]["dataset"], "alpha-study", "{plan}");
    (
        code,
        plan[0]["predicted"].clone(),
        diff["datasets"][0]["predicted"].clone(),
    )
}

#[test]
fn a_dropped_test_namespace_is_blocked_in_every_format() {
    let copy = test_namespace_dropped();
    let (code, from_plan, from_diff) = predicted_by_plan_and_diff(&copy);
    assert_eq!(code, 3, "a blocked step: exit 3");
    assert_eq!(from_plan, from_diff, "plan and diff predict the same steps");
    let steps = from_plan.as_array().expect("predicted");
    assert!(
        steps.iter().all(|s| s["operation"] == "delete"),
        "{from_plan}"
    );
    let blocked: Vec<&str> = steps
        .iter()
        .filter(|s| !s["blocked"].is_null())
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        blocked,
        [
            "egi-alpha-study-test",
            "egi-alpha-study-test-analysis",
            "egi-alpha-study-test-tmp",
            "egi-alpha-study-test-upload",
            "egi-alpha-study-test-web",
        ]
    );
    let reason = steps
        .iter()
        .find(|s| s["name"] == "egi-alpha-study-test")
        .map(|s| s["blocked"].as_str().expect("why"))
        .expect("the test bucket");
    assert!(reason.contains("forceDestroy is not set"), "{reason}");

    // The summary: the engine's steps and each blocked one under the dataset's line.
    let (code, text) = against_example(&copy, &["plan", "--detail", "--color", "never"]);
    assert_eq!(code, 3);
    let deletes = steps.len();
    assert!(
        text.contains(&format!(
            "  engine: {deletes} delete, 5 blocked (against the base)\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "    delete gcp:storage/bucket:Bucket egi-alpha-study-test-web: it is no longer planned\n      ! blocked: the provider deletes it only when it is empty (forceDestroy is not set)"
        ),
        "{text}"
    );
}

#[test]
fn the_summary_lists_blocked_steps() {
    let copy = test_namespace_dropped();
    let base = repo().join("stack/cpg.toml");
    let out = run(
        &repo(),
        &[
            "--config",
            &copy.path("cpg.toml"),
            "plan",
            "--color",
            "never",
            "--base-config",
            base.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    // Every dataset's line is followed by its engine line: beta-cohort's test group
    // leaves alpha-study's, which has none any more.
    assert_eq!(text.matches("  engine: no step\n").count(), 2, "{text}");
    assert!(
        text.contains("(gcp in australia-southeast1): 254 resources")
            && text.contains("  engine: 1 delete\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  ! blocked egi-alpha-study-test-tmp: delete of the gcp:storage/bucket:Bucket: the provider deletes it only when it is empty"
        ),
        "{text}"
    );
    assert_eq!(text.matches("  ! blocked ").count(), 5, "{text}");
}

#[test]
fn a_changed_archive_age_is_one_update_and_not_blocked() {
    let copy = alpha_changed(
        "plan-update",
        "datasets:archive_age: \"365\"",
        "datasets:archive_age: \"30\"",
    );
    let (code, from_plan, from_diff) = predicted_by_plan_and_diff(&copy);
    assert_eq!(code, 0, "nothing blocked: exit 0");
    assert_eq!(from_plan, from_diff);
    let steps = from_plan.as_array().expect("predicted");
    assert_eq!(steps.len(), 1, "{from_plan}");
    assert_eq!(steps[0]["operation"], "update");
    assert_eq!(steps[0]["name"], "egi-alpha-study-archive");
    assert!(steps[0]["blocked"].is_null());
    // One dataset: its resources, then the steps.
    let (code, text) = against_example(&copy, &["plan", "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        text.contains(
            "  engine: 1 update (against the base)\n    update gcp:storage/bucket:Bucket egi-alpha-study-archive: lifecycleRules"
        ),
        "{text}"
    );
    assert!(!text.contains("blocked"), "{text}");
}

#[test]
fn without_a_base_plan_predicts_nothing() {
    let out = run(
        &repo(),
        &[
            "--example",
            "--dataset",
            "alpha-study",
            "plan",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
    assert!(plan[0].get("predicted").is_none(), "{plan}");
}

#[test]
fn base_flags_are_checked() {
    // --base reads git, where the embedded example is not; a base folder needs a config.
    for (args, flag) in [
        (&["--example", "plan", "--base", "HEAD"][..], "--example"),
        (
            &[
                "--config",
                "stack/cpg.toml",
                "plan",
                "--base-stack-dir",
                "stack",
            ][..],
            "--base-stack-dir",
        ),
        (
            &[
                "--config",
                "stack/cpg.toml",
                "plan",
                "--base",
                "HEAD",
                "--base-config",
                "stack/cpg.toml",
            ][..],
            "--base",
        ),
    ] {
        let out = run(&repo(), args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
}

#[test]
fn base_at_a_git_revision_and_a_dataset_no_longer_configured() {
    let copy = Copy::of(&repo().join("stack"), "plan-git");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&copy.dir)
            .args(["-c", "user.email=ci@example.org", "-c", "user.name=ci"])
            .args(args)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "deployed"]);
    copy.edit(
        "Pulumi.alpha-study.yaml",
        "  datasets:gcp_hail_service_account_test: alpha-study-test-201@egi-hail.iam.gserviceaccount.com\n",
        "  datasets:setup_test: \"false\"\n",
    );
    std::fs::remove_file(copy.dir.join("Pulumi.beta-cohort.yaml")).expect("remove");
    let out = run(
        &copy.dir,
        &[
            "--config",
            &copy.path("cpg.toml"),
            "plan",
            "--color",
            "never",
            "--base",
            "HEAD",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("  ! blocked egi-alpha-study-test").count(),
        5,
        "{text}"
    );
    assert!(!text.contains("dataset beta-cohort"), "{text}");
    // The stack of a dataset gone from the configuration is not planned, and said so.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note: beta-cohort is in the base but no longer configured"),
        "{stderr}"
    );
}
