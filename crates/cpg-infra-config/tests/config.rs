//! Integration tests: the reference inputs load and validate, the three sources agree, bad
//! inputs give specific messages, and loading is deterministic and panic-free.

use std::path::{Path, PathBuf};

use cpg_infra_config::{
    CloudName, Component, ConfigError, DatasetConfig, DatasetName, DeployLocations,
    InfrastructureConfig, decode_utf8, dependency_order, load_stack_dir, parse_cpg_toml,
    parse_dataset_toml, parse_pulumi_config, parse_pulumi_config_with_warnings, parse_stack_file,
    parse_stack_file_with_warnings, validate_dataset_set,
};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/reference");

/// The infrastructure of an invented organisation, with every GCP section.
const INFRA: &str = r#"
[infrastructure]
domain = "example-institute.org"
dataset_storage_prefix = "ei-"
budget_currency = "EUR"
reference_dataset = "reference"

[infrastructure.gcp]
customer_id = "C0example"
billing_account_id = "01ABCD-23EF45-6789AB"
billing_project_id = "ei-billing"
budget_notification_pubsub = "projects/ei-billing/topics/budgets"
reference_bucket_name = "ei-reference"
config_bucket_name = "ei-config"
common_artifact_registry_project = "ei-common"
common_artifact_registry_name = "images"

[infrastructure.hail.gcp]
wheel_bucket_name = "ei-hail-wheels"

[infrastructure.analysis_runner.gcp]
project = "ei-analysis"
cloud_run_instance_name = "server"
server_machine_account = "runner@ei-analysis.iam.gserviceaccount.com"
logger_machine_account = "logger@ei-analysis.iam.gserviceaccount.com"
container_registry_name = "images"

[infrastructure.web_service.gcp]
server_machine_account = "web@ei-services.iam.gserviceaccount.com"

[infrastructure.access_group_cache]
process_machine_account = "group-cache@ei-services.iam.gserviceaccount.com"

[infrastructure.notebooks.gcp]
project = "ei-notebooks"

[infrastructure.cromwell.gcp]
access_group_id = "groups/0example"
runner_machine_account = "cromwell@ei-cromwell.iam.gserviceaccount.com"

[infrastructure.sample_metadata.gcp]
project = "ei-metadata"
service_name = "metadata-api"
machine_account = "metadata@ei-metadata.iam.gserviceaccount.com"
"#;

fn infra() -> InfrastructureConfig {
    parse_cpg_toml(INFRA, "cpg.toml").unwrap().infrastructure
}

fn reference_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(REFERENCE);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: {REFERENCE} is absent; skipping the reference-input test");
        None
    }
}

#[test]
fn reference_inputs_load_and_validate() {
    let Some(dir) = reference_dir() else { return };
    let text = decode_utf8(&std::fs::read(dir.join("cpg.toml")).unwrap(), "cpg.toml").unwrap();
    let cpg = parse_cpg_toml(&text, "reference/cpg.toml").unwrap();
    cpg.infrastructure.validate().unwrap();
    assert!(cpg.datasets.is_empty());

    let stacks = dir.join("stacks");
    let mut count = 0;
    for entry in std::fs::read_dir(&stacks).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(stack) = file
            .strip_prefix("Pulumi.")
            .and_then(|s| s.strip_suffix(".yaml"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let (ds, warnings) = parse_stack_file_with_warnings(&text, &file, stack)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        ds.validate(&cpg.infrastructure)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(ds.gcp_project.is_some(), "{file}");
        assert!(
            warnings.iter().any(|w| w.contains("datasets:customer_id")),
            "{file}: {warnings:?}"
        );
        count += 1;
    }
    assert!(count >= 10, "only {count} stack files");

    let loaded = load_stack_dir(&stacks).unwrap();
    assert_eq!(loaded.datasets.len(), count);
    let warnings = validate_dataset_set(&loaded.datasets, &cpg.infrastructure, false).unwrap();
    // The partial set names datasets (seqr's dependencies) that are not in the folder.
    if loaded.datasets.iter().any(|d| d.dataset.as_str() == "seqr") {
        assert!(warnings.iter().any(|w| w.contains("seqr")), "{warnings:?}");
        let seqr = loaded
            .datasets
            .iter()
            .find(|d| d.dataset.as_str() == "seqr")
            .unwrap();
        assert_eq!(seqr.depends_on.len(), 24);
        assert!(seqr.deployment_service_account.standard.is_some());
    }
    if let Some(mito) = loaded
        .datasets
        .iter()
        .find(|d| d.dataset.as_str() == "mito-disease")
    {
        assert_eq!(mito.shared_project_budget.map(|b| b.get()), Some(250));
        assert!(mito.enable_shared_project && mito.enable_release);
        assert_eq!(mito.archive_age.get(), 90);
    }
    let order = dependency_order(&loaded.datasets, &cpg.infrastructure.reference_dataset).unwrap();
    assert_eq!(order[0].as_str(), "reference");
}

const STACK_YAML: &str = r#"encryptionsalt: v1:c2FsdA==:v1:invented:invented==
config:
  datasets:archive_age: "90"
  datasets:customer_id: C0example
  datasets:enable_release: "true"
  datasets:enable_shared_project: true
  datasets:shared_project_budget: 250
  datasets:depends_on: '["beta-cohort", "beta-cohort"]'
  datasets:deploy_locations: '["gcp", "azure"]'
  datasets:components: '{"gcp": ["storage", "hail_accounts", "sample-metadata"], "azure": ["storage"]}'
  datasets:gcp_hail_service_account_test: alpha-study-test@hail-4821.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_standard: alpha-study-standard@hail-4821.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_full: alpha-study-full@hail-4821.iam.gserviceaccount.com
  datasets:deployment_service_account_test: ci-test@alpha-study-4821.iam.gserviceaccount.com
  datasets:sm_read_only_sas:
    - reader@ei-services.iam.gserviceaccount.com
  datasets:additional_upload_buckets: '["alpha-study-partner-upload"]'
  gcp:project: alpha-study-4821
  gcp:user_project_override: "true"
"#;

const PULUMI_CONFIG_JSON: &str = r#"{
  "datasets:archive_age": "90",
  "datasets:customer_id": "C0example",
  "datasets:enable_release": "true",
  "datasets:enable_shared_project": "true",
  "datasets:shared_project_budget": 250,
  "datasets:depends_on": "[\"beta-cohort\"]",
  "datasets:deploy_locations": ["gcp", "azure"],
  "datasets:components": "{\"gcp\": [\"storage\", \"hail-accounts\", \"sample_metadata\"], \"azure\": [\"storage\"]}",
  "datasets:gcp_hail_service_account_test": "alpha-study-test@hail-4821.iam.gserviceaccount.com",
  "datasets:gcp_hail_service_account_standard": "alpha-study-standard@hail-4821.iam.gserviceaccount.com",
  "datasets:gcp_hail_service_account_full": "alpha-study-full@hail-4821.iam.gserviceaccount.com",
  "datasets:deployment_service_account_test": "ci-test@alpha-study-4821.iam.gserviceaccount.com",
  "datasets:sm_read_only_sas": "[\"reader@ei-services.iam.gserviceaccount.com\"]",
  "datasets:additional_upload_buckets": "[\"alpha-study-partner-upload\"]",
  "gcp:project": "alpha-study-4821",
  "gcp:user_project_override": "true"
}"#;

