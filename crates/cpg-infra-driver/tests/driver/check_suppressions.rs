//! `check`'s suppressions: with a reason they silence a finding and stay listed, without one
//! (or with an unknown policy) they are an error, a stale one is reported.

use super::check::{check_json, text};
use super::check_allowed_members::{
    VISITOR, VISITOR_MEMBERSHIP, VISITOR_USER, groups_allow_external,
};
use super::support::{Scratch, run, stack};

#[test]
fn a_suppression_with_a_reason_silences_a_finding_and_stays_listed() {
    let reason = "the partner university's auditor, approved in ticket 42";
    let scratch = Scratch::new("check-suppressed")
        .file("Pulumi.delta.yaml", stack("delta", VISITOR))
        .edit("cpg.toml", groups_allow_external)
        .append("cpg.toml", VISITOR_USER)
        .append("cpg.toml", &format!(
            "\n[[infrastructure.check.suppress]]\npolicy = \"external-member\"\ndataset = \"delta\"\nresource = \"{VISITOR_MEMBERSHIP}\"\nreason = \"{reason}\"\n"
        ));
    let (code, report) = check_json(scratch.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["policy"] == "external-member")
        .expect("still listed");
    assert_eq!(finding["suppressed"], reason);
    assert_eq!(finding["severity"], "error");
    let out = run(scratch.path(), &["check"], &[]);
    assert!(
        text(&out.stdout).contains(&format!(
            "suppressed error [external-member] delta (gcp) {VISITOR_MEMBERSHIP}: "
        )),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains(&format!("(reason: {reason})")));
    // validate says nothing of suppressed findings.
    let out = run(scratch.path(), &["validate"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn a_suppression_without_a_reason_or_with_an_unknown_policy_is_an_error() {
    // The entry is appended after a blank line: its table header is two lines past the
    // example's last line.
    let header = std::fs::read_to_string(super::support::repo().join("stack/cpg.toml"))
        .expect("cpg.toml")
        .lines()
        .count()
        + 2;
    for (entry, expected) in [
        (
            "policy = \"external-member\"\n",
            format!("cpg.toml:{header}:1: missing key `reason`: add it to this table"),
        ),
        (
            "policy = \"external-member\"\nreason = \" \"\n",
            format!(
                "cpg.toml:{}:10: infrastructure.check.suppress.reason: must not be empty: say why the finding is accepted",
                header + 2
            ),
        ),
        (
            "policy = \"public-acess\"\nreason = \"typo\"\n",
            format!(
                "cpg.toml:{}:10: infrastructure.check.suppress.policy: unknown policy `public-acess`, expected one of `public-access`, ",
                header + 1
            ),
        ),
    ] {
        let scratch = Scratch::new("check-bad-suppression").append(
            "cpg.toml",
            &format!("\n[[infrastructure.check.suppress]]\n{entry}"),
        );
        for command in ["check", "validate"] {
            let out = run(scratch.path(), &[command], &[]);
            assert_eq!(out.status.code(), Some(1), "{entry}");
            let stderr = text(&out.stderr);
            assert!(
                stderr.starts_with("error: ") && stderr.contains(&expected),
                "{entry}: {stderr}"
            );
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn a_stale_suppression_is_reported() {
    let scratch = Scratch::new("check-stale").append(
        "cpg.toml",
        "\n[[infrastructure.check.suppress]]\npolicy = \"public-access\"\ndataset = \"reference\"\nreason = \"nothing is public\"\n",
    );
    let (code, report) = check_json(scratch.path(), &[]);
    assert_eq!(code, 0, "a stale suppression is a warning");
    assert_eq!(
        report["stale_suppressions"],
        serde_json::json!([{
            "number": 1,
            "policy": "public-access",
            "dataset": "reference",
            "resource": null,
            "reason": "nothing is public",
        }])
    );
    let out = run(scratch.path(), &["validate"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "warning: [public-access] suppression 1 of [[infrastructure.check.suppress]] (dataset reference) matches no finding: remove it, or correct its dataset or resource\n"
    );
    // With --cloud the run cannot judge it: another cloud's plan is not the deployed one.
    let (_, report) = check_json(scratch.path(), &["--cloud", "azure"]);
    assert_eq!(report["stale_suppressions"], serde_json::json!([]));
}
