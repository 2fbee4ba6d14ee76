//! Tests of the Azure plugin: name derivation, validation, deterministic GUIDs,
//! a snapshot of one invented dataset's resources, and the schema check of its program.

use std::path::Path;
use std::process::Command;

use cpg_infra_abstraction::render::pulumi;
use cpg_infra_abstraction::{
    BucketMembership, BucketName, BucketRef, BucketSpec, CloudError, CloudPlugin,
    ContainerRegistryMembership, GroupRef, Infra, LifecycleRule, Member, Plan, PlannedDataset,
    ProjectRef, ProjectRole, SecretMembership, Severity, TMP_BUCKET_PERIOD_IN_DAYS,
    UNDELETE_PERIOD_IN_DAYS, find_cloud, with_brand,
};
use cpg_infra_azure::{PROVIDERS, limits, names};
use cpg_infra_config::{
    AccessLevel, BucketName as ConfigBucketName, CloudName, DatasetConfig, DatasetName,
    DeployLocations, Email, InfrastructureConfig, parse_cpg_toml,
};

/// The organisation of the tests (an invented one, like `stack/cpg.toml`).
const CPG_TOML: &str = r#"
[infrastructure]
domain = "example-institute.org"
dataset_storage_prefix = "egi-"
budget_currency = "AUD"
reference_dataset = "reference"
budget_notification_thresholds = [0.5, 0.9, 1.0]

[infrastructure.azure]
tenant_id = "3f2a6c1e-7b4d-4e8a-9c21-5d6f7a8b9c0d"
subscription_id = "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f"
region = "australiaeast"
name_prefix = "egi"
budget_contact_emails = ["platform@example-institute.org"]
budget_start_date = "2024-01-01"
reference_bucket = "egi-reference/egireference/reference"
config_bucket = "egi-analysis-runner/egiconfig/config"
common_registry_name = "egicommon"
common_registry_resource_group = "egi-common"

[infrastructure.analysis_runner.azure]
resource_group = "egi-analysis-runner"
server_principal_id = "1a2b3c4d-0001-4000-8000-00000000a001"
logger_principal_id = "1a2b3c4d-0002-4000-8000-00000000a002"
container_registry_name = "egianalysisrunner"
web_app_name = "egi-analysis-runner"

[infrastructure.web_service.azure]
server_principal_id = "1a2b3c4d-0003-4000-8000-00000000a003"

[infrastructure.access_group_cache]
process_machine_account = "access-group-cache@egi-analysis-runner.iam.gserviceaccount.com"
azure_principal_id = "1a2b3c4d-0004-4000-8000-00000000a004"

[infrastructure.notebooks.azure]
resource_group = "egi-notebooks"

[infrastructure.cromwell.azure]
access_group_id = "1a2b3c4d-0005-4000-8000-00000000a005"
runner_principal_id = "1a2b3c4d-0006-4000-8000-00000000a006"
"#;

fn config() -> InfrastructureConfig {
    match parse_cpg_toml(CPG_TOML, "test cpg.toml") {
        Ok(parsed) => parsed.infrastructure,
        Err(e) => panic!("test cpg.toml: {e}"),
    }
}

fn dataset(name: &str) -> DatasetConfig {
    let name = DatasetName::parse(name).expect("valid dataset name");
    let mut dataset = DatasetConfig::new(name);
    dataset.deploy_locations = DeployLocations::one(CloudName::azure());
    dataset
}

fn azure() -> &'static CloudPlugin {
    find_cloud("azure").expect("the azure plugin is registered")
}

/// Whether Azure opens for `dataset` under `config`.
fn opens(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Result<(), CloudError> {
    with_brand(|brand| Infra::open(azure(), brand, config, dataset).map(|_| ()))
}

/// The plan of `dataset` on Azure under `config`, after `body` drove its session.
fn plan_with(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    body: impl for<'b> FnOnce(&mut Infra<'b>),
) -> Plan {
    with_brand(|brand| {
        let mut infra = Infra::open(azure(), brand, config, dataset)
            .expect("the Azure infra of a valid dataset");
        body(&mut infra);
        infra.finish()
    })
}

