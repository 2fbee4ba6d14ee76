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
    InfrastructureConfig, parse_cpg_toml, parse_pulumi_config_with_warnings, validate_dataset_set,
};

use crate::error::DriverError;
use crate::inputs::read_text;
use crate::pipeline;

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
    let config = load_infrastructure(&path)?;
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
    let plan = pipeline::plan(&config, &dataset, &dataset.deploy_locations)?;
    Ok((pipeline::render_program(&plan), warnings))
}

fn load_infrastructure(path: &Path) -> Result<InfrastructureConfig, DriverError> {
    let text = read_text(path)?;
    let parsed = parse_cpg_toml(&text, &path.display().to_string())?;
    parsed.infrastructure.validate()?;
    Ok(parsed.infrastructure)
}
