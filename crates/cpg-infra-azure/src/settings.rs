//! What the Azure plugin takes from the configuration: its settings for one
//! dataset, the organisation's Azure resources and the dataset's external accounts.

use cpg_infra_abstraction::{
    BucketRef, DatasetAccounts, GroupRef, Member, Organisation, OrganisationResource, RegistryRef,
    ServiceRef,
};
use cpg_infra_config::{
    AccessLevel, CalendarDate, DatasetConfig, Email, Guid, InfrastructureConfig, MonthStart,
};

use crate::organisation_settings::AzureConfig;
use crate::storage_redundancy::StorageRedundancy;
use crate::{members, names};

/// Settings of the Azure plugin for one dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The dataset.
    pub dataset: String,
    /// Entra ID tenant.
    pub tenant_id: String,
    /// Subscription of every resource.
    pub subscription_id: String,
    /// Whether the tenant has Privileged Identity Management
    /// (`[infrastructure.azure] privileged_identity_management`).
    pub privileged_identity_management: bool,
    /// Azure region.
    pub region: String,
    /// The location of the dataset's resource group and storage account: the dataset's
    /// `region.azure`, else `region`.
    pub storage_region: String,
    /// Prefix of globally unique names.
    pub name_prefix: String,
    /// The dataset's resource group name.
    pub resource_group: String,
    /// The dataset's storage account name.
    pub storage_account: String,
    /// The dataset's Key Vault name.
    pub key_vault: String,
    /// The redundancy of the dataset's storage account.
    pub storage_redundancy: StorageRedundancy,
    /// Budget alert recipients.
    pub budget_contact_emails: Vec<String>,
    /// Budget alert action group (resource id).
    pub budget_action_group_id: Option<String>,
    /// First day new budgets count from.
    pub budget_start_date: MonthStart,
    /// Lifetime of application passwords, in days.
    pub credential_lifetime_days: u32,
    /// The day application passwords end (`credential_rotation_date` plus the lifetime).
    pub credential_end_date: CalendarDate,
    /// Rotation label of application passwords (a change replaces them).
    pub credential_rotation: String,
    /// Budget thresholds as fractions.
    pub budget_notification_thresholds: Vec<f64>,
    /// The organisation's notebooks resource group.
    pub notebooks_resource_group: Option<String>,
    /// The analysis-runner's resource group.
    pub analysis_runner_resource_group: Option<String>,
}

impl Settings {
    /// The settings of `dataset`, or why its names do not fit Azure.
    pub fn new(
        config: &InfrastructureConfig,
        azure: &AzureConfig,
        dataset: &DatasetConfig,
    ) -> Result<Self, String> {
        let name = dataset.dataset.as_str();
        let storage_account = names::storage_account(&azure.name_prefix, name);
        names::check_storage_account(&storage_account)?;
        let key_vault = names::key_vault(&azure.name_prefix, name);
        names::check_key_vault(&key_vault)?;
        Ok(Self {
            dataset: name.to_owned(),
            tenant_id: azure.tenant_id.to_string(),
            subscription_id: azure.subscription_id.to_string(),
            privileged_identity_management: azure.privileged_identity_management,
            region: azure.region.clone(),
            storage_region: dataset
                .region
                .iter()
                .find(|(cloud, _)| cloud.as_str() == crate::infra::CLOUD)
                .map_or_else(|| azure.region.clone(), |(_, r)| r.as_str().to_owned()),
            name_prefix: azure.name_prefix.clone(),
            resource_group: names::resource_group(&config.dataset_storage_prefix, name),
            storage_account,
            key_vault,
            storage_redundancy: azure.storage_redundancy,
            budget_contact_emails: azure
                .budget_contact_emails
                .iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
            budget_action_group_id: azure.budget_action_group_id.clone(),
            budget_start_date: azure.budget_start_date,
            credential_lifetime_days: azure.credential_lifetime_days,
            credential_end_date: azure.credential_end_date()?,
            credential_rotation: azure.credential_rotation.clone(),
            budget_notification_thresholds: config.budget_notification_thresholds.clone(),
            notebooks_resource_group: crate::service_settings::service::<
                crate::service_settings::NotebooksAzure,
            >(config, "notebooks")
            .map(|n| n.resource_group.clone()),
            analysis_runner_resource_group: crate::service_settings::service::<
                crate::service_settings::AnalysisRunnerAzure,
            >(config, "analysis_runner")
            .map(|a| a.resource_group.clone()),
        })
    }

    /// The resource id of the resource group `name` in the subscription.
    pub fn resource_group_id(&self, name: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{name}",
            self.subscription_id
        )
    }
}

