//! Storage policy: `[infrastructure.storage_policy]` switches (abort incomplete
//! uploads, no soft delete for temporary buckets, the mutator role) and `datasets:autoclass`
//! on the example organisation: the bucket properties on GCP, the diagnostics on Azure,
//! the reference program's custom role, and what `diff` flags.

use super::support::Scratch;

const POLICY: &str = "
[infrastructure.storage_policy]
abort_incomplete_uploads = true
no_soft_delete_for_tmp = true
mutator_role = true
";

fn with_policy(case: &str) -> Scratch {
    Scratch::example(case)
        .edit("cpg.toml", |t| format!("{t}{POLICY}"))
        .edit("Pulumi.alpha-study.yaml", |t| {
            format!("{t}  datasets:autoclass: \"true\"\n")
        })
}

#[test]
fn the_switches_on_gcp_buckets() {
    let scratch = with_policy("policy-gcp");
    let program = scratch.program("alpha-study", "gcp");
    let r = &program["resources"];
    let props = |bucket: &str| r[bucket]["properties"].clone();
    // Autoclass on data buckets, never on archive or temporary ones.
    assert_eq!(props("egi-alpha-study-main")["autoclass"]["enabled"], true);
    assert_eq!(
        props("egi-alpha-study-release")["autoclass"]["enabled"],
        true
    );
    for bucket in [
        "egi-alpha-study-archive",
        "egi-alpha-study-main-tmp",
        "egi-alpha-study-hail",
    ] {
        assert!(props(bucket).get("autoclass").is_none(), "{bucket}");
    }
    // Soft delete off for temporary buckets only.
    assert_eq!(
        props("egi-alpha-study-main-tmp")["softDeletePolicy"]["retentionDurationSeconds"],
        0
    );
    assert!(
        props("egi-alpha-study-main")
            .get("softDeletePolicy")
            .is_none()
    );
    // The abort rule last on every bucket.
    for bucket in [
        "egi-alpha-study-main",
        "egi-alpha-study-archive",
        "egi-alpha-study-test-tmp",
    ] {
        let rules = props(bucket)["lifecycleRules"].clone();
        let last = rules
            .as_array()
            .and_then(|r| r.last())
            .cloned()
            .expect("rules");
        assert_eq!(
            last["action"]["type"], "AbortIncompleteMultipartUpload",
            "{bucket}"
        );
        assert_eq!(last["condition"]["age"], 7, "{bucket}");
    }
    // Mutate is the organisation's mutator role, under the reference's key suffix.
    let grant = &r["full-main-bucket-admin-no-bucket-deletion"]["properties"];
    assert_eq!(
        grant["role"],
        "${organization.id}/roles/StorageObjectAndBucketMutator"
    );
    assert!(r.get("full-main-bucket-admin").is_none());
    assert!(
        r.get("storage-mutator-role").is_none(),
        "only the reference owns it"
    );
}

#[test]
fn the_reference_program_owns_the_mutator_role() {
    let scratch = with_policy("policy-reference");
    let program = scratch.program("reference", "gcp");
    let role = &program["resources"]["storage-mutator-role"];
    assert_eq!(
        role["type"],
        "gcp:organizations/iAMCustomRole:IAMCustomRole"
    );
    assert_eq!(
        role["properties"]["roleId"],
        "StorageObjectAndBucketMutator"
    );
    assert_eq!(role["options"]["protect"], true);
    let permissions = role["properties"]["permissions"].to_string();
    assert!(
        permissions.contains("storage.objects.delete"),
        "{permissions}"
    );
    for never in [
        "storage.buckets.delete",
        "storage.buckets.setIamPolicy",
        "storage.buckets.update",
    ] {
        assert!(!permissions.contains(never), "{never}");
    }
    // Its own grants wait for it.
    let grant = &program["resources"]["full-main-bucket-admin-no-bucket-deletion"];
    assert!(
        grant["options"]["dependsOn"]
            .to_string()
            .contains("storage-mutator-role")
    );
}