fn spec(name: &str, rules: Vec<LifecycleRule>, versioning: bool, holds_data: bool) -> BucketSpec {
    BucketSpec {
        name: BucketName::Dataset(name.to_owned()),
        lifecycle_rules: rules,
        requester_pays: false,
        versioning,
        holds_data,
        autoclass: false,
        abort_incomplete_uploads_after: None,
        soft_delete: true,
    }
}

/// Drives the infra of `demo-study` through the verbs the blueprint calls, in its
/// order, with its keys (a representative subset of every component).
fn demo_plan() -> Plan {
    let mut dataset = dataset("demo-study");
    dataset.gcp_hail_service_account.test =
        Some(Email::parse("hail-test@hail.iam.gserviceaccount.com").expect("e-mail"));
    dataset.additional_upload_buckets =
        vec![ConfigBucketName::parse("demo-partner-upload").expect("bucket name")];
    let plan = plan_with(&config(), &dataset, |infra| demo_calls(infra, &dataset));
    match plan.finish() {
        Ok(plan) => plan,
        Err(e) => panic!("plan of demo-study: {e}"),
    }
}

/// The calls of [`demo_plan`].
fn demo_calls(infra: &mut Infra<'_>, dataset: &DatasetConfig) {
    let organisation = infra.organisation();
    let undelete = LifecycleRule::Undelete {
        days: UNDELETE_PERIOD_IN_DAYS,
    };
    let temporary = LifecycleRule::Temporary {
        days: TMP_BUCKET_PERIOD_IN_DAYS,
    };

    infra.set_component("access-groups");
    let access = infra.create_group("demo-study-access");
    let web_access = infra.create_group("demo-study-web-access");
    let full = infra.create_group("demo-study-full");
    let standard = infra.create_group("demo-study-standard");
    infra.add_group_member(
        "web-access-group-access-group-membership",
        &GroupRef::Created(web_access.clone()),
        &Member::Group(access.clone()),
    );
    let reference = DatasetName::parse("reference").expect("name");
    let dependency = infra.dependency_group(&reference, "access");
    infra.add_group_member(
        "reference-access-group",
        &dependency,
        &Member::Group(access.clone()),
    );
    infra.export_group(&dataset.dataset, "access", &access);
    infra.export_group(&dataset.dataset, "full", &full);
    for (key, role) in [
        ("project-compute-viewer", ProjectRole::ComputeViewer),
        ("project-logging-viewer", ProjectRole::LoggingViewer),
        ("project-monitoring-viewer", ProjectRole::MonitoringViewer),
    ] {
        infra.add_project_role(
            key,
            &Member::Group(access.clone()),
            role,
            &ProjectRef::Dataset,
        );
    }

    infra.set_component("storage");
    infra.give_member_ability_to_list_buckets(
        "project-buckets-lister",
        &Member::Group(access.clone()),
        &ProjectRef::Dataset,
    );
    let archive = infra.create_bucket(&spec(
        "archive",
        vec![LifecycleRule::Archive { days: 30 }, undelete],
        true,
        true,
    ));
    infra.add_member_to_bucket(
        "full-archive-bucket-admin",
        &BucketRef::Created(archive),
        &Member::Group(full.clone()),
        BucketMembership::Mutate,
    );
    let main = BucketRef::Created(infra.create_bucket(&spec("main", vec![undelete], true, true)));
    infra.add_member_to_bucket(
        "standard-main-bucket-view-create",
        &main,
        &Member::Group(standard.clone()),
        BucketMembership::Append,
    );
    infra.add_member_to_bucket(
        "full-main-bucket-admin",
        &main,
        &Member::Group(full.clone()),
        BucketMembership::Mutate,
    );
    let tmp =
        BucketRef::Created(infra.create_bucket(&spec("main-tmp", vec![temporary], false, false)));
    infra.add_member_to_bucket(
        "standard-main-tmp-bucket-view-create",
        &tmp,
        &Member::Group(standard.clone()),
        BucketMembership::Append,
    );
    let web =
        BucketRef::Created(infra.create_bucket(&spec("main-web", vec![undelete], true, false)));
    infra.add_member_to_bucket(
        "web-server-main-web-bucket-viewer",
        &web,
        organisation.web_server.as_ref().expect("web server"),
        BucketMembership::Read,
    );
    let upload = BucketRef::Created(infra.create_bucket(&BucketSpec {
        name: BucketName::Unique("demo-partner-upload".to_owned()),
        ..spec("demo-partner-upload", vec![undelete], true, true)
    }));
    let uploader = infra.create_machine_account("main-upload", &ProjectRef::Dataset, None);
    infra.add_member_to_bucket(
        "main-upload-service-account-demo-partner-upload-bucket-creator",
        &upload,
        &Member::MachineAccount(uploader),
        BucketMembership::Mutate,
    );
    let release = infra.create_bucket(&BucketSpec {
        requester_pays: true,
        ..spec("release", vec![undelete], true, true)
    });
    infra.add_project_role(
        "access-group-serviceusage-consumer",
        &Member::Group(access.clone()),
        ProjectRole::ServiceUsageConsumer,
        &ProjectRef::Dataset,
    );

    infra.set_component("hail");
    let hail = Member::External {
        cloud: CloudName::gcp(),
        id: "hail-test@hail.iam.gserviceaccount.com".to_owned(),
    };
    infra.add_member_to_bucket(
        "hail-service-account-test-hail-bucket-admin",
        &main,
        &hail,
        BucketMembership::Mutate,
    );
    if let Some(wheels) = &organisation.reference_bucket {
        infra.add_member_to_bucket(
            "access-group-reference-bucket-viewer",
            wheels,
            &Member::Group(access.clone()),
            BucketMembership::Read,
        );
    }

    infra.set_component("cromwell");
    let cromwell = infra.create_machine_account("cromwell-test", &ProjectRef::Dataset, None);
    infra.add_group_member(
        "cromwell-test-access-level-group-membership",
        &GroupRef::Created(full.clone()),
        &Member::MachineAccount(cromwell.clone()),
    );
    infra.add_member_to_machine_account_access(
        "cromwell-runner-test-service-account-user",
        &cromwell,
        organisation
            .cromwell_runner
            .as_ref()
            .expect("cromwell runner"),
    );
    infra.add_project_role(
        "cromwell-service-account-test-workflows-runner",
        &Member::MachineAccount(cromwell.clone()),
        ProjectRole::WorkflowsRunner,
        &ProjectRef::Dataset,
    );
    let secret = infra.create_secret("demo-study-cromwell-test-key", &ProjectRef::AnalysisRunner);
    let credentials =
        infra.machine_account_credentials("cromwell-service-account-test-key", &cromwell);
    infra.add_secret_version(
        "cromwell-service-account-test-secret-version",
        &secret,
        &credentials,
    );
    infra.add_secret_member(
        "cromwell-service-account-test-secret-accessor",
        &secret,
        organisation
            .analysis_runner_server
            .as_ref()
            .expect("server"),
        SecretMembership::Accessor,
    );

    infra.set_component("spark");
    infra.add_project_role(
        "project-dataproc-viewer",
        &Member::Group(access.clone()),
        ProjectRole::DataprocViewer,
        &ProjectRef::Dataset,
    );

    infra.set_component("notebooks");
    let notebook =
        infra.create_machine_account("notebook-demo-study", &ProjectRef::Notebooks, None);
    infra.add_member_to_machine_account_access(
        "notebook-account-users",
        &notebook,
        &Member::Group(access.clone()),
    );
    infra.add_project_role(
        "notebook-account-compute-admin",
        &Member::MachineAccount(notebook),
        ProjectRole::ComputeAdmin,
        &ProjectRef::Notebooks,
    );

    infra.set_component("container-registry");
    for registry in [
        &organisation.analysis_runner_registry,
        &organisation.common_registry,
    ]
    .into_iter()
    .flatten()
    {
        infra.add_member_to_container_registry(
            &format!("access-group-images-reader-in-{}", registry.scope),
            registry,
            &Member::Group(access.clone()),
            ContainerRegistryMembership::Reader,
        );
    }
    if let Some(common) = &organisation.common_registry {
        infra.add_member_to_container_registry(
            "full-images-writer-in-cpg-common",
            common,
            &Member::Group(full.clone()),
            ContainerRegistryMembership::Append,
        );
    }

    infra.set_component("shared-project");
    let project = infra.create_project("shared");
    infra.create_fixed_budget(
        "demo-study-shared-budget",
        &project,
        500,
        (2022, 1, 1),
        None,
    );
    let project = ProjectRef::Created(project);
    let shared =
        infra.create_machine_account("shared", &project, Some("budget-shared-service-account"));
    infra.add_member_to_bucket(
        "release-shared-membership",
        &BucketRef::Created(release),
        &Member::MachineAccount(shared),
        BucketMembership::Read,
    );

    infra.set_component("analysis-runner");
    if let Some(service) = &organisation.analysis_runner_service {
        infra.add_service_invoker(
            "analysis-runner-access-invoker",
            service,
            &Member::Group(access.clone()),
        );
    }

    infra.set_component("group-cache");
    let cache = organisation
        .access_group_cache
        .clone()
        .expect("cache principal");
    infra.add_group_member(
        "group-cache-access-membership",
        &GroupRef::Created(access.clone()),
        &cache,
    );
    let secret = infra.create_secret("demo-study-access-members-cache", &ProjectRef::Dataset);
    infra.add_secret_member(
        "access-group-cache-secret-version-manager",
        &secret,
        &cache,
        SecretMembership::Admin,
    );
    infra.add_secret_member(
        "access-group-cache-secret-accessor",
        &secret,
        &cache,
        SecretMembership::Accessor,
    );
}

