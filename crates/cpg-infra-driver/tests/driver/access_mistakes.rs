//! Access invariants of `check` made to fire through the configuration alone, each by a
//! realistic mistake on a scratch copy of the example organisation: a person in a level's
//! group, and an organisation role stated as it drifted on the live organisation (allowing
//! more than its grant, no longer reading, letting a person change access), or stated for
//! a role the design does not grant.

use super::support::Scratch;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The policies of `check --format json` on `scratch`, one `(policy, resource)` per finding.
fn check_rows(scratch: &Scratch) -> (i32, Vec<(String, String)>) {
    let out = scratch.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check JSON");
    let rows = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["policy"].as_str().expect("policy").to_owned(),
                f["resource"].as_str().expect("resource").to_owned(),
            )
        })
        .collect();
    (out.status.code().expect("exit code"), rows)
}

#[test]
fn a_person_in_the_full_group_is_never_silently_a_bucket_administrator() {
    // A realistic mistake: a person put in the full level's group. With the storage
    // policy's mutator role off (the default), that group keeps the reference's storage
    // administrator role on the data buckets: the person could delete a bucket or change
    // who reads it. The design allows it for the reference's sake, so it is a warning
    // naming the allowance, never silence; with the mutator role on nothing remains.
    let person =
        "\n[infrastructure.users.\"pat.lee\".clouds.gcp]\nid = \"pat.lee@example-institute.org\"\n";
    let member = "  datasets:members: '{\"full\": [\"pat.lee\"]}'\n";
    let off = Scratch::example("person-in-full")
        .append("cpg.toml", person)
        .append("Pulumi.alpha-study.yaml", member);
    let (code, rows) = check_rows(&off);
    assert_eq!(code, 0, "{rows:?}");
    assert!(
        rows.contains(&(
            "person-admin-allowed".to_owned(),
            "full-main-bucket-admin".to_owned()
        )),
        "{rows:?}"
    );
    assert!(
        rows.iter().all(|(policy, _)| policy != "person-admin"),
        "{rows:?}"
    );
    let out = off.run(&["check"]);
    let text = text(&out.stdout);
    assert!(
        text.contains("the user `pat.lee@example-institute.org` can manage-storage change-access on egi-alpha-study-main")
            && text.contains("mutator_role"),
        "{text}"
    );
    let on = Scratch::example("person-in-full-mutator")
        .append(
            "cpg.toml",
            &format!("{person}\n[infrastructure.storage_policy]\nmutator_role = true\n"),
        )
        .append("Pulumi.alpha-study.yaml", member);
    let (code, rows) = check_rows(&on);
    assert_eq!(code, 0, "{rows:?}");
    assert!(
        rows.iter()
            .all(|(policy, _)| !policy.starts_with("person-admin")),
        "{rows:?}"
    );
}

/// `[infrastructure.gcp.organisation_roles.<role>]` stating `permissions`, as an
/// organisation copies them from `gcloud iam roles describe`.
fn stated_role(role: &str, permissions: &[&str]) -> String {
    let permissions: Vec<String> = permissions.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        "\n[infrastructure.gcp.organisation_roles.{role}]\npermissions = [{}]\nsource = \"gcloud iam roles describe {role} --organization 123456789012, 2026-12-01\"\n",
        permissions.join(", ")
    )
}

#[test]
fn an_organisation_role_that_allows_more_than_its_grant_fails_access_intent() {
    // A realistic drift: someone added object deletion to the organisation's
    // viewer-and-creator role (say, so a pipeline could overwrite its output). The
    // organisation states the role as the live organisation has it, and every "append"
    // grant of the design now allows deleting data.
    let drifted = stated_role(
        "StorageViewerAndCreator",
        &[
            "storage.buckets.get",
            "storage.objects.create",
            "storage.objects.delete",
            "storage.objects.get",
            "storage.objects.list",
        ],
    );
    let scratch = Scratch::example("org-role-more").append("cpg.toml", &drifted);
    let (code, rows) = check_rows(&scratch);
    assert_eq!(code, 1, "{rows:?}");
    assert!(
        rows.contains(&(
            "access-intent".to_owned(),
            "standard-main-bucket-view-create".to_owned()
        )),
        "{rows:?}"
    );
    let out = scratch.run(&["--dataset", "alpha-study", "check"]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("allows delete-objects beyond what the design intends")
            && shown.contains("gcloud iam roles describe StorageViewerAndCreator"),
        "{shown}"
    );
    // The same role stated as the reference's history defines it: nothing to report.
    let faithful = stated_role(
        "StorageViewerAndCreator",
        &[
            "storage.buckets.get",
            "storage.objects.create",
            "storage.objects.get",
            "storage.objects.list",
        ],
    );
    let scratch = Scratch::example("org-role-faithful").append("cpg.toml", &faithful);
    let (code, rows) = check_rows(&scratch);
    assert_eq!(code, 0, "{rows:?}");
}

