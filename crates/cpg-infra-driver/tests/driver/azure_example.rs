//! What the Azure plugin promises, asserted on the real pipeline's output for the
//! example organisation on Azure (the programs the snapshots show): names, providers,
//! credentials, custom roles, lifecycle tiers, budgets and the diagnostics of what
//! Azure lacks.

use cpg_infra_abstraction::{Plan, Severity};
use cpg_infra_config::CloudName;
use cpg_infra_driver::inputs::{self, ConfigLocation, ConfigSource};
use cpg_infra_driver::pipeline;
use serde_json::Value as Json;

use super::support::repo;

/// The plan of the example dataset `name` on Azure alone.
fn plan(name: &str) -> Plan {
    let location = ConfigLocation::File {
        path: repo().join("stack/cpg.toml"),
        source: ConfigSource::Flag,
        stack_dir: repo().join("stack"),
    };
    let loaded = inputs::load(&location, true).expect("the example organisation loads");
    let dataset = loaded
        .datasets
        .iter()
        .find(|d| d.dataset.as_str() == name)
        .expect("an example dataset");
    pipeline::plan(
        &loaded.infrastructure,
        dataset,
        &[CloudName::azure()],
        &pipeline::Deployments::of(&loaded.datasets),
    )
    .expect("the example plans on azure")
}

/// The rendered program of `plan`.
fn program(plan: &Plan) -> Json {
    serde_json::from_slice(&pipeline::render_program(plan)).expect("the program is JSON")
}

fn warned(plan: &Plan, subject: &str) -> bool {
    plan.diagnostics
        .iter()
        .any(|d| d.subject == subject && d.severity == Severity::Warning)
}

#[test]
fn every_logical_name_is_prefixed() {
    let plan = plan("alpha-study");
    for resource in &plan.resources {
        let stack_reference = resource.type_token == "pulumi:pulumi:StackReference";
        assert!(
            resource.name.starts_with("azure-") || stack_reference,
            "{} is not prefixed",
            resource.name
        );
    }
    assert!(plan.outputs.keys().all(|k| k.ends_with("-group-id-azure")));
}

#[test]
fn credentials_follow_the_identity_grants() {
    let plan = plan("alpha-study");
    let replayed = plan
        .get("azure-cromwell-test-access-level-group-membership-credential")
        .expect("the credential principal joins the identity's group");
    assert_eq!(replayed.type_token, "azuread:index/groupMember:GroupMember");
    let secret = plan
        .get("azure-secret-alpha-study-cromwell-test-key")
        .expect("secret");
    assert!(secret.has_secret());
    assert!(secret.options.ignore_changes.is_empty());
    let cache = plan
        .get("azure-secret-alpha-study-access-members-cache")
        .expect("cache secret");
    // Nothing Pulumi could update: an update would PUT the old empty value again.
    assert_eq!(
        cache.options.ignore_changes,
        vec!["properties".to_owned(), "tags".to_owned()]
    );
}

#[test]
fn credentials_have_an_explicit_lifetime_and_a_rotation_trigger() {
    let plan = plan("alpha-study");
    let name = "azure-cromwell-service-account-test-key";
    let password = plan.get(name).expect("the Cromwell credential's password");
    assert_eq!(
        password.type_token,
        "azuread:index/applicationPassword:ApplicationPassword"
    );
    let properties = &program(&plan)["resources"][name]["properties"];
    // The example's credential_rotation_date 2026-12-01 plus 365 days.
    assert_eq!(properties["endDate"], "2027-12-01T00:00:00Z");
    assert_eq!(
        properties["rotateWhenChanged"],
        serde_json::json!({"credential_rotation": "initial"})
    );
}

#[test]
fn the_appender_role_grants_chunked_uploads_and_nothing_ineffective() {
    let plan = plan("alpha-study");
    let role = plan.get("azure-blob-appender-role").expect("custom role");
    assert_eq!(role.type_token, "azure-native:authorization:RoleDefinition");
    let program = program(&plan);
    let permissions =
        &program["resources"]["azure-blob-appender-role"]["properties"]["permissions"][0];
    assert_eq!(
        permissions["actions"],
        serde_json::json!(["Microsoft.Storage/storageAccounts/blobServices/containers/read"])
    );
    assert_eq!(
        permissions["dataActions"],
        serde_json::json!([
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action"
        ])
    );
}

