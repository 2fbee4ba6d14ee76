//! The `[infrastructure]` table's defaults and the checks and deserializers of its
//! constrained strings and numbers (shared by the deserializers and
//! `InfrastructureConfig::validate`).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

use crate::cloud_values::{check_billing_account_id, check_thresholds};
use crate::names::shown;

pub(super) fn default_true() -> bool {
    true
}

pub(super) fn default_thresholds() -> Vec<f64> {
    vec![0.5, 0.9, 1.0]
}

pub(super) fn default_gcp_region() -> String {
    "australia-southeast1".to_string()
}

pub(super) fn default_credential_lifetime() -> u32 {
    365
}

pub(super) fn default_credential_rotation() -> String {
    "initial".to_string()
}

/// The longest password lifetime accepted, in days (Entra's portal offers at most 24 months).
pub(super) const MAX_CREDENTIAL_LIFETIME_DAYS: u32 = 730;

pub(super) fn check_credential_lifetime(days: u32) -> Result<(), String> {
    if (1..=MAX_CREDENTIAL_LIFETIME_DAYS).contains(&days) {
        Ok(())
    } else {
        Err(format!(
            "must be 1 to {MAX_CREDENTIAL_LIFETIME_DAYS} days, got {days}"
        ))
    }
}

pub(super) fn de_credential_lifetime<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<u32, D::Error> {
    let days = u32::deserialize(deserializer)?;
    check_credential_lifetime(days).map_err(serde::de::Error::custom)?;
    Ok(days)
}

// ---- shape checks, shared by the deserializers and `InfrastructureConfig::validate` ----

pub(super) fn check_non_empty(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err("must not be empty".to_string())
    } else {
        Ok(())
    }
}

pub(super) fn check_storage_prefix(s: &str) -> Result<(), String> {
    if !s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || s.len() > 20
    {
        return Err(format!(
            "must be at most 20 lowercase letters, digits and hyphens (e.g. `cpg-`), got `{}`",
            shown(s)
        ));
    }
    Ok(())
}

pub(super) fn check_name_prefix(s: &str) -> Result<(), String> {
    if !(2..=8).contains(&s.len())
        || !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Err(format!(
            "must be 2 to 8 lowercase letters or digits (it is part of globally unique storage account names), got `{}`",
            shown(s)
        ));
    }
    Ok(())
}

macro_rules! string_deserializer {
    ($name:ident, $check:path) => {
        pub(super) fn $name<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<String, D::Error> {
            let s = String::deserialize(deserializer)?;
            $check(&s).map_err(serde::de::Error::custom)?;
            Ok(s)
        }
    };
}

string_deserializer!(de_non_empty, check_non_empty);
string_deserializer!(de_storage_prefix, check_storage_prefix);
string_deserializer!(de_name_prefix, check_name_prefix);
string_deserializer!(de_billing_account_id, check_billing_account_id);

/// A boolean, or the strings `"true"`/`"false"` (any case).
pub(super) fn de_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    use crate::raw::RawValue;
    match RawValue::deserialize(deserializer)? {
        RawValue::Bool(b) => Ok(b),
        RawValue::Str(t) if t.eq_ignore_ascii_case("true") => Ok(true),
        RawValue::Str(t) if t.eq_ignore_ascii_case("false") => Ok(false),
        RawValue::Str(t) => Err(serde::de::Error::custom(format!(
            "must be true or false, got the string \"{}\"",
            shown(&t)
        ))),
        other => Err(serde::de::Error::custom(format!(
            "must be true or false, got {}",
            other.to_config_string()
        ))),
    }
}

/// The schema of a flag: a boolean or its string form.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
pub(super) enum FlagSchema {
    Bool(bool),
    Text(String),
}

pub(super) fn de_thresholds<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<f64>, D::Error> {
    let v = Vec::<f64>::deserialize(deserializer)?;
    check_thresholds(&v).map_err(serde::de::Error::custom)?;
    Ok(v)
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
