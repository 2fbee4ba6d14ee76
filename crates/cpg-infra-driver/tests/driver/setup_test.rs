//! The optional test namespace: `datasets:setup_test: "false"` on the example
//! organisation drops the test buckets, accounts and groups and every grant naming them,
//! notes what was left out, keeps dependants from reading a `test` group that is not
//! exported, rejects test-level accounts, and `diff` shows it.

use super::support::Scratch;

/// alpha-study without its test level (its test Hail account removed).
fn without_test(text: String) -> String {
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| !line.contains("gcp_hail_service_account_test"))
        .collect();
    format!("{}\n  datasets:setup_test: \"false\"\n", kept.join("\n"))
}

fn names(program: &serde_json::Value) -> Vec<String> {
    program["resources"]
        .as_object()
        .expect("resources")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn no_test_namespace_drops_its_resources_on_both_clouds() {
    let scratch = Scratch::example("setup-test-off").edit("Pulumi.alpha-study.yaml", without_test);
    let before = Scratch::example("setup-test-on");
    for cloud in ["gcp", "azure"] {
        let program = scratch.program("alpha-study", cloud);
        let names = names(&program);
        let text = program.to_string();
        let prefix = if cloud == "azure" { "azure-" } else { "" };
        // The test buckets, the test group, the test accounts, the test sm groups are gone...
        let (test_bucket, main_bucket) = if cloud == "azure" {
            ("azure-container-test", "azure-container-main")
        } else {
            ("egi-alpha-study-test", "egi-alpha-study-main")
        };
        for gone in [
            test_bucket,
            "alpha-study-test\"",
            "cromwell-test",
            "dataproc-test",
            "sample-metadata-test-read",
            "alpha-study-test-group-id",
        ] {
            assert!(!text.contains(gone), "{cloud}: {gone} still in the program");
        }
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with(&format!("{prefix}test-"))),
            "{cloud}: {:?}",
            names
                .iter()
                .filter(|n| n.contains("test"))
                .collect::<Vec<_>>()
        );
        // ... and the rest is still there.
        for kept in [main_bucket, "alpha-study-standard", "cromwell-standard"] {
            assert!(text.contains(kept), "{cloud}: {kept} missing");
        }
        let with_test = before.program("alpha-study", cloud);
        assert!(names.len() < self::names(&with_test).len(), "{cloud}");
        // The plan says what was left out.
        let plan = scratch.plan("alpha-study", cloud);
        let notes = plan[0]["diagnostics"].to_string();
        assert!(
            notes.contains("setup_test is false: not created: the alpha-study-test group")
                && notes.contains("test-upload")
                && notes.contains("cromwell-test"),
            "{cloud}: {notes}"
        );
    }
}

#[test]
fn a_dependant_does_not_read_a_missing_test_group() {
    // beta-cohort depends on alpha-study, which has no test level.
    let scratch =
        Scratch::example("setup-test-dependant").edit("Pulumi.alpha-study.yaml", without_test);
    let program = scratch.program("beta-cohort", "gcp").to_string();
    assert!(!program.contains("alpha-study-test-group-id"), "{program}");
    assert!(
        program.contains("alpha-study-standard-group-id"),
        "{program}"
    );
    let plan = scratch.plan("beta-cohort", "gcp");
    let warnings = plan[0]["diagnostics"].to_string();
    assert!(
        warnings.contains("dataset alpha-study has setup_test = false and exports no test group"),
        "{warnings}"
    );
}

#[test]
fn a_test_level_account_without_the_test_namespace_is_an_error() {
    let scratch = Scratch::example("setup-test-account").edit("Pulumi.alpha-study.yaml", |t| {
        format!("{t}  datasets:setup_test: \"false\"\n")
    });
    let out = scratch.run(&["validate"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("alpha-study")
            && stderr.contains(
                "datasets:gcp_hail_service_account_test is set but datasets:setup_test is false"
            ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn diff_shows_the_test_namespace_removed() {
    let base = Scratch::example("setup-test-diff-base");
    let current = Scratch::example("setup-test-diff").edit("Pulumi.alpha-study.yaml", without_test);
    let (exit, report) = current.diff_from(&base, "alpha-study", "gcp");
    assert_eq!(exit, 3, "{report}");
    let entry = &report["datasets"][0];
    let removed = entry["removed"].to_string();
    assert!(removed.contains("egi-alpha-study-test-upload"), "{removed}");
    let flags = entry["flags"].to_string();
    assert!(
        flags.contains("data-loss") && flags.contains("egi-alpha-study-test"),
        "{flags}"
    );
}

#[test]
fn members_of_a_left_out_test_group_are_an_error() {
    let scratch = Scratch::example("setup-test-members")
        .edit("cpg.toml", |t| {
            format!(
                "{t}\n[infrastructure.users.sam.clouds.gcp]\nid = \"sam@example-institute.org\"\n"
            )
        })
        .edit("Pulumi.alpha-study.yaml", |t| {
            format!(
                "{}  datasets:members: '{{\"test\": [\"sam\"], \"standard\": [\"sam\"]}}'\n",
                without_test(t)
            )
        });
    let out = scratch.run(&["validate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("datasets:members.test: the group is part of the test namespace"),
        "{stderr}"
    );
    assert!(!stderr.contains("members.standard"), "{stderr}");
}
