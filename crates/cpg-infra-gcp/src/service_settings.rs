//! The organisation's shared services on GCP, `[infrastructure.<service>.gcp]`: one type per
//! service's table, declared to the driver ([`SERVICES`]) and read with [`service`]. An
//! account is named by a key called `machine_account` / `principal_id` or ending so (the
//! config crate's identity checks find the organisation's accounts by that convention).

use cpg_infra_abstraction::{ServiceSettings, SettingsType, written_service};
use cpg_infra_config::{Email, InfrastructureConfig, de_non_empty};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The services' tables this cloud reads, with their types.
pub const SERVICES: &[ServiceSettings] = &[
    ServiceSettings {
        service: "hail",
        settings: SettingsType::of::<HailGcp>(),
    },
    ServiceSettings {
        service: "analysis_runner",
        settings: SettingsType::of::<AnalysisRunnerGcp>(),
    },
    ServiceSettings {
        service: "web_service",
        settings: SettingsType::of::<WebServiceGcp>(),
    },
    ServiceSettings {
        service: "data_dropbox",
        settings: SettingsType::of::<DataDropboxGcp>(),
    },
    ServiceSettings {
        service: "notebooks",
        settings: SettingsType::of::<NotebooksGcp>(),
    },
    ServiceSettings {
        service: "cromwell",
        settings: SettingsType::of::<CromwellGcp>(),
    },
    ServiceSettings {
        service: "sample_metadata",
        settings: SettingsType::of::<SampleMetadataGcp>(),
    },
];

/// `[infrastructure.<service>.gcp]` read as `T`, when it is written and valid (see
/// [`written_service`]).
pub fn service<T: DeserializeOwned>(config: &InfrastructureConfig, service: &str) -> Option<T> {
    written_service(config, service, &crate::infra::cloud_name())
}

/// Hail Batch on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HailGcp {
    /// The bucket Hail wheels are published to.
    #[serde(deserialize_with = "de_non_empty")]
    pub wheel_bucket_name: String,
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

/// The web server on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebServiceGcp {
    /// The web server's service account.
    pub server_machine_account: Email,
}

/// The dropbox server on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataDropboxGcp {
    /// The server's project: where each dataset's configuration secret is created.
    #[serde(deserialize_with = "de_non_empty")]
    pub project: String,
    /// The server's service account.
    pub server_machine_account: Email,
}

/// Notebooks on Google Cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotebooksGcp {
    /// The project notebooks run in.
    #[serde(deserialize_with = "de_non_empty")]
    pub project: String,
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
