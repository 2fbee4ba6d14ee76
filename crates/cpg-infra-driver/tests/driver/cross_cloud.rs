//! The two problems the reference left open: values that cross clouds (the
//! workflow engine's credentials of each cloud stored as secrets on the other)
//! and existing resources (read with `get:`, or adopted with `import`). The
//! example dataset `gamma-bridge` in `stack/` deploys to both clouds, reads
//! organisation resources and adopts two resources.

use std::process::Command;

use serde_json::Value;

use super::support::{repo, run, shared};

fn program(extra_env: &[(&str, &str)]) -> Value {
    let output = run(
        &repo(),
        &["--dataset", "gamma-bridge", "program"],
        extra_env,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("program json")
}

fn resource<'a>(program: &'a Value, name: &str) -> &'a Value {
    program["resources"]
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not in the program"))
}

#[test]
fn workflow_credentials_cross_both_ways_as_references() {
    let program = program(&[]);
    for level in ["test", "standard", "full"] {
        // GCP key -> Azure Key Vault secret: the value is the GCP key's output, decoded, secret.
        let azure_secret = resource(
            &program,
            &format!("azure-secret-gamma-bridge-cromwell-{level}-gcp-key"),
        );
        assert_eq!(azure_secret["type"], "azure-native:keyvault:Secret");
        assert_eq!(
            azure_secret["properties"]["properties"]["value"],
            serde_json::json!({"fn::secret": {"fn::fromBase64": format!("${{cromwell-service-account-{level}-key.privateKey}}")}})
        );
        // Azure credential -> GCP Secret Manager secret with a version.
        let gcp_secret = resource(
            &program,
            &format!("gamma-bridge-cromwell-{level}-azure-key"),
        );
        assert_eq!(gcp_secret["type"], "gcp:secretmanager/secret:Secret");
        let version = resource(&program, &format!("cromwell-azure-{level}-secret-version"));
        assert_eq!(
            version["properties"]["secret"],
            format!("${{gamma-bridge-cromwell-{level}-azure-key.id}}")
        );
        let data = version["properties"]["secretData"]["fn::secret"]
            .as_str()
            .expect("secret string");
        assert!(
            data.contains(&format!(
                "\"clientSecret\":\"${{azure-cromwell-service-account-{level}-key.value}}\""
            )) && data.contains(&format!(
                "${{azure-cromwell-service-account-{level}-key-application.clientId}}"
            )),
            "{data}"
        );
        // Accessors: the same roles as the home secrets (analysis-runner server, Hail account).
        let accessor = resource(&program, &format!("cromwell-azure-{level}-secret-accessor"));
        assert_eq!(
            accessor["properties"]["role"],
            "roles/secretmanager.secretAccessor"
        );
        resource(&program, &format!("cromwell-azure-{level}-self-accessor"));
        resource(
            &program,
            &format!("azure-cromwell-gcp-{level}-secret-accessor"),
        );
    }
}

#[test]
fn the_plan_says_which_values_cross_clouds_and_never_shows_them() {
    let output = run(&repo(), &["--dataset", "gamma-bridge"], &[]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("from gcp is stored in Key Vault secret"),
        "{text}"
    );
    assert!(
        text.contains("from azure is stored in secret gamma-bridge-cromwell-test-azure-key"),
        "{text}"
    );
    assert!(
        !text.contains("privateKey}"),
        "a secret's reference leaked into the text plan"
    );
    assert!(text.contains("[secret]"));
}

#[test]
fn cross_cloud_secrets_can_be_switched_off() {
    let (code, stderr, stdout) = with_edit(
        "switched-off",
        "Pulumi.gamma-bridge.yaml",
        "  gcp:project: gamma-bridge-7310\n",
        "  datasets:cross_cloud_secrets: \"false\"\n  gcp:project: gamma-bridge-7310\n",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let program: Value = serde_json::from_slice(&stdout).expect("program");
    let names: Vec<&String> = program["resources"]
        .as_object()
        .expect("resources")
        .keys()
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("-gcp-key") || n.contains("-azure-key")),
        "{names:?}"
    );
}

