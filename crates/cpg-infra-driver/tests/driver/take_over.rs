//! Taking over a live organisation: `[infrastructure] take_over = true` on the example
//! organisation sets the providers' opt-ins for a create of an existing resource, and
//! `diff` from a deployed configuration says what switching it on does (updates of
//! Pulumi's state only).

use super::support::Scratch;

fn taken_over(case: &str) -> Scratch {
    Scratch::example(case).edit("cpg.toml", |t| {
        t.replacen(
            "[infrastructure]\n",
            "[infrastructure]\ntake_over = true\n",
            1,
        )
    })
}

/// The resources of `program` of type `token`, with whether each sets `key` to true.
fn opted_in(program: &serde_json::Value, token: &str, key: &str) -> Vec<(String, bool)> {
    program["resources"]
        .as_object()
        .expect("resources")
        .iter()
        // `get:` resources are read, never created.
        .filter(|(_, r)| r["type"] == token && r.get("get").is_none())
        .map(|(name, r)| (name.clone(), r["properties"][key] == true))
        .collect()
}

#[test]
fn memberships_and_accounts_take_existing_ones_over_only_when_the_organisation_says_so() {
    let before = Scratch::example("take-over-off");
    let after = taken_over("take-over-on");
    for (token, key) in [
        (
            "gcp:cloudidentity/groupMembership:GroupMembership",
            "createIgnoreAlreadyExists",
        ),
        (
            "gcp:serviceaccount/account:Account",
            "createIgnoreAlreadyExists",
        ),
    ] {
        let off = opted_in(&before.program("alpha-study", "gcp"), token, key);
        let on = opted_in(&after.program("alpha-study", "gcp"), token, key);
        assert!(!on.is_empty(), "the example has {token}");
        assert!(off.iter().all(|(_, set)| !set), "{token}: {off:?}");
        assert!(on.iter().all(|(_, set)| *set), "{token}: {on:?}");
    }
    let entra = opted_in(
        &after.program("gamma-bridge", "azure"),
        "azuread:index/servicePrincipal:ServicePrincipal",
        "useExisting",
    );
    assert!(
        !entra.is_empty() && entra.iter().all(|(_, set)| *set),
        "{entra:?}"
    );
    // Buckets have no such opt-in: a create of an existing bucket still fails, and the
    // program says nothing it cannot honour.
    let program = after.program("alpha-study", "gcp");
    assert!(
        program["resources"]["egi-alpha-study-main"]["properties"]
            .get("createIgnoreAlreadyExists")
            .is_none()
    );
}

#[test]
fn switching_take_over_on_for_a_deployed_stack_is_updates_that_touch_no_cloud_resource() {
    let before = Scratch::example("take-over-base");
    let after = taken_over("take-over-switched");
    let (code, report) = after.diff_from(&before, "alpha-study", "gcp");
    assert_eq!(code, 0, "{report}");
    let predicted = report["datasets"][0]["predicted"]
        .as_array()
        .expect("predicted steps")
        .clone();
    assert!(!predicted.is_empty(), "{report}");
    for step in &predicted {
        assert_eq!(step["operation"], "update", "{step}");
        assert!(step["blocked"].is_null(), "{step}");
        let reason = step["reason"].as_str().expect("reason");
        assert!(
            reason.starts_with("createIgnoreAlreadyExists changes (`take_over`)")
                && reason.contains("nothing in the cloud"),
            "{reason}"
        );
    }
}

#[test]
fn adopting_a_storage_account_adopts_its_containers_and_lifecycle_policy() {
    // gamma-bridge adopts its storage account (Pulumi.gamma-bridge.yaml).
    let scratch = Scratch::example("take-over-storage-children");
    let account = "/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/resourceGroups/egi-gamma-bridge/providers/Microsoft.Storage/storageAccounts/egigammabridge";
    let program = scratch.program("gamma-bridge", "azure");
    let resources = program["resources"].as_object().expect("resources");
    let of_type = |token: &str| {
        resources
            .iter()
            .filter(|(_, r)| r["type"] == token)
            .collect::<Vec<_>>()
    };
    let containers = of_type("azure-native:storage:BlobContainer");
    assert!(containers.len() > 3, "{containers:?}");
    for (name, container) in &containers {
        let id = format!(
            "{account}/blobServices/default/containers/{}",
            container["properties"]["containerName"]
                .as_str()
                .expect("literal")
        );
        assert_eq!(container["options"]["import"], id.as_str(), "{name}");
    }
    let policies = of_type("azure-native:storage:ManagementPolicy");
    assert_eq!(policies.len(), 1);
    assert_eq!(
        policies[0].1["options"]["import"],
        format!("{account}/managementPolicies/default").as_str()
    );
    // Blob service properties exist in every account; their create takes them over.
    for (_, service) in of_type("azure-native:storage:BlobServiceProperties") {
        assert!(service["options"].get("import").is_none());
    }
    // The plan says so, per child, with what happens when the live account lacks one.
    let plan = scratch.plan("gamma-bridge", "azure");
    let notes = plan.to_string();
    assert!(notes.contains("adopts `") && notes.contains("the import fails at `pulumi up`"));
    // A dataset that adopts no account adopts none of its children.
    let alpha = scratch.program("alpha-study", "azure");
    for (_, r) in alpha["resources"].as_object().expect("resources") {
        assert!(r["options"].get("import").is_none(), "{r}");
    }
}

