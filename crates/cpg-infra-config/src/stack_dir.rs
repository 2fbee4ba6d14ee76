//! Loading every dataset of a stack directory: `Pulumi.<dataset>.yaml` files and
//! `datasets/<dataset>.toml` files, in a deterministic order.
//!
//! Nothing that looks like a dataset file is skipped: a directory called
//! `Pulumi.x.yaml`, a dangling symbolic link or a link loop is an error naming the path,
//! and so is a file that looks meant for us but would never be read (`Pulumi.x.yml`,
//! `pulumi.x.yaml`, a `dataset/` folder of TOML files, `datasets/x.yml`), saying the name
//! it must have.
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

impl StackDir {
    /// Records `path`, which looks meant for us but is never read, as a broken file of
    /// `dataset` (when its name gives one).
    fn unread(&mut self, path: &Path, dataset: Option<DatasetName>, message: String) {
        self.broken.push(BrokenFile {
            dataset,
            error: ConfigError::syntax(&path.display().to_string(), None, message),
        });
    }
}

/// The project file's names (Pulumi reads `Pulumi.yaml` or `Pulumi.yml`), which are not
/// stack files.
fn is_project_file(lower: &str) -> bool {
    lower == "pulumi.yaml" || lower == "pulumi.yml"
}

/// When `file` looks like a stack file but is not named `Pulumi.<dataset>.yaml`
/// (another case, `.yml`), so that it would never be read: the dataset it names and
/// what its name must be.
fn misnamed_stack_file(file: &str) -> Option<(Option<DatasetName>, String)> {
    let lower = file.to_ascii_lowercase();
    if is_project_file(&lower) {
        return None;
    }
    let middle = lower
        .strip_prefix("pulumi.")
        .and_then(|rest| {
            rest.strip_suffix(".yaml")
                .or_else(|| rest.strip_suffix(".yml"))
        })
        .filter(|stack| !stack.is_empty())?;
    let stack = &file["pulumi.".len().."pulumi.".len() + middle.len()];
    let correct = format!("Pulumi.{stack}.yaml");
    if file == correct {
        return None;
    }
    let dataset = dataset_named(stack);
    let wanted = match &dataset {
        Some(name) => format!("`Pulumi.{name}.yaml`"),
        None => format!("`Pulumi.<dataset>.yaml` (`{stack}` is not a dataset name)"),
    };
    Some((
        dataset,
        format!(
            "looks like a stack file but is never read: stack files are named exactly `Pulumi.<dataset>.yaml` (capital P, lowercase `.yaml`); rename it to {wanted}"
        ),
    ))
}

/// The dataset a misnamed file's `stem` names: the stem itself, or in lowercase.
fn dataset_named(stem: &str) -> Option<DatasetName> {
    DatasetName::parse(stem)
        .or_else(|_| DatasetName::parse(&stem.to_ascii_lowercase()))
        .ok()
}

/// When the entry `name` of `dir` is a folder that looks like a misspelt `datasets`
/// folder (`dataset`, `Datasets`, `data-sets`, ...) holding `.toml` files, which would
/// never be read: what to do.
fn misnamed_datasets_folder(dir: &Path, name: &str) -> Option<String> {
    const FOLDER: &str = "datasets";
    if name == FOLDER || strsim::osa_distance(&name.to_ascii_lowercase(), FOLDER) > 2 {
        return None;
    }
    let path = dir.join(name);
    if !path.is_dir() {
        return None;
    }
    let tomls = std::fs::read_dir(&path)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .to_ascii_lowercase()
                .ends_with(".toml")
        })
        .count();
    (tomls > 0).then(|| {
        format!(
            "is a folder of TOML files ({tomls}) that is never read: dataset files are read from `{FOLDER}/` only; rename the folder to `{FOLDER}`"
        )
    })
}

/// When `file`, an entry of the `datasets` folder not ending in `.toml`, would never be
/// read although the folder is for dataset files: the dataset its name gives and what
/// to do. Hidden files (`.gitkeep`) and a README are left alone.
fn not_a_dataset_toml(file: &str) -> Option<(Option<DatasetName>, String)> {
    if file.starts_with('.') || file.to_ascii_uppercase().starts_with("README") {
        return None;
    }
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let dataset = dataset_named(stem);
    let wanted = match &dataset {
        Some(name) => format!("rename it to `{name}.toml`"),
        None => "rename it to `<dataset>.toml`".to_string(),
    };
    Some((
        dataset,
        format!(
            "is never read: the `datasets` folder holds only `<dataset>.toml` files (lowercase `.toml`; a README and hidden files excepted); {wanted}, or move it out of the folder"
        ),
    ))
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
        if let Some(problem) = misnamed_stack_file(&file) {
            out.unread(&dir.join(&file), problem.0, problem.1);
            continue;
        }
        if let Some(message) = misnamed_datasets_folder(dir, &file) {
            out.unread(&dir.join(&file), None, message);
            continue;
        }
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
            if let Some((dataset, message)) = not_a_dataset_toml(&file) {
                out.unread(&toml_dir.join(&file), dataset, message);
            }
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
