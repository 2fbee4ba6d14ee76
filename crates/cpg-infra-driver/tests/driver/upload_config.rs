//! Upload config: `datasets:upload_config` on the example organisation gives the
//! default upload bucket's uploaders and additional upload buckets
//! `<prefix><dataset>-main-upload-<name>` with their own, resolved through the users
//! registry on gcp and azure; bad values are errors naming the file and key path; `diff`
//! flags the new access.

use super::support::{Scratch, partner_users};

const UPLOAD: &str = r#"  datasets:upload_config: '{"default_bucket": {"uploaders": ["alex.smith"]}, "additional_buckets": [{"name": "partner", "uploaders": ["sam"]}]}'
"#;

fn with_users(case: &str) -> Scratch {
    Scratch::example(case).edit("cpg.toml", |t| format!("{t}{}", partner_users()))
}

fn alpha_with(case: &str, line: &str) -> Scratch {
    let line = line.to_owned();
    with_users(case).edit("Pulumi.alpha-study.yaml", move |t| format!("{t}{line}"))
}

#[test]
fn uploaders_and_additional_buckets_on_gcp() {
    let scratch = alpha_with("upload-gcp", UPLOAD);
    let program = scratch.program("alpha-study", "gcp");
    let resources = &program["resources"];
    let bucket = &resources["egi-alpha-study-main-upload-partner"];
    assert_eq!(bucket["type"], "gcp:storage/bucket:Bucket", "{bucket}");
    // The default upload bucket's settings: the undelete rule, versioned.
    let main = &resources["egi-alpha-study-main-upload"]["properties"];
    assert_eq!(
        bucket["properties"]["lifecycleRules"],
        main["lifecycleRules"]
    );
    assert_eq!(bucket["properties"]["versioning"], main["versioning"]);
    // The default bucket's grants, and the uploaders on their bucket only.
    for grant in [
        "full-main-upload-partner-bucket-admin",
        "main-upload-service-account-main-upload-partner-bucket-creator",
        "access-group-main-upload-partner-bucket-viewer",
    ] {
        assert!(resources.get(grant).is_some(), "no {grant}");
    }
    let alex = &resources["uploaders/main-upload/alex.smith"]["properties"];
    assert_eq!(alex["member"], "user:alex.smith@example-institute.org");
    assert_eq!(alex["bucket"], "${egi-alpha-study-main-upload.name}");
    // Objects only: never the bucket or its IAM (storage.admin before access was proven).
    assert_eq!(alex["role"], "roles/storage.objectUser");
    let sam = &resources["uploaders/main-upload-partner/sam"]["properties"];
    assert_eq!(sam["member"], "user:sam@partner.example.org");
    assert_eq!(sam["bucket"], "${egi-alpha-study-main-upload-partner.name}");
    assert!(resources.get("uploaders/main-upload/sam").is_none());
}

#[test]
fn uploaders_and_additional_buckets_on_azure() {
    let scratch = alpha_with("upload-azure", UPLOAD);
    let program = scratch.program("alpha-study", "azure");
    let resources = &program["resources"];
    assert_eq!(
        resources["azure-container-main-upload-partner"]["properties"]["containerName"],
        "main-upload-partner"
    );
    let sam = &resources["azure-uploaders/main-upload-partner/sam"]["properties"];
    assert_eq!(sam["principalId"], "1c8d5f63-0a2b-4e4c-9d3f-2b3c4d5e6f70");
    let mutator =
        resources["azure-full-main-upload-partner-bucket-admin"]["properties"]["roleDefinitionId"]
            .clone();
    // Named at subscription scope, as Azure stores it, by the blob mutator's GUID.
    let guid = resources["azure-blob-mutator-role"]["properties"]["roleDefinitionId"]
        .as_str()
        .expect("the blob mutator's GUID");
    assert!(
        mutator
            .as_str()
            .is_some_and(|id| id.starts_with("/subscriptions/")
                && id.ends_with(&format!(
                    "/providers/Microsoft.Authorization/roleDefinitions/{guid}"
                ))),
        "{mutator}"
    );
    assert_eq!(
        sam["roleDefinitionId"], mutator,
        "uploaders change objects, as full does, never the container"
    );
}

#[test]
fn bad_upload_configs_are_errors_naming_file_and_key() {
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "upload-unknown-user",
            r#"  datasets:upload_config: '{"default_bucket": {"uploaders": ["alex.smyth"]}}'
"#,
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:upload_config.default_bucket.uploaders[0]",
                "unknown user `alex.smyth`",
                "alex.smith",
            ],
        ),
        (
            "upload-bad-name",
            r#"  datasets:upload_config: '{"additional_buckets": [{"name": "Partner_1"}]}'
"#,
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:upload_config.additional_buckets[0].name",
                "upload bucket name",
            ],
        ),
        (
            "upload-unknown-key",
            r#"  datasets:upload_config: '{"default_bucket": {"uploader": []}, "extra": 1}'
"#,
            &[
                "datasets:upload_config.default_bucket.uploader",
                "did you mean `uploaders`",
                "datasets:upload_config.extra",
            ],
        ),
        (
            "upload-twice",
            r#"  datasets:upload_config: '{"additional_buckets": [{"name": "p"}, {"name": "p", "uploaders": ["sam", "sam"]}]}'
"#,
            &[
                "additional_buckets[1].name: `p` is given twice",
                "additional_buckets[1].uploaders[1]: `sam` is listed twice",
            ],
        ),
        (
            "upload-and-legacy",
            r#"  datasets:upload_config: '{}'
  datasets:additional_upload_buckets: '["egi-alpha-study-partner-upload"]'
"#,
            &["datasets:upload_config and datasets:additional_upload_buckets are both set"],
        ),
    ];
    for (case, line, expected) in cases {
        alpha_with(case, line).invalid(case, expected);
    }
    // A user without an id on a cloud the dataset deploys to.
    let scratch = Scratch::example("upload-no-azure-id")
        .edit("cpg.toml", |t| {
            format!(
                "{t}\n[infrastructure.users.sam.clouds.gcp]\nid = \"sam@partner.example.org\"\n"
            )
        })
        .edit("Pulumi.alpha-study.yaml", |t| {
            format!("{t}  datasets:deploy_locations: '[\"gcp\", \"azure\"]'\n{UPLOAD}")
        });
    let out = scratch.run(&["validate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("datasets:upload_config.additional_buckets[0].uploaders[0]: user `sam` has no id on azure"),
        "{stderr}"
    );
}

#[test]
fn diff_shows_the_new_bucket_and_uploaders() {
    let base = with_users("upload-diff-base");
    let current = alpha_with("upload-diff", UPLOAD);
    let (exit, report) = current.diff_from(&base, "alpha-study", "gcp");
    assert_eq!(exit, 3, "{report}");
    let entry = &report["datasets"][0];
    let added = entry["added"].to_string();
    for name in [
        "egi-alpha-study-main-upload-partner",
        "uploaders/main-upload/alex.smith",
        "uploaders/main-upload-partner/sam",
    ] {
        assert!(added.contains(name), "{name} not added: {added}");
    }
    let flags = entry["flags"].as_array().expect("flags");
    assert!(
        flags.iter().any(|f| f["kind"] == "access-widening"
            && f["resource"] == "uploaders/main-upload/alex.smith"),
        "{flags:?}"
    );
    assert!(
        flags
            .iter()
            .any(|f| f["kind"] == "cost" && f["resource"] == "egi-alpha-study-main-upload-partner"),
        "{flags:?}"
    );
}
