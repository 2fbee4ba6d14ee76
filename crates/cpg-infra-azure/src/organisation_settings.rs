//! `[infrastructure.azure]`: the organisation's Azure settings, which only this plugin
//! reads (its `CloudPlugin::settings`, so the driver's `schema` command describes them and
//! checks a written table whatever the datasets deploy to).

use cpg_infra_abstraction::written_settings;
use cpg_infra_config::{
    CalendarDate, Email, Guid, InfrastructureConfig, MonthStart, de_non_empty, shown,
};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::container_path::AzureContainerPath;
use crate::storage_redundancy::StorageRedundancy;

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

impl AzureConfig {
    /// The organisation's `[infrastructure.azure]` when it is written and valid (for the
    /// checks that apply only then; see [`written_settings`]).
    pub fn written(config: &InfrastructureConfig) -> Option<Self> {
        written_settings(config, crate::infra::CLOUD)
    }
}

fn yes() -> bool {
    true
}

fn default_credential_lifetime() -> u32 {
    365
}

fn default_credential_rotation() -> String {
    "initial".to_string()
}

/// The longest password lifetime accepted, in days (Entra's portal offers at most 24 months).
const MAX_CREDENTIAL_LIFETIME_DAYS: u32 = 730;

fn check_credential_lifetime(days: u32) -> Result<(), String> {
    if (1..=MAX_CREDENTIAL_LIFETIME_DAYS).contains(&days) {
        Ok(())
    } else {
        Err(format!(
            "must be 1 to {MAX_CREDENTIAL_LIFETIME_DAYS} days, got {days}"
        ))
    }
}

fn de_credential_lifetime<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let days = u32::deserialize(deserializer)?;
    check_credential_lifetime(days).map_err(serde::de::Error::custom)?;
    Ok(days)
}

/// Storage account names are globally unique: the prefix makes the organisation's.
fn de_name_prefix<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let prefix = String::deserialize(deserializer)?;
    if !(2..=8).contains(&prefix.len())
        || !prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Err(serde::de::Error::custom(format!(
            "must be 2 to 8 lowercase letters or digits (it is part of globally unique storage account names), got `{}`",
            shown(&prefix)
        )));
    }
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_lifetime() {
        assert!(check_credential_lifetime(365).is_ok());
        assert!(check_credential_lifetime(0).is_err());
        assert!(check_credential_lifetime(731).is_err());
    }
}
