//! One module per command, each a `run` taking the command's parsed arguments and the
//! [`Context`] of the run; [`run`] registers them (a new command is its arguments in
//! `cli.rs`, its module here, and one arm of [`run`]).

mod access;
mod check;
mod clouds;
mod deploy;
mod diff;
mod new_dataset;
mod plan;
mod program;
mod schema;
mod validate;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use cpg_infra_config::{CloudName, DatasetName};
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::inputs::{self, ConfigLocation, ConfigRequest, ConfigSource};
use cpg_infra_driver::workspace::Workspace;
use cpg_infra_driver::{review, say};

use crate::cli::{Cli, Command, Format, PlanArgs};

/// What to do about a policy error, said once after the errors.
const SUPPRESS_HINT: &str = "policy errors: fix each, or accept it with a [[infrastructure.check.suppress]] entry in cpg.toml (policy, dataset, resource, and a reason); `cpg-infra-driver check` lists every finding";

/// What every command may use: the global flags and compiler mode's environment.
pub struct Context<'a> {
    /// `--config FILE`.
    pub config: Option<&'a Path>,
    /// `--stack-dir DIR`.
    pub stack_dir: Option<&'a Path>,
    /// `--example`.
    pub example: bool,
    /// `--cloud NAME`s: plan for these instead of each dataset's deploy_locations.
    pub clouds: &'a [CloudName],
    /// `--dataset NAME`s: only these datasets (all when empty).
    pub datasets: &'a [DatasetName],
    /// The environment compiler mode reads.
    pub env: &'a CompilerEnv,
}

impl Context<'_> {
    /// Where the configuration comes from, from the flags and `$CPG_CONFIG_PATH`; the
    /// note about the embedded example when nothing is configured.
    pub fn locate(&self) -> Result<ConfigLocation> {
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let env = std::env::var("CPG_CONFIG_PATH").ok();
        let location = inputs::locate(&ConfigRequest {
            config: self.config,
            stack_dir: self.stack_dir,
            env: env.as_deref(),
            example: self.example,
            cwd: &cwd,
        })?;
        match &location {
            ConfigLocation::Embedded { requested: false } => {
                say!("{}", inputs::example_note(&cwd))
            }
            ConfigLocation::Embedded { requested: true } => {
                if let Some(env) = env.filter(|e| !e.is_empty()) {
                    say!("note: --example: not reading $CPG_CONFIG_PATH ({env})");
                }
            }
            ConfigLocation::File {
                path,
                source: ConfigSource::Found,
                ..
            } if path != &cwd.join("cpg.toml") && path != &cwd.join("stack").join("cpg.toml") => {
                say!(
                    "note: using {}, found above the current folder (pass --config FILE to choose)",
                    path.display()
                );
            }
            ConfigLocation::File { .. } => {}
        }
        tracing::info!(?location, "configuration");
        Ok(location)
    }

    /// The run's workspace: the configuration loaded, the `--dataset`s selected and
    /// validated for their clouds (`--cloud`, else their deploy_locations).
    pub fn workspace(&self) -> Result<Workspace> {
        let location = self.locate()?;
        Ok(Workspace::open(&location, self.datasets, self.clouds)?)
    }
}

/// The base of a comparison from `--base REV` or `--base-config FILE [--base-stack-dir
/// DIR]` (none when neither is given).
fn base_of(
    rev: Option<&String>,
    config: Option<&PathBuf>,
    stack_dir: Option<&PathBuf>,
) -> Option<review::base::Base> {
    match (rev, config) {
        (Some(rev), _) => Some(review::base::Base::Rev(rev.clone())),
        (None, Some(config)) => Some(review::base::Base::Folder {
            config: config.clone(),
            stack_dir: stack_dir.cloned(),
        }),
        (None, None) => None,
    }
}

/// Runs the command of `cli` (`plan` when none is given).
pub fn run(cli: &Cli, env: &CompilerEnv) -> Result<()> {
    let context = Context {
        config: cli.config.as_deref(),
        stack_dir: cli.stack_dir.as_deref(),
        example: cli.example,
        clouds: &cli.clouds,
        datasets: &cli.datasets,
        env,
    };
    let default = Command::Plan(PlanArgs {
        format: Format::Text,
        detail: false,
        color: None,
        base: None,
        base_config: None,
        base_stack_dir: None,
    });
    match cli.command.as_ref().unwrap_or(&default) {
        Command::Clouds => clouds::run(),
        Command::Schema(args) => schema::run(args),
        Command::Program(args) => program::run(args, &context),
        Command::Check(args) => check::run(args, &context),
        Command::Access(args) => access::run(args, &context),
        Command::Diff(args) => diff::run(args, &context),
        Command::Deploy(args) => deploy::run(args, &context),
        Command::NewDataset(args) => new_dataset::run(args, &context),
        Command::Validate => validate::run(&context),
        Command::Plan(args) => plan::run(args, &context),
    }
}
