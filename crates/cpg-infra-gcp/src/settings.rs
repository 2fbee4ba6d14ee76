//! What the GCP plugin takes from the configuration: its settings for one
//! dataset, the organisation's GCP resources and the dataset's external accounts.

use cpg_infra_abstraction::{
    BucketRef, DatasetAccounts, GroupRef, Organisation, OrganisationProject, OrganisationResource,
    Output, ProjectRef, RegistryRef, ServiceRef, Value,
};
use cpg_infra_config::{AccessLevel, DatasetConfig, DatasetName, InfrastructureConfig};

use crate::organisation_settings::GcpConfig;

use crate::members;

/// Settings of the GCP plugin for one dataset.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The dataset.
    pub dataset: DatasetName,
    /// The dataset's project id (`gcp:project`).
    pub project_id: String,
    /// Region of buckets, secrets and registries.
    pub region: String,
    /// Location of the dataset's buckets: the dataset's `region.gcp`, else `region`.
    pub bucket_region: String,
    /// The organisation's domain.
    pub domain: String,
    /// Whether groups accept members outside the domain.
    pub groups_allow_external_members: bool,
    /// Cloud Identity customer id (the parent of groups).
    pub customer_id: String,
    /// Billing account of projects and budgets.
    pub billing_account_id: String,
    /// Pub/Sub topic budget notifications go to.
    pub budget_notification_pubsub: Option<String>,
    /// Budget thresholds, as fractions.
    pub budget_notification_thresholds: Vec<f64>,
    /// Currency of budgets.
    pub budget_currency: String,
    /// Prefix of bucket names.
    pub dataset_storage_prefix: String,
    /// The notebooks project (a literal, or the output of its `get:` resource).
    pub notebooks_project: Option<Value>,
    /// The analysis-runner project.
    pub analysis_runner_project: Option<String>,
    /// `[infrastructure.data_dropbox.gcp] project`.
    pub data_dropbox_project: Option<String>,
    /// `[infrastructure.gcp.pam_broker] project_id`: where the PAM broker lives.
    pub pam_broker_project: Option<String>,
}

impl Settings {
    /// The settings for `dataset` in project `project_id`; `notebooks_project` is
    /// the output of the read-only notebooks project when one is configured.
    pub fn new(
        config: &InfrastructureConfig,
        gcp: &GcpConfig,
        dataset: &DatasetConfig,
        project_id: &str,
        notebooks_project: Option<Value>,
    ) -> Self {
        let notebooks_project = notebooks_project.or_else(|| {
            crate::service_settings::service::<crate::service_settings::NotebooksGcp>(
                config,
                "notebooks",
            )
            .map(|n| Value::str(&n.project))
        });
        Self {
            dataset: dataset.dataset.clone(),
            project_id: project_id.to_owned(),
            region: gcp.region.clone(),
            bucket_region: dataset
                .region
                .iter()
                .find(|(cloud, _)| cloud.as_str() == crate::infra::CLOUD)
                .map_or_else(|| gcp.region.clone(), |(_, r)| r.as_str().to_owned()),
            domain: config.domain.to_string(),
            groups_allow_external_members: gcp.groups_allow_external_members,
            customer_id: gcp.customer_id.clone(),
            billing_account_id: gcp.billing_account_id.clone(),
            budget_notification_pubsub: gcp.budget_notification_pubsub.clone(),
            budget_notification_thresholds: config.budget_notification_thresholds.clone(),
            budget_currency: config.budget_currency.to_string(),
            dataset_storage_prefix: config.dataset_storage_prefix.clone(),
            notebooks_project,
            analysis_runner_project: crate::service_settings::service::<
                crate::service_settings::AnalysisRunnerGcp,
            >(config, "analysis_runner")
            .map(|a| a.project.clone()),
            data_dropbox_project: crate::service_settings::service::<
                crate::service_settings::DataDropboxGcp,
            >(config, "data_dropbox")
            .map(|d| d.project.clone()),
            pam_broker_project: gcp
                .pam_broker
                .as_ref()
                .map(|b| b.project_id.as_str().to_owned()),
        }
    }

    /// The project id of `project` (a literal or an output), `None` where the
    /// configuration has none.
    pub fn project(&self, project: &ProjectRef) -> Option<Value> {
        match project {
            ProjectRef::Dataset => Some(Value::str(&self.project_id)),
            ProjectRef::Organisation(OrganisationProject::Notebooks) => {
                self.notebooks_project.clone()
            }
            ProjectRef::Organisation(OrganisationProject::AnalysisRunner) => {
                self.analysis_runner_project.as_deref().map(Value::str)
            }
            ProjectRef::Organisation(OrganisationProject::DataDropbox) => {
                self.data_dropbox_project.as_deref().map(Value::str)
            }
            ProjectRef::Created(handle) => Some(Output::resource(handle.resource(), "id").into()),
        }
    }
}

