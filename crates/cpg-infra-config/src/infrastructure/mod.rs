//! The `[infrastructure]` table of `cpg.toml`: organisation-wide settings shared by every
//! dataset (domain, billing, the shared services each component plugs into).
//!
//! Every table rejects unknown keys. Values with a fixed shape are validated types
//! ([`Domain`], [`Currency`], [`Guid`], [`AzureContainerPath`], [`Email`], [`MonthStart`], ...),
//! checked while parsing, so the error points at the offending line and nothing checks them
//! again.

mod components;
mod deserializers;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::azure_redundancy::StorageRedundancy;
use crate::calendar_date::CalendarDate;
use crate::check::CheckConfig;
use crate::cloud_section::CloudSection;
use crate::cloud_values::{check_billing_account_id, check_thresholds};
use crate::error::ConfigError;
use crate::members::{AdhocGroup, User};
use crate::month_start::MonthStart;
use crate::names::{CloudName, DatasetName, Email, GcpProjectId, UserKey};
use crate::storage_policy::StoragePolicy;
use crate::values::{AzureContainerPath, Currency, Domain, Guid};

pub use components::{
    AccessGroupCacheConfig, AnalysisRunnerAzure, AnalysisRunnerConfig, AnalysisRunnerGcp,
    CromwellAzure, CromwellConfig, CromwellGcp, HailAzure, HailConfig, HailGcp, NotebooksAzure,
    NotebooksConfig, NotebooksGcp, SampleMetadataAzure, SampleMetadataConfig, SampleMetadataGcp,
    WebServiceAzure, WebServiceConfig, WebServiceGcp,
};
use deserializers::{
    FlagSchema, MAX_CREDENTIAL_LIFETIME_DAYS, check_credential_lifetime, check_name_prefix,
    check_non_empty, check_storage_prefix, de_billing_account_id, de_credential_lifetime, de_flag,
    de_name_prefix, de_non_empty, de_storage_prefix, de_thresholds, default_credential_lifetime,
    default_credential_rotation, default_gcp_region, default_thresholds, default_true,
};

