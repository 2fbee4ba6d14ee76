//! Tests of the Azure plugin on its own: name derivation, validation, deterministic
//! GUIDs, memberships, credentials and adoption. What it emits for a whole dataset is
//! asserted on the real pipeline's output (`cpg-infra-driver/tests/driver/azure_example.rs`
//! and the driver's snapshots).

mod support;

use cpg_infra_abstraction::render::pulumi;
use cpg_infra_abstraction::{
    BucketName, CloudError, GroupRef, Infra, Member, PlannedDataset, ProjectRef, Severity,
    with_brand,
};
use cpg_infra_azure::{PROVIDERS, limits, names};
use cpg_infra_config::{
    AccessLevel, CloudName, DatasetConfig, DeployLocations, InfrastructureConfig,
};
use support::{CPG_TOML, azure, config, config_from, dataset, plan_with, planned, settings_error};

/// Whether Azure opens for `dataset` under `config`.
fn opens(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Result<(), CloudError> {
    with_brand(|brand| Infra::open(azure(), brand, config, dataset).map(|_| ()))
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
    let config =
        config_from(&CPG_TOML.replace("name_prefix = \"egi\"", "name_prefix = \"egiexamp\""));
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
fn group_memberships_can_be_disabled() {
    let mut config = config();
    config.disable_group_memberships = true;
    let dataset = dataset("demo-study");
    let plan = plan_with(&config, &dataset, |infra| {
        let group = infra.create_group("demo-study-access", None);
        let other = infra.create_group("demo-study-web-access", None);
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
fn access_levels_are_unchanged() {
    // The plugin relies on the three levels of the configuration (keys in snapshots).
    assert_eq!(AccessLevel::ALL.len(), 3);
}

#[test]
fn budget_start_dates_are_required_and_validated() {
    let without = CPG_TOML.replace("budget_start_date = \"2024-01-01\"\n", "");
    let error = settings_error(&without);
    assert!(error.to_string().contains("budget_start_date"), "{error}");
    for bad in ["2024-01-15", "2017-01-01", "2024-13-01"] {
        let text = CPG_TOML.replace("2024-01-01", bad);
        let error = settings_error(&text);
        let message = error.to_string();
        assert!(
            message.contains("budget_start_date") && message.contains(bad),
            "{message}"
        );
    }
}

#[test]
fn the_password_ends_a_lifetime_after_the_rotation_day_and_a_new_label_replaces_it() {
    // The end date is absolute (the rotation day plus the lifetime, never the clock); a new
    // rotation label replaces the password (rotateWhenChanged forces a new resource).
    let config = config_from(&CPG_TOML.replace(
        "credential_rotation_date = \"2024-01-15\"",
        "credential_rotation_date = \"2024-02-01\"\ncredential_rotation = \"2027-06\"\ncredential_lifetime_days = 90",
    ));
    let dataset = dataset("demo-study");
    let plan = plan_with(&config, &dataset, |infra| {
        let identity = infra.create_machine_account("cromwell-test", &ProjectRef::Dataset, None);
        infra.machine_account_credentials("cromwell-service-account-test-key", &identity);
    });
    let program = pulumi::program(&plan, PROVIDERS);
    let properties = &program["resources"]["azure-cromwell-service-account-test-key"]["properties"];
    // 2024 is a leap year: 29 days of February, 31 of March, 30 of April.
    assert_eq!(properties["endDate"], "2024-05-01T00:00:00Z");
    assert!(properties.get("endDateRelative").is_none(), "{properties}");
    assert_eq!(
        properties["rotateWhenChanged"]["credential_rotation"],
        "2027-06"
    );
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.message.contains("ends on 2024-05-01") && d.message.contains("2027-06")),
        "{:?}",
        plan.diagnostics
    );
    let text = CPG_TOML.replace(
        "budget_start_date = \"2024-01-01\"",
        "budget_start_date = \"2024-01-01\"\ncredential_lifetime_days = 0",
    );
    let error = settings_error(&text);
    assert!(
        error.to_string().contains("credential_lifetime_days"),
        "{error}"
    );
    for (bad, why) in [
        ("2024-02-30", "a day that exists"),
        ("2024-02", "YYYY-MM-DD"),
    ] {
        let text = CPG_TOML.replace(
            "credential_rotation_date = \"2024-01-15\"",
            &format!("credential_rotation_date = \"{bad}\""),
        );
        let message = settings_error(&text).to_string();
        assert!(
            message.contains("credential_rotation_date") && message.contains(why),
            "{message}"
        );
    }
    let missing = CPG_TOML.replace("credential_rotation_date = \"2024-01-15\"\n", "");
    let message = settings_error(&missing).to_string();
    assert!(message.contains("credential_rotation_date"), "{message}");
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