#[test]
fn storage_account_names_keep_letters_and_digits() {
    assert_eq!(names::storage_account("egi", "tob-wgs"), "egitobwgs");
    assert_eq!(names::storage_account("egi", "hgdp-1kg"), "egihgdp1kg");
    assert!(names::check_storage_account("egitobwgs").is_ok());
    assert!(names::check_storage_account("ab").is_err());
    let long = names::storage_account("egi", "a-very-long-dataset-name-xy");
    let problem = names::check_storage_account(&long).expect_err("too long");
    assert!(problem.contains("25 characters"), "{problem}");
    assert!(names::check_storage_account("egi-x").is_err());
}

#[test]
fn key_vault_and_container_names_follow_azure_rules() {
    assert_eq!(names::key_vault("egi", "tob-wgs"), "egi-tob-wgs");
    assert!(names::check_key_vault("egi-tob-wgs").is_ok());
    assert!(names::check_key_vault("1egi-tob").is_err());
    assert!(names::check_key_vault("egi--tob").is_err());
    assert!(names::check_key_vault("egi-a-very-long-dataset-x").is_err());
    assert!(names::check_container("main-tmp").is_ok());
    assert!(names::check_container("ab").is_err());
    assert!(names::check_container("Main").is_err());
    assert!(names::check_container("a--b").is_err());
    assert!(names::check_container("cpg.upload").is_err());
    assert_eq!(names::secret("a_b.c-D9"), "a-b-c-D9");
    assert_eq!(
        names::lifecycle_rule("main-tmp", "Temporary"),
        "maintmpTemporary"
    );
}

