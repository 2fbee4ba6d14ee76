//! Memberships in a dependency's groups, per cloud: a dependency exports its
//! groups only on the clouds it deploys to, so a dataset on both clouds never
//! reads the `-azure` outputs of a GCP-only dependency (Pulumi would fail the
//! whole update), in the CLI and in compiler mode.

use std::path::Path;

use serde_json::Value;

use super::support::{declares, repo, run};

/// The stack outputs a program reads, as `<stack>.outputs["<name>"]` texts.
fn output_reads(program: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(program);
    let mut reads: Vec<String> = text
        .match_indices(".outputs[")
        .map(|(i, _)| {
            let rest = &text[i..];
            let end = rest.find(']').expect("closing bracket");
            rest[..=end].replace("\\\"", "\"")
        })
        .collect();
    reads.sort();
    reads.dedup();
    reads
}

#[test]
fn a_gcp_only_dependency_is_not_read_on_azure() {
    let output = run(&repo(), &["--dataset", "gamma-bridge", "program"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reads = output_reads(&output.stdout);
    assert!(
        reads.contains(&r#".outputs["reference-access-group-id"]"#.to_owned()),
        "{reads:?}"
    );
    assert!(!reads.iter().any(|r| r.contains("-azure")), "{reads:?}");
    let program: Value = serde_json::from_slice(&output.stdout).expect("program");
    assert!(!declares(&program, "azure-reference-access-group"));

    let plan = run(&repo(), &["--dataset", "gamma-bridge", "plan"], &[]);
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(
        text.contains("warning [azure] reference-access-group: dataset reference does not deploy to azure (its deploy_locations are [gcp])"),
        "{text}"
    );
}

/// A stack folder with the example `cpg.toml`, and `reference` deploying to `clouds`
/// (no stack file for it when `None`).
fn project(dir: &Path, reference_clouds: Option<&str>) {
    std::fs::create_dir_all(dir).expect("temporary folder");
    std::fs::copy(repo().join("stack/cpg.toml"), dir.join("cpg.toml")).expect("cpg.toml");
    let path = dir.join("Pulumi.reference.yaml");
    let _ = std::fs::remove_file(&path);
    if let Some(clouds) = reference_clouds {
        let text = std::fs::read_to_string(repo().join("stack/Pulumi.reference.yaml"))
            .expect("example reference stack");
        let text = text.replacen(
            "config:\n",
            &format!("config:\n  datasets:deploy_locations: '{clouds}'\n"),
            1,
        );
        std::fs::write(&path, text).expect("reference stack file");
    }
}

fn compile(dir: &Path) -> Vec<String> {
    let config = serde_json::json!({
        "datasets:deploy_locations": r#"["gcp", "azure"]"#,
        "datasets:gcp_hail_service_account_test": "delta-study-test-1@egi-hail.iam.gserviceaccount.com",
        "datasets:gcp_hail_service_account_standard": "delta-study-standard-2@egi-hail.iam.gserviceaccount.com",
        "datasets:gcp_hail_service_account_full": "delta-study-full-3@egi-hail.iam.gserviceaccount.com",
        "gcp:project": "delta-study-5150",
    })
    .to_string();
    let output = run(
        dir,
        &["program"],
        &[("PULUMI_STACK", "delta-study"), ("PULUMI_CONFIG", &config)],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output_reads(&output.stdout)
}

#[test]
fn compiler_mode_reads_where_the_dependency_deploys_from_its_stack_file() {
    let scratch = tempfile::tempdir().expect("temporary folder");
    let dir = scratch.path().to_path_buf();
    // The reference dataset on both clouds: both clouds read its groups.
    project(&dir, Some(r#"["gcp", "azure"]"#));
    let both = compile(&dir);
    assert!(
        both.contains(&r#".outputs["reference-access-group-id-azure"]"#.to_owned()),
        "{both:?}"
    );
    assert!(
        both.contains(&r#".outputs["reference-access-group-id"]"#.to_owned()),
        "{both:?}"
    );
    // On GCP only: Azure does not read it.
    project(&dir, Some(r#"["gcp"]"#));
    let gcp = compile(&dir);
    assert!(!gcp.iter().any(|r| r.contains("-azure")), "{gcp:?}");
    assert!(
        gcp.contains(&r#".outputs["reference-access-group-id"]"#.to_owned()),
        "{gcp:?}"
    );
    // On Azure only: GCP does not read it.
    project(&dir, Some(r#"["azure"]"#));
    let azure = compile(&dir);
    assert!(
        azure.iter().all(|r| r.contains("-azure")) && !azure.is_empty(),
        "{azure:?}"
    );
    // Not configured next to the stack: taken as the default (gcp), never read on Azure.
    project(&dir, None);
    let unknown = compile(&dir);
    assert!(!unknown.iter().any(|r| r.contains("-azure")), "{unknown:?}");
}
