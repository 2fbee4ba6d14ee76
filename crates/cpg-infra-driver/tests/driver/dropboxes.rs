//! Upload dropboxes: `upload_config.dropboxes` gives buckets
//! `<prefix><dataset>-main-upload-db-<id>` (unfinished uploads under `incomplete/` deleted
//! after 8 days, no versions, no soft delete), the dropbox server's write access to them
//! and to the upload buckets, and the dataset's own configuration secret for the server;
//! bad dropboxes are errors naming the file and key path.

use super::support::{Scratch, partner_users};

/// The dropbox server on both clouds.
const DROPBOX_SERVER: &str = r#"
[infrastructure.data_dropbox.gcp]
project = "example-dropbox"
server_machine_account = "dropbox-server@example-dropbox.iam.gserviceaccount.com"
[infrastructure.data_dropbox.azure]
server_principal_id = "5f2a9c10-3b4d-4e6f-8a1b-2c3d4e5f6a7b"
"#;

const DROPBOX: &str = r#"  datasets:upload_config: '{"additional_buckets": [{"name": "partner"}], "dropboxes": [{"id": "clinic", "name": "Clinic uploads", "allowed_filetypes": [".cram"], "uploaders": ["sam", "alex.smith"], "move_to_bucket": "partner"}]}'
"#;

/// The registry's two users and the dropbox server.
fn organisation() -> String {
    format!("{}{DROPBOX_SERVER}", partner_users())
}

fn alpha_with(case: &str, organisation: &str, line: &str) -> Scratch {
    let (organisation, line) = (organisation.to_owned(), line.to_owned());
    Scratch::example(case)
        .edit("cpg.toml", move |t| format!("{t}{organisation}"))
        .edit("Pulumi.alpha-study.yaml", move |t| format!("{t}{line}"))
}

#[test]
fn a_dropbox_is_a_staging_bucket_with_the_server_and_its_configuration_on_gcp() {
    let scratch = alpha_with("dropbox-gcp", &organisation(), DROPBOX);
    let program = scratch.program("alpha-study", "gcp");
    let resources = &program["resources"];
    let bucket = &resources["egi-alpha-study-main-upload-db-clinic"]["properties"];
    assert_eq!(
        bucket["lifecycleRules"],
        serde_json::json!([{"action": {"type": "Delete"}, "condition": {"age": 8, "matchesPrefixes": ["incomplete/"]}}]),
        "{bucket}"
    );
    assert_eq!(bucket["versioning"]["enabled"], false);
    assert_eq!(bucket["softDeletePolicy"]["retentionDurationSeconds"], 0);
    assert!(bucket.get("autoclass").is_none());
    // The server writes into the dropbox and every upload bucket; uploaders are the
    // server's business, never granted on the bucket.
    for bucket in [
        "main-upload-db-clinic",
        "main-upload",
        "main-upload-partner",
    ] {
        let grant = &resources[format!("dropbox-server-{bucket}-bucket-creator").as_str()];
        assert_eq!(
            grant["properties"]["member"],
            "serviceAccount:dropbox-server@example-dropbox.iam.gserviceaccount.com",
            "{bucket}: {grant}"
        );
    }
    assert!(
        !resources
            .as_object()
            .expect("resources")
            .keys()
            .any(|k| k.starts_with("uploaders/main-upload-db")),
        "dropbox uploaders are not bucket members"
    );
    // The dataset's own configuration secret, in the server's project, read by the server.
    let secret = &resources["dropbox-config-alpha-study"]["properties"];
    assert_eq!(secret["project"], "example-dropbox");
    assert_eq!(secret["secretId"], "dropbox-config-alpha-study");
    let data = resources["dropbox-config-version"]["properties"]["secretData"]["fn::secret"]
        .as_str()
        .expect("secret data");
    let config: serde_json::Value = serde_json::from_str(data).expect("JSON");
    let dropbox = &config["dropboxes"][0];
    assert_eq!(dropbox["id"], "clinic");
    assert_eq!(dropbox["project"], "alpha-study");
    assert_eq!(dropbox["move_to_bucket"], "partner");
    assert_eq!(
        dropbox["uploaders"],
        serde_json::json!([
            "sam@partner.example.org",
            "alex.smith@example-institute.org"
        ])
    );
    let accessor = &resources["dropbox-config-accessor"]["properties"];
    assert_eq!(accessor["role"], "roles/secretmanager.secretAccessor");
    // Configuration, not a credential: the literal-secret policy leaves it alone.
    scratch.succeeds(&["validate"]);
}