/// The datasets to validate, with no buckets or accounts listed.
fn planned<'a>(datasets: &[&'a DatasetConfig]) -> Vec<PlannedDataset<'a>> {
    datasets
        .iter()
        .map(|dataset| PlannedDataset {
            dataset,
            buckets: Vec::new(),
            accounts: Vec::new(),
        })
        .collect()
}

#[test]
fn containers_must_differ_in_their_letters_and_digits() {
    let dataset = dataset("tob-wgs");
    let listed = PlannedDataset {
        dataset: &dataset,
        buckets: vec![
            BucketName::Dataset("main-tmp".to_owned()),
            BucketName::Unique("maintmp".to_owned()),
        ],
        accounts: Vec::new(),
    };
    let problems = limits::validate(&config(), &[listed]);
    assert_eq!(
        problems,
        [
            "dataset tob-wgs: additional upload bucket `maintmp` and container `main-tmp` would share the storage account's lifecycle rule names (`maintmp...`): rename the bucket"
        ]
    );
}

#[test]
fn validation_names_both_datasets_of_a_collision() {
    let first = dataset("tob-wgs");
    let second = dataset("tobwgs");
    let problems = limits::validate(&config(), &planned(&[&first, &second]));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("tob-wgs") && p.contains("tobwgs") && p.contains("egitobwgs")),
        "{problems:?}"
    );
    let alone = limits::validate(&config(), &planned(&[&first]));
    assert!(alone.is_empty(), "{alone:?}");
}