#[test]
fn existing_resources_are_read_with_get_and_used_by_reference() {
    let program = program(&[]);
    let runner = resource(&program, "existing-cromwell-runner");
    assert_eq!(runner["type"], "gcp:serviceaccount/account:Account");
    assert!(
        runner["get"]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("projects/egi-cromwell/"))
    );
    assert!(
        runner.get("properties").is_none(),
        "a get: resource has no inputs"
    );
    assert_eq!(
        resource(&program, "cromwell-runner-test-service-account-user")["properties"]["member"],
        "serviceAccount:${existing-cromwell-runner.email}"
    );
    assert_eq!(
        resource(&program, "service-account-notebook-gamma-bridge")["properties"]["project"],
        "${existing-notebooks-project.projectId}"
    );
    let azure_runner = resource(&program, "azure-existing-cromwell-runner");
    assert_eq!(
        azure_runner["type"],
        "azure-native:managedidentity:UserAssignedIdentity"
    );
    assert!(
        azure_runner["get"]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("/subscriptions/"))
    );
    assert_eq!(
        resource(&program, "azure-full-images-writer-in-cpg-common")["properties"]["scope"],
        "${azure-existing-common-registry.id}"
    );
}

#[test]
fn adopted_resources_are_imported_on_both_clouds() {
    let program = program(&[]);
    assert_eq!(
        resource(&program, "egi-gamma-bridge-main")["options"]["import"],
        "gamma-bridge-7310/egi-gamma-bridge-main"
    );
    assert!(
        resource(&program, "azure-storage-account")["options"]["import"]
            .as_str()
            .is_some_and(|id| id.ends_with("/storageAccounts/egigammabridge"))
    );
    // The account lies in the dataset's resource group, which therefore exists and is
    // adopted too (azure-native refuses to create a resource that exists).
    assert_eq!(
        resource(&program, "azure-resource-group")["options"]["import"],
        "/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/resourceGroups/egi-gamma-bridge"
    );
}

#[test]
fn the_two_cloud_program_passes_the_schema_check() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared is absent; schema check skipped");
        return;
    };
    let output = run(&repo(), &["--dataset", "gamma-bridge", "program"], &[]);
    assert!(output.status.success());
    let scratch = tempfile::tempdir().expect("scratch dir");
    let file = scratch.path().join("gamma-bridge.json");
    std::fs::write(&file, &output.stdout).expect("write");
    let check = Command::new("python3")
        .arg(shared.join("tools/check-pulumi-program"))
        .arg(&file)
        .output()
        .expect("checker");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && stdout.trim_end().ends_with(" 0 problems"),
        "{stdout}"
    );
}

/// Runs `program` for gamma-bridge on a copy of the example files where `from`
/// is replaced by `to` in `file`; returns (exit code, stderr, stdout).
fn with_edit(case: &str, file: &str, from: &str, to: &str) -> (Option<i32>, String, Vec<u8>) {
    let scratch_dir = tempfile::Builder::new()
        .prefix(&format!("cpg-infra-xcloud-{case}-"))
        .tempdir()
        .expect("dir");
    let scratch = scratch_dir.path().to_path_buf();
    for name in [
        "cpg.toml",
        "Pulumi.reference.yaml",
        "Pulumi.gamma-bridge.yaml",
    ] {
        let text = std::fs::read_to_string(repo().join("stack").join(name)).expect("read");
        let text = if name == file {
            assert!(text.contains(from), "{name} lacks {from}");
            text.replacen(from, to, 1)
        } else {
            text
        };
        std::fs::write(scratch.join(name), text).expect("write");
    }
    let output = run(
        &scratch,
        &[
            "--config",
            "cpg.toml",
            "--dataset",
            "gamma-bridge",
            "program",
        ],
        &[],
    );
    drop(scratch_dir);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.stdout,
    )
}

