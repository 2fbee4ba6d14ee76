//! Organisation access groups (`[infrastructure] organisation_access_groups`) on the example organisation: the reference's program owns the groups and
//! the organisation grants, every dataset's groups join them instead of being granted
//! one by one, and a cloud the reference does not deploy to keeps the per-dataset grants.

use serde_json::{Map, Value};

use super::support::Scratch;

fn switched_on(case: &str) -> Scratch {
    let scratch = Scratch::example(case);
    let config = std::fs::read_to_string(scratch.path().join("cpg.toml"))
        .expect("cpg.toml")
        .replacen(
            "[infrastructure]\n",
            "[infrastructure]\norganisation_access_groups = true\n",
            1,
        );
    assert!(config.contains("organisation_access_groups = true"));
    scratch.file("cpg.toml", config)
}

fn names(resources: &Map<String, Value>, pick: impl Fn(&str) -> bool) -> Vec<&str> {
    let mut out: Vec<&str> = resources
        .keys()
        .map(String::as_str)
        .filter(|n| pick(n))
        .collect();
    out.sort_unstable();
    out
}

/// The per-dataset grants on organisation resources that the switch replaces.
fn per_dataset_grant(name: &str) -> bool {
    name.ends_with("-analysis-runner-config-viewer")
        || name.ends_with("-reference-bucket-viewer")
        || name.ends_with("-hail-wheels-viewer")
        || name.contains("-images-reader-in-")
        || name.ends_with("-images-writer-in-cpg-common")
}

#[test]
fn the_reference_program_owns_the_groups_and_grants() {
    let scratch = switched_on("org-reference");
    let reference = scratch.dataset_program("reference");
    let resources = reference["resources"].as_object().expect("resources");
    assert_eq!(
        names(resources, |n| n.starts_with("org-")),
        [
            "org-config-viewers",
            "org-hail-wheels-viewers",
            "org-images-readers",
            "org-images-writers",
            "org-reference-viewers",
        ]
    );
    let grants = names(resources, |n| {
        n.starts_with("org/") && resources[n]["properties"].get("member").is_some()
    });
    assert_eq!(
        grants,
        [
            "org/config-viewers/bucket",
            "org/hail-wheels-viewers/bucket",
            "org/images-readers/egi-analysis-runner",
            "org/images-readers/egi-common",
            "org/images-writers/egi-common",
            "org/reference-viewers/bucket",
        ]
    );
    assert_eq!(
        resources["org/reference-viewers/bucket"]["properties"]["bucket"],
        "egi-reference"
    );
    assert_eq!(
        resources["org/images-writers/egi-common"]["properties"]["member"],
        "group:${org-images-writers.groupKey.id}"
    );
    for kind in ["config-viewers", "reference-viewers", "images-writers"] {
        assert_eq!(
            reference["outputs"][format!("reference-org-{kind}-group-id")],
            format!("${{org-{kind}.id}}")
        );
    }
    // The reference's own groups join directly; none of its groups is granted one by one.
    assert_eq!(
        resources["org/config-viewers/access-group"]["properties"]["group"],
        "${org-config-viewers.id}"
    );
    assert_eq!(names(resources, per_dataset_grant), Vec::<&str>::new());
}

#[test]
fn every_dataset_joins_instead_of_being_granted() {
    let scratch = switched_on("org-dataset");
    let before = Scratch::example("org-dataset-off").dataset_program("alpha-study");
    let before = before["resources"].as_object().expect("resources");
    // 4 groups x (config, reference, wheels, 2 registries) + standard and full x common push.
    assert_eq!(names(before, per_dataset_grant).len(), 4 * 5 + 2);

    let alpha = scratch.dataset_program("alpha-study");
    let resources = alpha["resources"].as_object().expect("resources");
    assert_eq!(names(resources, per_dataset_grant), Vec::<&str>::new());
    let joins = names(resources, |n| n.starts_with("org/"));
    assert_eq!(joins.len(), 4 * 4 + 2, "{joins:?}");
    let membership = &resources["org/images-writers/full"]["properties"];
    assert_eq!(
        membership["group"],
        "${reference.outputs[\"reference-org-images-writers-group-id\"]}"
    );
    assert_eq!(
        membership["preferredMemberKey"]["id"],
        "${alpha-study-full.groupKey.id}"
    );
    assert!(!resources.contains_key("org/images-writers/test"));
}

#[test]
fn a_cloud_without_the_reference_keeps_the_per_dataset_grants() {
    // gamma-bridge deploys to gcp and azure; the example's reference only to gcp.
    let scratch = switched_on("org-azure");
    let gamma = scratch.dataset_program("gamma-bridge");
    let resources = gamma["resources"].as_object().expect("resources");
    assert!(resources.contains_key("org/reference-viewers/access-group"));
    assert!(!resources.contains_key("access-group-reference-bucket-viewer"));
    assert!(resources.contains_key("azure-access-group-reference-bucket-viewer"));
    let plan = scratch.run(&["--dataset", "gamma-bridge", "plan"]);
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(
        text.contains("note [azure] org/reference-viewers: the reference dataset reference does not deploy to azure"),
        "{text}"
    );
}

#[test]
fn diff_shows_grants_replaced_by_memberships() {
    let scratch = switched_on("org-diff");
    let text = scratch.flagged_diff_from_example("org-diff-base", "alpha-study");
    assert!(text.contains("org/config-viewers/access-group"), "{text}");
    assert!(
        text.contains("access-group-analysis-runner-config-viewer"),
        "{text}"
    );
    assert!(
        text.contains("access-widening") && text.contains("access-narrowing"),
        "{text}"
    );
}
