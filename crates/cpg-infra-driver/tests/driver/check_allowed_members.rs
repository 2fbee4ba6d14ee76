//! `check` on members from outside: external members of the organisation's groups, and
//! members outside the domain, which need the allow-list.

use super::check::{check_json, rows, text};
use super::support::{Scratch, run, stack};

/// A person outside the domain, a user of the registry in a dataset group (sample-metadata
/// keys hold machine accounts only).
pub const VISITOR: &str = "  datasets:members: '{\"sample-metadata-main-read\": [\"visitor\"]}'\n";
pub const VISITOR_USER: &str =
    "\n[infrastructure.users.visitor.clouds.gcp]\nid = \"visitor@partner-uni.edu\"\n";
pub const VISITOR_MEMBERSHIP: &str = "members/sample-metadata-main-read/visitor";

/// `cpg.toml` of an organisation whose Google groups accept external members (the
/// visitor joins a sample-metadata group).
pub fn groups_allow_external(text: String) -> String {
    text.replacen(
        "[infrastructure.gcp]\n",
        "[infrastructure.gcp]\ngroups_allow_external_members = true\n",
        1,
    )
}

#[test]
fn external_group_members_are_errors_unless_the_organisations_groups_accept_them() {
    let scratch = Scratch::new("check-external-group")
        .file("Pulumi.delta.yaml", stack("delta", VISITOR))
        .append("cpg.toml", VISITOR_USER);
    let out = run(scratch.path(), &["validate"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{VISITOR_MEMBERSHIP}: `visitor@partner-uni.edu` is outside example-institute.org and the organisation's groups do not accept external members")),
        "{stderr}"
    );
    assert!(
        stderr.contains("groups_allow_external_members = true"),
        "{stderr}"
    );
    let allowed = scratch.edit("cpg.toml", groups_allow_external);
    let out = run(allowed.path(), &["validate"], &[]);
    assert!(
        !text(&out.stderr).contains("do not accept external members"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn members_outside_the_domain_need_the_allow_list() {
    let scratch = Scratch::new("check-external")
        .file("Pulumi.delta.yaml", stack("delta", VISITOR))
        .edit("cpg.toml", groups_allow_external)
        .append("cpg.toml", VISITOR_USER);
    let (code, report) = check_json(scratch.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let external: Vec<_> = rows(&report)
        .into_iter()
        .filter(|(policy, ..)| policy == "external-member")
        .collect();
    assert_eq!(
        external,
        [(
            "external-member".to_owned(),
            "delta".to_owned(),
            VISITOR_MEMBERSHIP.to_owned(),
            false
        )]
    );
    let message = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["policy"] == "external-member")
        .expect("finding")["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(
        message.contains("the user `visitor@partner-uni.edu`, outside example-institute.org"),
        "{message}"
    );
    let out = run(scratch.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains(&format!(
            "error [external-member] delta (gcp) {VISITOR_MEMBERSHIP}: "
        )),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).contains("error: policy errors: fix each"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("check-external-member-text", text(&out.stdout)));
    // A domain on the allow-list lets its members in.
    for allowed in ["\"@partner-uni.edu\"", "\"Visitor@partner-uni.edu\""] {
        let scratch = Scratch::new("check-external-allowed")
            .file("Pulumi.delta.yaml", stack("delta", VISITOR))
            .edit("cpg.toml", groups_allow_external)
            .append("cpg.toml", VISITOR_USER)
            .append(
                "cpg.toml",
                &format!("\n[infrastructure.check]\nallowed_external_members = [{allowed}]\n"),
            );
        let (code, report) = check_json(scratch.path(), &[]);
        assert_eq!(code, 0, "{allowed}: {report:#}");
        assert!(rows(&report).iter().all(|(p, ..)| p != "external-member"));
    }
}