const DATASET_BODY: &str = r#"
archive_age = 90
enable_release = true
enable_shared_project = true
shared_project_budget = 250
depends_on = ["beta-cohort"]
deploy_locations = ["gcp", "azure"]
components = { gcp = ["storage", "hail-accounts", "sample-metadata"], azure = ["storage"] }
gcp_hail_service_account_test = "alpha-study-test@hail-4821.iam.gserviceaccount.com"
gcp_hail_service_account_standard = "alpha-study-standard@hail-4821.iam.gserviceaccount.com"
gcp_hail_service_account_full = "alpha-study-full@hail-4821.iam.gserviceaccount.com"
deployment_service_account_test = "ci-test@alpha-study-4821.iam.gserviceaccount.com"
sm_read_only_sas = ["reader@ei-services.iam.gserviceaccount.com"]
additional_upload_buckets = ["alpha-study-partner-upload"]
gcp_project = "alpha-study-4821"
"#;

#[test]
fn three_sources_agree() {
    let from_yaml = parse_stack_file(STACK_YAML, "Pulumi.alpha-study.yaml", "alpha-study").unwrap();
    let from_env = parse_pulumi_config(PULUMI_CONFIG_JSON, "alpha-study").unwrap();
    let file = format!(
        "dataset = \"alpha-study\"\n{DATASET_BODY}\n[provider_config]\n\"gcp:user_project_override\" = \"true\"\n"
    );
    let from_file = parse_dataset_toml(&file, "datasets/alpha-study.toml", "alpha-study").unwrap();
    let table = format!(
        "{INFRA}\n[datasets.alpha-study]\n{DATASET_BODY}\n[datasets.alpha-study.provider_config]\n\"gcp:user_project_override\" = \"true\"\n\"gcp:project\" = \"alpha-study-4821\"\n"
    );
    let cpg = parse_cpg_toml(&table, "cpg.toml").unwrap();
    assert_eq!(cpg.datasets.len(), 1);

    assert_eq!(from_yaml, from_env);
    assert_eq!(from_yaml, from_file);
    assert_eq!(from_yaml, cpg.datasets[0]);

    let ds = from_yaml;
    assert_eq!(ds.archive_age.get(), 90);
    assert_eq!(ds.depends_on, [DatasetName::parse("beta-cohort").unwrap()]);
    assert_eq!(ds.provider_config["gcp:project"], "alpha-study-4821");
    assert_eq!(ds.provider_config["gcp:user_project_override"], "true");
    assert_eq!(
        ds.components_for(&CloudName::gcp()),
        [
            Component::Storage,
            Component::HailAccounts,
            Component::SampleMetadata
        ]
    );
    assert_eq!(
        ds.components_for(&CloudName::parse("dry-run").unwrap()),
        Component::ALL
    );
    // GCP is fully configured; Azure is not, which the Azure plugin's rules report.
    assert!(
        ds.component_section_problems(&infra(), &CloudName::gcp())
            .is_empty()
    );
    let azure = ds.component_section_problems(&infra(), &CloudName::azure());
    assert!(azure.iter().any(|p| p.contains(".azure]")), "{azure:?}");
}