#[test]
fn registry_roles_name_the_registry_mode_they_need_once() {
    let plan = plan("alpha-study");
    let notes: Vec<_> = plan
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("RBAC Registry Permissions"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].severity, Severity::Note);
}

#[test]
fn the_shared_notebooks_scope_is_said_loudly() {
    let plan = plan("alpha-study");
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.subject == "notebook-account-compute-admin"
                && d.severity == Severity::Warning
                && d.message.contains("every dataset")),
        "{:?}",
        plan.diagnostics
    );
}

#[test]
fn gcp_only_capabilities_and_gcp_accounts_are_diagnosed() {
    let plan = plan("alpha-study");
    for subject in [
        "access-group-serviceusage-consumer",
        "cromwell-service-account-test-workflows-runner",
        "project-dataproc-viewer",
        "analysis-runner-access-invoker",
        "hail-service-account-test-hail-bucket-admin",
        "azure-container-release",
    ] {
        assert!(warned(&plan, subject), "no warning for {subject}");
    }
}

#[test]
fn every_azure_resource_names_the_configured_providers() {
    let plan = plan("alpha-study");
    let native = plan
        .get("azure-native-provider")
        .expect("azure-native provider");
    assert_eq!(native.type_token, "pulumi:providers:azure-native");
    assert_eq!(
        native.properties.get("subscriptionId"),
        Some(&cpg_infra_abstraction::Value::str(
            "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f"
        ))
    );
    let tenant = cpg_infra_abstraction::Value::str("3f2a6c1e-7b4d-4e8a-9c21-5d6f7a8b9c0d");
    assert_eq!(native.properties.get("tenantId"), Some(&tenant));
    let ad = plan.get("azure-ad-provider").expect("azuread provider");
    assert_eq!(ad.type_token, "pulumi:providers:azuread");
    assert_eq!(ad.properties.get("tenantId"), Some(&tenant));
    for resource in &plan.resources {
        let expected = if resource.type_token.starts_with("azure-native:") {
            Some("azure-native-provider")
        } else if resource.type_token.starts_with("azuread:") {
            Some("azure-ad-provider")
        } else {
            None
        };
        assert_eq!(
            resource.options.provider.as_deref(),
            expected,
            "{} ({})",
            resource.name,
            resource.type_token
        );
    }
    let program = program(&plan);
    assert_eq!(
        program["resources"]["azure-native-provider"]["options"]["version"],
        "3.29.0"
    );
    assert_eq!(
        program["resources"]["azure-resource-group"]["options"]["provider"],
        "${azure-native-provider}"
    );
}

#[test]
fn archive_rules_use_the_online_cold_tier() {
    let plan = plan("alpha-study");
    let program = program(&plan);
    let rules = &program["resources"]["azure-storage-lifecycle"]["properties"]["policy"]["rules"];
    let archive = rules
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["name"] == "archiveArchive")
        .expect("the archive container's archive rule");
    let base = &archive["definition"]["actions"]["baseBlob"];
    assert!(
        base["tierToCold"]["daysAfterCreationGreaterThan"].is_u64(),
        "{base}"
    );
    assert!(base.get("tierToArchive").is_none(), "{base}");
    assert!(
        plan.diagnostics.iter().any(|d| d.severity == Severity::Note
            && d.subject == "azure-storage-lifecycle"
            && d.message.contains("Cold tier, not Archive")),
        "{:?}",
        plan.diagnostics
    );
}

#[test]
fn budgets_keep_the_start_they_were_created_with() {
    // beta-cohort has a shared project, whose budget is fixed.
    let plan = plan("beta-cohort");
    let name = "azure-beta-cohort-shared-budget";
    let budget = plan.get(name).expect("the shared project's budget");
    assert_eq!(
        budget.options.ignore_changes,
        vec!["timePeriod.startDate".to_owned()]
    );
    assert_eq!(
        program(&plan)["resources"][name]["properties"]["timePeriod"]["startDate"],
        "2026-12-01T00:00:00Z"
    );
    assert!(
        plan.diagnostics.iter().any(|d| d.severity == Severity::Note
            && d.subject == "beta-cohort-shared-budget"
            && d.message.contains("starts 2026-12-01")),
        "{:?}",
        plan.diagnostics
    );
}
