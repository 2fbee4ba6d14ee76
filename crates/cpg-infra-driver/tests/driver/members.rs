//! Members as code on the example organisation: the users registry
//! and organisation groups of `cpg.toml`, a dataset's `members`, their validation errors
//! and the memberships they become on each cloud.

use super::support::{ORGANISATION_GROUPS, Scratch, declares};

/// The example with the registry, and `alpha-study` (GCP only) giving its access and
/// web-access groups members.
fn members_example(case: &str) -> Scratch {
    Scratch::example(case).append("cpg.toml", ORGANISATION_GROUPS).append(
        "Pulumi.alpha-study.yaml",
        "  datasets:members: '{\"access\": [\"alex.smith\", \"sam-jones\"], \"web-access\": [\"group:data-managers\"]}'\n",
    )
}

fn failure(scratch: &Scratch, args: &[&str]) -> String {
    let out = scratch.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

#[test]
fn the_registry_validates() {
    let scratch = members_example("members-valid");
    scratch.succeeds(&["validate"]);
}

#[test]
fn unknown_users_groups_and_kinds_are_errors() {
    let scratch = Scratch::example("members-unknown")
        .append("cpg.toml", ORGANISATION_GROUPS)
        .append(
            "Pulumi.alpha-study.yaml",
            "  datasets:members: '{\"access\": [\"alex.smyth\", \"group:data-manager\"], \"analysis\": [\"alex.smith\"]}'\n",
        );
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains("datasets:members.analysis: unknown group kind `analysis`"),
        "{stderr}"
    );
    assert!(stderr.contains("Pulumi.alpha-study.yaml"), "{stderr}");
    // The kind error is reported by the reader; fix it to see the rest.
    let scratch = Scratch::example("members-unknown-2")
        .append("cpg.toml", ORGANISATION_GROUPS)
        .append(
            "Pulumi.alpha-study.yaml",
            "  datasets:members: '{\"access\": [\"alex.smyth\", \"group:data-manager\"]}'\n",
        );
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains(
            "datasets:members.access: unknown user `alex.smyth`; did you mean `alex.smith`?"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "unknown organisation group `data-manager`; did you mean `group:data-managers`?"
        ),
        "{stderr}"
    );
}

#[test]
fn a_user_without_an_id_on_a_cloud_of_the_dataset_is_an_error() {
    // gamma-bridge deploys to gcp and azure; sam-jones has only a GCP id.
    let scratch = Scratch::example("members-no-id")
        .append("cpg.toml", ORGANISATION_GROUPS)
        .append(
            "Pulumi.gamma-bridge.yaml",
            "  datasets:members: '{\"standard\": [\"sam-jones\", \"alex.smith\"]}'\n",
        );
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains("dataset gamma-bridge")
            && stderr.contains("datasets:members.standard: user `sam-jones` has no id on azure"),
        "{stderr}"
    );
    assert!(!stderr.contains("`alex.smith` has no id"), "{stderr}");
}

#[test]
fn organisation_group_cycles_and_unknown_members_are_errors() {
    let cycle = ORGANISATION_GROUPS.replace(
        "members = [\"sam-jones\"]",
        "members = [\"sam-jones\", \"group:data-managers\", \"nobody\"]",
    );
    let scratch = Scratch::example("members-cycle").append("cpg.toml", &cycle);
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains("infrastructure.adhoc_groups: the groups contain each other in a cycle (data-managers -> platform -> data-managers)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("infrastructure.adhoc_groups[1].members[2]: unknown user `nobody`"),
        "{stderr}"
    );
}

#[test]
fn ids_must_have_their_cloud_s_shape() {
    let bad = ORGANISATION_GROUPS
        .replace("alex.smith@example-institute.org", "alex.smith")
        .replace("0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f", "alex-object");
    let scratch = Scratch::example("members-bad-ids").append("cpg.toml", &bad);
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains(
            "infrastructure.users.alex.smith.clouds.gcp.id: invalid e-mail address `alex.smith`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("infrastructure.users.alex.smith.clouds.azure.id: must be a GUID"),
        "{stderr}"
    );
}

#[test]
fn a_group_that_does_not_exist_cannot_have_members() {
    // gamma-bridge has no release bucket, so no release-access group.
    let scratch = Scratch::example("members-no-group")
        .append("cpg.toml", ORGANISATION_GROUPS)
        .append(
            "Pulumi.gamma-bridge.yaml",
            "  datasets:members: '{\"release-access\": [\"alex.smith\"]}'\n",
        );
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains("datasets:members.release-access: the release-access group exists only with datasets:enable_release"),
        "{stderr}"
    );
}

#[test]
fn organisation_group_names_cannot_take_other_groups_names() {
    let reserved =
        ORGANISATION_GROUPS.replace("name = \"data-managers\"", "name = \"org-config-viewers\"");
    let scratch = Scratch::example("members-reserved-name").append("cpg.toml", &reserved);
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains("cpg.toml: infrastructure.adhoc_groups[0].name: `org-config-viewers`: names starting with `org-` are the organisation access groups'"),
        "{stderr}"
    );
    let taken = ORGANISATION_GROUPS
        .replace("name = \"platform\"", "name = \"alpha-study-access\"")
        .replace("group:platform", "group:alpha-study-access");
    let scratch = Scratch::example("members-taken-name").append("cpg.toml", &taken);
    let stderr = failure(&scratch, &["validate"]);
    assert!(
        stderr.contains("dataset alpha-study")
            && stderr
                .contains("the group name `alpha-study-access` is one of this dataset's groups"),
        "{stderr}"
    );
}