#[test]
fn azure_says_what_it_cannot_do() {
    let scratch = with_policy("policy-azure");
    let plan = scratch.plan("alpha-study", "azure");
    let diagnostics = plan[0]["diagnostics"].to_string();
    for expected in [
        "autoclass is not available on azure",
        "aborting incomplete multipart uploads is not available on azure",
        "turning soft delete off for one bucket is not available on azure",
    ] {
        assert!(
            diagnostics.contains(expected),
            "no {expected:?}: {diagnostics}"
        );
    }
    let reference = scratch.plan("reference", "azure")[0]["diagnostics"].to_string();
    assert!(
        reference.contains("a storage mutator role is not available on azure"),
        "{reference}"
    );
}

#[test]
fn unknown_policy_keys_are_errors() {
    let scratch = Scratch::example("policy-typo").edit("cpg.toml", |t| {
        format!("{t}\n[infrastructure.storage_policy]\nmutator_roles = true\n")
    });
    let out = scratch.run(&["validate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cpg.toml:") && stderr.contains("mutator_roles"),
        "{stderr}"
    );
}

#[test]
fn diff_flags_the_policy() {
    let base = Scratch::example("policy-diff-base");
    let current = with_policy("policy-diff");
    let (exit, report) = current.diff_from(&base, "alpha-study", "gcp");
    assert_eq!(exit, 3, "{report}");
    let entry = &report["datasets"][0];
    let flags = entry["flags"].as_array().expect("flags");
    let has = |kind: &str, resource: &str| {
        flags
            .iter()
            .any(|f| f["kind"] == kind && f["resource"] == resource)
    };
    // Autoclass and lifecycle changes cost; no soft delete can lose data.
    assert!(
        flags.iter().any(|f| f["kind"] == "cost"
            && f["resource"] == "egi-alpha-study-main"
            && f["reason"].to_string().contains("autoclass")),
        "{flags:?}"
    );
    assert!(has("cost", "egi-alpha-study-archive"), "{flags:?}");
    assert!(has("data-loss", "egi-alpha-study-main-tmp"), "{flags:?}");
    // Each admin grant becomes a mutator grant: weaker access under a new name.
    let narrowing = flags
        .iter()
        .find(|f| f["resource"] == "full-main-bucket-admin-no-bucket-deletion")
        .expect("the mutator grant is flagged");
    assert_eq!(narrowing["kind"], "access-narrowing", "{narrowing}");
    assert!(
        narrowing["reason"]
            .to_string()
            .contains("was admin: roles/storage.admin"),
        "{narrowing}"
    );
}

const REGIONS: &str = "  datasets:deploy_locations: '[\"gcp\", \"azure\"]'
  datasets:region: '{\"gcp\": \"australia-southeast2\", \"azure\": \"australiasoutheast\"}'
";

#[test]
fn a_dataset_region_moves_its_storage() {
    let scratch =
        Scratch::example("region").edit("Pulumi.alpha-study.yaml", |t| format!("{t}{REGIONS}"));
    let program = scratch.json(&["--dataset", "alpha-study", "program"]);
    let location =
        |resource: &str| program["resources"][resource]["properties"]["location"].clone();
    for (resource, region) in [
        ("egi-alpha-study-main", "australia-southeast2"),
        ("azure-resource-group", "australiasoutheast"),
        ("azure-storage-account", "australiasoutheast"),
    ] {
        assert_eq!(location(resource), region, "{resource}");
    }
    // Only storage moves: the Key Vault stays in the organisation's region.
    assert_ne!(location("azure-key-vault"), "australiasoutheast");
}