/// Organisation-wide settings: the `[infrastructure]` table of `cpg.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfrastructureConfig {
    /// The organisation's domain, used for group addresses, e.g. `example-institute.org`.
    pub domain: Domain,
    /// Prefix of every dataset bucket name, e.g. `cpg-` gives `cpg-alpha-study-main`.
    #[serde(deserialize_with = "de_storage_prefix")]
    #[schemars(regex(pattern = r"^[a-z0-9-]{0,20}$"))]
    pub dataset_storage_prefix: String,
    /// The ISO 4217 currency budgets are expressed in: three uppercase letters, e.g. `AUD`.
    pub budget_currency: Currency,
    /// The dataset every other dataset implicitly depends on (reference data).
    pub reference_dataset: DatasetName,
    /// Skip creating group memberships (first phase of a two-phase rename). The
    /// reference's config wrote it as a string, so `"true"`/`"false"` are accepted too.
    #[serde(default, deserialize_with = "de_flag")]
    #[schemars(with = "FlagSchema")]
    pub disable_group_memberships: bool,
    /// Fractions of the budget at which notifications are sent; each must be > 0.
    #[serde(default = "default_thresholds", deserialize_with = "de_thresholds")]
    pub budget_notification_thresholds: Vec<f64>,
    /// Protect buckets that hold data from deletion (Pulumi `protect`).
    #[serde(default = "default_true")]
    pub protect_data_buckets: bool,
    /// Google Cloud settings, `[infrastructure.gcp]`.
    #[serde(default)]
    pub gcp: Option<GcpConfig>,
    /// Azure settings, `[infrastructure.azure]`.
    #[serde(default)]
    pub azure: Option<AzureConfig>,
    /// Hail Batch settings, `[infrastructure.hail.<cloud>]`.
    #[serde(default)]
    pub hail: Option<HailConfig>,
    /// Analysis-runner settings, `[infrastructure.analysis_runner.<cloud>]`.
    #[serde(default)]
    pub analysis_runner: Option<AnalysisRunnerConfig>,
    /// Web-server settings, `[infrastructure.web_service.<cloud>]`.
    #[serde(default)]
    pub web_service: Option<WebServiceConfig>,
    /// The upload dropbox server, `[infrastructure.data_dropbox.<cloud>]` (for datasets
    /// with `upload_config.dropboxes`).
    #[serde(default)]
    pub data_dropbox: Option<crate::dropboxes::DataDropboxConfig>,
    /// The access-group cache process, `[infrastructure.access_group_cache]`.
    #[serde(default)]
    pub access_group_cache: Option<AccessGroupCacheConfig>,
    /// Notebook settings, `[infrastructure.notebooks.<cloud>]`.
    #[serde(default)]
    pub notebooks: Option<NotebooksConfig>,
    /// Cromwell settings, `[infrastructure.cromwell.<cloud>]`.
    #[serde(default)]
    pub cromwell: Option<CromwellConfig>,
    /// Sample-metadata (metamist) settings, `[infrastructure.sample_metadata.<cloud>]`.
    #[serde(default)]
    pub sample_metadata: Option<SampleMetadataConfig>,
    /// Organisation resources that cpg-infra reads but does not manage,
    /// `[infrastructure.existing.<cloud>]`.
    #[serde(default)]
    pub existing: Option<ExistingConfig>,
    /// The built-in policy checks' allow-list and suppressions, `[infrastructure.check]`.
    #[serde(default)]
    pub check: CheckConfig,
    // ---- members as code ----
    /// The users registry, `[infrastructure.users.<key>]`: each user's id per cloud
    /// (`clouds.gcp.id` an e-mail, `clouds.azure.id` an Entra ID object id), named by key
    /// in `datasets:members` and `adhoc_groups`.
    #[serde(default)]
    pub users: BTreeMap<UserKey, User>,
    /// Organisation groups with their members, `[[infrastructure.adhoc_groups]]`, created by
    /// the reference dataset's program.
    #[serde(default)]
    pub adhoc_groups: Vec<AdhocGroup>,
    /// The own settings of cloud plugins this crate has no types for,
    /// `[infrastructure.clouds.<cloud>]`; each is parsed and checked by its plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clouds: BTreeMap<CloudName, CloudSection>,
    // ---- organisation buckets without per-dataset grants ----
    /// Grant the organisation's shared buckets and registries (analysis-runner config,
    /// Hail wheels, reference data, images) to one organisation group per access kind,
    /// created by the reference dataset's program, which every dataset's access and
    /// access-level groups join, instead of one grant per dataset group (GCP caps the
    /// principals of a policy). Default false; see README, "Organisation access groups",
    /// for what the switch does to deployed stacks.
    #[serde(default)]
    pub organisation_access_groups: bool,
    // ---- storage policy ----
    /// The organisation's storage policy switches, `[infrastructure.storage_policy]`
    /// (each off by default).
    #[serde(default)]
    pub storage_policy: StoragePolicy,
    // ---- taking over a live organisation ----
    /// The organisation's clouds already hold resources that the plans create (group
    /// memberships added by hand, service accounts made before cpg-infra managed them):
    /// every create whose provider can take an existing resource over instead of failing
    /// sets the provider's opt-in (`createIgnoreAlreadyExists` on GCP group memberships
    /// and service accounts, `useExisting` on Entra service principals; the provider
    /// facts' `createOptIn`), so the first `pulumi up` succeeds. Default false: on a
    /// stack that is already deployed, switching it on is an update of those resources
    /// that changes only Pulumi's state, nothing in the cloud (`diff` says so). See
    /// README, "Taking over a live organisation".
    #[serde(default)]
    pub take_over: bool,
}

/// Existing organisation resources per cloud, `[infrastructure.existing]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingConfig {
    /// `[infrastructure.existing.gcp]`.
    #[serde(default)]
    pub gcp: Option<ExistingResources>,
    /// `[infrastructure.existing.azure]`.
    #[serde(default)]
    pub azure: Option<ExistingResources>,
}

/// Organisation resources that cpg-infra does not own but reads (Pulumi `get:`),
/// by their cloud id, so that programs take their outputs as inputs and a wrong
/// id fails at preview. Deleting a stack never touches them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingResources {
    /// The Cromwell server's identity (GCP: `projects/<p>/serviceAccounts/<e-mail>`;
    /// Azure: a user-assigned identity's resource id).
    #[serde(default)]
    pub cromwell_runner: Option<String>,
    /// The analysis-runner server's identity.
    #[serde(default)]
    pub analysis_runner_server: Option<String>,
    /// The web server's identity.
    #[serde(default)]
    pub web_server: Option<String>,
    /// The notebooks project (GCP: the project id; Azure: the resource group's id).
    #[serde(default)]
    pub notebooks_project: Option<String>,
    /// The shared container registry (GCP:
    /// `projects/<p>/locations/<l>/repositories/<name>`; Azure: the registry's id).
    #[serde(default)]
    pub common_registry: Option<String>,
    /// Read each dataset's Hail service accounts instead of using their e-mails as text.
    #[serde(default)]
    pub hail_accounts: bool,
}

