//! Compiler mode: how Pulumi's YAML runtime calls the driver.
//!
//! The runtime runs the `compiler` command of `Pulumi.yaml` in the project
//! folder with `PULUMI_STACK` (the dataset), `PULUMI_PROJECT` and
//! `PULUMI_CONFIG` (the stack config as a JSON object of strings) set, and
//! reads the program from stdout. It also runs it with none of them set, only
//! to learn which provider plugins the program needs: then the driver prints a
//! program that names every registered cloud's providers.
//!
//! The stack's dependencies are other stacks of the same project: the driver
//! looks for their stack files beside this one (names only, not their settings)
//! and warns, precisely, about each dependency that has none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cpg_infra_config::{
    ConfigError, DatasetConfig, InfrastructureConfig, dependencies_of, owner_problems_against,
    parse_cpg_toml, parse_dataset_toml_with_warnings, parse_pulumi_config_with_warnings,
    parse_stack_file_with_warnings,
};

use crate::error::DriverError;
use crate::inputs::{Inputs, read_text_from};
use crate::messages;
use crate::pipeline;
use crate::workspace::{Selection, Workspace};

/// The environment variables compiler mode reads.
#[derive(Debug, Clone, Default)]
pub struct CompilerEnv {
    /// `PULUMI_STACK`: the dataset.
    pub stack: Option<String>,
    /// `PULUMI_CONFIG`: the stack config.
    pub config: Option<String>,
    /// `CPG_CONFIG_PATH`: the infrastructure config (default `cpg.toml` in the working folder).
    pub config_path: Option<String>,
}

impl CompilerEnv {
    /// Reads the variables from the process environment.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok();
        Self {
            stack: var("PULUMI_STACK").filter(|s| !s.is_empty()),
            config: var("PULUMI_CONFIG"),
            config_path: var("CPG_CONFIG_PATH").filter(|s| !s.is_empty()),
        }
    }
}

/// The program text for the environment (an empty `PULUMI_CONFIG` means no
/// settings): the dataset's program when `PULUMI_STACK` is set, else the provider
/// discovery program. `stack_dir` is the folder of the stack files (Pulumi's project
/// folder); the infrastructure config is `config`, else `$CPG_CONFIG_PATH`, else
/// `cpg.toml` in `stack_dir`. Warnings are returned (and logged).
pub fn program(
    env: &CompilerEnv,
    config: Option<&Path>,
    stack_dir: &Path,
) -> Result<(Vec<u8>, Vec<String>), DriverError> {
    let Some(stack) = &env.stack else {
        let mut text =
            serde_json::to_vec_pretty(&pipeline::discovery_program()).unwrap_or_default();
        text.push(b'\n');
        return Ok((text, Vec::new()));
    };
    let (path, clause) = match (config, &env.config_path) {
        (Some(path), _) => (path.to_owned(), " (from --config)"),
        (None, Some(path)) => (PathBuf::from(path), " (from $CPG_CONFIG_PATH)"),
        (None, None) => (
            stack_dir.join("cpg.toml"),
            " (compiler mode: no --config and no $CPG_CONFIG_PATH, so cpg.toml of the stack folder)",
        ),
    };
    let (config, configured) = load_infrastructure(&path, clause)?;
    let given = env.config.as_deref().filter(|c| !c.trim().is_empty());
    let (dataset, mut warnings) = parse_pulumi_config_with_warnings(given.unwrap_or("{}"), stack)?;
    if let Err(error) = pipeline::validate_dataset(&config, &dataset) {
        return Err(match stack_file_beside(stack, stack_dir).filter(|_| given.is_none()) {
            // `PULUMI_STACK` left in a shell: the stack file's settings are not read.
            Some(file) => DriverError::Invalid(
                error
                    .problems()
                    .iter()
                    .map(ToString::to_string)
                    .chain([format!(
                        "PULUMI_STACK={stack} is set, so this is compiler mode, which reads the dataset's settings only from PULUMI_CONFIG (not set), never from {}; unset PULUMI_STACK to read the stack files, or run `pulumi preview -s {stack}`",
                        file.display()
                    )])
                    .collect(),
            ),
            None => error.into(),
        });
    }
    for warning in check_dependencies(&dataset, &config, &configured, stack_dir) {
        tracing::warn!("{warning}");
        warnings.push(warning);
    }
    let dependencies = dependency_configs(&config, &dataset, &configured, stack_dir)?;
    // One stack at a time: its accounts are checked against its dependencies' (the
    // configurations it reads); against every other dataset's, by `validate`.
    ConfigError::collect(owner_problems_against(&dataset, &dependencies))?;
    // Pulumi deploys the stack to its own deploy_locations; its dependencies are the
    // stacks it reads, so they are the configuration's datasets.
    let inputs = Inputs {
        infrastructure: config,
        datasets: dependencies,
        origin: path.display().to_string(),
        stack_dir: Some(stack_dir.to_owned()),
        warnings: Vec::new(),
        sources: BTreeMap::new(),
        broken: Vec::new(),
    };
    let workspace = Workspace::new(inputs, Selection::Given(Box::new(dataset)), &[])?;
    let plan = workspace.plan(&workspace.selected[0])?;
    Ok((pipeline::render_program(&plan), warnings))
}