/// The `cpg.toml` key that provides the organisation's `resource` on Azure.
pub fn organisation_key(resource: OrganisationResource) -> &'static str {
    use OrganisationResource as R;
    match resource {
        R::WebServer => "[infrastructure.web_service.azure] server_principal_id",
        R::AnalysisRunnerServer => "[infrastructure.analysis_runner.azure] server_principal_id",
        R::AnalysisRunnerLogger => "[infrastructure.analysis_runner.azure] logger_principal_id",
        R::AnalysisRunnerService => "[infrastructure.analysis_runner.azure] web_app_name",
        R::ConfigBucket => "[infrastructure.azure] config_bucket",
        R::ReferenceBucket => "[infrastructure.azure] reference_bucket",
        R::HailWheelBucket => "[infrastructure.hail.azure] wheel_bucket",
        R::AccessGroupCache => "[infrastructure.access_group_cache] azure_principal_id",
        R::SampleMetadataApi => "[infrastructure.sample_metadata.azure] principal_id",
        R::SampleMetadataService => "[infrastructure.sample_metadata.azure] web_app_name",
        R::CromwellRunner => "[infrastructure.cromwell.azure] runner_principal_id",
        R::CromwellAccessGroup => "[infrastructure.cromwell.azure] access_group_id",
        R::AnalysisRunnerRegistry => {
            "[infrastructure.analysis_runner.azure] container_registry_name"
        }
        R::CommonRegistry => "[infrastructure.azure] common_registry_name",
        R::DropboxServer => "[infrastructure.data_dropbox.azure] server_principal_id",
    }
}

/// The organisation's shared Azure resources, from `cpg.toml`.
pub fn organisation<'b>(config: &InfrastructureConfig) -> Organisation<'b> {
    let principal = |id: &Guid| members::account(id);
    let azure = AzureConfig::written(config);
    let azure = azure.as_ref();
    let analysis_runner = crate::service_settings::service::<
        crate::service_settings::AnalysisRunnerAzure,
    >(config, "analysis_runner");
    let analysis_runner = analysis_runner.as_ref();
    let sample_metadata = crate::service_settings::service::<
        crate::service_settings::SampleMetadataAzure,
    >(config, "sample_metadata");
    let sample_metadata = sample_metadata.as_ref();
    let cromwell = crate::service_settings::service::<crate::service_settings::CromwellAzure>(
        config, "cromwell",
    );
    let cromwell = cromwell.as_ref();
    let bucket = |name: &dyn std::fmt::Display| BucketRef::Existing(name.to_string());
    Organisation {
        web_server: crate::service_settings::service::<crate::service_settings::WebServiceAzure>(
            config,
            "web_service",
        )
        .map(|w| principal(&w.server_principal_id)),
        analysis_runner_server: analysis_runner.map(|a| principal(&a.server_principal_id)),
        analysis_runner_logger: analysis_runner.map(|a| principal(&a.logger_principal_id)),
        analysis_runner_service: analysis_runner.map(|a| ServiceRef {
            scope: a.resource_group.clone(),
            name: a.web_app_name.clone(),
        }),
        config_bucket: azure.map(|a| bucket(&a.config_bucket)),
        reference_bucket: azure.map(|a| bucket(&a.reference_bucket)),
        hail_wheel_bucket: crate::service_settings::service::<crate::service_settings::HailAzure>(
            config, "hail",
        )
        .map(|h| bucket(&h.wheel_bucket)),
        access_group_cache: config
            .access_group_cache
            .as_ref()
            .and_then(|a| a.azure_principal_id.as_ref())
            .map(principal),
        sample_metadata_api: sample_metadata.map(|s| principal(&s.principal_id)),
        sample_metadata_service: sample_metadata.map(|s| ServiceRef {
            scope: s.resource_group.clone(),
            name: s.web_app_name.clone(),
        }),
        cromwell_runner: cromwell.map(|c| principal(&c.runner_principal_id)),
        cromwell_access_group: cromwell.map(|c| GroupRef::Existing(c.access_group_id.clone())),
        analysis_runner_registry: analysis_runner.map(|a| RegistryRef {
            scope: a.resource_group.clone(),
            name: a.container_registry_name.clone(),
            existing: None,
        }),
        common_registry: azure.map(|a| RegistryRef {
            scope: a.common_registry_resource_group.clone(),
            name: a.common_registry_name.clone(),
            existing: None,
        }),
        dropbox_server:
            crate::service_settings::service::<crate::service_settings::DataDropboxAzure>(
                config,
                "data_dropbox",
            )
            .map(|d| principal(&d.server_principal_id)),
    }
}

/// The dataset's external accounts on Azure: the Entra ID principals
/// `datasets:azure_hail_principal_<level>` / `azure_deployment_principal_<level>`
/// where set; otherwise the GCP service accounts (e-mails) are passed on, so that
/// every grant to them is reported as "not an Azure principal" instead of
/// vanishing silently.
pub fn dataset_accounts<'b>(dataset: &DatasetConfig) -> DatasetAccounts<'b> {
    let collect = |principals: [(AccessLevel, Option<&Guid>); 3],
                   emails: [(AccessLevel, Option<&Email>); 3]| {
        principals
            .into_iter()
            .zip(emails)
            .filter_map(
                |((level, principal), (_, email))| match (principal, email) {
                    (Some(id), _) => Some((level, members::account(id))),
                    (None, Some(email)) => Some((
                        level,
                        Member::External {
                            cloud: DatasetConfig::email_accounts_cloud(),
                            id: email.as_str().to_owned(),
                        },
                    )),
                    (None, None) => None,
                },
            )
            .collect()
    };
    DatasetAccounts {
        hail: collect(
            dataset.azure_hail_principal.each(),
            dataset.gcp_hail_service_account.each(),
        ),
        deployment: collect(
            dataset.azure_deployment_principal.each(),
            dataset.deployment_service_account.each(),
        ),
    }
}
