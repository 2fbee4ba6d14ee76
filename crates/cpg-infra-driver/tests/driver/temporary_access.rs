//! Temporary read access on request: `members["tmp-main-read-access"]` and
//! `allow_notebook_tmp_main_read` give the group `<dataset>-tmp-main-read-access`, whose
//! members may request read access to the main bucket for at most
//! `tmp_main_read_max_hours` with a justification (GCP: a PAM entitlement held to the
//! bucket by an IAM condition; Azure: Entra PIM for groups), also on the datasets the
//! dataset depends on; `access` shows it as eligible access and `diff` flags it; bad values
//! are errors naming the file and key.

use super::support::{Scratch, assert_row, declares, sam};

const TMP_READ: &str = r#"  datasets:members: '{"tmp-main-read-access": ["sam"]}'
  datasets:allow_notebook_tmp_main_read: "true"
"#;

fn dataset_with(case: &str, dataset: &str, lines: &str) -> Scratch {
    let (file, lines) = (format!("Pulumi.{dataset}.yaml"), lines.to_owned());
    Scratch::example(case)
        .edit("cpg.toml", |t| format!("{t}{}", sam()))
        .edit(&file, move |t| format!("{t}{lines}"))
}

#[test]
fn a_pam_entitlement_lets_the_group_request_read_of_the_main_bucket_on_gcp() {
    let scratch = dataset_with("tmp-gcp", "alpha-study", TMP_READ);
    let program = scratch.program("alpha-study", "gcp");
    let resources = &program["resources"];
    let entitlement = &resources["temporary-bucket-access-main-read"];
    assert_eq!(
        entitlement["type"],
        "gcp:privilegedaccessmanager/entitlement:entitlement"
    );
    let props = &entitlement["properties"];
    assert_eq!(props["entitlementId"], "pam-alpha-study-read");
    assert_eq!(props["maxRequestDuration"], "86400s", "a day by default");
    assert_eq!(props["parent"], "projects/alpha-study-5530");
    assert_eq!(
        props["eligibleUsers"][0]["principals"][0],
        "group:${alpha-study-tmp-main-read-access.groupKey.id}"
    );
    assert!(props["requesterJustificationConfig"]["unstructured"].is_object());
    let binding = &props["privilegedAccess"]["gcpIamAccess"]["roleBindings"][0];
    let condition = binding["conditionExpression"].as_str().expect("condition");
    assert!(
        condition.contains(
            "resource.name == \"projects/_/buckets/${egi-alpha-study-main.name}\" || resource.name.startsWith(\"projects/_/buckets/${egi-alpha-study-main.name}/objects/\")"
        ),
        "{condition}"
    );
    let depends = entitlement["options"]["dependsOn"].to_string();
    assert!(depends.contains("pam-service-agent-binding"), "{depends}");
    assert!(
        depends.contains("privilegedaccessmanager-service"),
        "{depends}"
    );
    // Members: the registry's user and the notebook account; the group is exported.
    assert_eq!(
        resources["members/tmp-main-read-access/sam"]["properties"]["preferredMemberKey"]["id"],
        "sam@example-institute.org"
    );
    assert!(
        resources
            .get("notebook-sa-in-tmp-main-read-access")
            .is_some()
    );
    assert!(
        program["outputs"]
            .get("alpha-study-tmp-main-read-access-group-id")
            .is_some()
    );
    // access: its own kind of row.
    let out = scratch.run(&["--cloud", "gcp", "--dataset", "alpha-study", "access"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert_row(
        &table,
        "temporary-bucket-access-main-read",
        &[
            "eligible: read, up to 24 hours, with justification",
            "alpha-study-tmp-main-read-access@",
            "egi-alpha-study-main",
        ],
    );
}

#[test]
fn datasets_it_depends_on_get_an_entitlement_and_its_group_joins_theirs() {
    // beta-cohort depends on alpha-study; only beta-cohort asks.
    let scratch = dataset_with(
        "tmp-dependency",
        "beta-cohort",
        "  datasets:members: '{\"tmp-main-read-access\": [\"sam\"]}'\n",
    );
    let alpha = scratch.program("alpha-study", "gcp");
    assert!(
        declares(&alpha, "temporary-bucket-access-main-read"),
        "the dependency gets an entitlement"
    );
    let beta = scratch.program("beta-cohort", "gcp");
    let joins = &beta["resources"]["tmp-main-read-access/alpha-study"]["properties"];
    assert!(
        joins
            .to_string()
            .contains("alpha-study-tmp-main-read-access"),
        "{joins}"
    );
    // A dataset nobody asks for stays as it was.
    let gamma = scratch.program("gamma-bridge", "gcp");
    assert!(
        !gamma.to_string().contains("tmp-main-read-access"),
        "gamma-bridge is untouched"
    );
}

#[test]
fn azure_uses_pim_for_groups_or_says_the_licence_is_missing() {
    let lines = format!(
        "  datasets:deploy_locations: '[\"gcp\", \"azure\"]'\n  datasets:tmp_main_read_max_hours: \"24\"\n{TMP_READ}"
    );
    let scratch = dataset_with("tmp-azure", "alpha-study", &lines);
    let program = scratch.program("alpha-study", "azure");
    let resources = &program["resources"];
    let policy = &resources["azure-temporary-bucket-access-main-read-policy"]["properties"];
    // The provider accepts a whole day only as P1D (its validation's list of durations).
    assert_eq!(policy["activationRules"]["maximumDuration"], "P1D");
    assert_eq!(policy["activationRules"]["requireJustification"], true);
    assert_eq!(policy["activationRules"]["requireApproval"], false);
    let eligibility = &resources["azure-temporary-bucket-access-main-read"]["properties"];
    assert_eq!(
        eligibility["principalId"],
        "${azure-group-alpha-study-tmp-main-read-access.objectId}"
    );
    assert_eq!(
        eligibility["groupId"],
        "${azure-group-alpha-study-tmp-main-read.objectId}"
    );
    let holder = &resources["azure-temporary-bucket-access-main-read-holder"]["properties"];
    assert_eq!(
        holder["principalId"],
        "${azure-group-alpha-study-tmp-main-read.objectId}"
    );
    // Without the licence: the standard "not available" warning, nothing planned.
    let unlicensed = scratch.replace(
        "cpg.toml",
        "[infrastructure.azure]\n",
        "[infrastructure.azure]\nprivileged_identity_management = false\n",
    );
    let plan = unlicensed.plan("alpha-study", "azure").to_string();
    assert!(
        plan.contains("temporary access on request is not available on azure: the organisation declares no Entra ID Privileged Identity Management licence"),
        "{plan}"
    );
    let program = unlicensed.program("alpha-study", "azure");
    assert!(!declares(
        &program,
        "azure-temporary-bucket-access-main-read"
    ));
}

#[test]
fn diff_flags_new_eligibility_as_access_widening() {
    let base = Scratch::example("tmp-diff-base").edit("cpg.toml", |t| format!("{t}{}", sam()));
    let current = dataset_with("tmp-diff", "alpha-study", TMP_READ);
    let (exit, report) = current.diff_from(&base, "alpha-study", "gcp");
    assert_eq!(exit, 3, "{report}");
    let flags = report["datasets"][0]["flags"].as_array().expect("flags");
    assert!(
        flags.iter().any(|f| f["kind"] == "access-widening"
            && f["resource"] == "temporary-bucket-access-main-read"),
        "{flags:?}"
    );
}

#[test]
fn a_notebook_without_notebooks_is_a_warning() {
    let lines = format!("{TMP_READ}  datasets:components: '{{\"gcp\": [\"storage\"]}}'\n");
    let scratch = dataset_with("tmp-no-notebooks", "alpha-study", &lines);
    let plan = scratch.plan("alpha-study", "gcp").to_string();
    assert!(
        plan.contains(
            "allow_notebook_tmp_main_read is set but the dataset has no notebooks component on gcp"
        ),
        "{plan}"
    );
}

#[test]
fn bad_temporary_access_settings_are_errors_naming_file_and_key() {
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "tmp-hours-zero",
            "  datasets:tmp_main_read_max_hours: \"0\"\n",
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:tmp_main_read_max_hours",
            ],
        ),
        (
            "tmp-hours-too-many",
            "  datasets:tmp_main_read_max_hours: \"169\"\n",
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:tmp_main_read_max_hours: 169 hours",
                "on gcp (at most 168 hours",
                "https://cloud.google.com/iam/docs/pam-create-entitlements",
            ],
        ),
        (
            // A week is fine on gcp, but a dataset deploying to azure as well must
            // satisfy Entra PIM's limit too: the error names that cloud.
            "tmp-hours-too-many-for-azure",
            "  datasets:deploy_locations: '[\"gcp\", \"azure\"]'\n  datasets:tmp_main_read_max_hours: \"168\"\n",
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:tmp_main_read_max_hours: 168 hours",
                "on azure (at most 24 hours",
                "deploy the dataset to gcp only",
            ],
        ),
        (
            "tmp-notebook-not-bool",
            "  datasets:allow_notebook_tmp_main_read: \"sometimes\"\n",
            &["datasets:allow_notebook_tmp_main_read"],
        ),
        (
            "tmp-unknown-user",
            "  datasets:members: '{\"tmp-main-read-access\": [\"samm\"]}'\n",
            &["tmp-main-read-access", "unknown user `samm`", "sam"],
        ),
    ];
    for (case, line, expected) in cases {
        dataset_with(case, "alpha-study", line).invalid(case, expected);
    }
}