/// The stack file of `stack` in `stack_dir`, when there is one.
fn stack_file_beside(stack: &str, stack_dir: &Path) -> Option<PathBuf> {
    let file = stack_dir.join(format!("Pulumi.{stack}.yaml"));
    file.is_file().then_some(file)
}

/// The infrastructure config and the `[datasets.*]` tables of `cpg.toml`.
fn load_infrastructure(
    path: &Path,
    clause: &str,
) -> Result<(InfrastructureConfig, Vec<DatasetConfig>), DriverError> {
    let text = read_text_from(path, clause)?;
    let origin = path.display().to_string();
    let parsed = parse_cpg_toml(&text, &origin)?;
    parsed.infrastructure.validate()?;
    ConfigError::collect(crate::review::policies::unknown_policies(
        &parsed.infrastructure,
        &origin,
    ))?;
    Ok((parsed.infrastructure, parsed.datasets))
}

/// The datasets that have a stack file in `dir` (`Pulumi.<name>.yaml`, following
/// symbolic links) or a `datasets/<name>.toml`: only the names, so that a broken
/// stack file of another dataset does not stop this one.
fn sibling_datasets(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if let Some(stack) = name
            .strip_prefix("Pulumi.")
            .and_then(|rest| rest.strip_suffix(".yaml"))
            .filter(|stack| !stack.is_empty())
            && entry.path().is_file()
        {
            names.push(stack.to_owned());
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir.join("datasets")) {
        for entry in entries.flatten() {
            if let Some(name) = entry.file_name().to_str()
                && let Some(dataset) = name.strip_suffix(".toml")
                && entry.path().is_file()
            {
                names.push(dataset.to_owned());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// Compiler mode plans one stack; its dependencies (`datasets:depends_on` and the
/// reference dataset) are other stacks of the project, read at deployment through
/// stack references. Those without a stack file beside this one are one warning that
/// names them (they may be deployed from elsewhere, so it does not stop the program).
fn check_dependencies(
    dataset: &DatasetConfig,
    config: &InfrastructureConfig,
    configured: &[DatasetConfig],
    dir: &Path,
) -> Vec<String> {
    let reference = &config.reference_dataset;
    let dependencies = dependencies_of(dataset, reference);
    if dependencies.is_empty() {
        return Vec::new();
    }
    let mut known = match sibling_datasets(dir) {
        Ok(names) => names,
        Err(error) => {
            return vec![format!(
                "{}: cannot list the stack files ({error}), so the dependencies of dataset {} are not checked; run the compiler in the Pulumi project folder",
                dir.display(),
                dataset.dataset
            )];
        }
    };
    known.extend(configured.iter().map(|d| d.dataset.to_string()));
    let missing: Vec<String> = dependencies
        .iter()
        .filter(|dependency| !known.iter().any(|k| k == dependency.as_str()))
        .map(|dependency| {
            let implicit = if dependency == reference && !dataset.depends_on.contains(dependency) {
                " (the reference dataset, an implicit dependency)"
            } else {
                ""
            };
            let suggestion = did_you_mean(dependency.as_str(), known.iter().map(String::as_str));
            format!("`{dependency}`{implicit}{suggestion}")
        })
        .collect();
    match missing.as_slice() {
        [] => Vec::new(),
        [one] => vec![format!(
            "dataset {}: depends on {one}, which has no stack file (Pulumi.<dataset>.yaml) in {}; the program reads its groups from its deployed stack, so deploy it first",
            dataset.dataset,
            dir.display(),
        )],
        many => vec![format!(
            "dataset {}: depends on {} datasets that have no stack file (Pulumi.<dataset>.yaml) in {}: {}; the program reads their groups from their deployed stacks, so deploy them first",
            dataset.dataset,
            many.len(),
            dir.display(),
            messages::list(many),
        )],
    }
}

/// " (did you mean `x`?)" for the closest of `candidates` (as the config crate
/// suggests), or nothing.
fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(name, candidate);
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"))
}

/// The configuration of the dependencies of `dataset` next to this stack (where each
/// deploys, and its accounts): the `[datasets.<dep>]` table of `cpg.toml`, else
/// `Pulumi.<dep>.yaml` or `datasets/<dep>.toml` in the project folder (where Pulumi keeps
/// every stack's file). Only the dependencies are read; one that is not found is left
/// out (the blueprint says what it assumes for it).
fn dependency_configs(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    configured: &[DatasetConfig],
    dir: &Path,
) -> Result<Vec<DatasetConfig>, DriverError> {
    let mut known = Vec::new();
    for dependency in dependencies_of(dataset, &config.reference_dataset) {
        if let Some(found) = configured.iter().find(|d| d.dataset == dependency) {
            known.push(found.clone());
            continue;
        }
        let stack_file = dir.join(format!("Pulumi.{dependency}.yaml"));
        let toml_file = dir.join("datasets").join(format!("{dependency}.toml"));
        if stack_file.is_file() {
            let text = read_text_from(&stack_file, "")?;
            let origin = stack_file.display().to_string();
            let (found, _) = parse_stack_file_with_warnings(&text, &origin, dependency.as_str())?;
            known.push(found);
        } else if toml_file.is_file() {
            let text = read_text_from(&toml_file, "")?;
            let origin = toml_file.display().to_string();
            let (found, _) = parse_dataset_toml_with_warnings(&text, &origin, dependency.as_str())?;
            known.push(found);
        }
    }
    Ok(known)
}