#[test]
fn warnings_are_returned() {
    let (_, warnings) =
        parse_stack_file_with_warnings(STACK_YAML, "Pulumi.alpha-study.yaml", "alpha-study")
            .unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("Pulumi.alpha-study.yaml:4:3: datasets:customer_id: legacy key")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`beta-cohort` is listed twice")),
        "{warnings:?}"
    );
    let (_, warnings) =
        parse_pulumi_config_with_warnings(PULUMI_CONFIG_JSON, "alpha-study").unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("PULUMI_CONFIG: datasets:customer_id")),
        "{warnings:?}"
    );
}

#[test]
fn secrets_are_hidden() {
    let yaml = "config:\n  gcp:project: alpha-study-4821\n  gcp:credentials:\n    secure: v1:TOPSECRETVALUE\n";
    let ds = parse_stack_file(yaml, "Pulumi.alpha-study.yaml", "alpha-study").unwrap();
    assert_eq!(ds.provider_config["gcp:credentials"], "[secret]");
    assert!(!format!("{ds:?}").contains("TOPSECRET"));
    let bad = "config:\n  datasets:archive_age:\n    secure: v1:TOPSECRETVALUE\n";
    let err = parse_stack_file(bad, "Pulumi.alpha-study.yaml", "alpha-study")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot be Pulumi secrets") && !err.contains("TOPSECRET"),
        "{err}"
    );
}

#[derive(Clone, Copy, Debug)]
enum Src {
    Stack,
    Env,
    DatasetToml,
    Cpg,
}

fn load(src: Src, text: &str) -> Result<(), ConfigError> {
    match src {
        Src::Stack => {
            parse_stack_file(text, "stack/Pulumi.alpha-study.yaml", "alpha-study").map(drop)
        }
        Src::Env => parse_pulumi_config(text, "alpha-study").map(drop),
        Src::DatasetToml => {
            parse_dataset_toml(text, "datasets/alpha-study.toml", "alpha-study").map(drop)
        }
        Src::Cpg => parse_cpg_toml(text, "cpg.toml").map(drop),
    }
}

fn cpg_with(extra: &str) -> String {
    format!("{INFRA}\n{extra}")
}