#[test]
fn validation_rejects_names_that_do_not_fit() {
    // The longest dataset name with the longest name_prefix.
    let mut config = config();
    if let Some(azure) = config.azure.as_mut() {
        azure.name_prefix = "egiexamp".to_owned();
    }
    let long = dataset("a-very-long-dataset-x");
    let problems = limits::validate(&config, &planned(&[&long]));
    assert!(
        problems.iter().any(|p| p.contains("storage account")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("Key Vault")),
        "{problems:?}"
    );
    assert!(opens(&config, &long).is_err());
    let mut gcp_only = dataset("a-very-long-dataset-x");
    gcp_only.deploy_locations = DeployLocations::one(CloudName::gcp());
    assert!(limits::validate(&config, &planned(&[&gcp_only])).is_empty());
}

#[test]
fn derived_names_must_not_be_the_organisations() {
    // The config's reference container lives in `egi-reference/egireference`, which are
    // also the resource group and storage account derived for the dataset `reference`.
    let problems = limits::validate(&config(), &planned(&[&dataset("reference")]));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("storage account `egireference`")
                && p.contains("infrastructure.azure.reference_bucket")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("resource group `egi-reference`")),
        "{problems:?}"
    );
    assert!(limits::validate(&config(), &planned(&[&dataset("demo-study")])).is_empty());
}

#[test]
fn role_assignment_names_are_deterministic() {
    let sub = "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f";
    let a = names::role_assignment(sub, "tob-wgs", "container:main", "group:full", "role-a");
    let b = names::role_assignment(sub, "tob-wgs", "container:main", "group:full", "role-a");
    assert_eq!(a, b);
    assert_eq!(a.len(), 36);
    assert_ne!(
        a,
        names::role_assignment(sub, "tob-wgs", "container:tmp", "group:full", "role-a")
    );
    assert_ne!(
        a,
        names::role_assignment(sub, "tob-wgs", "container:main", "group:full", "role-b")
    );
    assert_ne!(
        a,
        names::role_assignment(sub, "tob-wgs", "container:main", "group:test", "role-a")
    );
    assert_ne!(
        a,
        names::role_assignment(sub, "hgdp", "container:main", "group:full", "role-a")
    );
    let role = names::role_definition(sub, "tob-wgs", "blob-appender");
    assert_eq!(
        role,
        names::role_definition(sub, "tob-wgs", "blob-appender")
    );
    assert_ne!(role, names::role_definition(sub, "hgdp", "blob-appender"));
    // The plan uses the same names on every run.
    let first = demo_plan();
    let second = demo_plan();
    assert_eq!(first.resources, second.resources);
}

#[test]
fn every_logical_name_is_prefixed() {
    let plan = demo_plan();
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
fn group_memberships_can_be_disabled() {
    let mut config = config();
    config.disable_group_memberships = true;
    let dataset = dataset("demo-study");
    let plan = plan_with(&config, &dataset, |infra| {
        let group = infra.create_group("demo-study-access");
        let other = infra.create_group("demo-study-web-access");
        infra.add_group_member("m", &GroupRef::Created(other), &Member::Group(group));
    });
    assert!(
        !plan
            .resources
            .iter()
            .any(|r| r.type_token.contains("groupMember"))
    );
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.message.contains("1 group membership is not created"))
    );
}

#[test]
fn credentials_follow_the_identity_grants() {
    let plan = demo_plan();
    let replayed = plan
        .get("azure-cromwell-test-access-level-group-membership-credential")
        .expect("the credential principal joins the identity's group");
    assert_eq!(replayed.type_token, "azuread:index/groupMember:GroupMember");
    let secret = plan
        .get("azure-secret-demo-study-cromwell-test-key")
        .expect("secret");
    assert!(secret.has_secret());
    assert!(secret.options.ignore_changes.is_empty());
    let cache = plan
        .get("azure-secret-demo-study-access-members-cache")
        .expect("cache secret");
    // Nothing Pulumi could update: an update would PUT the old empty value again.
    assert_eq!(
        cache.options.ignore_changes,
        vec!["properties".to_owned(), "tags".to_owned()]
    );
}

#[test]
fn the_appender_role_grants_chunked_uploads_and_nothing_ineffective() {
    let plan = demo_plan();
    let role = plan.get("azure-blob-appender-role").expect("custom role");
    let program = pulumi::program(&plan, PROVIDERS);
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
    assert_eq!(role.type_token, "azure-native:authorization:RoleDefinition");
}