#[test]
fn organisation_wide_entra_groups_carry_the_organisation_s_prefix_and_gcp_groups_keep_their_names()
{
    let scratch = Scratch::example("take-over-group-names").edit("cpg.toml", |t| {
        format!(
            "{}\n[[infrastructure.adhoc_groups]]\nname = \"platform\"\nmembers = []\n",
            t.replacen(
                "[infrastructure]\n",
                "[infrastructure]\norganisation_access_groups = true\n",
                1
            )
        )
    });
    let display_names = |cloud: &str, token: &str, property: &str| {
        let program = scratch.program("reference", cloud);
        program["resources"]
            .as_object()
            .expect("resources")
            .values()
            .filter(|r| r["type"] == token)
            .map(|r| {
                let value = &r["properties"][property];
                value
                    .as_str()
                    .or_else(|| value["id"].as_str())
                    .expect("a literal name")
                    .to_owned()
            })
            .collect::<Vec<_>>()
    };
    let entra = display_names("azure", "azuread:index/group:Group", "displayName");
    for organisation_wide in [
        "egi-platform",
        "egi-org-config-viewers",
        "egi-org-images-writers",
    ] {
        assert!(entra.iter().any(|n| n == organisation_wide), "{entra:?}");
    }
    assert!(entra.iter().any(|n| n == "reference-access"), "{entra:?}");
    assert!(
        !entra
            .iter()
            .any(|n| n == "platform" || n == "org-config-viewers"),
        "{entra:?}"
    );
    let google = display_names("gcp", "gcp:cloudidentity/group:Group", "groupKey");
    for name in ["platform@", "org-config-viewers@", "reference-access@"] {
        assert!(google.iter().any(|n| n.starts_with(name)), "{google:?}");
    }
}

#[test]
fn the_mutator_role_of_an_organisation_being_taken_over_is_adopted_or_said_to_need_it() {
    const ROLE: &str = "organizations/123456789012/roles/StorageObjectAndBucketMutator";
    let policy = "\n[infrastructure.storage_policy]\nmutator_role = true\n";
    let created = taken_over("take-over-role-created").append("cpg.toml", policy);
    let plan = created.plan("reference", "gcp").to_string();
    assert!(
        plan.contains("if it exists already, `pulumi up` fails")
            && plan.contains(
                "organizations/<organisation number>/roles/StorageObjectAndBucketMutator"
            ),
        "{plan}"
    );
    // Adopted: imported under its id, no warning, and diff shows what the import sets.
    let adopted = taken_over("take-over-role-adopted")
        .append("cpg.toml", policy)
        .append(
            "Pulumi.reference.yaml",
            &format!("  datasets:adopt: '{{\"storage-mutator-role\": \"{ROLE}\"}}'\n"),
        );
    let program = adopted.program("reference", "gcp");
    assert_eq!(
        program["resources"]["storage-mutator-role"]["options"]["import"],
        ROLE
    );
    assert!(
        !adopted
            .plan("reference", "gcp")
            .to_string()
            .contains("if it exists already")
    );
    let base = taken_over("take-over-role-base");
    let (_, report) = adopted.diff_from(&base, "reference", "gcp");
    let role = report["datasets"][0]["predicted"]
        .as_array()
        .expect("predicted")
        .iter()
        .find(|p| p["name"] == "storage-mutator-role")
        .cloned()
        .expect("a step for the role");
    assert_eq!(role["operation"], "import");
    let reason = role["reason"].as_str().expect("reason");
    assert!(
        reason.contains(ROLE) && reason.contains("permissions") && reason.contains("title"),
        "{reason}"
    );
    // A mistyped id is refused before anything runs.
    let wrong = taken_over("take-over-role-wrong")
        .append("cpg.toml", policy)
        .append(
            "Pulumi.reference.yaml",
            "  datasets:adopt: '{\"storage-mutator-role\": \"organizations/example-institute.org/roles/StorageObjectAndBucketMutator\"}'\n",
        );
    let out = wrong.run(&["--cloud", "gcp", "--dataset", "reference", "program"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not an organisation custom role id"),
        "{stderr}"
    );
}

#[test]
fn entra_object_ids_are_written_in_the_lower_case_entra_stores_them_in() {
    // A principal id pasted from the portal in upper case.
    let scratch = Scratch::example("take-over-object-id-case").replace(
        "Pulumi.gamma-bridge.yaml",
        "datasets:azure_hail_principal_test: 6b1e2d3c-0401-4a5b-8c6d-7e8f9a0b1c01",
        "datasets:azure_hail_principal_test: 6B1E2D3C-0401-4A5B-8C6D-7E8F9A0B1C01",
    );
    let program = scratch.program("gamma-bridge", "azure").to_string();
    assert!(
        !program.contains("6B1E2D3C"),
        "the upper-case id is written"
    );
    assert!(program.contains("6b1e2d3c-0401-4a5b-8c6d-7e8f9a0b1c01"));
}