#[test]
fn bad_inputs_give_specific_messages() {
    let y = |body: &str| format!("encryptionsalt: v1:x\nconfig:\n{body}");
    let cases: Vec<(Src, String, &[&str])> = vec![
        (Src::Stack, y("  datasets:archve_age: \"90\"\n"), &["stack/Pulumi.alpha-study.yaml:3:3: datasets:archve_age: unknown key; did you mean datasets:archive_age?"]),
        (Src::Stack, y("  datasets:archive_age: \"0\"\n"), &[":3:3: datasets:archive_age: must be a whole number of days > 0"]),
        (Src::Stack, y("  datasets:archive_age: soon\n"), &["datasets:archive_age", "the string \"soon\""]),
        (Src::Stack, y("  datasets:enable_release: maybe\n"), &["datasets:enable_release: must be true or false", "maybe"]),
        (Src::Stack, y("  datasets:depends_on: '[\"beta-cohort\",'\n"), &["datasets:depends_on: is not valid JSON"]),
        (Src::Stack, y("  datasets:depends_on: '[\"alpha-study\"]'\n"), &["cannot depend on itself"]),
        (Src::Stack, y("  datasets:depends_on: '[\"Beta\"]'\n"), &["datasets:depends_on", "invalid dataset name `Beta`"]),
        (Src::Stack, y("  datasets:components: '{\"gcp\": [\"buckets\"]}'\n"), &["datasets:components", "unknown component `buckets`", "valid components: storage, spark"]),
        (Src::Stack, y("  datasets:components: '[\"storage\"]'\n"), &["datasets:components: must map each cloud to a list of components"]),
        (Src::Stack, y("  datasets:components: '{\"gcp\": [\"storage\"], \"gcp\": []}'\n"), &["datasets:components", "duplicate key `gcp`"]),
        (Src::Stack, y("  datasets:gcp_hail_service_account_test: not-an-email\n"), &["datasets:gcp_hail_service_account_test", "invalid e-mail address `not-an-email`"]),
        (Src::Stack, y("  datasets:dataset: beta-cohort\n"), &["datasets:dataset: says `beta-cohort`"]),
        (Src::Stack, y("  datasets:archive_age: \"90\"\n  datasets:archive_age: \"30\"\n"), &[":4:3:", "duplicate key `datasets:archive_age`"]),
        (Src::Stack, String::new(), &["stack/Pulumi.alpha-study.yaml: no config: mapping"]),
        (Src::Stack, "encryptionsalt: v1:x\n".to_string(), &["no config: mapping"]),
        (Src::Stack, y("  datasets:deploy_locations: '[]'\n"), &["datasets:deploy_locations: must list at least one cloud"]),
        (Src::Stack, y("  datasets:deploy_locations: '[\"gcp\", \"gcp\"]'\n"), &["lists `gcp` twice"]),
        (Src::Stack, y("  gcp:project: Alpha\n"), &[":3:3: gcp:project: invalid GCP project id `Alpha`"]),
        (Src::Stack, y("  archive_age: \"90\"\n"), &["archive_age: config keys look like `namespace:key`"]),
        (Src::Stack, y("  datasets:shared_project_budget: 0\n"), &["datasets:shared_project_budget: must be a whole number", "got 0"]),
        (Src::Stack, "confg:\n  datasets:archive_age: \"90\"\n".to_string(), &["stack/Pulumi.alpha-study.yaml:1:1", "unknown key `confg`", "did you mean `config`?"]),
        (Src::Stack, y("  datasets:archive_age: [\"90\"\n"), &["stack/Pulumi.alpha-study.yaml:3:"]),
        (Src::Stack, y("  datasets:gcp_project: alpha-study-4821\n"), &["datasets:gcp_project: unknown key", "gcp:project"]),
        (Src::Stack, y("  datasets:additional_upload_buckets: '[\"-bad\"]'\n"), &["datasets:additional_upload_buckets", "invalid bucket name `-bad`"]),
        (Src::Stack, y("  datasets:archive_age:\n"), &["datasets:archive_age: has no value"]),
        (Src::Stack, y("  gcp:project: alpha-study-4821\n---\nconfig: {}\n"), &[":5:1: holds more than one YAML document"]),
        (Src::Stack, "config: &a\n  datasets:depends_on: *a\n".to_string(), &[":2:", "an alias refers to the node that contains it"]),
        (Src::Stack, y(&format!("  datasets:depends_on: {}{}\n", "[".repeat(300), "]".repeat(300))), &["is nested too deeply"]),
        (Src::Stack, "- config\n".to_string(), &[":1:1: expected a mapping (`key: value` lines) here"]),
        (Src::Stack, y("  ? [a, b]\n  : c\n"), &["expected a plain string here"]),
        (Src::Stack, y("  datasets:archive_age: 99999999999999999999999999999999999\n"), &["got 1e35"]),
        (Src::Stack, y("  dataset:enable_release: \"true\"\n"), &[":3:3: dataset:enable_release: unknown namespace `dataset`", "would be ignored", "did you mean `datasets:enable_release`?"]),
        (Src::Stack, y("  gpc:project: alpha-study-4821\n"), &["gpc:project: unknown namespace `gpc`", "did you mean `gcp:project`?"]),
        (Src::Stack, y("  aws:region: ap-southeast-2\n"), &["aws:region: unknown namespace `aws`", "`gcp:*`, `azure-native:*`, `azuread:*`"]),
        (Src::Stack, y("  gcp:projet: alpha-study-4821\n"), &[":3:3: gcp:projet: unknown setting of the `gcp` provider", "pulumi-gcp 10.2.0", "did you mean `gcp:project`?"]),
        (Src::Stack, y("  gcp:user_project_overide: \"true\"\n"), &["did you mean `gcp:user_project_override`?"]),
        (Src::Stack, y("  gcp:archive_age: \"90\"\n"), &["gcp:archive_age", "did you mean `datasets:archive_age`?"]),
        (Src::Env, r#"{"datasets:archive_age": "90", "datasets:archive_age": "30"}"#.to_string(), &["PULUMI_CONFIG:1:", "duplicate key `datasets:archive_age`"]),
        (Src::Env, "[1, 2]".to_string(), &["PULUMI_CONFIG: must be a JSON object"]),
        (Src::Env, r#"{"azure-native:locaton": "australiaeast"}"#.to_string(), &["PULUMI_CONFIG: azure-native:locaton: unknown setting of the `azure-native` provider", "did you mean `azure-native:location`?"]),
        (Src::Env, r#"{"datasets:archive_age": "30", "dataset:enable_release": "true"}"#.to_string(), &["PULUMI_CONFIG: dataset:enable_release: unknown namespace"]),
        (Src::Env, "{\"datasets:archive_age\": \n".to_string(), &["PULUMI_CONFIG:2:"]),
        (Src::Env, r#"{"datasets:enable_release": "yes"}"#.to_string(), &["PULUMI_CONFIG: datasets:enable_release: must be true or false"]),
        (Src::Cpg, String::new(), &["cpg.toml: missing section [infrastructure]"]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"\n", ""), &["cpg.toml:2:1", "missing key `reference_dataset`: add it"]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"\n", "reference_dataset = \"reference\"\nbudget_notification_thresholds = [\"high\"]\n"), &["infrastructure.budget_notification_thresholds: must be a number, got the string \"high\""]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"\n", "reference_dataset = \"reference\"\nbudget_notification_thresholds = 0.9\n"), &["infrastructure.budget_notification_thresholds: must be a list, got the number 0.9"]),
        (Src::Cpg, "[infrastructure]\ndomian = \"example-institute.org\"\n".to_string(), &["cpg.toml:2:1", "unknown key `domian`", "did you mean `domain`?"]),
        (Src::Cpg, INFRA.replace("budget_currency = \"EUR\"", "budget_currency = \"eur\""), &["cpg.toml:5:", "infrastructure.budget_currency: must be three uppercase letters", "`eur`"]),
        (Src::Cpg, cpg_with("[datasets.alpha-study]\narchive_age = 0\n"), &["cpg.toml:", "datasets.alpha-study.archive_age: must be a whole number of days > 0, got 0"]),
        (Src::Cpg, cpg_with("[dataset.alpha-study]\narchive_age = 5\n"), &["unknown key `dataset`", "did you mean `datasets`?"]),
        (Src::Cpg, cpg_with("[datasets.Alpha]\n"), &["datasets.Alpha", "invalid dataset name `Alpha`"]),
        (Src::Cpg, cpg_with("[infrastructure.azure]\ntenant_id = \"nope\"\n"), &["cpg.toml:47:13: infrastructure.azure.tenant_id: must be a GUID", "`nope`"]),
        (Src::Cpg, INFRA.replace("server_machine_account = \"web@", "server_machine_account = \"web "), &["cpg.toml:", "invalid e-mail address"]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"", "reference_dataset = 5"), &["cpg.toml:6:21: infrastructure.reference_dataset: must be a string, got the integer 5"]),
        (Src::DatasetToml, "enable_release = \"true\"\n".to_string(), &["datasets/alpha-study.toml:1:1: enable_release: must be true or false, got the string \"true\""]),
        (Src::DatasetToml, "archive_age = 90\narchive_age = 30\n".to_string(), &["datasets/alpha-study.toml:2:1: archive_age: duplicate key"]),
        (Src::DatasetToml, "archve_age = 90\n".to_string(), &["archve_age: unknown key; did you mean archive_age?"]),
        (Src::DatasetToml, "gcp_project = \"alpha-study-4821\"\n[provider_config]\n\"gcp:project\" = \"beta-cohort-1234\"\n".to_string(), &["gcp_project: is `alpha-study-4821` but provider_config sets gcp:project"]),
        (Src::DatasetToml, "components = { gcp = \"storage\" }\n".to_string(), &["components: the value for `gcp` must be a list of components"]),
        (Src::DatasetToml, "shared_project_budget = -5\n".to_string(), &["shared_project_budget: must be a whole number", "-5"]),
        (Src::DatasetToml, "archive_age = 1979-05-27\n".to_string(), &["archive_age: must be a whole number of days > 0, got the string \"1979-05-27\""]),
        (Src::DatasetToml, "[provider_config]\n\"azuread:tenant_idd\" = \"x\"\n".to_string(), &["provider_config.\"azuread:tenant_idd\": unknown setting of the `azuread` provider", "did you mean `azuread:tenant_id`?"]),
        (Src::DatasetToml, "[provider_config]\n\"datasets:archive_age\" = \"5\"\n".to_string(), &["provider_config.\"datasets:archive_age\": dataset settings are keys of the file itself"]),
    ];
    assert!(cases.len() >= 20);
    for (src, text, fragments) in cases {
        let err = match load(src, &text) {
            Ok(()) => panic!("{src:?} accepted:\n{text}"),
            Err(e) => e.to_string(),
        };
        for f in fragments {
            assert!(
                err.contains(f),
                "{src:?}: `{err}` lacks `{f}`\ninput:\n{text}"
            );
        }
        assert!(!err.contains('\n'), "multi-line message: {err}");
    }
}