/// Google Cloud settings, `[infrastructure.gcp]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GcpConfig {
    /// The Google Workspace / Cloud Identity customer id, e.g. `C0abc123`.
    #[serde(deserialize_with = "de_non_empty")]
    pub customer_id: String,
    /// The billing account new projects are attached to, e.g. `01ABCD-23EF45-6789AB`:
    /// three groups of six uppercase hexadecimal digits.
    #[serde(deserialize_with = "de_billing_account_id")]
    #[schemars(regex(pattern = r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$"))]
    pub billing_account_id: String,
    /// The project that owns billing resources (budgets).
    #[serde(deserialize_with = "de_non_empty")]
    pub billing_project_id: String,
    /// Pub/Sub topic budget notifications go to, `projects/<p>/topics/<t>`.
    #[serde(default)]
    pub budget_notification_pubsub: Option<String>,
    /// The bucket holding reference data.
    #[serde(deserialize_with = "de_non_empty")]
    pub reference_bucket_name: String,
    /// The bucket holding analysis configuration.
    #[serde(deserialize_with = "de_non_empty")]
    pub config_bucket_name: String,
    /// The project of the shared Artifact Registry.
    #[serde(deserialize_with = "de_non_empty")]
    pub common_artifact_registry_project: String,
    /// The name of the shared Artifact Registry repository.
    #[serde(deserialize_with = "de_non_empty")]
    pub common_artifact_registry_name: String,
    /// The default region, `australia-southeast1` unless set.
    #[serde(default = "default_gcp_region", deserialize_with = "de_non_empty")]
    pub region: String,
    /// Whether the organisation's Google groups accept members outside `domain` (other
    /// than service accounts). A group created through the Cloud Identity API takes the
    /// Workspace's default for new groups, which cpg-infra cannot change (the `gcp`
    /// provider has no Groups Settings resource); set this only when the Admin console
    /// lets new groups have external members. False unless set: such a member is an
    /// error in the plan, not a failed `pulumi up`.
    #[serde(default)]
    pub groups_allow_external_members: bool,
    /// Permission facts of the organisation's own custom roles that the design grants
    /// (`StorageLister`, `StorageObjectAndBucketViewer`, `StorageViewerAndCreator`,
    /// `DataprocWorkerWithoutStorageAccess`), by role id, read from the live organisation.
    /// Each replaces the facts committed with the plugin (reconstructed from the
    /// reference's history), so `check` proves the grants against the roles as they are.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub organisation_roles: BTreeMap<String, crate::organisation_roles::OrganisationRoleFacts>,
    /// The organisation's PAM broker: a machine account (`pam-broker`) that a CI
    /// workflow uses to request temporary read access for the notebook accounts of the
    /// datasets with `allow_notebook_tmp_main_read`, which it may act as for that.
    /// None unless set.
    #[serde(default)]
    pub pam_broker: Option<PamBrokerConfig>,
}

/// `[infrastructure.gcp.pam_broker]`: where the PAM broker lives. The reference dataset's
/// program creates it; letting a CI workflow use it (its workload identity binding) is
/// the organisation's, outside these programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PamBrokerConfig {
    /// The project of the broker's machine account (the institute's common project).
    pub project_id: GcpProjectId,
}