#[test]
fn a_dropbox_on_azure_is_a_container_with_a_prefix_rule() {
    let scratch = alpha_with("dropbox-azure", &organisation(), DROPBOX);
    let program = scratch.program("alpha-study", "azure");
    let resources = &program["resources"];
    assert_eq!(
        resources["azure-container-main-upload-db-clinic"]["properties"]["containerName"],
        "main-upload-db-clinic"
    );
    let rules = resources["azure-storage-lifecycle"]["properties"]["policy"]["rules"]
        .as_array()
        .expect("rules");
    let rule = rules
        .iter()
        .find(|r| r["name"] == "mainuploaddbclinicIncomplete")
        .expect("the incomplete/ rule");
    assert_eq!(
        rule["definition"]["filters"]["prefixMatch"],
        serde_json::json!(["main-upload-db-clinic/incomplete/"])
    );
    let server =
        &resources["azure-dropbox-server-main-upload-db-clinic-bucket-creator"]["properties"];
    assert_eq!(
        server["principalId"],
        "5f2a9c10-3b4d-4e6f-8a1b-2c3d4e5f6a7b"
    );
    let data = resources["azure-secret-dropbox-config-alpha-study"]["properties"]["properties"]
        ["value"]["fn::secret"]
        .as_str()
        .expect("secret value");
    assert!(
        data.contains("1c8d5f63-0a2b-4e4c-9d3f-2b3c4d5e6f70"),
        "{data}"
    );
}

#[test]
fn without_a_dropbox_server_the_plan_says_what_is_missing() {
    let scratch = alpha_with("dropbox-no-server", &partner_users(), DROPBOX);
    let out = scratch.run(&["plan", "--dataset", "alpha-study"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "dropbox-config-accessor: not created: needs [infrastructure.data_dropbox.gcp] server_machine_account in cpg.toml"
        ),
        "{stdout}"
    );
}

#[test]
fn bad_dropboxes_are_errors_naming_file_and_key() {
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "dropbox-unknown-target",
            r#"  datasets:upload_config: '{"additional_buckets": [{"name": "partner"}], "dropboxes": [{"id": "clinic", "name": "Clinic", "allowed_filetypes": [".cram"], "uploaders": ["sam"], "move_to_bucket": "partnr"}]}'
"#,
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:upload_config.dropboxes[0].move_to_bucket: `partnr` is not an upload bucket of this dataset",
                "`default`, `partner`",
            ],
        ),
        (
            "dropbox-twice",
            r#"  datasets:upload_config: '{"dropboxes": [{"id": "clinic", "name": "A", "allowed_filetypes": [], "uploaders": ["sam"]}, {"id": "clinic", "name": "B", "allowed_filetypes": [], "uploaders": ["alex.smyth"]}]}'
"#,
            &[
                "datasets:upload_config.dropboxes[1].id: dropbox `clinic` is given twice",
                "datasets:upload_config.dropboxes[1].uploaders[0]: unknown user `alex.smyth`",
            ],
        ),
        (
            "dropbox-bad-entry",
            r#"  datasets:upload_config: '{"dropboxes": [{"id": "Clinic_1", "name": "A", "allowed_filetypes": [], "uploaders": []}, {"id": "b", "name": "B", "allowed_filetypes": [], "uploaders": [], "movetobucket": "x"}]}'
"#,
            &[
                "datasets:upload_config.dropboxes[0]",
                "dropbox id",
                "datasets:upload_config.dropboxes[1]",
                "unknown field `movetobucket`",
            ],
        ),
        (
            "dropbox-not-a-list",
            r#"  datasets:upload_config: '{"dropboxes": {"id": "clinic"}}'
"#,
            &["datasets:upload_config.dropboxes: must be a list"],
        ),
    ];
    for (case, line, expected) in cases {
        alpha_with(case, &organisation(), line).invalid(case, expected);
    }
}
