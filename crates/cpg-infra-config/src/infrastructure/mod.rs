//! The `[infrastructure]` table of `cpg.toml`: organisation-wide settings shared by every
//! dataset (domain, billing, the shared services each component plugs into). A cloud's own
//! table (`[infrastructure.gcp]`) is its plugin's, kept as written in
//! [`InfrastructureConfig::sections`].
//!
//! Every table rejects unknown keys. Values with a fixed shape are validated types
//! ([`Domain`], [`Currency`], [`Email`](crate::Email), ...),
//! checked while parsing, so the error points at the offending line and nothing checks them
//! again.

mod components;
mod deserializers;

use std::collections::BTreeMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::CheckConfig;
use crate::cloud_section::{CloudSection, SectionSource};
use crate::cloud_values::check_thresholds;
use crate::error::ConfigError;
use crate::members::{AdhocGroup, User};
use crate::names::{CloudName, DatasetName, UserKey};
use crate::storage_policy::StoragePolicy;
use crate::values::{Currency, Domain};

pub use components::{AccessGroupCacheConfig, ServiceTables};

/// [`InfrastructureConfig::services`] and its mutable twin, from one list of the services'
/// fields (each field's name is its key in `[infrastructure]`).
macro_rules! service_fields {
    ($($field:ident),* $(,)?) => {
        /// Every shared service's tables, by the service's key, in field order.
        pub fn services(&self) -> [(&'static str, &ServiceTables); 7] {
            [$((stringify!($field), &self.$field)),*]
        }

        /// [`Self::services`], mutable.
        fn services_mut(&mut self) -> [(&'static str, &mut ServiceTables); 7] {
            [$((stringify!($field), &mut self.$field)),*]
        }
    };
}
pub use deserializers::de_non_empty;
use deserializers::{
    FlagSchema, check_storage_prefix, de_flag, de_storage_prefix, de_thresholds,
    default_thresholds, default_true,
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
    /// Hail Batch: one table per cloud, `[infrastructure.hail.<cloud>]`, read by that cloud's
    /// plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hail: ServiceTables,
    /// The analysis-runner: one table per cloud, `[infrastructure.analysis_runner.<cloud>]`, read by that cloud's
    /// plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub analysis_runner: ServiceTables,
    /// The web server: one table per cloud, `[infrastructure.web_service.<cloud>]`, read by that cloud's
    /// plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub web_service: ServiceTables,
    /// The upload dropbox server (for datasets with `upload_config.dropboxes`): one table per cloud, `[infrastructure.data_dropbox.<cloud>]`, read by that cloud's
    /// plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data_dropbox: ServiceTables,
    /// The access-group cache process, `[infrastructure.access_group_cache]`.
    #[serde(default)]
    pub access_group_cache: Option<AccessGroupCacheConfig>,
    /// Notebooks: one table per cloud, `[infrastructure.notebooks.<cloud>]`, read by that cloud's
    /// plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notebooks: ServiceTables,
    /// Cromwell: one table per cloud, `[infrastructure.cromwell.<cloud>]`, read by that cloud's
    /// plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cromwell: ServiceTables,
    /// Sample-metadata (metamist): one table per cloud, `[infrastructure.sample_metadata.<cloud>]`, read by that cloud's
    /// plugin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sample_metadata: ServiceTables,
    /// Organisation resources that cpg-infra reads but does not manage, per cloud,
    /// `[infrastructure.existing.<cloud>]`.
    #[serde(default)]
    pub existing: BTreeMap<CloudName, ExistingResources>,
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
    /// Every other table of `[infrastructure]`, by its key: the own settings of the cloud
    /// plugins (`[infrastructure.gcp]`, `[infrastructure.azure]`), which this crate has no
    /// types for; each is parsed and checked by the plugin that declares it, and one that
    /// no registered plugin declares is an error of the driver.
    #[serde(skip)]
    pub sections: BTreeMap<String, CloudSection>,
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

impl InfrastructureConfig {
    /// Whether the table `[infrastructure.<path>]` is present, `path` in dotted form
    /// (`gcp`, `hail.azure`, `gcp.pam_broker`).
    pub fn has_section(&self, path: &str) -> bool {
        if let Some((first, rest)) = path.split_once('.').or(Some((path, "")))
            && let Some(section) = self.sections.get(first)
        {
            return rest.is_empty() || section.has_table(rest);
        }
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

    /// The table `[infrastructure.<name>]` a cloud plugin reads its settings from, if written.
    pub fn section(&self, name: &str) -> Option<&CloudSection> {
        self.sections.get(name)
    }

    /// The tables of the shared service `service` (a key of [`Self::services`]), by cloud.
    pub fn service_tables(&self, service: &str) -> Option<&ServiceTables> {
        self.services()
            .into_iter()
            .find(|(key, _)| *key == service)
            .map(|(_, t)| t)
    }

    /// `[infrastructure.<service>.<cloud>]`, if written.
    pub fn service_table(&self, service: &str, cloud: &CloudName) -> Option<&CloudSection> {
        self.service_tables(service)?.get(cloud)
    }

    service_fields!(
        hail,
        analysis_runner,
        web_service,
        data_dropbox,
        notebooks,
        cromwell,
        sample_metadata,
    );

    /// Records `source` as the document of every table a cloud plugin reads (the clouds'
    /// own and the services' per cloud), so that what a plugin finds wrong is located.
    pub(crate) fn read_from(&mut self, source: &Arc<SectionSource>) {
        for section in self.sections.values_mut() {
            section.read_from(source);
        }
        for (_, per_cloud) in self.services_mut() {
            for section in per_cloud.values_mut() {
                section.read_from(source);
            }
        }
    }

    /// Checks the rules of the values held as plain strings and numbers (storage prefix,
    /// notification thresholds), which
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
        let mut problems = crate::members::organisation_member_problems(self, "cpg.toml");
        problems.extend(self.user_identity_problems("cpg.toml"));
        ConfigError::collect(problems)?;
        Ok(())
    }
}
