//! The `PULUMI_CONFIG` environment variable that Pulumi hands to a running program: a JSON
//! object of `namespace:key` settings with (normally) string values.
//!
//! Repeated keys are rejected (plain `serde_json` would keep the last one silently).

use crate::dataset::DatasetConfig;
use crate::dataset_fields::{Ctx, Style, build};
use crate::error::{ConfigError, Pos};
use crate::raw::RawValue;
use crate::stack_file::split_entries;

/// The origin named in errors about `PULUMI_CONFIG`.
pub const PULUMI_CONFIG_ORIGIN: &str = "PULUMI_CONFIG";

/// Converts a serde_json error into a [`ConfigError::Syntax`] with its position.
pub(crate) fn json_error(origin: &str, err: &serde_json::Error) -> ConfigError {
    let mut message = err.to_string();
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    let pos = (err.line() > 0).then(|| Pos::new(err.line(), err.column().max(1)));
    ConfigError::syntax(origin, pos, crate::messages::humanize(&message))
}

/// Parses `PULUMI_CONFIG` (`json`) for stack `stack` (from `PULUMI_STACK`).
///
/// Values may be strings (as Pulumi passes them) or JSON numbers, booleans, lists and
/// objects. Warnings are logged; use [`parse_pulumi_config_with_warnings`] to get them.
pub fn parse_pulumi_config(json: &str, stack: &str) -> Result<DatasetConfig, ConfigError> {
    parse_pulumi_config_with_warnings(json, stack).map(|(cfg, _)| cfg)
}

/// Like [`parse_pulumi_config`], also returning the warnings (e.g. legacy keys).
pub fn parse_pulumi_config_with_warnings(
    json: &str,
    stack: &str,
) -> Result<(DatasetConfig, Vec<String>), ConfigError> {
    let origin = PULUMI_CONFIG_ORIGIN;
    let mut de = serde_json::Deserializer::from_str(json);
    let value: RawValue = serde::Deserialize::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| json_error(origin, &e))?;
    let RawValue::Map(entries) = value else {
        return Err(ConfigError::syntax(
            origin,
            None,
            format!(
                "must be a JSON object of \"namespace:key\": \"value\" settings, got {}",
                value.type_name()
            ),
        ));
    };
    let entries = entries.into_iter().map(|(k, v)| (k, v, None)).collect();
    let mut errors = Vec::new();
    let (fields, provider) = split_entries(origin, entries, &mut errors);
    let ctx = Ctx {
        origin,
        style: Style::Env,
        name: stack,
    };
    build(&ctx, &fields, &provider, errors)
}