#[test]
fn an_organisation_role_that_cannot_read_fails_cloud_parity() {
    // The organisation's viewer role lost `storage.objects.get`: on GCP the read level
    // of a dataset on both clouds only lists, while on Azure it reads.
    let drifted = stated_role(
        "StorageObjectAndBucketViewer",
        &["storage.buckets.get", "storage.objects.list"],
    );
    let scratch = Scratch::example("org-role-less").append("cpg.toml", &drifted);
    let (code, rows) = check_rows(&scratch);
    assert_eq!(code, 1, "{rows:?}");
    let parity: Vec<_> = rows
        .iter()
        .filter(|(policy, _)| policy == "cloud-parity")
        .collect();
    assert!(
        parity
            .iter()
            .any(|(_, resource)| resource == "azure-access-group-main-web-bucket-viewer"),
        "{rows:?}"
    );
    // Less than intended is no access-intent finding.
    assert!(
        rows.iter().all(|(policy, _)| policy != "access-intent"),
        "{rows:?}"
    );
}

#[test]
fn stating_a_role_the_design_does_not_grant_is_an_error() {
    let scratch = Scratch::example("org-role-unknown")
        .append(
            "cpg.toml",
            &stated_role("StorageListr", &["storage.objects.list"]),
        )
        .append(
            "cpg.toml",
            &stated_role("StorageObjectAndBucketMutator", &["storage.objects.list"]),
        );
    let out = scratch.run(&["validate"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stderr);
    assert!(
        shown.contains("`StorageListr`, which is no organisation role the design grants")
            && shown.contains("StorageLister"),
        "{shown}"
    );
    assert!(
        shown.contains("`StorageObjectAndBucketMutator`, the storage mutator role"),
        "{shown}"
    );
    let bad = Scratch::example("org-role-bad-permission").append(
        "cpg.toml",
        &stated_role("StorageLister", &["roles/storage.objectViewer"]),
    );
    let out = bad.run(&["validate"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stderr);
    assert!(
        shown.contains("organisation_roles") && shown.contains("is not a permission name"),
        "{shown}"
    );
}

#[test]
fn a_person_who_could_change_access_through_a_drifted_role_fails_person_admin() {
    // A person in the standard level's group (allowed: people work at that level) and an
    // organisation viewer-and-creator role that gained `storage.buckets.setIamPolicy` on
    // the live organisation: the person could now give anyone the data.
    let person =
        "\n[infrastructure.users.\"pat.lee\".clouds.gcp]\nid = \"pat.lee@example-institute.org\"\n";
    let drifted = stated_role(
        "StorageViewerAndCreator",
        &[
            "storage.buckets.get",
            "storage.buckets.setIamPolicy",
            "storage.objects.create",
            "storage.objects.get",
            "storage.objects.list",
        ],
    );
    let scratch = Scratch::example("org-role-person")
        .append("cpg.toml", &format!("{person}{drifted}"))
        .append(
            "Pulumi.alpha-study.yaml",
            "  datasets:members: '{\"standard\": [\"pat.lee\"]}'\n",
        );
    let (code, rows) = check_rows(&scratch);
    assert_eq!(code, 1, "{rows:?}");
    assert!(
        rows.contains(&(
            "person-admin".to_owned(),
            "standard-main-bucket-view-create".to_owned()
        )),
        "{rows:?}"
    );
    let out = scratch.run(&["--dataset", "alpha-study", "check"]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("the user `pat.lee@example-institute.org` can change-access"),
        "{shown}"
    );
}
