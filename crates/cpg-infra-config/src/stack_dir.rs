//! Loading every dataset of a stack directory: `Pulumi.<dataset>.yaml` files and
//! `datasets/<dataset>.toml` files, in a deterministic order.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cpg_toml::CpgToml;
use crate::dataset::DatasetConfig;
use crate::dataset_toml::parse_dataset_toml_with_warnings;
use crate::error::{ConfigError, decode_utf8};
use crate::names::DatasetName;
use crate::stack_file::parse_stack_file_with_warnings;

/// The datasets of a stack directory.
#[derive(Debug, Clone, PartialEq)]
pub struct StackDir {
    /// Every dataset, sorted by name.
    pub datasets: Vec<DatasetConfig>,
    /// Warnings (legacy keys, ...), in the order the files were read (sorted by file name).
    pub warnings: Vec<String>,
    /// The file each dataset was read from.
    pub sources: BTreeMap<DatasetName, String>,
}

fn read_text(path: &Path) -> Result<String, ConfigError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| ConfigError::Io {
        path: origin.clone(),
        error,
    })?;
    decode_utf8(&bytes, &origin)
}

fn sorted_file_names(dir: &Path) -> Result<Vec<String>, ConfigError> {
    let io = |error| ConfigError::Io {
        path: dir.display().to_string(),
        error,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let is_file = entry.file_type().map_err(io)?.is_file()
            || std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file());
        if !is_file {
            continue;
        }
        if let Some(name) = entry.file_name().to_str() {
            names.push(name.to_string());
        }
    }
    names.sort();
    Ok(names)
}

impl StackDir {
    /// Adds a dataset read from `origin`; a dataset already present is an error naming both
    /// files.
    pub fn add(&mut self, dataset: DatasetConfig, origin: &str) -> Result<(), ConfigError> {
        if let Some(first) = self.sources.get(&dataset.dataset) {
            return Err(ConfigError::DuplicateDataset {
                dataset: dataset.dataset.to_string(),
                first: first.clone(),
                second: origin.to_string(),
            });
        }
        self.sources
            .insert(dataset.dataset.clone(), origin.to_string());
        let at = self
            .datasets
            .partition_point(|d| d.dataset < dataset.dataset);
        self.datasets.insert(at, dataset);
        Ok(())
    }

    /// Adds the `[datasets.<name>]` tables of a parsed `cpg.toml` read from `origin`.
    pub fn merge_cpg_toml(&mut self, cpg: &CpgToml, origin: &str) -> Result<(), ConfigError> {
        for ds in &cpg.datasets {
            self.add(ds.clone(), origin)?;
        }
        Ok(())
    }
}

/// Reads every `Pulumi.<dataset>.yaml` (skipping the project file `Pulumi.yaml`) and every
/// `datasets/<dataset>.toml` in `dir`.
///
/// File names must give valid dataset names; a dataset defined twice is an error naming both
/// files. The result is sorted by dataset name, whatever the directory order.
pub fn load_stack_dir(dir: &Path) -> Result<StackDir, ConfigError> {
    let mut out = StackDir {
        datasets: Vec::new(),
        warnings: Vec::new(),
        sources: BTreeMap::new(),
    };
    for file in sorted_file_names(dir)? {
        let Some(stack) = file
            .strip_prefix("Pulumi.")
            .and_then(|rest| rest.strip_suffix(".yaml"))
        else {
            continue;
        };
        if stack.is_empty() {
            continue;
        }
        let path = dir.join(&file);
        let origin = path.display().to_string();
        DatasetName::parse(stack).map_err(|e| {
            ConfigError::key(
                &origin,
                None,
                "file name",
                format!("the stack name must be a dataset name: {e}"),
            )
        })?;
        let text = read_text(&path)?;
        let (cfg, warnings) = parse_stack_file_with_warnings(&text, &origin, stack)?;
        out.warnings.extend(warnings);
        out.add(cfg, &origin)?;
    }
    let toml_dir = dir.join("datasets");
    if toml_dir.is_dir() {
        for file in sorted_file_names(&toml_dir)? {
            let Some(name) = file.strip_suffix(".toml") else {
                continue;
            };
            let path = toml_dir.join(&file);
            let origin = path.display().to_string();
            DatasetName::parse(name).map_err(|e| {
                ConfigError::key(
                    &origin,
                    None,
                    "file name",
                    format!("the file name must be a dataset name: {e}"),
                )
            })?;
            let text = read_text(&path)?;
            let (cfg, warnings) = parse_dataset_toml_with_warnings(&text, &origin, name)?;
            out.warnings.extend(warnings);
            out.add(cfg, &origin)?;
        }
    }
    Ok(out)
}