#[test]
fn bad_names_and_encodings() {
    let err = parse_stack_file("config: {}\n", "Pulumi.Alpha.yaml", "Alpha")
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid dataset name `Alpha`"), "{err}");
    let err = decode_utf8(b"config:\n  \xff\n", "Pulumi.alpha-study.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Pulumi.alpha-study.yaml:2:3: not valid UTF-8"),
        "{err}"
    );
}

fn ds(name: &str) -> DatasetConfig {
    let mut d = DatasetConfig::new(DatasetName::parse(name).unwrap());
    d.gcp_project = Some(cpg_infra_config::GcpProjectId::parse(&format!("{name}-4821")).unwrap());
    let email = |level: &str| {
        Some(
            cpg_infra_config::Email::parse(&format!(
                "{name}-{level}@hail-4821.iam.gserviceaccount.com"
            ))
            .unwrap(),
        )
    };
    d.gcp_hail_service_account.test = email("test");
    d.gcp_hail_service_account.standard = email("standard");
    d.gcp_hail_service_account.full = email("full");
    d
}

#[test]
fn cross_field_rules() {
    let infra = infra();
    ds("alpha-study").validate(&infra).unwrap();

    let mut d = ds("alpha-study");
    d.enable_shared_project = true;
    let problems: Vec<String> = d.problems(&infra).iter().map(ToString::to_string).collect();
    assert!(problems.iter().any(|p| p.contains("dataset alpha-study: datasets:enable_shared_project is true but datasets:enable_release is not")), "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("shared_project_budget is missing")),
        "{problems:?}"
    );

    // What a cloud needs (the GCP project, Hail accounts) is its plugin's rules; the
    // per-cloud tables of components are checked by this crate for the plugins that ask.
    let gcp = CloudName::gcp();
    assert!(
        ds("alpha-study")
            .component_section_problems(&infra, &gcp)
            .is_empty()
    );
    let mut partial = infra.clone();
    partial.sample_metadata = None;
    assert_eq!(
        ds("alpha-study").component_section_problems(&partial, &gcp),
        [
            "component `sample-metadata` on gcp needs the section [infrastructure.sample_metadata.gcp] in cpg.toml; add it or remove the component from datasets:components"
        ]
    );
    let mut partial = infra.clone();
    partial.notebooks = None;
    let problems = ds("alpha-study").component_section_problems(&partial, &gcp);
    assert!(
        problems.iter().any(|p| p.contains(
            "component `notebooks` on gcp needs the section [infrastructure.notebooks.gcp]"
        )),
        "{problems:?}"
    );
    let mut no_notebooks = ds("alpha-study");
    no_notebooks.components.insert(
        CloudName::gcp(),
        vec![Component::Storage, Component::HailAccounts],
    );
    assert!(
        no_notebooks
            .component_section_problems(&partial, &gcp)
            .is_empty()
    );

    let mut partial = infra.clone();
    partial.access_group_cache = None;
    let err = ds("alpha-study")
        .validate(&partial)
        .unwrap_err()
        .to_string();
    assert!(err.contains("[infrastructure.access_group_cache]"), "{err}");

    // Other clouds are the driver's business.
    let mut d = ds("alpha-study");
    d.deploy_locations = DeployLocations::one(CloudName::parse("dry-run").unwrap());
    d.validate(&infra).unwrap();
}