#[test]
fn bad_ids_unknown_names_and_missing_types_are_clear_errors() {
    let cases = [
        (
            "unknown-logical-name",
            "Pulumi.gamma-bridge.yaml",
            "\"egi-gamma-bridge-main\":",
            "\"egi-gamma-bridge-mian\":",
            vec![
                "datasets:adopt",
                "egi-gamma-bridge-mian",
                "did you mean `egi-gamma-bridge-main`",
            ],
        ),
        (
            "bad-adopt-id",
            "Pulumi.gamma-bridge.yaml",
            "\"gamma-bridge-7310/egi-gamma-bridge-main\"",
            "\"gs://egi-gamma-bridge-main\"",
            vec!["datasets:adopt", "gs://egi-gamma-bridge-main", "bucket"],
        ),
        (
            "bad-azure-adopt-id",
            "Pulumi.gamma-bridge.yaml",
            "\"/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/resourceGroups/egi-gamma-bridge",
            "\"egigammabridge\", \"x\": \"/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/resourceGroups/egi-gamma-bridge",
            vec![
                "datasets:adopt",
                "azure-storage-account",
                "Azure resource id",
            ],
        ),
        (
            "adopt-from-another-subscription",
            "Pulumi.gamma-bridge.yaml",
            "\"/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/resourceGroups/egi-gamma-bridge",
            "\"/subscriptions/00000000-1111-4222-8333-444444444444/resourceGroups/egi-gamma-bridge",
            vec![
                "datasets:adopt",
                "azure-storage-account",
                "00000000-1111-4222-8333-444444444444",
                "subscription_id 8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f",
            ],
        ),
        (
            "adopt-a-provider",
            "Pulumi.gamma-bridge.yaml",
            "\"azure-storage-account\":",
            "\"azure-native-provider\": \"x\", \"azure-storage-account\":",
            vec![
                "datasets:adopt",
                "azure-native-provider",
                "pulumi:providers:azure-native",
                "nothing to adopt",
            ],
        ),
        (
            "bad-existing-id",
            "cpg.toml",
            "notebooks_project = \"egi-notebooks\"",
            "notebooks_project = \"Egi Notebooks\"",
            vec![
                "[infrastructure.existing.gcp] notebooks_project",
                "Egi Notebooks",
            ],
        ),
        (
            "get-of-a-type-azure-lacks",
            "cpg.toml",
            "[infrastructure.existing.azure]\n",
            "[infrastructure.existing.azure]\nhail_accounts = true\n",
            vec![
                "[infrastructure.existing.azure] hail_accounts",
                "Azure has no Hail service accounts",
            ],
        ),
        (
            "unknown-existing-key",
            "cpg.toml",
            "[infrastructure.existing.azure]\n",
            "[infrastructure.existing.azure]\ncromwel_runner = \"x\"\n",
            vec!["cromwel_runner"],
        ),
    ];
    for (case, file, from, to, fragments) in cases {
        let (code, stderr, stdout) = with_edit(case, file, from, to);
        assert_eq!(code, Some(1), "{case}: {stderr}");
        assert!(stdout.is_empty(), "{case}: printed a program");
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        for fragment in fragments {
            assert!(
                stderr.contains(fragment),
                "{case}: expected {fragment:?} in {stderr}"
            );
        }
    }
}

#[test]
fn azure_principals_of_the_dataset_accounts_get_their_grants() {
    let program = program(&[]);
    let grant = resource(
        &program,
        "azure-hail-service-account-full-hail-bucket-admin",
    );
    assert_eq!(
        grant["properties"]["principalId"],
        "6b1e2d3c-0403-4a5b-8c6d-7e8f9a0b1c03"
    );
    let member = resource(&program, "azure-hail-full-access-level-group-membership");
    assert_eq!(
        member["properties"]["memberObjectId"],
        "6b1e2d3c-0403-4a5b-8c6d-7e8f9a0b1c03"
    );
    // The GCP side still uses the Hail service accounts' e-mails.
    assert_eq!(
        resource(&program, "hail-service-account-full-hail-bucket-admin")["properties"]["member"],
        "serviceAccount:gamma-bridge-full-403@egi-hail.iam.gserviceaccount.com"
    );
}