#[test]
fn members_become_memberships_on_each_cloud() {
    let scratch = members_example("members-resources").append(
        "Pulumi.gamma-bridge.yaml",
        "  datasets:members: '{\"full\": [\"alex.smith\"]}'\n",
    );
    let alpha = scratch.dataset_program("alpha-study");
    let resources = alpha["resources"].as_object().expect("resources");
    let mut names: Vec<&str> = resources
        .keys()
        .map(String::as_str)
        .filter(|n| n.starts_with("members/"))
        .collect();
    names.sort_unstable();
    // web-access gets the users of data-managers and of platform, which it contains.
    assert_eq!(
        names,
        [
            "members/access/alex.smith",
            "members/access/sam-jones",
            "members/web-access/alex.smith",
            "members/web-access/sam-jones",
        ]
    );
    let sam = &resources["members/access/sam-jones"];
    assert_eq!(
        sam["type"],
        "gcp:cloudidentity/groupMembership:GroupMembership"
    );
    assert_eq!(sam["properties"]["group"], "${alpha-study-access.id}");
    // The key as Cloud Identity stores it (lower case): a key in another case would
    // replace the membership after a refresh.
    assert_eq!(
        sam["properties"]["preferredMemberKey"]["id"],
        "sam.jones@example-institute.org"
    );
    let plan = scratch.run(&["--dataset", "alpha-study", "plan"]);
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(
        text.contains("note [gcp] members/web-access/group:data-managers: organisation group data-managers is another program's group (the reference dataset's), so its 2 users (alex.smith, sam-jones) join alpha-study-web-access one by one"),
        "{text}"
    );

    // gamma-bridge is on gcp and azure: one membership per cloud, each with its own id.
    let gamma = scratch.dataset_program("gamma-bridge");
    let resources = gamma["resources"].as_object().expect("resources");
    assert_eq!(
        resources["members/full/alex.smith"]["properties"]["preferredMemberKey"]["id"],
        "alex.smith@example-institute.org"
    );
    let azure = &resources["azure-members/full/alex.smith"];
    assert_eq!(azure["type"], "azuread:index/groupMember:GroupMember");
    assert_eq!(
        azure["properties"]["memberObjectId"],
        "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f"
    );
    assert_eq!(
        azure["properties"]["groupObjectId"],
        "${azure-group-gamma-bridge-full.objectId}"
    );
}

#[test]
fn the_reference_program_creates_the_organisation_groups_inner_first() {
    let scratch = members_example("members-adhoc");
    let reference = scratch.dataset_program("reference");
    let resources = reference["resources"].as_object().expect("resources");
    assert_eq!(
        resources["data-managers"]["properties"]["groupKey"]["id"],
        "data-managers@example-institute.org"
    );
    assert_eq!(
        resources["adhoc/data-managers/group/platform"]["properties"]["preferredMemberKey"]["id"],
        "${platform.groupKey.id}"
    );
    assert_eq!(
        resources["adhoc/platform/user/sam-jones"]["properties"]["group"],
        "${platform.id}"
    );
    assert!(resources.contains_key("adhoc/data-managers/user/alex.smith"));
    // Other datasets' programs do not create them.
    let alpha = scratch.dataset_program("alpha-study");
    assert!(!declares(&alpha, "data-managers"));

    let plan = scratch.run(&["--dataset", "reference", "plan", "--detail"]);
    let text = String::from_utf8_lossy(&plan.stdout);
    let platform = text.find("Group platform ").expect("platform group");
    let managers = text
        .find("Group data-managers ")
        .expect("data-managers group");
    assert!(platform < managers, "inner groups first\n{text}");
    // The description reaches the group on every cloud; groups without one get none
    // (GCP) or the plugin's own (Azure).
    assert_eq!(
        resources["data-managers"]["properties"]["description"],
        "Who curates the data"
    );
    assert!(
        resources["platform"]["properties"]
            .get("description")
            .is_none()
    );
    assert!(!text.contains("is not set on the group"), "{text}");
}

#[test]
fn diff_and_access_show_the_new_members() {
    let scratch = members_example("members-diff");
    let text = scratch.flagged_diff_from_example("members-diff-base", "alpha-study");
    assert!(text.contains("members/access/alex.smith"), "{text}");
    assert!(text.contains("access-widening"), "{text}");

    let out = scratch.run(&[
        "--dataset",
        "alpha-study",
        "access",
        "--effective",
        "--principal",
        "sam.jones",
        "--format",
        "csv",
    ]);
    let rows = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{rows}");
    assert!(
        rows.lines()
            .any(|row| row.contains("egi-alpha-study-main-analysis")
                && row.contains("through alpha-study-access")),
        "{rows}"
    );
}

#[test]
fn a_forced_cloud_without_the_user_s_id_is_a_warning() {
    // alpha-study deploys to gcp; planned on azure with --cloud, sam-jones has no id there.
    let scratch = members_example("members-forced-cloud");
    let out = scratch.run(&["--dataset", "alpha-study", "--cloud", "azure", "plan"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(
            "warning [azure] members/access/sam-jones: user `sam-jones` has no id on azure"
        ),
        "{text}"
    );
}