#[test]
fn dataset_set_rules() {
    let infra = infra();
    let mut alpha = ds("alpha-study");
    alpha.depends_on = vec![DatasetName::parse("beta-cohrt").unwrap()];
    let set = vec![ds("reference"), alpha.clone(), ds("beta-cohort")];
    let err = validate_dataset_set(&set, &infra, true)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("dataset alpha-study: datasets:depends_on names `beta-cohrt`"),
        "{err}"
    );
    assert!(err.contains("did you mean `beta-cohort`?"), "{err}");
    let warnings = validate_dataset_set(&set, &infra, false).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");

    let mut beta = ds("beta-cohort");
    beta.depends_on = vec![DatasetName::parse("alpha-study").unwrap()];
    alpha.depends_on = vec![DatasetName::parse("beta-cohort").unwrap()];
    let set = vec![ds("reference"), alpha, beta];
    let err = validate_dataset_set(&set, &infra, true)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("alpha-study -> beta-cohort -> alpha-study"),
        "{err}"
    );

    let set = vec![ds("alpha-study")];
    let err = validate_dataset_set(&set, &infra, true)
        .unwrap_err()
        .to_string();
    assert!(err.contains("reference dataset `reference`"), "{err}");
}

/// A scratch folder of its own per test (removed when dropped), with a `datasets/` folder.
struct TempDir(tempfile::TempDir);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("cpg-infra-config-{tag}-"))
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(dir.path().join("datasets")).unwrap();
        Self(dir)
    }
    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.path().join(name), text).unwrap();
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
}

fn stack(project: &str) -> String {
    format!(
        "config:\n  datasets:customer_id: C0example\n  datasets:components: '{{\"gcp\": [\"storage\", \"spark\"]}}'\n  gcp:project: {project}\n"
    )
}

const BETA_TOML: &str =
    "gcp_project = \"beta-cohort-4821\"\ncomponents = { gcp = [\"storage\"] }\n";

#[test]
fn stack_dir_is_deterministic() {
    let names = ["zeta-panel", "alpha-study", "reference", "mid-cohort"];
    let a = TempDir::new("order-a");
    for n in names {
        a.write(&format!("Pulumi.{n}.yaml"), &stack(&format!("{n}-4821")));
    }
    a.write("Pulumi.yaml", "name: datasets\nruntime: python\n");
    a.write("README.md", "not a stack\n");
    a.write("datasets/beta-cohort.toml", BETA_TOML);
    let b = TempDir::new("order-b");
    b.write("datasets/beta-cohort.toml", BETA_TOML);
    for n in names.iter().rev() {
        b.write(&format!("Pulumi.{n}.yaml"), &stack(&format!("{n}-4821")));
    }
    b.write("Pulumi.yaml", "name: datasets\n");
    let la = load_stack_dir(a.path()).unwrap();
    let lb = load_stack_dir(b.path()).unwrap();
    assert_eq!(la.datasets, lb.datasets);
    assert_eq!(la.warnings.len(), 4);
    let got: Vec<&str> = la.datasets.iter().map(|d| d.dataset.as_str()).collect();
    assert_eq!(
        got,
        [
            "alpha-study",
            "beta-cohort",
            "mid-cohort",
            "reference",
            "zeta-panel"
        ]
    );
    validate_dataset_set(&la.datasets, &infra(), true).unwrap();

    // A dataset defined twice names both files.
    a.write("datasets/alpha-study.toml", "archive_age = 5\n");
    let err = load_stack_dir(a.path()).unwrap_err().to_string();
    assert!(
        err.contains("dataset alpha-study is defined twice"),
        "{err}"
    );
    assert!(
        err.contains("Pulumi.alpha-study.yaml") && err.contains("alpha-study.toml"),
        "{err}"
    );

    // A stack file whose name is not a dataset name.
    b.write("Pulumi.Bad_Name.yaml", &stack("bad-name-4821"));
    let err = load_stack_dir(b.path()).unwrap_err().to_string();
    assert!(
        err.contains("Pulumi.Bad_Name.yaml") && err.contains("invalid dataset name"),
        "{err}"
    );
}

