//! Configuration of cpg-infra: the organisation-wide [`InfrastructureConfig`] and one
//! [`DatasetConfig`] per dataset, with validated names, readable errors and JSON Schemas.
//!
//! # Sources
//!
//! A dataset's settings can come from three sources, which all give the same
//! [`DatasetConfig`] for the same settings:
//!
//! 1. **TOML**: `cpg.toml` holds the required `[infrastructure]` table and, optionally,
//!    `[datasets.<name>]` tables ([`parse_cpg_toml`]); a stack directory may also hold
//!    `datasets/<name>.toml` files ([`parse_dataset_toml`]).
//! 2. **Pulumi stack files** `Pulumi.<dataset>.yaml` ([`parse_stack_file`]): a `config:`
//!    mapping whose `datasets:*` keys are the dataset settings, written the Pulumi way
//!    (`"true"`, `"365"`, a JSON list inside a string such as `'["alpha-study"]'`, or plain
//!    YAML values); every other key (`gcp:project`, `gcp:user_project_override`, ...) is kept as
//!    provider config, as a string (Pulumi secrets, `{secure: ...}`, become `[secret]`); it
//!    must be a configuration key of the `gcp`, `azure-native` or `azuread` provider (the
//!    pinned versions' keys, camelCase or snake_case, in `data/`), or in `pulumi:`.
//!    Repeated keys are rejected.
//! 3. **`PULUMI_CONFIG`**, the JSON object Pulumi hands to a running program, with the stack
//!    name from `PULUMI_STACK` ([`parse_pulumi_config`]). Repeated keys are rejected.
//!
//! [`load_stack_dir`] reads a whole directory ([`scan_stack_dir`] keeps the files it cannot
//! use per dataset); [`DatasetConfig::validate`] and [`validate_dataset_set`] check the rules
//! that tie datasets to the infrastructure and to each other; [`dependency_order`] gives a
//! deterministic deployment order.
//!
//! Every problem is reported, not only the first: an error may be [`ConfigError::Many`],
//! one problem per line, sorted.
//!
//! Unknown keys are errors (with a "did you mean" hint); the legacy stack key
//! `datasets:customer_id` is accepted and ignored with a warning. Warnings are returned by the
//! `*_with_warnings` functions and also logged with `tracing`.
//!
//! # The dataset TOML layout
//!
//! A `datasets/<name>.toml` file (or a `[datasets.<name>]` table of `cpg.toml`) takes the
//! same keys as a stack file's `datasets:` namespace, with native TOML types, plus
//! `gcp_project` (the stack file's `gcp:project`) and a `[provider_config]` table of strings
//! for other provider settings. Every key is optional:
//!
//! ```toml
//! dataset = "alpha-study"            # must equal the file / table name when given
//! gcp_project = "alpha-study-4821"   # needed to deploy to GCP
//! gcp_hail_service_account_test = "alpha-study-test@hail-4821.iam.gserviceaccount.com"
//! gcp_hail_service_account_standard = "alpha-study-standard@hail-4821.iam.gserviceaccount.com"
//! gcp_hail_service_account_full = "alpha-study-full@hail-4821.iam.gserviceaccount.com"
//! deployment_service_account_test = "ci-test@alpha-study-4821.iam.gserviceaccount.com"
//! deploy_locations = ["gcp"]         # default ["gcp"]; non-empty, no repeats
//! enable_release = true              # default false
//! enable_shared_project = true       # default false; needs enable_release and a budget
//! shared_project_budget = 250        # > 0
//! depends_on = ["beta-cohort"]       # default []; never the dataset itself
//! additional_upload_buckets = ["alpha-study-partner-upload"]
//! sm_read_only_sas = []
//! sm_read_write_sas = []
//! archive_age = 90                   # days, default 30, > 0
//! components = { gcp = ["storage", "hail-accounts"] }   # default: every component
//! cross_cloud_secrets = true         # default true: store each cloud's Cromwell credentials on the others
//! azure_hail_principal_test = "6b1e2d3c-0401-4a5b-8c6d-7e8f9a0b1c01"   # Entra object ids, per level
//! azure_deployment_principal_test = "6b1e2d3c-0501-4a5b-8c6d-7e8f9a0b1c01"
//! adopt = { "cpg-alpha-study-main" = "alpha-study-4821/cpg-alpha-study-main" }   # import by cloud id
//!
//! [provider_config]
//! "gcp:user_project_override" = "true"
//! ```
//!
//! [`dataset_toml_schema`] and [`cpg_toml_schema`] return JSON Schemas (draft 2020-12) of
//! these layouts.
//!
//! # Example: a dataset configured in code
//!
//! ```
//! use cpg_infra_config::{
//!     CloudName, Component, DatasetConfig, DatasetName, Email, GcpProjectId, parse_cpg_toml,
//! };
//!
//! let cpg = parse_cpg_toml(
//!     r#"
//! [infrastructure]
//! domain = "example-institute.org"
//! dataset_storage_prefix = "ei-"
//! budget_currency = "EUR"
//! reference_dataset = "reference"
//!
//! [infrastructure.gcp]
//! customer_id = "C0example"
//! billing_account_id = "01ABCD-23EF45-6789AB"
//! billing_project_id = "ei-billing"
//! reference_bucket_name = "ei-reference"
//! config_bucket_name = "ei-config"
//! common_artifact_registry_project = "ei-common"
//! common_artifact_registry_name = "images"
//!
//! [infrastructure.web_service.gcp]
//! server_machine_account = "web@ei-services.iam.gserviceaccount.com"
//!
//! [infrastructure.analysis_runner.gcp]
//! project = "ei-analysis"
//! cloud_run_instance_name = "server"
//! server_machine_account = "runner@ei-analysis.iam.gserviceaccount.com"
//! logger_machine_account = "logger@ei-analysis.iam.gserviceaccount.com"
//! container_registry_name = "images"
//!
//! [infrastructure.sample_metadata.gcp]
//! project = "ei-metadata"
//! service_name = "metadata-api"
//! machine_account = "metadata@ei-metadata.iam.gserviceaccount.com"
//!
//! [infrastructure.access_group_cache]
//! process_machine_account = "group-cache@ei-services.iam.gserviceaccount.com"
//! "#,
//!     "cpg.toml",
//! )?;
//!
//! let mut alpha = DatasetConfig::new(DatasetName::parse("alpha-study")?);
//! alpha.gcp_project = Some(GcpProjectId::parse("alpha-study-4821")?);
//! alpha.archive_age = std::num::NonZeroU32::new(90).expect("90 > 0");
//! alpha.depends_on = vec![DatasetName::parse("beta-cohort")?];
//! // Only buckets and sample-metadata access on GCP.
//! alpha
//!     .components
//!     .insert(CloudName::gcp(), vec![Component::Storage, Component::SampleMetadata]);
//! alpha.validate(&cpg.infrastructure)?;
//!
//! // Hail accounts need [infrastructure.hail.gcp] (a rule the GCP plugin applies
//! // with this crate's help; the Hail service accounts are its own rule).
//! alpha
//!     .components
//!     .get_mut(&CloudName::gcp())
//!     .expect("inserted above")
//!     .push(Component::HailAccounts);
//! alpha.gcp_hail_service_account.test =
//!     Some(Email::parse("alpha-test@hail-4821.iam.gserviceaccount.com")?);
//! let problems = alpha.component_section_problems(&cpg.infrastructure, &CloudName::gcp());
//! assert!(problems[0].contains("[infrastructure.hail.gcp]"), "{problems:?}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod access_level;
pub mod calendar_date;
pub mod check;
mod cloud_section;
mod cloud_values;
pub mod component;
pub mod cpg_toml;
pub mod dataset;
mod dataset_fields;
mod dataset_keys;
pub mod dataset_toml;
pub mod deploy_locations;
pub mod dropboxes;
pub mod error;
pub mod identities;
pub mod infrastructure;
pub mod invariants;
mod key_table;
pub mod members;
mod messages;
pub mod month_start;
pub mod names;
mod provider_keys;
pub mod pulumi_env;
mod raw;
pub mod schema;
pub mod stack_dir;
pub mod stack_file;
pub mod stack_schema;
mod toml_table;
pub mod validate;
pub mod values;
// opt-in storage features: budgets, storage policy, upload config
pub mod budgets;
pub mod storage_policy;
pub mod upload_config;

