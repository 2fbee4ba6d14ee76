//! Read-only dependencies (`depends_on_readonly`) on the example
//! organisation: the dependency's `main-read` group (`main_read_group`), the dependant's
//! memberships in it, the validation errors, cycles, and what `diff` flags.

use serde_json::Value;

use super::support::Scratch;

/// The example with alpha-study exporting its main-read group and beta-cohort reading
/// alpha-study read-only instead of through `depends_on`.
fn readonly_example(case: &str) -> Scratch {
    let scratch = Scratch::example(case).append(
        "Pulumi.alpha-study.yaml",
        "  datasets:main_read_group: \"true\"\n",
    );
    let beta = std::fs::read_to_string(scratch.path().join("Pulumi.beta-cohort.yaml"))
        .expect("beta stack")
        .replace(
            "  datasets:depends_on: '[\"alpha-study\"]'\n",
            "  datasets:depends_on_readonly: '[\"alpha-study\"]'\n",
        );
    scratch.file("Pulumi.beta-cohort.yaml", beta)
}

fn program(scratch: &Scratch, dataset: &str) -> Value {
    let out = scratch.run(&["--dataset", dataset, "program"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("program JSON")
}

fn stderr_of(scratch: &Scratch, args: &[&str]) -> (i32, String) {
    let out = scratch.run(args);
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_dependency_creates_grants_and_exports_its_main_read_group() {
    let scratch = readonly_example("readonly-dependency");
    let alpha = program(&scratch, "alpha-study");
    let resources = alpha["resources"].as_object().expect("resources");
    let group = &resources["alpha-study-main-read"];
    assert_eq!(group["type"], "gcp:cloudidentity/group:Group");
    assert_eq!(
        group["properties"]["groupKey"]["id"],
        "alpha-study-main-read@example-institute.org"
    );
    let mut grants: Vec<(&str, &str)> = resources
        .iter()
        .filter(|(name, _)| name.starts_with("main-read-group-"))
        .map(|(name, r)| {
            assert_eq!(
                r["properties"]["member"],
                "group:${alpha-study-main-read.groupKey.id}"
            );
            (
                name.as_str(),
                r["properties"]["role"].as_str().expect("role"),
            )
        })
        .collect();
    grants.sort();
    let names: Vec<&str> = grants.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "main-read-group-main-analysis-bucket-viewer",
            "main-read-group-main-bucket-viewer",
            "main-read-group-main-tmp-bucket-viewer",
            "main-read-group-main-upload-bucket-viewer",
            "main-read-group-main-web-bucket-viewer",
        ]
    );
    // Read only: the same role as the access group's viewer grants, never admin or create.
    let viewer = resources["access-group-main-analysis-bucket-viewer"]["properties"]["role"]
        .as_str()
        .expect("viewer role");
    assert!(grants.iter().all(|(_, role)| *role == viewer), "{grants:?}");
    assert_eq!(
        alpha["outputs"]["alpha-study-main-read-group-id"],
        "${alpha-study-main-read.id}"
    );
}

#[test]
fn the_dependant_joins_only_the_main_read_group() {
    let scratch = readonly_example("readonly-dependant");
    let beta = program(&scratch, "beta-cohort");
    let resources = beta["resources"].as_object().expect("resources");
    let text = beta.to_string();
    assert!(
        !text.contains("alpha-study-access-group-id")
            && !text.contains("alpha-study-full-group-id"),
        "a read-only dependant reads no access or level group of the dependency"
    );
    for (own, name) in [
        ("access", "readonly/alpha-study/access"),
        ("test", "readonly/alpha-study/test"),
        ("standard", "readonly/alpha-study/standard"),
        ("full", "readonly/alpha-study/full"),
    ] {
        let membership = &resources[name]["properties"];
        assert_eq!(
            membership["group"], "${alpha-study.outputs[\"alpha-study-main-read-group-id\"]}",
            "{name}"
        );
        assert_eq!(
            membership["preferredMemberKey"]["id"],
            format!("${{beta-cohort-{own}.groupKey.id}}")
        );
    }
    // The reference dataset stays a full dependency.
    assert!(resources.contains_key("reference-access-group"));
}

#[test]
fn without_the_keys_programs_are_unchanged() {
    let scratch = Scratch::example("readonly-off");
    let plain = program(&scratch, "alpha-study");
    let resources = plain["resources"].as_object().expect("resources");
    assert!(!resources.contains_key("alpha-study-main-read"));
    assert!(
        !resources
            .keys()
            .any(|name| name.starts_with("main-read-group-"))
    );
    assert!(
        plain["outputs"]
            .get("alpha-study-main-read-group-id")
            .is_none()
    );
}

#[test]
fn a_dataset_in_both_lists_is_an_error() {
    let scratch = readonly_example("readonly-both").append(
        "Pulumi.beta-cohort.yaml",
        "  datasets:depends_on: '[\"alpha-study\"]'\n",
    );
    let (code, stderr) = stderr_of(&scratch, &["validate"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr
            .contains("datasets:depends_on_readonly: `alpha-study` is also in datasets:depends_on"),
        "{stderr}"
    );
}

#[test]
fn a_dependency_without_main_read_group_and_the_reference_are_errors() {
    let scratch = Scratch::example("readonly-missing").append(
        "Pulumi.gamma-bridge.yaml",
        "  datasets:depends_on_readonly: '[\"alpha-study\", \"reference\"]'\n",
    );
    let (code, stderr) = stderr_of(&scratch, &["validate"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("gamma-bridge") && stderr.contains("dataset `alpha-study` has no main-read group to join; set datasets:main_read_group: \"true\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("`reference` is the reference dataset"),
        "{stderr}"
    );
}

#[test]
fn read_only_dependencies_take_part_in_cycle_detection() {
    let scratch = readonly_example("readonly-cycle").append(
        "Pulumi.alpha-study.yaml",
        "  datasets:depends_on_readonly: '[\"beta-cohort\"]'\n",
    );
    let scratch = scratch.append(
        "Pulumi.beta-cohort.yaml",
        "  datasets:main_read_group: \"true\"\n",
    );
    let (code, stderr) = stderr_of(&scratch, &["validate"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("alpha-study -> beta-cohort -> alpha-study"),
        "{stderr}"
    );
}

#[test]
fn diff_shows_the_new_read_only_access() {
    let scratch = readonly_example("readonly-diff");
    let base = Scratch::example("readonly-diff-base");
    let (code, text) = scratch.diff_text_from(&base, "beta-cohort");
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("readonly/alpha-study/access"), "{text}");
    assert!(text.contains("access-widening"), "{text}");
    // The full memberships in alpha-study's groups are removed: access narrows.
    assert!(text.contains("alpha-study-access-group"), "{text}");
    assert!(text.contains("access-narrowing"), "{text}");
}