#[test]
fn stack_dir_merges_cpg_toml() {
    let dir = TempDir::new("merge");
    dir.write("Pulumi.alpha-study.yaml", &stack("alpha-study-4821"));
    let mut loaded = load_stack_dir(dir.path()).unwrap();
    let cpg = parse_cpg_toml(
        &cpg_with("[datasets.alpha-study]\narchive_age = 5\n"),
        "cpg.toml",
    )
    .unwrap();
    let err = loaded
        .merge_cpg_toml(&cpg, "cpg.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Pulumi.alpha-study.yaml") && err.contains("cpg.toml"),
        "{err}"
    );
}

/// A small deterministic fuzz: every prefix and some byte mutations of valid inputs must
/// give a value or an error, never a panic.
#[test]
fn never_panics_on_mangled_input() {
    let table = cpg_with(&format!("[datasets.alpha-study]\n{DATASET_BODY}"));
    let samples: [(Src, &str); 4] = [
        (Src::Stack, STACK_YAML),
        (Src::Env, PULUMI_CONFIG_JSON),
        (Src::DatasetToml, DATASET_BODY),
        (Src::Cpg, &table),
    ];
    let specials = [
        "\"",
        "'",
        "[",
        "{",
        "}",
        ":",
        "\n",
        "-",
        "é",
        "\u{0}",
        "0",
        "#",
        "*a",
        "&a ",
        "!!binary ",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(seed >> 33).unwrap_or(0)
    };
    for (src, text) in samples {
        let cuts: Vec<usize> = (0..=text.len())
            .step_by(7)
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for &cut in &cuts {
            let _ = load(src, &text[..cut]);
        }
        for _ in 0..300 {
            let mut s = text.to_string();
            let mut at = next() % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            s.insert_str(at, specials[next() % specials.len()]);
            let _ = load(src, &s);
        }
    }
}

#[test]
fn deep_nesting_is_rejected_not_fatal() {
    for depth in [200, 5_000, 50_000] {
        let open = "[".repeat(depth);
        let close = "]".repeat(depth);
        let _ = parse_dataset_toml(
            &format!("depends_on = {open}{close}\n"),
            "d.toml",
            "alpha-study",
        );
        let _ = parse_cpg_toml(&format!("x = {open}{close}\n"), "cpg.toml");
        let _ = parse_stack_file(
            &format!("config:\n  datasets:depends_on: {open}{close}\n"),
            "Pulumi.alpha-study.yaml",
            "alpha-study",
        );
        let _ = parse_stack_file(
            &format!("config:\n  datasets:depends_on: '{open}{close}'\n"),
            "Pulumi.alpha-study.yaml",
            "alpha-study",
        );
        let _ = parse_pulumi_config(
            &format!("{{\"datasets:depends_on\": {open}{close}}}"),
            "alpha-study",
        );
        let inline = "{a = ".repeat(depth) + &"}".repeat(depth);
        let _ = parse_dataset_toml(&format!("components = {inline}\n"), "d.toml", "alpha-study");
    }
}

