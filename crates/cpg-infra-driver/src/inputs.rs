//! Finding and loading the configuration: the infrastructure TOML, the stack
//! directory's `Pulumi.<dataset>.yaml` and `datasets/*.toml` files, and the
//! `[datasets.*]` tables of the TOML, validated together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cpg_infra_config::{
    BrokenFile, ConfigError, DatasetConfig, InfrastructureConfig, decode_utf8, parse_cpg_toml,
    parse_stack_file_with_warnings, scan_stack_dir, validate_dataset_set,
};

use crate::error::DriverError;

/// The example configuration of the invented organisation, embedded in the binary.
pub const EXAMPLE_CONFIG: &str = include_str!("../../../stack/cpg.toml");
/// The example organisation's stack files, embedded with its configuration.
pub const EXAMPLE_STACKS: &[(&str, &str)] = &[
    (
        "alpha-study",
        include_str!("../../../stack/Pulumi.alpha-study.yaml"),
    ),
    (
        "beta-cohort",
        include_str!("../../../stack/Pulumi.beta-cohort.yaml"),
    ),
    (
        "gamma-bridge",
        include_str!("../../../stack/Pulumi.gamma-bridge.yaml"),
    ),
    (
        "reference",
        include_str!("../../../stack/Pulumi.reference.yaml"),
    ),
];
/// The origin shown in messages about the embedded example.
pub const EXAMPLE_ORIGIN: &str = "<embedded example stack/cpg.toml>";

/// Where the infrastructure configuration comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigLocation {
    /// A file (from `--config`, `$CPG_CONFIG_PATH` or found as `stack/cpg.toml`).
    File(PathBuf),
    /// The example embedded in the binary.
    Embedded,
}

/// `--config`, else `$CPG_CONFIG_PATH`, else `stack/cpg.toml` found from `start`
/// upwards, else the embedded example.
pub fn locate_config(flag: Option<&Path>, env: Option<&str>, start: &Path) -> ConfigLocation {
    if let Some(path) = flag {
        return ConfigLocation::File(path.to_owned());
    }
    if let Some(path) = env.filter(|p| !p.is_empty()) {
        return ConfigLocation::File(PathBuf::from(path));
    }
    for dir in start.ancestors() {
        let candidate = dir.join("stack").join("cpg.toml");
        if candidate.is_file() {
            return ConfigLocation::File(candidate);
        }
    }
    ConfigLocation::Embedded
}

/// Reads a whole file as UTF-8 text, with an error naming it.
pub fn read_text(path: &Path) -> Result<String, DriverError> {
    let bytes = std::fs::read(path).map_err(|e| DriverError::Io {
        path: path.display().to_string(),
        message: format!("cannot read: {e}"),
    })?;
    Ok(decode_utf8(&bytes, &path.display().to_string())?)
}

/// The infrastructure configuration and every dataset, validated.
#[derive(Debug)]
pub struct Inputs {
    /// The `[infrastructure]` table.
    pub infrastructure: InfrastructureConfig,
    /// Every dataset, sorted by name.
    pub datasets: Vec<DatasetConfig>,
    /// Where the configuration came from (for messages).
    pub origin: String,
    /// The stack directory read, if any.
    pub stack_dir: Option<PathBuf>,
    /// Warnings (legacy keys, ...).
    pub warnings: Vec<String>,
    /// In a run restricted to some datasets (not `complete`): the datasets whose files
    /// cannot be read or that are invalid, left out of `datasets` so that they do not
    /// block the others. Selecting one is an error ([`Inputs::problem_of`]).
    pub broken: Vec<BrokenFile>,
}

impl Inputs {
    /// The problem of dataset `name` when it is one of the [`Inputs::broken`] ones.
    pub fn problem_of(&self, name: &cpg_infra_config::DatasetName) -> Option<&ConfigError> {
        self.broken
            .iter()
            .find(|b| b.dataset.as_ref() == Some(name))
            .map(|b| &b.error)
    }
}

