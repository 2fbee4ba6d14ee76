//! Read-only dependencies (`depends_on_readonly`) on the example
//! organisation: the dependency's `main-read` and `test-read` groups (`main_read_group`), the
//! dependant's memberships in them (never more than under `depends_on`), the validation
//! errors, cycles, and what `diff` flags.

use std::collections::BTreeMap;

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
    let alpha = scratch.dataset_program("alpha-study");
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
fn the_dependant_joins_the_read_groups_level_by_level() {
    let scratch = readonly_example("readonly-dependant");
    let beta = scratch.dataset_program("beta-cohort");
    let resources = beta["resources"].as_object().expect("resources");
    let text = beta.to_string();
    assert!(
        !text.contains("alpha-study-access-group-id")
            && !text.contains("alpha-study-full-group-id"),
        "a read-only dependant reads no access or level group of the dependency"
    );
    // Standard and full join main-read; the access group and every level join test-read
    // (under depends_on the access group and the test level reach only the test buckets).
    let mut joined: Vec<(String, String)> = resources
        .iter()
        .filter(|(name, _)| name.starts_with("readonly/alpha-study/"))
        .map(|(name, r)| {
            let group = r["properties"]["group"].as_str().expect("group").to_owned();
            let member = r["properties"]["preferredMemberKey"]["id"]
                .as_str()
                .expect("member")
                .to_owned();
            let own = member
                .strip_prefix("${beta-cohort-")
                .and_then(|m| m.strip_suffix(".groupKey.id}"))
                .expect("one of beta-cohort's groups");
            let kind = group
                .strip_prefix("${alpha-study.outputs[\"alpha-study-")
                .and_then(|g| g.strip_suffix("-group-id\"]}"))
                .expect("an output of alpha-study");
            assert_eq!(name, &format!("readonly/alpha-study/{kind}/{own}"));
            (kind.to_owned(), own.to_owned())
        })
        .collect();
    joined.sort();
    let pairs: Vec<(&str, &str)> = joined
        .iter()
        .map(|(k, o)| (k.as_str(), o.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("main-read", "full"),
            ("main-read", "standard"),
            ("test-read", "access"),
            ("test-read", "full"),
            ("test-read", "standard"),
            ("test-read", "test"),
        ]
    );
    // The reference dataset stays a full dependency.
    assert!(resources.contains_key("reference-access-group"));
}

/// Who reaches which of `dependency`'s resources through the memberships `dependant`'s
/// plan makes in its exported groups: own group kind -> resource -> strongest access.
fn reach(
    scratch: &Scratch,
    dependant: &str,
    dependency: &str,
) -> BTreeMap<String, BTreeMap<String, usize>> {
    const ORDER: [&str; 6] = ["member", "list", "read", "append", "write", "admin"];
    let rows = |dataset: &str, effective: bool| -> Vec<Value> {
        let mut args = vec!["--dataset", dataset, "access", "--format", "json"];
        if effective {
            args.push("--effective");
        }
        let out = scratch.run(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout)
            .expect("access JSON")
            .as_array()
            .expect("rows")
            .clone()
    };
    let field = |row: &Value, key: &str| row[key].as_str().expect(key).to_owned();
    let granted = rows(dependency, true);
    let mut reach: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for row in rows(dependant, false) {
        let resource = field(&row, "resource");
        // `access` resolves a dependency's exported group id to the group it names.
        let Some(kind) = resource
            .strip_prefix(&format!("{dependency}-"))
            .and_then(|r| r.strip_suffix("@example-institute.org"))
        else {
            continue;
        };
        let Some(own) = field(&row, "principal")
            .strip_prefix(&format!("{dependant}-"))
            .and_then(|p| p.strip_suffix("@example-institute.org"))
            .map(str::to_owned)
        else {
            continue;
        };
        let group = format!("{dependency}-{kind}@example-institute.org");
        let reached = reach.entry(own).or_default();
        for grant in granted.iter().filter(|g| field(g, "principal") == group) {
            let access = ORDER
                .iter()
                .position(|a| *a == field(grant, "access"))
                .expect("a known access");
            let strongest = reached.entry(field(grant, "resource")).or_default();
            *strongest = (*strongest).max(access);
        }
    }
    reach
}

#[test]
fn a_read_only_dependency_never_grants_more_than_a_full_one() {
    // The same dependency (alpha-study, exporting its read groups), depended on read-only
    // and fully by beta-cohort: every group of beta-cohort reaches, read-only, at most
    // the resources it reaches fully, at most with the access it has there.
    let readonly = reach(
        &readonly_example("readonly-invariant"),
        "beta-cohort",
        "alpha-study",
    );
    let full_scratch = Scratch::example("readonly-invariant-full").append(
        "Pulumi.alpha-study.yaml",
        "  datasets:main_read_group: \"true\"\n",
    );
    let full = reach(&full_scratch, "beta-cohort", "alpha-study");
    for own in ["access", "test", "standard", "full"] {
        let reached = readonly
            .get(own)
            .expect("every group reaches something read-only");
        assert!(!reached.is_empty(), "{own}");
        for (resource, access) in reached {
            let under_full = full.get(own).and_then(|r| r.get(resource));
            assert!(
                under_full.is_some_and(|full| full >= access),
                "beta-cohort's {own} group reaches {resource} read-only (access {access}) beyond a full dependency ({under_full:?})"
            );
        }
    }
    // Something is read: the full level reads the main bucket, the test level a test bucket.
    assert!(readonly["full"].contains_key("egi-alpha-study-main"));
    assert!(readonly["test"].contains_key("egi-alpha-study-test"));
    assert!(!readonly["test"].contains_key("egi-alpha-study-main"));
    assert!(!readonly["access"].contains_key("egi-alpha-study-main"));
}

#[test]
fn without_the_keys_programs_are_unchanged() {
    let scratch = Scratch::example("readonly-off");
    let plain = scratch.dataset_program("alpha-study");
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
    let text = scratch.flagged_diff_from_example("readonly-diff-base", "beta-cohort");
    assert!(
        text.contains("readonly/alpha-study/test-read/access"),
        "{text}"
    );
    assert!(text.contains("access-widening"), "{text}");
    // The full memberships in alpha-study's groups are removed: access narrows.
    assert!(text.contains("alpha-study-access-group"), "{text}");
    assert!(text.contains("access-narrowing"), "{text}");
}
