//! Azure's own rules, each pinned on the plugin's output: lifecycle rules that really
//! expire temporary data (versions, snapshots, append blobs), what the undelete rule
//! does, the storage redundancy and the tiers it has, placeholder secrets, role
//! definition ids in the form Azure stores, names Azure makes unique (resource groups,
//! custom role names), the budget creation window, the hardening defaults, and the
//! session's guard of every grant against accounts this cloud cannot name.

mod support;

use cpg_infra_abstraction::{
    BucketMembership, BucketName, BucketRef, BucketSpec, LifecycleRule, Member, ProjectRef,
    Resource, SoftDelete, Value,
};
use cpg_infra_azure::budget::creation_window_problem;
use cpg_infra_azure::storage::{self, Container, Tier};
use cpg_infra_azure::storage_redundancy::StorageRedundancy;
use cpg_infra_azure::{limits, names, secrets};
use cpg_infra_config::{CloudName, InfrastructureConfig, MonthStart};
use support::{CPG_TOML, config, config_from, dataset, plan_with, planned, settings_error};

const SUBSCRIPTION: &str = "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f";

fn spec(suffix: &str, rules: Vec<LifecycleRule>, versioning: bool) -> BucketSpec {
    BucketSpec {
        name: BucketName::Dataset(suffix.to_owned()),
        lifecycle_rules: rules,
        requester_pays: false,
        versioning,
        holds_data: false,
        autoclass: false,
        abort_incomplete_uploads_after: None,
        soft_delete: SoftDelete::Default,
    }
}

fn container(suffix: &str, rules: Vec<LifecycleRule>, versioning: bool) -> Container {
    Container {
        name: suffix.to_owned(),
        spec: spec(suffix, rules, versioning),
    }
}

/// The rules of a lifecycle policy resource, by name.
fn rules(policy: &Resource) -> Vec<(String, Value)> {
    let Some(Value::Object(p)) = policy.properties.get("policy") else {
        panic!("no policy");
    };
    let Some(Value::List(rules)) = p.get("rules") else {
        panic!("no rules");
    };
    rules
        .iter()
        .map(|rule| {
            let Value::Object(rule) = rule else {
                panic!("a rule is an object")
            };
            let Some(Value::Str(name)) = rule.get("name") else {
                panic!("a rule has a name")
            };
            (
                name.clone(),
                rule.get("definition").cloned().expect("definition"),
            )
        })
        .collect()
}

fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| match v {
        Value::Object(map) => map.get(*key),
        _ => None,
    })
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::List(items)) => items
            .iter()
            .map(|i| match i {
                Value::Str(s) => s.clone(),
                other => panic!("not a string: {other:?}"),
            })
            .collect(),
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn temporary_rules_expire_versions_snapshots_and_append_blobs() {
    let versioned = [
        container("main", vec![LifecycleRule::Undelete { days: 30 }], true),
        container(
            "main-tmp",
            vec![LifecycleRule::Temporary { days: 8 }],
            false,
        ),
        container("archive", vec![LifecycleRule::Archive { days: 30 }], false),
    ];
    let (policy, _) = storage::lifecycle_policy(&versioned);
    let rules = rules(&policy.expect("a policy"));
    let (_, temporary) = rules
        .iter()
        .find(|(name, _)| name == "maintmpTemporary")
        .expect("the temporary rule");
    for part in ["baseBlob", "snapshot", "version"] {
        assert_eq!(
            at(
                temporary,
                &["actions", part, "delete", "daysAfterCreationGreaterThan"]
            ),
            Some(&Value::Int(8)),
            "{part} of {temporary:?}"
        );
    }
    assert_eq!(
        strings(at(temporary, &["filters", "blobTypes"])),
        ["blockBlob", "appendBlob"]
    );
    // Every delete rule covers append blobs; tiering rules only block blobs (Azure
    // cannot tier append blobs).
    for (name, definition) in &rules {
        let types = strings(at(definition, &["filters", "blobTypes"]));
        if name.ends_with("Archive") {
            assert_eq!(types, ["blockBlob"], "{name}");
        } else {
            assert_eq!(types, ["blockBlob", "appendBlob"], "{name}");
        }
    }
    // Without versioning on the account there are no versions to expire.
    let unversioned = [container(
        "main-tmp",
        vec![LifecycleRule::Temporary { days: 8 }],
        false,
    )];
    let (policy, _) = storage::lifecycle_policy(&unversioned);
    let rules = self::rules(&policy.expect("a policy"));
    assert_eq!(at(&rules[0].1, &["actions", "version"]), None);
    assert!(at(&rules[0].1, &["actions", "snapshot", "delete"]).is_some());
}

