//! `[infrastructure.gcp]`: the organisation's Google Cloud settings, which only this
//! plugin reads (declared in its `CloudPlugin::sections`, so the driver's `schema` command
//! describes them and a dataset deploying to GCP without them gets the one message).
//! [`GcpConfig::written`] reads the section the config crate keeps as written.

use std::collections::BTreeMap;

use cpg_infra_abstraction::written_settings;
use cpg_infra_config::{GcpProjectId, InfrastructureConfig, de_non_empty, shown};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::organisation_role_facts::OrganisationRoleFacts;

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
    pub organisation_roles: BTreeMap<String, OrganisationRoleFacts>,
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

impl GcpConfig {
    /// The organisation's `[infrastructure.gcp]` when it is written and valid (for the
    /// checks that apply only then; see [`written_settings`]).
    pub fn written(config: &InfrastructureConfig) -> Option<Self> {
        written_settings(config, crate::infra::CLOUD)
    }
}

fn default_gcp_region() -> String {
    "australia-southeast1".to_string()
}

fn de_billing_account_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let id = String::deserialize(deserializer)?;
    check_billing_account_id(&id).map_err(serde::de::Error::custom)?;
    Ok(id)
}

/// A Cloud Billing account id: `XXXXXX-XXXXXX-XXXXXX`, uppercase hexadecimal (the
/// `name` of a `BillingAccount`, `billingAccounts/012345-567890-ABCDEF`, in the Cloud
/// Billing API v1 reference:
/// <https://cloud.google.com/billing/docs/reference/rest/v1/billingAccounts>).
fn check_billing_account_id(s: &str) -> Result<(), String> {
    let groups: Vec<&str> = s.split('-').collect();
    let hex = |g: &&str| {
        g.len() == 6
            && g.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    };
    if groups.len() == 3 && groups.iter().all(hex) {
        return Ok(());
    }
    let hint = if s.starts_with("billingAccounts/") {
        "; give the id without `billingAccounts/`"
    } else if s.bytes().any(|b| b.is_ascii_lowercase()) {
        "; the letters are uppercase"
    } else {
        ""
    };
    Err(format!(
        "must be a billing account id, three groups of six uppercase hexadecimal digits such as `01ABCD-23EF45-6789AB` (Cloud Billing shows it under Account management), got `{}`{hint}",
        shown(s)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_account_ids_have_the_cloud_billing_shape() {
        assert!(check_billing_account_id("01D012-20A6A2-CBD343").is_ok());
        for bad in [
            "01d012-20a6a2-cbd343",
            "billingAccounts/01D012-20A6A2-CBD343",
            "01D01220A6A2CBD343",
            "01D012-20A6A2-CBD34",
            "01D012-20A6A2-CBD34G",
        ] {
            assert!(check_billing_account_id(bad).is_err(), "{bad}");
        }
    }
}