#[test]
fn disable_group_memberships_accepts_the_reference_string_form() {
    let with = |value: &str| {
        let text = INFRA.replacen(
            "reference_dataset = \"reference\"\n",
            &format!("reference_dataset = \"reference\"\ndisable_group_memberships = {value}\n"),
            1,
        );
        parse_cpg_toml(&text, "cpg.toml").map(|c| c.infrastructure.disable_group_memberships)
    };
    assert!(with("true").expect("bool"));
    assert!(with("\"true\"").expect("string"));
    assert!(!with("\"False\"").expect("string"));
    let error = with("3").expect_err("not a flag").to_string();
    assert!(error.contains("must be true or false, got 3"), "{error}");
    let error = with("\"maybe\"").expect_err("not a flag").to_string();
    assert!(
        error.contains("disable_group_memberships") && error.contains("maybe"),
        "{error}"
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_once_in_line_order() {
    let text = "config:\n  datasets:archive_age: soon\n  datasets:enable_release: maybe\n  datasets:archve_age: \"3\"\n  dataset:depends_on: '[]'\n  gcp:project: Alpha\n  datasets:depends_on: '[\"Beta\"]'\n  datasets:deploy_locations: '[]'\n  datasets:components: '[]'\n  datasets:enable_shared_project: x\n  datasets:sm_read_only_sas: '[1]'\n  datasets:cross_cloud_secrets: 2\n";
    let err = parse_stack_file(text, "Pulumi.alpha-study.yaml", "alpha-study").unwrap_err();
    let message = err.to_string();
    let lines: Vec<&str> = message.lines().collect();
    let at: Vec<&str> = lines
        .iter()
        .map(|l| l.split(": ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        at,
        (2..=12)
            .map(|line| format!("Pulumi.alpha-study.yaml:{line}:3"))
            .collect::<Vec<_>>(),
        "{message}"
    );
    assert_eq!(err.problems().len(), 11);
    assert!(
        lines[6].contains("must list at least one cloud"),
        "{message}"
    );

    // The cross-field rules of a dataset: every one.
    let mut d = ds("alpha-study");
    d.enable_shared_project = true;
    d.shared_project_budget = None;
    let err = d.validate(&infra()).unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");
}

#[test]
fn long_reports_are_capped_with_a_count() {
    let body: String = (0..60)
        .map(|i| format!("  datasets:unknown_key_{i:02}: x\n"))
        .collect();
    let err = parse_stack_file(
        &format!("config:\n{body}"),
        "Pulumi.alpha-study.yaml",
        "alpha-study",
    )
    .unwrap_err();
    assert_eq!(err.problems().len(), 60);
    let message = err.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines.len(),
        cpg_infra_config::error::MAX_REPORTED + 1,
        "{message}"
    );
    assert_eq!(
        lines.last().copied(),
        Some("... and 10 more problems (fix these first)")
    );
    assert!(
        lines[0].starts_with("Pulumi.alpha-study.yaml:2:3:"),
        "{message}"
    );
}

#[test]
fn every_broken_file_of_a_stack_dir_is_reported() {
    let dir = TempDir::new("broken");
    dir.write(
        "Pulumi.alpha-study.yaml",
        "config:\n  datasets:archve_age: \"3\"\n",
    );
    dir.write("Pulumi.beta-cohort.yaml", "config: [\n");
    dir.write("Pulumi.reference.yaml", &stack("reference-4821"));
    dir.write("datasets/gamma-trial.toml", "archive_age = 0\n");
    let err = load_stack_dir(dir.path()).unwrap_err().to_string();
    for file in [
        "Pulumi.alpha-study.yaml:2:3",
        "Pulumi.beta-cohort.yaml",
        "gamma-trial.toml:1:",
    ] {
        assert!(err.contains(file), "{file} missing from:\n{err}");
    }
    let scanned = cpg_infra_config::scan_stack_dir(dir.path()).unwrap();
    let names: Vec<&str> = scanned
        .datasets
        .iter()
        .map(|d| d.dataset.as_str())
        .collect();
    assert_eq!(names, ["reference"]);
    let broken: Vec<Option<&str>> = scanned
        .broken
        .iter()
        .map(|b| b.dataset.as_ref().map(DatasetName::as_str))
        .collect();
    assert_eq!(
        broken,
        [
            Some("alpha-study"),
            Some("beta-cohort"),
            Some("gamma-trial")
        ]
    );
}

#[cfg(unix)]
#[test]
fn stack_files_that_are_not_files_are_errors_naming_the_path() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("vanish");
    dir.write("Pulumi.reference.yaml", &stack("reference-4821"));
    std::fs::create_dir(dir.path().join("Pulumi.alpha-study.yaml")).unwrap();
    symlink(
        dir.path().join("nowhere.yaml"),
        dir.path().join("Pulumi.beta-cohort.yaml"),
    )
    .unwrap();
    symlink(
        dir.path().join("Pulumi.loop-b.yaml"),
        dir.path().join("Pulumi.loop-a.yaml"),
    )
    .unwrap();
    symlink(
        dir.path().join("Pulumi.loop-a.yaml"),
        dir.path().join("Pulumi.loop-b.yaml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("datasets/gamma-trial.toml")).unwrap();
    // A link to a real stack file is read.
    dir.write("real.yaml", &stack("delta-cohort-4821"));
    symlink(
        dir.path().join("real.yaml"),
        dir.path().join("Pulumi.delta-cohort.yaml"),
    )
    .unwrap();
    let err = load_stack_dir(dir.path()).unwrap_err().to_string();
    let shown = |name: &str| dir.path().join(name).display().to_string();
    for (name, what) in [
        (
            "Pulumi.alpha-study.yaml",
            "is a directory, not a dataset file",
        ),
        ("Pulumi.beta-cohort.yaml", "is a symbolic link to"),
        ("Pulumi.loop-a.yaml", "cannot be followed"),
        ("Pulumi.loop-b.yaml", "cannot be followed"),
        ("datasets/gamma-trial.toml", "is a directory"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&shown(name)) && l.contains(what)),
            "{name}: `{what}` missing from:\n{err}"
        );
    }
    assert!(err.contains("nowhere.yaml`, which does not exist"), "{err}");
    let scanned = cpg_infra_config::scan_stack_dir(dir.path()).unwrap();
    let names: Vec<&str> = scanned
        .datasets
        .iter()
        .map(|d| d.dataset.as_str())
        .collect();
    assert_eq!(names, ["delta-cohort", "reference"]);

    // A `datasets` entry that is a dangling link is an error too.
    let other = TempDir::new("vanish-datasets");
    std::fs::remove_dir(other.path().join("datasets")).unwrap();
    symlink(other.path().join("gone"), other.path().join("datasets")).unwrap();
    let err = load_stack_dir(other.path()).unwrap_err().to_string();
    assert!(
        err.contains("datasets") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn alias_bombs_are_refused_in_plain_words() {
    let mut text = "config:\n  datasets:depends_on: &a0 [x]\n".to_string();
    for i in 1..25 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!(
            "  datasets:k{i}: &a{i} [{}]\n",
            vec![prev; 10].join(", ")
        ));
    }
    let err = parse_stack_file(&text, "Pulumi.alpha-study.yaml", "alpha-study")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is too large, or its aliases expand to too much"),
        "{err}"
    );
    assert!(!err.contains("budget") && !err.contains('{'), "{err}");
}
