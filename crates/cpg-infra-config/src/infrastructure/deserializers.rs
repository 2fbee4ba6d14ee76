//! The `[infrastructure]` table's defaults and the checks and deserializers of its
//! constrained strings and numbers (shared by the deserializers and
//! `InfrastructureConfig::validate`).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

use crate::cloud_values::check_thresholds;
use crate::names::shown;

pub(super) fn default_true() -> bool {
    true
}

pub(super) fn default_thresholds() -> Vec<f64> {
    vec![0.5, 0.9, 1.0]
}

// ---- shape checks, shared by the deserializers and `InfrastructureConfig::validate` ----

fn check_non_empty(s: &str) -> Result<(), String> {
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

/// A string that must not be empty or blank (for `deserialize_with`; cloud plugins' own
/// settings use it too).
pub fn de_non_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let s = String::deserialize(deserializer)?;
    check_non_empty(&s).map_err(serde::de::Error::custom)?;
    Ok(s)
}

string_deserializer!(de_storage_prefix, check_storage_prefix);

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