#[test]
fn bad_regions_are_errors() {
    for (case, line, expected) in [
        (
            "region-other-cloud",
            "  datasets:region: '{\"azure\": \"australiaeast\"}'\n",
            "datasets:region.azure: the dataset does not deploy to `azure`",
        ),
        (
            "region-bad",
            "  datasets:region: '{\"gcp\": \"Australia Southeast\"}'\n",
            "datasets:region.gcp: invalid region",
        ),
        // Well-formed, but no GCP location (the committed list, data/gcs-locations.txt).
        (
            "region-unknown",
            "  datasets:region: '{\"gcp\": \"australia-southeast3\"}'\n",
            "datasets:region.gcp is `australia-southeast3`, which is not a GCP location",
        ),
    ] {
        let scratch =
            Scratch::example(case).edit("Pulumi.alpha-study.yaml", |t| format!("{t}{line}"));
        let out = scratch.run(&["validate"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{case}: {stderr}");
        assert!(
            stderr.contains("Pulumi.alpha-study.yaml") && stderr.contains(expected),
            "{case}: {stderr}"
        );
    }
    // A bucket name GCS refuses for looking like Google's (checked with every dataset's
    // names, so the message names the dataset).
    let scratch = Scratch::example("bucket-google").edit("Pulumi.alpha-study.yaml", |t| {
        format!("{t}  datasets:additional_upload_buckets: '[\"egi-g00gle-upload\"]'\n")
    });
    let out = scratch.run(&["validate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dataset alpha-study: the bucket name `egi-g00gle-upload` contains `google` or a look-alike of it"),
        "{stderr}"
    );
}

#[test]
fn the_organisations_gcp_region_must_be_one_region() {
    for (region, expected) in [
        ("australia-southeast3", "which is not a GCP location"),
        ("US", "a dual- or multi-region"),
    ] {
        let scratch = Scratch::example("region-organisation").edit("cpg.toml", |t| {
            t.replacen(
                "[infrastructure.gcp]\n",
                &format!("[infrastructure.gcp]\nregion = \"{region}\"\n"),
                1,
            )
        });
        let out = scratch.run(&["validate"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{region}: {stderr}");
        assert!(
            stderr.contains("[infrastructure.gcp] region") && stderr.contains(expected),
            "{region}: {stderr}"
        );
    }
}

#[test]
fn diff_flags_a_region_change_as_replace_and_data_loss() {
    let base = Scratch::example("region-diff-base").edit("Pulumi.alpha-study.yaml", |t| {
        format!("{t}  datasets:deploy_locations: '[\"gcp\", \"azure\"]'\n")
    });
    let current = Scratch::example("region-diff")
        .edit("Pulumi.alpha-study.yaml", |t| format!("{t}{REGIONS}"));
    for (cloud, resource) in [
        ("gcp", "egi-alpha-study-main"),
        ("azure", "azure-storage-account"),
    ] {
        let (exit, report) = current.diff_from(&base, "alpha-study", cloud);
        assert_eq!(exit, 3, "{report}");
        let flags = report["datasets"][0]["flags"]
            .as_array()
            .expect("flags")
            .clone();
        for kind in ["replace", "data-loss"] {
            assert!(
                flags
                    .iter()
                    .any(|f| f["kind"] == kind && f["resource"] == resource),
                "{cloud}: no {kind} for {resource}: {flags:?}"
            );
        }
    }
}

#[test]
fn switching_soft_delete_back_on_states_the_default_retention() {
    // The provider keeps a bucket's last `softDeletePolicy` when the property disappears,
    // so `false` (switched back) states GCS's default, 7 days; unset says nothing, as the
    // reference did; `true` turns it off.
    let retention = |setting: Option<&str>| {
        let scratch = Scratch::example("policy-soft-delete").edit("cpg.toml", |t| match setting {
            Some(value) => {
                format!("{t}\n[infrastructure.storage_policy]\nno_soft_delete_for_tmp = {value}\n")
            }
            None => t,
        });
        let program = scratch.program("alpha-study", "gcp");
        let r = &program["resources"];
        assert!(
            r["egi-alpha-study-main"]["properties"]
                .get("softDeletePolicy")
                .is_none()
        );
        ["egi-alpha-study-main-tmp", "egi-alpha-study-test-tmp"].map(|bucket| {
            r[bucket]["properties"]
                .get("softDeletePolicy")
                .map(|p| p["retentionDurationSeconds"].clone())
        })
    };
    let week = Some(serde_json::json!(604_800));
    assert_eq!(retention(Some("false")), [week.clone(), week]);
    let off = Some(serde_json::json!(0));
    assert_eq!(retention(Some("true")), [off.clone(), off]);
    assert_eq!(retention(None), [None, None]);
}