#[test]
fn the_undelete_rule_says_it_counts_from_the_versions_creation() {
    let containers = [container(
        "main",
        vec![LifecycleRule::Undelete { days: 30 }],
        true,
    )];
    let (_, notes) = storage::lifecycle_policy(&containers);
    let note = notes
        .iter()
        .find(|n| n.starts_with("undelete rule of main (30 days)"))
        .unwrap_or_else(|| panic!("no undelete note in {notes:?}"));
    assert!(note.contains("not from when it was replaced"), "{note}");
    // The account keeps deleted versions at least as long, which is what the note promises.
    let (service, _) = storage::blob_service(&containers);
    assert_eq!(
        at(
            service
                .properties
                .get("deleteRetentionPolicy")
                .expect("retention"),
            &["days"]
        ),
        Some(&Value::Int(30))
    );
}

#[test]
fn storage_redundancy_is_zone_redundant_unless_set_and_has_the_tiers_the_rules_use() {
    let archive = spec("archive", vec![LifecycleRule::Archive { days: 30 }], false);
    let account_sku = |config: &InfrastructureConfig| {
        let plan = plan_with(config, &dataset("demo-study"), |infra| {
            infra.create_bucket(&archive);
        });
        let account = plan.get(storage::STORAGE_ACCOUNT).expect("the account");
        assert_eq!(
            account.properties.get("publicNetworkAccess"),
            Some(&Value::str("Enabled"))
        );
        at(account.properties.get("sku").expect("sku"), &["name"]).cloned()
    };
    assert_eq!(account_sku(&config()), Some(Value::str("Standard_ZRS")));
    let geo = config_from(&CPG_TOML.replace(
        "name_prefix = \"egi\"",
        "name_prefix = \"egi\"\nstorage_redundancy = \"Standard_GZRS\"",
    ));
    assert_eq!(account_sku(&geo), Some(Value::str("Standard_GZRS")));
    for premium in ["Premium_LRS", "Standard_ZRS2"] {
        let text = CPG_TOML.replace(
            "name_prefix = \"egi\"",
            &format!("name_prefix = \"egi\"\nstorage_redundancy = \"{premium}\""),
        );
        let error = settings_error(&text);
        assert!(error.contains("storage_redundancy"), "{error}");
    }
    // The archive rules' tier exists for every redundancy; Archive would not on ZRS.
    for redundancy in StorageRedundancy::ALL {
        assert!(Tier::OF_ARCHIVE_RULES.supported_by(redundancy));
        assert!(storage::tier_problems(redundancy, &["archive"]).is_empty());
    }
    assert!(!Tier::Archive.supported_by(StorageRedundancy::Zrs));
    assert!(!Tier::Archive.supported_by(StorageRedundancy::RaGzrs));
    assert!(Tier::Archive.supported_by(StorageRedundancy::Grs));
}

#[test]
fn secrets_without_a_version_start_with_a_placeholder_and_are_never_updated() {
    let plan = plan_with(&config(), &dataset("demo-study"), |infra| {
        infra.create_secret("demo-study-access-members-cache", &ProjectRef::Dataset);
    });
    let secret = plan
        .resources
        .iter()
        .find(|r| r.type_token == "azure-native:keyvault:Secret")
        .expect("the secret");
    let value = at(
        secret.properties.get("properties").expect("properties"),
        &["value"],
    );
    assert_eq!(value, Some(&Value::str(secrets::PLACEHOLDER_VALUE)));
    assert!(!secrets::PLACEHOLDER_VALUE.is_empty());
    assert_eq!(secret.options.ignore_changes, ["properties", "tags"]);
    let vault = plan.get(secrets::KEY_VAULT).expect("the vault");
    let properties = vault.properties.get("properties").expect("properties");
    assert_eq!(
        at(properties, &["publicNetworkAccess"]),
        Some(&Value::str("Enabled"))
    );
    // Azure refuses `enablePurgeProtection: false`; off means absent.
    assert_eq!(at(properties, &["enablePurgeProtection"]), None);
}

#[test]
fn role_definition_ids_are_at_subscription_scope_and_custom_role_names_name_it() {
    let plan = plan_with(&config(), &dataset("demo-study"), |infra| {
        let bucket = infra.create_bucket(&spec("upload", Vec::new(), false));
        let member = Member::External {
            cloud: CloudName::azure(),
            id: "1a2b3c4d-0001-4000-8000-00000000a001".to_owned(),
        };
        let bucket = BucketRef::Created(bucket);
        infra.add_member_to_bucket("append", &bucket, &member, BucketMembership::Append);
        infra.add_member_to_bucket("read", &bucket, &member, BucketMembership::Read);
    });
    let prefix =
        format!("/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/");
    let definition = plan
        .get("azure-blob-appender-role")
        .expect("the appender role");
    let Some(Value::Str(guid)) = definition.properties.get("roleDefinitionId") else {
        panic!("the definition's GUID");
    };
    let Some(Value::Str(role_name)) = definition.properties.get("roleName") else {
        panic!("the role name");
    };
    assert!(role_name.contains(SUBSCRIPTION), "{role_name}");
    for (key, custom) in [("azure-append", true), ("azure-read", false)] {
        let assignment = plan.get(key).expect(key);
        let Some(Value::Str(id)) = assignment.properties.get("roleDefinitionId") else {
            panic!("{key}: a literal role definition id");
        };
        assert!(id.starts_with(&prefix), "{id}");
        assert_eq!(id.ends_with(guid.as_str()), custom, "{id}");
        assert_eq!(
            assignment
                .options
                .depends_on
                .iter()
                .any(|d| d == "azure-blob-appender-role"),
            custom
        );
    }
    // Another subscription of the tenant: another role name for the same dataset.
    assert_ne!(
        names::custom_role_name("egi", "demo-study", "blob appender", SUBSCRIPTION),
        names::custom_role_name(
            "egi",
            "demo-study",
            "blob appender",
            "00000000-0000-4000-8000-000000000000"
        )
    );
}

