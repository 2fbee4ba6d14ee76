//! Finding and loading the configuration: the infrastructure TOML, the stack
//! directory's `Pulumi.<dataset>.yaml` and `datasets/*.toml` files, and the
//! `[datasets.*]` tables of the TOML, validated together.
//!
//! [`locate`] decides where everything comes from, once, so that a user's stack
//! files are never planned with the embedded example's `cpg.toml` (nor the other
//! way round): either a configuration file and its stack folder, or the embedded
//! example organisation as a whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cpg_infra_config::{
    BrokenFile, ConfigError, DatasetConfig, InfrastructureConfig, decode_utf8, parse_cpg_toml,
    parse_stack_file_with_warnings, scan_stack_dir, validate_dataset_set_beside,
};

use crate::error::DriverError;
use crate::pipeline;

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

/// The text of an embedded example file by the name messages give it
/// (`<embedded example stack/cpg.toml>`, `<embedded example stack/Pulumi.<name>.yaml>`).
pub fn embedded_text(origin: &str) -> Option<&'static str> {
    if origin == EXAMPLE_ORIGIN {
        return Some(EXAMPLE_CONFIG);
    }
    let file = origin
        .strip_prefix("<embedded example stack/Pulumi.")?
        .strip_suffix(".yaml>")?;
    EXAMPLE_STACKS
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, text)| *text)
}

/// How the configuration file was found (for messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigSource {
    /// `--config FILE`.
    Flag,
    /// `$CPG_CONFIG_PATH`.
    Env,
    /// `cpg.toml` in the folder given with `--stack-dir`.
    StackDir,
    /// `cpg.toml` or `stack/cpg.toml` found from the current folder upwards.
    Found,
}

impl ConfigSource {
    /// Where the path came from, as a clause for messages (e.g. " (from $CPG_CONFIG_PATH)").
    pub fn clause(self) -> &'static str {
        match self {
            Self::Flag => " (from --config)",
            Self::Env => " (from $CPG_CONFIG_PATH)",
            Self::StackDir => " (cpg.toml of --stack-dir)",
            Self::Found => " (found from the current folder upwards)",
        }
    }
}

/// Where the configuration comes from: a file with its stack folder, or the embedded
/// example organisation as a whole (its `cpg.toml` and its stack files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigLocation {
    /// A configuration file and the folder of the stack files.
    File {
        /// The infrastructure TOML.
        path: PathBuf,
        /// How it was found.
        source: ConfigSource,
        /// The folder of `Pulumi.<dataset>.yaml` and `datasets/*.toml` (`--stack-dir`, else
        /// the config's folder).
        stack_dir: PathBuf,
    },
    /// The example embedded in the binary, config and stack files together.
    Embedded {
        /// `--example` asked for it; otherwise nothing at all was configured.
        requested: bool,
    },
}

/// What the command line and the environment say about the configuration.
#[derive(Debug, Clone, Copy)]
pub struct ConfigRequest<'a> {
    /// `--config FILE`.
    pub config: Option<&'a Path>,
    /// `--stack-dir DIR`.
    pub stack_dir: Option<&'a Path>,
    /// `$CPG_CONFIG_PATH` (empty counts as unset).
    pub env: Option<&'a str>,
    /// `--example`.
    pub example: bool,
    /// The folder the search starts from (the current folder).
    pub cwd: &'a Path,
}

/// The folder a config file's stack files are in by default: the file's folder.
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// Whether `dir` holds a stack file (`Pulumi.<name>.yaml`, not the project file; misnamed
/// ones too) or a
/// `datasets/` folder: a user's configuration the example must not stand in for.
fn has_stack_files(dir: &Path) -> bool {
    let stack_file = std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|entry| {
            // In any case and with `.yml` too: a misnamed stack file is still the user's.
            entry.file_name().to_str().is_some_and(|name| {
                let name = name.to_ascii_lowercase();
                name.strip_prefix("pulumi.")
                    .and_then(|rest| rest.strip_suffix(".yaml").or(rest.strip_suffix(".yml")))
                    .is_some_and(|stack| !stack.is_empty())
            })
        })
    });
    stack_file || dir.join("datasets").is_dir()
}

