//! The organisation's shared services on Azure, `[infrastructure.<service>.azure]`: one type per
//! service's table, declared to the driver ([`SERVICES`]) and read with [`service`]. An
//! account is named by a key called `machine_account` / `principal_id` or ending so (the
//! config crate's identity checks find the organisation's accounts by that convention).

use cpg_infra_abstraction::{ServiceSettings, SettingsType, written_service};
use cpg_infra_config::{Guid, InfrastructureConfig, de_non_empty};

use crate::container_path::AzureContainerPath;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The services' tables this cloud reads, with their types.
pub const SERVICES: &[ServiceSettings] = &[
    ServiceSettings {
        service: "hail",
        settings: SettingsType::of::<HailAzure>(),
    },
    ServiceSettings {
        service: "analysis_runner",
        settings: SettingsType::of::<AnalysisRunnerAzure>(),
    },
    ServiceSettings {
        service: "web_service",
        settings: SettingsType::of::<WebServiceAzure>(),
    },
    ServiceSettings {
        service: "data_dropbox",
        settings: SettingsType::of::<DataDropboxAzure>(),
    },
    ServiceSettings {
        service: "notebooks",
        settings: SettingsType::of::<NotebooksAzure>(),
    },
    ServiceSettings {
        service: "cromwell",
        settings: SettingsType::of::<CromwellAzure>(),
    },
    ServiceSettings {
        service: "sample_metadata",
        settings: SettingsType::of::<SampleMetadataAzure>(),
    },
];

/// `[infrastructure.<service>.azure]` read as `T`, when it is written and valid (see
/// [`written_service`]).
pub fn service<T: DeserializeOwned>(config: &InfrastructureConfig, service: &str) -> Option<T> {
    written_service(config, service, &cpg_infra_config::CloudName::azure())
}

/// Hail Batch on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HailAzure {
    /// The container Hail wheels are published to, `<resource group>/<storage account>/<container>`.
    pub wheel_bucket: AzureContainerPath,
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

/// The web server on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebServiceAzure {
    /// The web server's principal (GUID).
    pub server_principal_id: Guid,
}

/// The dropbox server on Azure (its configuration secrets are kept in each dataset's Key
/// Vault, like every secret on Azure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataDropboxAzure {
    /// The server's principal (GUID).
    pub server_principal_id: Guid,
}

/// Notebooks on Azure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotebooksAzure {
    /// The resource group notebooks run in.
    #[serde(deserialize_with = "de_non_empty")]
    pub resource_group: String,
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
