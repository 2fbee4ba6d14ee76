//! Compiler mode: how Pulumi's YAML runtime calls the driver.
//!
//! The runtime runs the `compiler` command of `Pulumi.yaml` in the project
//! folder with `PULUMI_STACK` (the dataset), `PULUMI_PROJECT` and
//! `PULUMI_CONFIG` (the stack config as a JSON object of strings) set, and
//! reads the program from stdout. It also runs it with none of them set, only
//! to learn which provider plugins the program needs: then the driver prints a
//! program that names every registered cloud's providers.

use std::path::{Path, PathBuf};

use cpg_infra_config::{
    DatasetConfig, InfrastructureConfig, dependencies_of, parse_cpg_toml,
    parse_dataset_toml_with_warnings, parse_pulumi_config_with_warnings,
    parse_stack_file_with_warnings, validate_dataset_set,
};

use crate::error::DriverError;
use crate::inputs::read_text;
use crate::pipeline::{self, Deployments};

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
/// settings): the dataset's program when
/// `PULUMI_STACK` is set, else the provider discovery program. Warnings are returned.
pub fn program(env: &CompilerEnv, cwd: &Path) -> Result<(Vec<u8>, Vec<String>), DriverError> {
    let Some(stack) = &env.stack else {
        let mut text =
            serde_json::to_vec_pretty(&pipeline::discovery_program()).unwrap_or_default();
        text.push(b'\n');
        return Ok((text, Vec::new()));
    };
    let path = env
        .config_path
        .as_ref()
        .map_or_else(|| cwd.join("cpg.toml"), PathBuf::from);
    let (config, configured) = load_infrastructure(&path)?;
    let (dataset, mut warnings) = parse_pulumi_config_with_warnings(
        env.config
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or("{}"),
        stack,
    )?;
    dataset.validate(&config)?;
    warnings.extend(validate_dataset_set(
        std::slice::from_ref(&dataset),
        &config,
        false,
    )?);
    pipeline::validate_for_clouds(&config, std::slice::from_ref(&dataset), &[])?;
    let deployments = dependency_deployments(&config, &dataset, &configured, cwd)?;
    let plan = pipeline::plan(&config, &dataset, &dataset.deploy_locations, &deployments)?;
    Ok((pipeline::render_program(&plan), warnings))
}

/// The infrastructure config and the `[datasets.*]` tables of `cpg.toml`.
fn load_infrastructure(
    path: &Path,
) -> Result<(InfrastructureConfig, Vec<DatasetConfig>), DriverError> {
    let text = read_text(path)?;
    let parsed = parse_cpg_toml(&text, &path.display().to_string())?;
    parsed.infrastructure.validate()?;
    Ok((parsed.infrastructure, parsed.datasets))
}

/// Where the dependencies of `dataset` deploy, from their configuration next to
/// this stack: the `[datasets.<dep>]` table of `cpg.toml`, else `Pulumi.<dep>.yaml`
/// or `datasets/<dep>.toml` in the project folder (where Pulumi keeps every
/// stack's file). Only the dependencies are read; one that is not found is left
/// out (the blueprint says what it assumes for it).
fn dependency_deployments(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    configured: &[DatasetConfig],
    cwd: &Path,
) -> Result<Deployments, DriverError> {
    let mut known = Vec::new();
    for dependency in dependencies_of(dataset, &config.reference_dataset) {
        if let Some(found) = configured.iter().find(|d| d.dataset == dependency) {
            known.push(found.clone());
            continue;
        }
        let stack_file = cwd.join(format!("Pulumi.{dependency}.yaml"));
        let toml_file = cwd.join("datasets").join(format!("{dependency}.toml"));
        if stack_file.is_file() {
            let text = read_text(&stack_file)?;
            let origin = stack_file.display().to_string();
            let (found, _) = parse_stack_file_with_warnings(&text, &origin, dependency.as_str())?;
            known.push(found);
        } else if toml_file.is_file() {
            let text = read_text(&toml_file)?;
            let origin = toml_file.display().to_string();
            let (found, _) = parse_dataset_toml_with_warnings(&text, &origin, dependency.as_str())?;
            known.push(found);
        }
    }
    Ok(Deployments::of(&known))
}
