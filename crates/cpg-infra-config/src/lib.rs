//! Configuration for cpg-infra (placeholder).

pub mod component;
pub mod cpg_toml;
pub mod dataset;
mod dataset_fields;
pub mod dataset_toml;
pub mod error;
pub mod infrastructure;
pub mod names;
pub mod pulumi_env;
mod raw;
pub mod schema;
pub mod stack_dir;
pub mod stack_file;
mod toml_table;
pub mod validate;

pub use component::Component;
pub use cpg_toml::{CpgToml, parse_cpg_toml, parse_cpg_toml_with_warnings};
pub use dataset::{AccessLevel, DEFAULT_ARCHIVE_AGE, DatasetConfig};
pub use dataset_fields::SECRET_PLACEHOLDER;
pub use dataset_toml::{parse_dataset_toml, parse_dataset_toml_with_warnings};
pub use error::{ConfigError, Pos, decode_utf8};
pub use infrastructure::{
    AccessGroupCacheConfig, AnalysisRunnerAzure, AnalysisRunnerConfig, AnalysisRunnerGcp,
    AzureConfig, CromwellAzure, CromwellConfig, CromwellGcp, GcpConfig, HailAzure, HailConfig,
    HailGcp, InfrastructureConfig, NotebooksAzure, NotebooksConfig, NotebooksGcp,
    SampleMetadataAzure, SampleMetadataConfig, SampleMetadataGcp, WebServiceAzure,
    WebServiceConfig, WebServiceGcp,
};
pub use names::{BucketName, CloudName, DatasetName, Email, GcpProjectId, NameError};
pub use pulumi_env::{
    PULUMI_CONFIG_ORIGIN, parse_pulumi_config, parse_pulumi_config_with_warnings,
};
pub use schema::{cpg_toml_schema, dataset_toml_schema};
pub use stack_dir::{StackDir, load_stack_dir};
pub use stack_file::{parse_stack_file, parse_stack_file_with_warnings};
pub use validate::{dependencies_of, dependency_order, validate_dataset_set};
