//! What the configuration tests share: an invented organisation's `cpg.toml` (the file
//! beside this one), one dataset in each of the three sources, the reference inputs'
//! folder, and loaders.

use std::path::PathBuf;

use cpg_infra_config::{
    ConfigError, DatasetConfig, DatasetName, InfrastructureConfig, parse_cpg_toml,
    parse_dataset_toml, parse_pulumi_config, parse_stack_file,
};

pub const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/reference");

/// The infrastructure of an invented organisation, with every GCP section (`cpg.toml`
/// beside this file).
pub const INFRA: &str = include_str!("cpg.toml");

pub fn infra() -> InfrastructureConfig {
    parse_cpg_toml(INFRA, "cpg.toml").unwrap().infrastructure
}

pub fn reference_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(REFERENCE);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: {REFERENCE} is absent; skipping the reference-input test");
        None
    }
}
pub const STACK_YAML: &str = r#"encryptionsalt: v1:c2FsdA==:v1:invented:invented==
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

pub const PULUMI_CONFIG_JSON: &str = r#"{
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

pub const DATASET_BODY: &str = r#"
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
#[derive(Clone, Copy, Debug)]
pub enum Src {
    Stack,
    Env,
    DatasetToml,
    Cpg,
}

pub fn load(src: Src, text: &str) -> Result<(), ConfigError> {
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

pub fn cpg_with(extra: &str) -> String {
    format!("{INFRA}\n{extra}")
}
pub fn ds(name: &str) -> DatasetConfig {
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
pub fn stack(project: &str) -> String {
    format!(
        "config:\n  datasets:customer_id: C0example\n  datasets:components: '{{\"gcp\": [\"storage\", \"spark\"]}}'\n  gcp:project: {project}\n"
    )
}