pub use access_level::{AccessLevel, PerLevel};
pub use budgets::{Budget, Budgets};
pub use calendar_date::CalendarDate;
pub use check::{AllowedMember, CheckConfig, PolicyId, Suppression};
pub use cloud_section::{CloudSection, infrastructure_keys};
pub use component::Component;
pub use cpg_toml::{CpgToml, parse_cpg_toml, parse_cpg_toml_with_warnings};
pub use dataset::{DEFAULT_ARCHIVE_AGE, DatasetConfig};
pub use dataset_fields::SECRET_PLACEHOLDER;
pub use dataset_toml::{parse_dataset_toml, parse_dataset_toml_with_warnings};
pub use deploy_locations::DeployLocations;
pub use dropboxes::UploadDropbox;
pub use error::{ConfigError, Pos, decode_utf8};
pub use identities::{
    MachineSlot, OrganisationAccount, names_an_account, owner_problems, owner_problems_against,
};
pub use infrastructure::de_non_empty;
pub use infrastructure::{
    AccessGroupCacheConfig, ExistingResources, InfrastructureConfig, ServiceTables,
};
pub use invariants::Invariant;
pub use members::{
    AdhocGroup, GroupKind, MAIN_READ_GROUP, MemberRef, Members, ORGANISATION_GROUP_PREFIX,
    TEST_READ_GROUP, TMP_MAIN_READ_ACCESS_GROUP, User, UserCloud, adhoc_order,
    organisation_member_problems, resolved_users,
};
pub use month_start::MonthStart;
pub use names::{
    AdhocGroupName, BucketName, CloudName, DatasetName, DropboxId, Email, GcpProjectId, NameError,
    Region, UserKey, shown,
};
pub use pulumi_env::{
    PULUMI_CONFIG_ORIGIN, parse_pulumi_config, parse_pulumi_config_with_warnings,
};
pub use schema::{SectionSchema, cpg_toml_schema, dataset_toml_schema};
pub use stack_dir::{BrokenFile, StackDir, load_stack_dir, scan_stack_dir};
pub use stack_file::{parse_stack_file, parse_stack_file_with_warnings};
pub use stack_schema::stack_file_schema;
pub use storage_policy::{ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS, StoragePolicy};
pub use upload_config::{AdditionalUploadBucket, UploadBucket, UploadConfig};
pub use validate::{
    dependencies_of, dependency_order, validate_dataset_set, validate_dataset_set_beside,
};
pub use values::{Currency, Domain, Guid, UserId};
