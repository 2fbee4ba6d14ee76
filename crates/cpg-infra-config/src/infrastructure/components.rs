//! The `[infrastructure]` settings of the shared services each component plugs into (Hail
//! Batch, analysis-runner, the web service, the access-group cache, notebooks, Cromwell,
//! sample-metadata), one table per service with a table per cloud.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::deserializers::de_non_empty;
use crate::names::Email;
use crate::values::{AzureContainerPath, Guid};

/// Hail Batch settings, `[infrastructure.hail]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HailConfig {
    /// `[infrastructure.hail.gcp]`.
    #[serde(default)]
    pub gcp: Option<HailGcp>,
    /// `[infrastructure.hail.azure]`.
    #[serde(default)]
    pub azure: Option<HailAzure>,
}

/// Hail Batch on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HailGcp {
    /// The bucket Hail wheels are published to.
    #[serde(deserialize_with = "de_non_empty")]
    pub wheel_bucket_name: String,
}

/// Hail Batch on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HailAzure {
    /// The container Hail wheels are published to, `<resource group>/<storage account>/<container>`.
    pub wheel_bucket: AzureContainerPath,
}

/// Analysis-runner settings, `[infrastructure.analysis_runner]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisRunnerConfig {
    /// `[infrastructure.analysis_runner.gcp]`.
    #[serde(default)]
    pub gcp: Option<AnalysisRunnerGcp>,
    /// `[infrastructure.analysis_runner.azure]`.
    #[serde(default)]
    pub azure: Option<AnalysisRunnerAzure>,
}

/// The analysis-runner on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisRunnerGcp {
    /// The analysis-runner's project.
    #[serde(deserialize_with = "de_non_empty")]
    pub project: String,
    /// The Cloud Run service of the server.
    #[serde(deserialize_with = "de_non_empty")]
    pub cloud_run_instance_name: String,
    /// The server's service account.
    pub server_machine_account: Email,
    /// The logger's service account.
    pub logger_machine_account: Email,
    /// The analysis-runner's container registry.
    #[serde(deserialize_with = "de_non_empty")]
    pub container_registry_name: String,
}

/// The analysis-runner on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisRunnerAzure {
    /// The analysis-runner's resource group.
    #[serde(deserialize_with = "de_non_empty")]
    pub resource_group: String,
    /// The server's principal (GUID).
    pub server_principal_id: Guid,
    /// The logger's principal (GUID).
    pub logger_principal_id: Guid,
    /// The analysis-runner's container registry.
    #[serde(deserialize_with = "de_non_empty")]
    pub container_registry_name: String,
    /// The web app of the server.
    #[serde(deserialize_with = "de_non_empty")]
    pub web_app_name: String,
}

/// Web-server settings, `[infrastructure.web_service]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebServiceConfig {
    /// `[infrastructure.web_service.gcp]`.
    #[serde(default)]
    pub gcp: Option<WebServiceGcp>,
    /// `[infrastructure.web_service.azure]`.
    #[serde(default)]
    pub azure: Option<WebServiceAzure>,
}

/// The web server on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebServiceGcp {
    /// The web server's service account.
    pub server_machine_account: Email,
}

/// The web server on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebServiceAzure {
    /// The web server's principal (GUID).
    pub server_principal_id: Guid,
}

/// The access-group cache process, `[infrastructure.access_group_cache]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessGroupCacheConfig {
    /// The service account that refreshes the cache.
    pub process_machine_account: Email,
    /// The process's Azure principal (GUID), when deploying to Azure.
    #[serde(default)]
    pub azure_principal_id: Option<Guid>,
}

/// Notebook settings, `[infrastructure.notebooks]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotebooksConfig {
    /// `[infrastructure.notebooks.gcp]`.
    #[serde(default)]
    pub gcp: Option<NotebooksGcp>,
    /// `[infrastructure.notebooks.azure]`.
    #[serde(default)]
    pub azure: Option<NotebooksAzure>,
}

/// Notebooks on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotebooksGcp {
    /// The project notebooks run in.
    #[serde(deserialize_with = "de_non_empty")]
    pub project: String,
}

/// Notebooks on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotebooksAzure {
    /// The resource group notebooks run in.
    #[serde(deserialize_with = "de_non_empty")]
    pub resource_group: String,
}

/// Cromwell settings, `[infrastructure.cromwell]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CromwellConfig {
    /// `[infrastructure.cromwell.gcp]`.
    #[serde(default)]
    pub gcp: Option<CromwellGcp>,
    /// `[infrastructure.cromwell.azure]`.
    #[serde(default)]
    pub azure: Option<CromwellAzure>,
}

/// Cromwell on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CromwellGcp {
    /// The group whose members may use Cromwell, `groups/<id>`.
    #[serde(deserialize_with = "de_non_empty")]
    pub access_group_id: String,
    /// The service account Cromwell runs jobs as.
    pub runner_machine_account: Email,
}

/// Cromwell on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CromwellAzure {
    /// The group whose members may use Cromwell.
    #[serde(deserialize_with = "de_non_empty")]
    pub access_group_id: String,
    /// The principal Cromwell runs jobs as (GUID).
    pub runner_principal_id: Guid,
}

/// Sample-metadata settings, `[infrastructure.sample_metadata]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleMetadataConfig {
    /// `[infrastructure.sample_metadata.gcp]`.
    #[serde(default)]
    pub gcp: Option<SampleMetadataGcp>,
    /// `[infrastructure.sample_metadata.azure]`.
    #[serde(default)]
    pub azure: Option<SampleMetadataAzure>,
}

/// Sample-metadata on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleMetadataGcp {
    /// The sample-metadata project.
    #[serde(deserialize_with = "de_non_empty")]
    pub project: String,
    /// The Cloud Run service of the API.
    #[serde(deserialize_with = "de_non_empty")]
    pub service_name: String,
    /// The API's service account.
    pub machine_account: Email,
}

/// Sample-metadata on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleMetadataAzure {
    /// The sample-metadata resource group.
    #[serde(deserialize_with = "de_non_empty")]
    pub resource_group: String,
    /// The web app of the API.
    #[serde(deserialize_with = "de_non_empty")]
    pub web_app_name: String,
    /// The API's principal (GUID).
    pub principal_id: Guid,
}