#[test]
fn resource_groups_are_unique_across_datasets_and_the_organisations() {
    let mut shared = dataset("demo");
    shared.enable_shared_project = true;
    let other = dataset("demo-shared");
    let problems = limits::validate(&config(), &planned(&[&shared, &other]));
    assert!(
        problems.iter().any(|p| p.contains("demo")
            && p.contains("demo-shared")
            && p.contains("resource group `egi-demo-shared`")),
        "{problems:?}"
    );
    // The organisation's groups are matched whatever their case, and so are the
    // groups of the existing resources cpg.toml names.
    let text = CPG_TOML.replace("egi-common\"", "EGI-Study\"")
        + "\n[infrastructure.existing.azure]\nnotebooks_project = \"/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/resourceGroups/egi-notes\"\n";
    let config = config_from(&text);
    let problems = limits::validate(&config, &planned(&[&dataset("study"), &dataset("notes")]));
    assert!(
        problems.iter().any(|p| p.contains("`egi-study`")
            && p.contains("infrastructure.azure.common_registry_resource_group")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("`egi-notes`")
            && p.contains("infrastructure.existing.azure.notebooks_project")),
        "{problems:?}"
    );
    assert!(limits::validate(&config, &planned(&[&dataset("demo")])).is_empty());
}

#[test]
fn budget_starts_are_checked_against_the_day_of_the_deployment_only() {
    let start = |s: &str| MonthStart::parse(s).expect("a month start");
    assert_eq!(
        creation_window_problem(start("2026-12-01"), (2026, 12)),
        None
    );
    assert_eq!(
        creation_window_problem(start("2027-12-01"), (2026, 12)),
        None
    );
    let ahead = creation_window_problem(start("2028-01-01"), (2026, 12)).expect("too far ahead");
    assert!(
        ahead.contains("budget_start_date = \"2026-12-01\""),
        "{ahead}"
    );
    let past = creation_window_problem(start("2026-06-01"), (2026, 12)).expect("in the past");
    assert!(
        past.contains("an annual, fixed, one still accepts it"),
        "{past}"
    );
    let old = creation_window_problem(start("2024-01-01"), (2026, 12)).expect("long past");
    assert!(old.contains("more than a year back"), "{old}");
}

#[test]
fn every_grant_is_guarded_against_other_clouds_accounts_and_ids_that_are_no_guid() {
    fn external<'b>(cloud: CloudName, id: &str) -> Member<'b> {
        Member::External {
            cloud,
            id: id.to_owned(),
        }
    }
    let plan = plan_with(&config(), &dataset("demo-study"), |infra| {
        let bucket = BucketRef::Created(infra.create_bucket(&spec("main", Vec::new(), false)));
        let gcp = external(CloudName::gcp(), "someone@example-institute.org");
        infra.add_member_to_bucket("from-gcp", &bucket, &gcp, BucketMembership::Read);
        let malformed = external(CloudName::azure(), "someone@example-institute.org");
        infra.add_member_to_bucket("malformed", &bucket, &malformed, BucketMembership::Read);
        let upper = external(CloudName::azure(), "1A2B3C4D-0001-4000-8000-00000000A001");
        infra.add_member_to_bucket("accepted", &bucket, &upper, BucketMembership::Read);
    });
    let about = |subject: &str| {
        plan.diagnostics
            .iter()
            .filter(|d| d.subject == subject)
            .map(|d| (d.severity, d.message.clone()))
            .collect::<Vec<_>>()
    };
    let [(severity, message)] = about("from-gcp").try_into().expect("one diagnostic");
    assert_eq!(severity, cpg_infra_abstraction::Severity::Warning);
    assert!(
        message.contains("is a GCP account, not an Azure principal"),
        "{message}"
    );
    let [(severity, message)] = about("malformed").try_into().expect("one diagnostic");
    assert_eq!(severity, cpg_infra_abstraction::Severity::Error);
    assert!(message.contains("is not an Azure principal"), "{message}");
    assert!(plan.get("azure-from-gcp").is_none() && plan.get("azure-malformed").is_none());
    // The accepted id reaches the plugin in the form the hook gives it.
    let accepted = plan.get("azure-accepted").expect("the accepted grant");
    assert_eq!(
        accepted.properties.get("principalId"),
        Some(&Value::str(
            cpg_infra_azure::members::parse_account("1A2B3C4D-0001-4000-8000-00000000A001")
                .expect("a GUID")
        ))
    );
}
