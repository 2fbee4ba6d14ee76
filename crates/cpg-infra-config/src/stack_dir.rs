//! Loading every dataset of a stack directory: `Pulumi.<dataset>.yaml` files and
//! `datasets/<dataset>.toml` files, in a deterministic order.
//!
//! Nothing that looks like a dataset file is skipped: a directory called
//! `Pulumi.x.yaml`, a dangling symbolic link or a link loop is an error naming the path.
//! Every file is read, so one run reports the problems of all of them;
//! [`scan_stack_dir`] keeps them per file (a run for some datasets may go on without
//! the unrelated broken ones), [`load_stack_dir`] fails with all of them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cpg_toml::CpgToml;
use crate::dataset::DatasetConfig;
use crate::dataset_toml::parse_dataset_toml_with_warnings;
use crate::error::{ConfigError, decode_utf8};
use crate::names::DatasetName;
use crate::stack_file::parse_stack_file_with_warnings;

/// The datasets of a stack directory.
#[derive(Debug)]
pub struct StackDir {
    /// Every dataset read without a problem, sorted by name.
    pub datasets: Vec<DatasetConfig>,
    /// Warnings (legacy keys, ...), in the order the files were read (sorted by file name).
    pub warnings: Vec<String>,
    /// The file each dataset was read from.
    pub sources: BTreeMap<DatasetName, String>,
    /// The files that could not be read as a dataset, in file order.
    pub broken: Vec<BrokenFile>,
}

/// Parses a dataset file's text: `(text, origin, dataset)` to the dataset and its warnings.
type Parser = fn(&str, &str, &str) -> Result<(DatasetConfig, Vec<String>), ConfigError>;

/// A dataset file that could not be used.
#[derive(Debug)]
pub struct BrokenFile {
    /// The dataset its name gives, when the name is a valid dataset name.
    pub dataset: Option<DatasetName>,
    /// What is wrong (naming the file).
    pub error: ConfigError,
}

fn read_text(path: &Path) -> Result<String, ConfigError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| ConfigError::Io {
        path: origin.clone(),
        error,
    })?;
    decode_utf8(&bytes, &origin)
}

/// Why `path`, whose name says it is a dataset file, is not a readable file (`None`
/// when it is one).
fn not_a_file(path: &Path) -> Option<ConfigError> {
    let message = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => return None,
        Ok(m) if m.is_dir() => {
            "is a directory, not a dataset file; remove or rename it (every `Pulumi.<dataset>.yaml` and `datasets/<dataset>.toml` is read as a dataset)".to_string()
        }
        Ok(_) => "is not a regular file; replace it with the dataset's file or remove it"
            .to_string(),
        Err(error) => unreadable(path, &error),
    };
    Some(ConfigError::syntax(
        &path.display().to_string(),
        None,
        message,
    ))
}

/// Why `path` cannot be opened: a dangling symbolic link, a link loop, or `error`.
fn unreadable(path: &Path, error: &std::io::Error) -> String {
    match std::fs::read_link(path) {
        Ok(target) if error.kind() == std::io::ErrorKind::NotFound => format!(
            "is a symbolic link to `{}`, which does not exist; fix or remove the link",
            target.display()
        ),
        Ok(target) => format!(
            "is a symbolic link to `{}` that cannot be followed ({error}; a link loop?); fix or remove the link",
            target.display()
        ),
        Err(_) => format!("cannot be read: {error}; check that it exists and is readable"),
    }
}