/// Loads and validates everything, reporting every problem at once. `complete` says the
/// run covers every dataset, so a `depends_on` naming an unknown dataset is an error and
/// so is any broken or invalid dataset; a run restricted to some datasets (`--dataset`)
/// reads its dependencies from their deployed stacks and only warns, and keeps the
/// datasets it cannot use in [`Inputs::broken`] (the infrastructure config must be valid
/// either way).
pub fn load(
    location: &ConfigLocation,
    stack_dir: Option<&Path>,
    complete: bool,
) -> Result<Inputs, DriverError> {
    let (text, origin, default_dir) = match location {
        ConfigLocation::File(path) => (
            read_text(path)?,
            path.display().to_string(),
            Some(
                path.parent()
                    .filter(|dir| !dir.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_owned),
            ),
        ),
        ConfigLocation::Embedded => (EXAMPLE_CONFIG.to_owned(), EXAMPLE_ORIGIN.to_owned(), None),
    };
    let parsed = parse_cpg_toml(&text, &origin)?;
    parsed.infrastructure.validate()?;
    let mut datasets = parsed.datasets;
    let mut warnings = Vec::new();
    let mut broken: Vec<BrokenFile> = Vec::new();
    // Where each dataset was read from, for messages.
    let mut sources: BTreeMap<String, String> = datasets
        .iter()
        .map(|d| {
            (
                d.dataset.to_string(),
                format!("{origin} [datasets.{}]", d.dataset),
            )
        })
        .collect();
    if *location == ConfigLocation::Embedded && stack_dir.is_none() {
        for (name, text) in EXAMPLE_STACKS {
            let origin = format!("<embedded example stack/Pulumi.{name}.yaml>");
            let (dataset, found) = parse_stack_file_with_warnings(text, &origin, name)?;
            warnings.extend(found);
            sources.insert((*name).to_owned(), origin);
            datasets.push(dataset);
        }
    }
    let stack_dir = stack_dir.map(Path::to_owned).or(default_dir);
    if let Some(dir) = &stack_dir {
        if !dir.is_dir() {
            return Err(DriverError::Io {
                path: dir.display().to_string(),
                message: "stack directory not found; pass --stack-dir DIR".to_owned(),
            });
        }
        let loaded = scan_stack_dir(dir)?;
        warnings.extend(loaded.warnings);
        for (dataset, file) in &loaded.sources {
            sources
                .entry(dataset.to_string())
                .or_insert_with(|| file.clone());
        }
        broken.extend(loaded.broken);
        for dataset in loaded.datasets {
            if datasets.iter().any(|d| d.dataset == dataset.dataset) {
                let second = loaded
                    .sources
                    .get(&dataset.dataset)
                    .cloned()
                    .unwrap_or_else(|| dir.display().to_string());
                broken.push(BrokenFile {
                    dataset: Some(dataset.dataset.clone()),
                    error: ConfigError::DuplicateDataset {
                        dataset: dataset.dataset.to_string(),
                        first: format!("{origin} ([datasets.{}])", dataset.dataset),
                        second,
                    },
                });
                continue;
            }
            datasets.push(dataset);
        }
    }
    datasets.sort_by(|a, b| a.dataset.cmp(&b.dataset));
    let origin_of = |dataset: &str| sources.get(dataset).cloned();
    if complete {
        let mut errors: Vec<ConfigError> = broken.into_iter().map(|b| b.error).collect();
        match validate_dataset_set(&datasets, &parsed.infrastructure, true) {
            Ok(found) => warnings.extend(found),
            Err(error) => errors.push(error.located(&origin_of)),
        }
        ConfigError::collect(errors)?;
        return Ok(Inputs {
            infrastructure: parsed.infrastructure,
            datasets,
            origin,
            stack_dir,
            warnings,
            broken: Vec::new(),
        });
    }
    // A restricted run: invalid datasets join the broken ones.
    let mut valid: Vec<DatasetConfig> = Vec::with_capacity(datasets.len());
    for dataset in datasets {
        match dataset.validate(&parsed.infrastructure) {
            Ok(()) => valid.push(dataset),
            Err(error) => broken.push(BrokenFile {
                dataset: Some(dataset.dataset.clone()),
                error: error.located(&origin_of),
            }),
        }
    }
    warnings.extend(validate_dataset_set(&valid, &parsed.infrastructure, false)?);
    Ok(Inputs {
        infrastructure: parsed.infrastructure,
        datasets: valid,
        origin,
        stack_dir,
        warnings,
        broken,
    })
}