#[test]
fn registry_roles_name_the_registry_mode_they_need() {
    let plan = demo_plan();
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
    let plan = demo_plan();
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
fn gcp_only_capabilities_are_diagnosed() {
    let plan = demo_plan();
    let warned = |subject: &str| {
        plan.diagnostics
            .iter()
            .any(|d| d.subject == subject && d.severity == Severity::Warning)
    };
    for subject in [
        "access-group-serviceusage-consumer",
        "cromwell-service-account-test-workflows-runner",
        "project-dataproc-viewer",
        "analysis-runner-access-invoker",
        "hail-service-account-test-hail-bucket-admin",
        "azure-container-release",
    ] {
        assert!(warned(subject), "no warning for {subject}");
    }
}

#[test]
fn snapshot_of_demo_study() {
    let plan = demo_plan();
    let program = pulumi::program(&plan, PROVIDERS);
    insta::assert_json_snapshot!("demo-study-program", program);
    let diagnostics: Vec<String> = plan
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{:?} [{}] {}: {}",
                d.severity, d.cloud, d.subject, d.message
            )
        })
        .collect();
    insta::assert_json_snapshot!("demo-study-diagnostics", diagnostics);
}

#[test]
fn program_passes_the_schema_check() {
    let checker = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/tools/check-pulumi-program"
    ));
    if !checker.exists() {
        println!("skipped: {} is absent", checker.display());
        return;
    }
    let program = pulumi::program(&demo_plan(), PROVIDERS);
    let path = std::env::temp_dir().join(format!("cpg-infra-azure-{}.json", std::process::id()));
    std::fs::write(&path, program.to_string()).expect("write program");
    let output = Command::new("python3")
        .arg(checker)
        .arg(&path)
        .output()
        .expect("run check-pulumi-program");
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains(" 0 problems"),
        "check-pulumi-program:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn access_levels_are_unchanged() {
    // The plugin relies on the three levels of the configuration (keys in snapshots).
    assert_eq!(AccessLevel::ALL.len(), 3);
}

#[test]
fn every_azure_resource_names_the_configured_providers() {
    let plan = demo_plan();
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
    let program = pulumi::program(&plan, PROVIDERS);
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
    let plan = demo_plan();
    let policy = plan
        .get("azure-storage-lifecycle")
        .expect("lifecycle policy");
    let program = pulumi::program(&plan, PROVIDERS);
    let rules = &program["resources"]["azure-storage-lifecycle"]["properties"]["policy"]["rules"];
    let archive = rules
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["name"] == "archiveArchive")
        .expect("the archive container's archive rule");
    let base = &archive["definition"]["actions"]["baseBlob"];
    assert_eq!(base["tierToCold"]["daysAfterCreationGreaterThan"], 30);
    assert!(base.get("tierToArchive").is_none(), "{base}");
    assert!(!policy.properties.is_empty());
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
    let plan = demo_plan();
    let budget = plan
        .get("azure-demo-study-shared-budget")
        .expect("the shared project's budget");
    assert_eq!(
        budget.options.ignore_changes,
        vec!["timePeriod.startDate".to_owned()]
    );
    let program = pulumi::program(&plan, PROVIDERS);
    assert_eq!(
        program["resources"]["azure-demo-study-shared-budget"]["properties"]["timePeriod"]["startDate"],
        "2024-01-01T00:00:00Z"
    );
    assert!(
        plan.diagnostics.iter().any(|d| d.severity == Severity::Note
            && d.subject == "demo-study-shared-budget"
            && d.message.contains("starts 2024-01-01")),
        "{:?}",
        plan.diagnostics
    );
}

#[test]
fn budget_start_dates_are_required_and_validated() {
    let without = CPG_TOML.replace("budget_start_date = \"2024-01-01\"\n", "");
    let error = parse_cpg_toml(&without, "test cpg.toml").expect_err("no budget_start_date");
    assert!(error.to_string().contains("budget_start_date"), "{error}");
    for bad in ["2024-01-15", "2017-01-01", "2024-13-01"] {
        let text = CPG_TOML.replace("2024-01-01", bad);
        let error = parse_cpg_toml(&text, "test cpg.toml").expect_err(bad);
        let message = error.to_string();
        assert!(
            message.contains("budget_start_date") && message.contains(bad),
            "{message}"
        );
    }
}

