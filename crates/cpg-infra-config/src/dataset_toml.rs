//! Dataset TOML files, `datasets/<dataset>.toml`: the same settings as a stack file's
//! `datasets:` keys, with native TOML types, plus `gcp_project` and `[provider_config]`.

use crate::dataset::DatasetConfig;
use crate::dataset_fields::{Ctx, Style, build};
use crate::error::ConfigError;
use crate::toml_table::{SpannedTable, toml_error};

/// Parses a dataset TOML file for `dataset` (the `<dataset>` of `datasets/<dataset>.toml`).
///
/// `origin` names the file in error messages. A `dataset` key, when present, must equal
/// `dataset`. Warnings are logged; use [`parse_dataset_toml_with_warnings`] to get them.
pub fn parse_dataset_toml(
    text: &str,
    origin: &str,
    dataset: &str,
) -> Result<DatasetConfig, ConfigError> {
    parse_dataset_toml_with_warnings(text, origin, dataset).map(|(cfg, _)| cfg)
}

/// Like [`parse_dataset_toml`], also returning the warnings.
pub fn parse_dataset_toml_with_warnings(
    text: &str,
    origin: &str,
    dataset: &str,
) -> Result<(DatasetConfig, Vec<String>), ConfigError> {
    let table: SpannedTable = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
    let fields = table.into_entries(text);
    let ctx = Ctx {
        origin,
        style: Style::TomlFile,
        name: dataset,
    };
    build(&ctx, &fields, &[], Vec::new())
}