/// Azure settings, `[infrastructure.azure]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AzureConfig {
    /// The Entra ID tenant (GUID).
    pub tenant_id: Guid,
    /// The subscription resources are created in (GUID).
    pub subscription_id: Guid,
    /// The Azure region, e.g. `australiaeast`.
    #[serde(deserialize_with = "de_non_empty")]
    pub region: String,
    /// Prefix for globally unique names (storage accounts): 2 to 8 lowercase letters or digits.
    #[serde(deserialize_with = "de_name_prefix")]
    #[schemars(regex(pattern = r"^[a-z0-9]{2,8}$"))]
    pub name_prefix: String,
    /// Who receives budget alerts.
    #[serde(default)]
    pub budget_contact_emails: Vec<Email>,
    /// An action group budget alerts trigger (resource id).
    #[serde(default)]
    pub budget_action_group_id: Option<String>,
    /// First day of the month new budgets count from, `YYYY-MM-01` (required). Azure
    /// accepts a past start only within the budget's period (the current month for a
    /// monthly budget, the last twelve months for an annual one) and never changes a
    /// budget's start later, so set it to the month new budgets are created in; existing
    /// budgets keep the start they were created with.
    pub budget_start_date: MonthStart,
    /// How long Entra application passwords (machine-account credentials) are valid,
    /// in days from their creation: 1 to 730, 365 unless set.
    #[serde(
        default = "default_credential_lifetime",
        deserialize_with = "de_credential_lifetime"
    )]
    #[schemars(range(min = 1, max = MAX_CREDENTIAL_LIFETIME_DAYS))]
    pub credential_lifetime_days: u32,
    /// The day Entra application passwords were last rotated, `YYYY-MM-DD` (required):
    /// every password ends `credential_lifetime_days` after it (its absolute `endDate`, fixed
    /// by configuration, never by the clock). Moving it forward replaces every password at
    /// the next `pulumi up` with one valid for a full lifetime from the new day.
    pub credential_rotation_date: CalendarDate,
    /// Rotation label of Entra application passwords: changing it (e.g. to `2027-06`)
    /// replaces every password at the next `pulumi up` (keeping their end date), and the
    /// secrets holding them get the new value. `initial` unless set.
    #[serde(
        default = "default_credential_rotation",
        deserialize_with = "de_non_empty"
    )]
    pub credential_rotation: String,
    /// The redundancy (Standard SKU) of the datasets' storage accounts: `Standard_ZRS`
    /// unless set (three availability zones, as a GCS regional bucket; needs a region
    /// with availability zones). `Standard_GZRS` / `Standard_GRS` also copy the data to
    /// the paired region; `Standard_LRS` keeps it in one datacenter.
    #[serde(default)]
    pub storage_redundancy: StorageRedundancy,
    /// The reference-data container, `<resource group>/<storage account>/<container>`.
    pub reference_bucket: AzureContainerPath,
    /// The configuration container, `<resource group>/<storage account>/<container>`.
    pub config_bucket: AzureContainerPath,
    /// The name of the shared container registry.
    #[serde(deserialize_with = "de_non_empty")]
    pub common_registry_name: String,
    /// The resource group of the shared container registry.
    #[serde(deserialize_with = "de_non_empty")]
    pub common_registry_resource_group: String,
    /// Whether the tenant has Entra ID Privileged Identity Management (a Governance or P2
    /// licence), which temporary read access on request uses (default true; false: the
    /// plan says it is not available on Azure).
    #[serde(default = "yes")]
    pub privileged_identity_management: bool,
}

fn yes() -> bool {
    true
}
impl AzureConfig {
    /// The day every Entra application password ends: `credential_rotation_date` plus
    /// `credential_lifetime_days`, or why there is none.
    pub fn credential_end_date(&self) -> Result<CalendarDate, String> {
        self.credential_rotation_date
            .plus_days(self.credential_lifetime_days)
            .ok_or_else(|| {
                format!(
                    "{} plus {} days is past the year 9999",
                    self.credential_rotation_date, self.credential_lifetime_days
                )
            })
    }
}

impl InfrastructureConfig {
    /// Whether the table `[infrastructure.<path>]` is present, `path` in dotted form
    /// (`gcp`, `hail.azure`, `clouds.testcloud`).
    pub fn has_section(&self, path: &str) -> bool {
        let Ok(mut value) = serde_json::to_value(self) else {
            return false;
        };
        for part in path.split('.') {
            match value.get_mut(part).map(serde_json::Value::take) {
                Some(next) if !next.is_null() => value = next,
                _ => return false,
            }
        }
        value.is_object()
    }

    /// Checks the rules of the values held as plain strings and numbers (storage prefix,
    /// notification thresholds, Azure name prefix, credential lifetime and rotation), which
    /// parsing enforces too, for configurations built in code (the validated types cannot
    /// hold a wrong value), and the organisation groups' members (known users and groups,
    /// no cycle) and the users' ids (one user per cloud id, never an organisation account;
    /// [`crate::identities`]), which [`crate::parse_cpg_toml`] checks too.
    ///
    /// Errors name the key path, e.g. `infrastructure.dataset_storage_prefix`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        fn chk(key: &str, r: Result<(), String>) -> Result<(), ConfigError> {
            r.map_err(|m| ConfigError::key("cpg.toml", None, format!("infrastructure.{key}"), m))
        }
        chk(
            "dataset_storage_prefix",
            check_storage_prefix(&self.dataset_storage_prefix),
        )?;
        chk(
            "budget_notification_thresholds",
            check_thresholds(&self.budget_notification_thresholds),
        )?;
        if let Some(gcp) = &self.gcp {
            chk(
                "gcp.billing_account_id",
                check_billing_account_id(&gcp.billing_account_id),
            )?;
        }
        if let Some(az) = &self.azure {
            chk("azure.name_prefix", check_name_prefix(&az.name_prefix))?;
            chk(
                "azure.credential_lifetime_days",
                check_credential_lifetime(az.credential_lifetime_days),
            )?;
            chk(
                "azure.credential_rotation",
                check_non_empty(&az.credential_rotation),
            )?;
            chk(
                "azure.credential_rotation_date",
                az.credential_end_date().map(|_| ()),
            )?;
        }
        let mut problems = crate::members::organisation_member_problems(self, "cpg.toml");
        problems.extend(self.user_identity_problems("cpg.toml"));
        ConfigError::collect(problems)?;
        Ok(())
    }
}