#[test]
fn credentials_have_an_explicit_lifetime_and_a_rotation_trigger() {
    let plan = demo_plan();
    let password = plan
        .get("azure-cromwell-service-account-test-key")
        .expect("the Cromwell credential's password");
    assert_eq!(
        password.type_token,
        "azuread:index/applicationPassword:ApplicationPassword"
    );
    let program = pulumi::program(&plan, PROVIDERS);
    let properties = &program["resources"]["azure-cromwell-service-account-test-key"]["properties"];
    assert_eq!(properties["endDateRelative"], "8760h");
    assert_eq!(
        properties["rotateWhenChanged"],
        serde_json::json!({"credential_rotation": "initial"})
    );
    // A new rotation label replaces the password (rotateWhenChanged forces a new resource).
    let mut config = config();
    let azure = config.azure.as_mut().expect("azure section");
    azure.credential_rotation = "2027-06".to_owned();
    azure.credential_lifetime_days = 90;
    let dataset = dataset("demo-study");
    let plan = plan_with(&config, &dataset, |infra| {
        let identity = infra.create_machine_account("cromwell-test", &ProjectRef::Dataset, None);
        infra.machine_account_credentials("cromwell-service-account-test-key", &identity);
    });
    let program = pulumi::program(&plan, PROVIDERS);
    let properties = &program["resources"]["azure-cromwell-service-account-test-key"]["properties"];
    assert_eq!(properties["endDateRelative"], "2160h");
    assert_eq!(
        properties["rotateWhenChanged"]["credential_rotation"],
        "2027-06"
    );
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.message.contains("expires 90 days") && d.message.contains("2027-06")),
        "{:?}",
        plan.diagnostics
    );
    let text = CPG_TOML.replace(
        "budget_start_date = \"2024-01-01\"",
        "budget_start_date = \"2024-01-01\"\ncredential_lifetime_days = 0",
    );
    let error = parse_cpg_toml(&text, "test cpg.toml").expect_err("zero lifetime");
    assert!(
        error.to_string().contains("credential_lifetime_days"),
        "{error}"
    );
}

#[test]
fn adopting_inside_the_resource_group_adopts_the_group() {
    let sub = "/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f";
    let mut dataset = dataset("demo-study");
    dataset.adopt.insert(
        "azure-storage-account".to_owned(),
        format!("{sub}/resourceGroups/EGI-demo-study/providers/Microsoft.Storage/storageAccounts/egidemostudy"),
    );
    let mut project = String::new();
    let plan = plan_with(&config(), &dataset, |infra| {
        project = infra.create_project("shared").resource().to_owned();
    });
    let group = plan.get("azure-resource-group").expect("resource group");
    assert_eq!(
        group.options.import.as_deref(),
        Some(format!("{sub}/resourceGroups/egi-demo-study").as_str())
    );
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.subject == "azure-resource-group"
                && d.severity == Severity::Note
                && d.message.contains("azure-native refuses to create")),
        "{:?}",
        plan.diagnostics
    );
    // The other resource group contains nothing adopted.
    let shared = plan.get(&project).expect("shared group");
    assert_eq!(shared.options.import, None);

    // A group named in datasets:adopt itself is left to the pipeline.
    let mut explicit = dataset.clone();
    explicit.adopt.insert(
        "azure-resource-group".to_owned(),
        format!("{sub}/resourceGroups/egi-demo-study"),
    );
    let plan = plan_with(&config(), &explicit, |_| {});
    let group = plan.get("azure-resource-group").expect("resource group");
    assert_eq!(group.options.import, None);
}

#[test]
fn adopting_from_another_subscription_is_rejected() {
    let mut dataset = dataset("demo-study");
    dataset.adopt.insert(
        "azure-storage-account".to_owned(),
        "/subscriptions/00000000-1111-4222-8333-444444444444/resourceGroups/egi-demo-study/providers/Microsoft.Storage/storageAccounts/egidemostudy".to_owned(),
    );
    dataset.adopt.insert(
        "azure-key-vault".to_owned(),
        "/subscriptions/00000000-1111-4222-8333-555555555555/resourceGroups/egi-demo-study/providers/Microsoft.KeyVault/vaults/egi-demo-study".to_owned(),
    );
    let problems = limits::validate(&config(), &planned(&[&dataset]));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems
            .iter()
            .all(|p| p.contains("datasets:adopt")
                && p.contains("8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f")),
        "{problems:?}"
    );
}