/// The entry names of `dir`, sorted.
fn sorted_names(dir: &Path) -> Result<Vec<String>, ConfigError> {
    let io = |error| ConfigError::Io {
        path: dir.display().to_string(),
        error,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        match entry.file_name().into_string() {
            Ok(name) => names.push(name),
            Err(raw) => {
                // A name that is not UTF-8 cannot be a dataset name; it matters only when it
                // looks like a dataset file, which is checked on its lossy form.
                names.push(raw.to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    Ok(names)
}

impl StackDir {
    /// An empty set.
    pub fn new() -> Self {
        Self {
            datasets: Vec::new(),
            warnings: Vec::new(),
            sources: BTreeMap::new(),
            broken: Vec::new(),
        }
    }

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
        let mut errors = Vec::new();
        for ds in &cpg.datasets {
            if let Err(e) = self.add(ds.clone(), origin) {
                errors.push(e);
            }
        }
        ConfigError::collect(errors)
    }

    /// The datasets, or every problem of the broken files as one error.
    pub fn checked(mut self) -> Result<Self, ConfigError> {
        let broken = std::mem::take(&mut self.broken);
        ConfigError::collect(broken.into_iter().map(|b| b.error))?;
        Ok(self)
    }

    /// Reads the dataset file `path` of dataset `name` (from the file name) with `parse`.
    fn read(&mut self, path: &Path, name: &str, what: &str, parse: Parser) {
        let origin = path.display().to_string();
        let dataset = DatasetName::parse(name).ok();
        let result = match (not_a_file(path), DatasetName::parse(name)) {
            (Some(error), _) => Err(error),
            (None, Err(e)) => Err(ConfigError::key(
                &origin,
                None,
                "file name",
                format!("{what} must be a dataset name: {e}"),
            )),
            (None, Ok(_)) => read_text(path).and_then(|text| parse(&text, &origin, name)),
        };
        let result = result.and_then(|(cfg, warnings)| {
            self.add(cfg, &origin)?;
            Ok(warnings)
        });
        match result {
            Ok(warnings) => self.warnings.extend(warnings),
            Err(error) => self.broken.push(BrokenFile { dataset, error }),
        }
    }
}

impl Default for StackDir {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads every `Pulumi.<dataset>.yaml` (skipping the project file `Pulumi.yaml`) and every
/// `datasets/<dataset>.toml` in `dir`, keeping the files that cannot be used in
/// [`StackDir::broken`].
///
/// File names must give valid dataset names; a dataset defined twice is a problem naming
/// both files. The result is sorted by dataset name, whatever the directory order. Only a
/// directory that cannot be read is an error.
pub fn scan_stack_dir(dir: &Path) -> Result<StackDir, ConfigError> {
    let mut out = StackDir::new();
    for file in sorted_names(dir)? {
        let Some(stack) = file
            .strip_prefix("Pulumi.")
            .and_then(|rest| rest.strip_suffix(".yaml"))
            .filter(|stack| !stack.is_empty())
        else {
            continue;
        };
        out.read(
            &dir.join(&file),
            stack,
            "the stack name",
            parse_stack_file_with_warnings,
        );
    }
    let toml_dir: PathBuf = dir.join("datasets");
    if std::fs::symlink_metadata(&toml_dir).is_err() {
        // No `datasets` folder.
        return Ok(out);
    }
    let problem = match std::fs::metadata(&toml_dir) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(
            "is not a folder; `datasets` beside the stack files must be a folder of `<dataset>.toml` files: rename it"
                .to_string(),
        ),
        Err(error) => Some(unreadable(&toml_dir, &error)),
    };
    if let Some(message) = problem {
        out.broken.push(BrokenFile {
            dataset: None,
            error: ConfigError::syntax(&toml_dir.display().to_string(), None, message),
        });
        return Ok(out);
    }
    for file in sorted_names(&toml_dir)? {
        let Some(name) = file.strip_suffix(".toml") else {
            continue;
        };
        out.read(
            &toml_dir.join(&file),
            name,
            "the file name",
            parse_dataset_toml_with_warnings,
        );
    }
    Ok(out)
}

/// Like [`scan_stack_dir`], failing with every problem when any file cannot be used.
pub fn load_stack_dir(dir: &Path) -> Result<StackDir, ConfigError> {
    scan_stack_dir(dir)?.checked()
}