/// Decides where the configuration comes from:
///
/// 1. `--example`: the embedded example organisation (never with `--config` or
///    `--stack-dir`, which the command line rejects);
/// 2. `--config FILE`;
/// 3. `$CPG_CONFIG_PATH` (with a warning when `--stack-dir DIR`, else the current folder,
///    has another `cpg.toml`);
/// 4. with `--stack-dir DIR`, `DIR/cpg.toml` (an error when it is missing);
/// 5. `cpg.toml` or `stack/cpg.toml` in the current folder or one above it;
/// 6. when nothing at all is configured (none of the above and no stack files in the
///    current folder), the embedded example (`requested: false`: the caller says so).
///
/// The stack files are in `--stack-dir`, else in the config file's folder.
pub fn locate(request: &ConfigRequest<'_>) -> Result<ConfigLocation, DriverError> {
    if request.example {
        if request.config.is_some() || request.stack_dir.is_some() {
            return Err(DriverError::ExampleMixed);
        }
        return Ok(ConfigLocation::Embedded { requested: true });
    }
    let file = |path: PathBuf, source| {
        let stack_dir = request
            .stack_dir
            .map_or_else(|| folder_of(&path), Path::to_owned);
        ConfigLocation::File {
            path,
            source,
            stack_dir,
        }
    };
    if let Some(path) = request.config {
        return Ok(file(path.to_owned(), ConfigSource::Flag));
    }
    let env = request.env.filter(|p| !p.is_empty());
    if let Some(path) = env {
        let path = PathBuf::from(path);
        // The `cpg.toml` the user may mean: the one of `--stack-dir`, else the one in the
        // current folder.
        let own = request.stack_dir.unwrap_or(request.cwd).join("cpg.toml");
        let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
        if own.is_file() && !same(&own, &path) {
            tracing::warn!(
                "{} is not read: $CPG_CONFIG_PATH ({}) comes first; pass --config FILE to choose, or unset CPG_CONFIG_PATH",
                own.display(),
                path.display()
            );
        }
        return Ok(file(path, ConfigSource::Env));
    }
    if let Some(dir) = request.stack_dir {
        let candidate = dir.join("cpg.toml");
        if candidate.is_file() {
            return Ok(file(candidate, ConfigSource::StackDir));
        }
        return Err(DriverError::NoConfig {
            looked: format!(
                "--config (not given), $CPG_CONFIG_PATH (not set), {} (not found)",
                candidate.display()
            ),
        });
    }
    for dir in request.cwd.ancestors() {
        for candidate in [dir.join("cpg.toml"), dir.join("stack").join("cpg.toml")] {
            if candidate.is_file() {
                return Ok(file(candidate, ConfigSource::Found));
            }
        }
    }
    if has_stack_files(request.cwd) {
        return Err(DriverError::NoConfig {
            looked: format!(
                "--config (not given), $CPG_CONFIG_PATH (not set), cpg.toml and stack/cpg.toml in {} and every folder above it (not found), although it holds stack files",
                request.cwd.display()
            ),
        });
    }
    Ok(ConfigLocation::Embedded { requested: false })
}

/// The note said when the example stands in because nothing is configured.
pub fn example_note(cwd: &Path) -> String {
    format!(
        "note: no configuration found (no --config, no $CPG_CONFIG_PATH, no cpg.toml or stack/cpg.toml in {} or above it): using the embedded example organisation; pass --example to ask for it, or --config FILE for yours",
        cwd.display()
    )
}