/// The `cpg.toml` key that provides the organisation's `resource` on GCP.
pub fn organisation_key(resource: OrganisationResource) -> &'static str {
    use OrganisationResource as R;
    match resource {
        R::WebServer => "[infrastructure.web_service.gcp] server_machine_account",
        R::AnalysisRunnerServer => "[infrastructure.analysis_runner.gcp] server_machine_account",
        R::AnalysisRunnerLogger => "[infrastructure.analysis_runner.gcp] logger_machine_account",
        R::AnalysisRunnerService => "[infrastructure.analysis_runner.gcp] cloud_run_instance_name",
        R::ConfigBucket => "[infrastructure.gcp] config_bucket_name",
        R::ReferenceBucket => "[infrastructure.gcp] reference_bucket_name",
        R::HailWheelBucket => "[infrastructure.hail.gcp] wheel_bucket_name",
        R::AccessGroupCache => "[infrastructure.access_group_cache] process_machine_account",
        R::SampleMetadataApi => "[infrastructure.sample_metadata.gcp] machine_account",
        R::SampleMetadataService => "[infrastructure.sample_metadata.gcp] service_name",
        R::CromwellRunner => "[infrastructure.cromwell.gcp] runner_machine_account",
        R::CromwellAccessGroup => "[infrastructure.cromwell.gcp] access_group_id",
        R::AnalysisRunnerRegistry => "[infrastructure.analysis_runner.gcp] container_registry_name",
        R::CommonRegistry => "[infrastructure.gcp] common_artifact_registry_name",
        R::DropboxServer => "[infrastructure.data_dropbox.gcp] server_machine_account",
    }
}

/// The organisation's shared resources, as GCP names them.
pub fn organisation<'b>(config: &InfrastructureConfig) -> Organisation<'b> {
    let email = |e: &cpg_infra_config::Email| members::account(e);
    let gcp = GcpConfig::written(config);
    let gcp = gcp.as_ref();
    let analysis_runner = crate::service_settings::service::<
        crate::service_settings::AnalysisRunnerGcp,
    >(config, "analysis_runner");
    let analysis_runner = analysis_runner.as_ref();
    let sample_metadata = crate::service_settings::service::<
        crate::service_settings::SampleMetadataGcp,
    >(config, "sample_metadata");
    let sample_metadata = sample_metadata.as_ref();
    let cromwell = crate::service_settings::service::<crate::service_settings::CromwellGcp>(
        config, "cromwell",
    );
    let cromwell = cromwell.as_ref();
    let bucket = |name: &String| BucketRef::Existing(name.clone());
    Organisation {
        web_server: crate::service_settings::service::<crate::service_settings::WebServiceGcp>(
            config,
            "web_service",
        )
        .map(|w| email(&w.server_machine_account)),
        analysis_runner_server: analysis_runner.map(|a| email(&a.server_machine_account)),
        analysis_runner_logger: analysis_runner.map(|a| email(&a.logger_machine_account)),
        analysis_runner_service: analysis_runner.map(|a| ServiceRef {
            scope: a.project.clone(),
            name: a.cloud_run_instance_name.clone(),
        }),
        config_bucket: gcp.map(|g| bucket(&g.config_bucket_name)),
        reference_bucket: gcp.map(|g| bucket(&g.reference_bucket_name)),
        hail_wheel_bucket: crate::service_settings::service::<crate::service_settings::HailGcp>(
            config, "hail",
        )
        .map(|h| bucket(&h.wheel_bucket_name)),
        access_group_cache: config
            .access_group_cache
            .as_ref()
            .map(|a| email(&a.process_machine_account)),
        sample_metadata_api: sample_metadata.map(|s| email(&s.machine_account)),
        sample_metadata_service: sample_metadata.map(|s| ServiceRef {
            scope: s.project.clone(),
            name: s.service_name.clone(),
        }),
        cromwell_runner: cromwell.map(|c| email(&c.runner_machine_account)),
        cromwell_access_group: cromwell.map(|c| GroupRef::Existing(c.access_group_id.clone())),
        analysis_runner_registry: analysis_runner.map(|a| RegistryRef {
            scope: a.project.clone(),
            name: a.container_registry_name.clone(),
            existing: None,
        }),
        common_registry: gcp.map(|g| RegistryRef {
            scope: g.common_artifact_registry_project.clone(),
            name: g.common_artifact_registry_name.clone(),
            existing: None,
        }),
        dropbox_server:
            crate::service_settings::service::<crate::service_settings::DataDropboxGcp>(
                config,
                "data_dropbox",
            )
            .map(|d| email(&d.server_machine_account)),
    }
}

/// The dataset's Hail and deployment accounts, by e-mail.
pub fn dataset_accounts<'b>(dataset: &DatasetConfig) -> DatasetAccounts<'b> {
    let collect = |accounts: [(AccessLevel, Option<&cpg_infra_config::Email>); 3]| {
        accounts
            .into_iter()
            .filter_map(|(level, email)| email.map(|e| (level, members::account(e))))
            .collect()
    };
    DatasetAccounts {
        hail: collect(dataset.gcp_hail_service_account.each()),
        deployment: collect(dataset.deployment_service_account.each()),
    }
}