/// Reads a whole file as UTF-8 text, with an error naming it and where the path came
/// from (`clause`, e.g. " (from --config)").
pub fn read_text_from(path: &Path, clause: &str) -> Result<String, DriverError> {
    let bytes = std::fs::read(path).map_err(|e| DriverError::Io {
        path: format!("{}{clause}", path.display()),
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
    /// The stack directory read (none for the embedded example).
    pub stack_dir: Option<PathBuf>,
    /// Warnings (legacy keys, ...).
    pub warnings: Vec<String>,
    /// Where each dataset was read from, by name: its file's path (or the embedded
    /// example's `<embedded example stack/Pulumi.<name>.yaml>`), or for a
    /// `[datasets.<name>]` table `<config> [datasets.<name>]`.
    pub sources: BTreeMap<String, String>,
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
///
/// A stack folder where no dataset is found at all is an error (the reference dataset must
/// be configured); [`load_for_new_dataset`] allows it.
pub fn load(location: &ConfigLocation, complete: bool) -> Result<Inputs, DriverError> {
    load_with(location, complete, true)
}

/// [`load`] for `new-dataset`, which may write an organisation's first dataset into a
/// folder that has none yet.
pub fn load_for_new_dataset(location: &ConfigLocation) -> Result<Inputs, DriverError> {
    load_with(location, true, false)
}

/// [`load`] for the base of a `diff`, which may hold no dataset yet (an organisation's
/// first change).
pub fn load_base(location: &ConfigLocation, complete: bool) -> Result<Inputs, DriverError> {
    load_with(location, complete, false)
}

fn load_with(
    location: &ConfigLocation,
    complete: bool,
    require_datasets: bool,
) -> Result<Inputs, DriverError> {
    let (text, origin, stack_dir) = match location {
        ConfigLocation::File {
            path,
            source,
            stack_dir,
        } => (
            read_text_from(path, source.clause())?,
            path.display().to_string(),
            Some(stack_dir.clone()),
        ),
        ConfigLocation::Embedded { .. } => {
            (EXAMPLE_CONFIG.to_owned(), EXAMPLE_ORIGIN.to_owned(), None)
        }
    };
    let parsed = parse_cpg_toml(&text, &origin)?;
    parsed.infrastructure.validate()?;
    // Said with every other problem of the run.
    let unknown_clouds = pipeline::unknown_clouds_of(&parsed.infrastructure, &origin);
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
    match &stack_dir {
        None => {
            for (name, text) in EXAMPLE_STACKS {
                let origin = format!("<embedded example stack/Pulumi.{name}.yaml>");
                let (dataset, found) = parse_stack_file_with_warnings(text, &origin, name)?;
                warnings.extend(found);
                sources.insert((*name).to_owned(), origin);
                datasets.push(dataset);
            }
        }
        Some(dir) => {
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
    }
    datasets.sort_by(|a, b| a.dataset.cmp(&b.dataset));
    if require_datasets
        && datasets.is_empty()
        && broken.is_empty()
        && let Some(dir) = &stack_dir
    {
        return Err(DriverError::NoDatasets {
            dir: dir.display().to_string(),
            config: origin,
            reference: parsed.infrastructure.reference_dataset.to_string(),
        });
    }
    // Datasets whose files exist but failed to load: their dependants say so.
    let unloaded: Vec<_> = broken.iter().filter_map(|b| b.dataset.clone()).collect();
    let known: Vec<_> = datasets
        .iter()
        .map(|d| &d.dataset)
        .chain(&unloaded)
        .collect();
    let mut organisation_problems = unknown_clouds;
    organisation_problems.extend(crate::review::policies::unknown_policies(
        &parsed.infrastructure,
        &origin,
    ));
    organisation_problems.extend(crate::review::check_report::unknown_datasets(
        &parsed.infrastructure,
        &origin,
        &known,
    ));
    let origin_of = |dataset: &str| sources.get(dataset).cloned();
    if complete {
        let mut errors: Vec<ConfigError> = broken.into_iter().map(|b| b.error).collect();
        errors.extend(organisation_problems);
        match validate_dataset_set_beside(&datasets, &parsed.infrastructure, true, &unloaded) {
            Ok(found) => warnings.extend(found),
            Err(error) => errors.push(error.located(&origin_of)),
        }
        for dataset in &datasets {
            errors.extend(
                pipeline::cloud_rules(&parsed.infrastructure, dataset)
                    .into_iter()
                    .map(|error| error.located(&origin_of)),
            );
        }
        ConfigError::collect(errors)?;
        return Ok(Inputs {
            infrastructure: parsed.infrastructure,
            datasets,
            origin,
            stack_dir,
            warnings,
            sources,
            broken: Vec::new(),
        });
    }
    // A restricted run: the organisation's problems fail it; invalid datasets join the
    // broken ones.
    ConfigError::collect(organisation_problems)?;
    let mut valid: Vec<DatasetConfig> = Vec::with_capacity(datasets.len());
    for dataset in datasets {
        match pipeline::validate_dataset(&parsed.infrastructure, &dataset) {
            Ok(()) => valid.push(dataset),
            Err(error) => broken.push(BrokenFile {
                dataset: Some(dataset.dataset.clone()),
                error: error.located(&origin_of),
            }),
        }
    }
    let unloaded: Vec<_> = broken.iter().filter_map(|b| b.dataset.clone()).collect();
    warnings.extend(validate_dataset_set_beside(
        &valid,
        &parsed.infrastructure,
        false,
        &unloaded,
    )?);
    Ok(Inputs {
        infrastructure: parsed.infrastructure,
        datasets: valid,
        origin,
        stack_dir,
        warnings,
        sources,
        broken,
    })
}
