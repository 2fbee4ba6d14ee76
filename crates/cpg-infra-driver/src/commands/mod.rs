//! One module per command: its arguments (a clap `Args` struct), the usage rules clap
//! cannot see and its body, the three behind [`Run`]; the [`commands!`] list below
//! registers each (its help text and its module's arguments struct) into the
//! [`Command`] enum that `cli.rs` parses and [`run`] dispatches. A new command is its
//! module and one entry of that list.

use std::path::Path;

use anyhow::{Context as _, Result};
use clap::Subcommand;
use cpg_infra_config::{CloudName, DatasetName};
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::inputs::{self, ConfigLocation, ConfigRequest, ConfigSource};
use cpg_infra_driver::say;
use cpg_infra_driver::workspace::Workspace;

use crate::cli::Cli;

/// What a command is: its body, and the usage errors clap cannot see.
pub trait Run {
    /// Runs the command.
    fn run(&self, context: &Context) -> Result<()>;

    /// The usage errors (exit 2) clap cannot see: a global flag the command would
    /// ignore, a combination it cannot honour. `cli` holds the global flags.
    fn check_usage(&self, cli: &Cli, env: &CompilerEnv) -> Result<(), String> {
        let _ = (cli, env);
        Ok(())
    }
}

/// Declares each command's module and registers its arguments as a [`Command`].
macro_rules! commands {
    ($($(#[$attr:meta])* $variant:ident($module:ident::$args:ident),)*) => {
        $(mod $module;)*

        /// The commands, in the order `--help` lists them.
        #[derive(Debug, Subcommand)]
        pub enum Command {
            $($(#[$attr])* $variant($module::$args),)*
        }

        impl Command {
            /// The command's arguments, as what runs it.
            fn runner(&self) -> &dyn Run {
                match self {
                    $(Self::$variant(args) => args,)*
                }
            }
        }
    };
}

commands! {
    /// Show what would be created (default): a summary line per dataset and the
    /// totals; every resource with --detail or for a single --dataset.
    Plan(plan::PlanArgs),
    /// Print the Pulumi program of one dataset (compiler mode when PULUMI_STACK is set),
    /// or with --out-dir write the program of every selected dataset to DIR/<dataset>.json.
    Program(program::ProgramArgs),
    /// List the registered clouds.
    Clouds(clouds::CloudsArgs),
    /// Validate the configuration, that every dataset plans, and the policies of `check`
    /// (unsuppressed findings on stderr; an error exits 1), without printing plans.
    Validate(validate::ValidateArgs),
    /// Print the JSON Schema of cpg.toml, of datasets/<name>.toml or of Pulumi.<dataset>.yaml.
    Schema(schema::SchemaArgs),
    /// Run `pulumi up` (or `pulumi preview`) on every dataset stack, in dependency order.
    ///
    /// The reference dataset goes first; each stack runs after the stacks in its
    /// datasets:depends_on. With --dataset, only those stacks run and their dependencies are
    /// assumed deployed. Stops at the first failure.
    Deploy(deploy::DeployArgs),
    /// Write the stack file Pulumi.NAME.yaml of a new dataset (validated, never overwritten).
    NewDataset(new_dataset::NewDatasetArgs),
    // `new-dataset --cloud NAME` (the global flag) writes datasets:deploy_locations.
    /// Compare the programs of a change with a base: resources added, removed, changed
    /// and replaced, with flags (data-loss, access-widening, access-narrowing, cost,
    /// replace). Exit 3 when something is flagged (access-narrowing only informs).
    Diff(diff::DiffArgs),
    /// Check every planned program against the organisation's built-in policies.
    ///
    /// One finding per resource and reason, naming the dataset, the cloud, the
    /// resource's logical and real names and what to do. Exit 1 when an error is not
    /// suppressed (warnings alone exit 0). `validate` runs the same checks.
    Check(check::CheckArgs),
    /// Who can do what: one row per grant (principal, access level, role, the
    /// capabilities the role's permission facts give, resource, the program resource
    /// that grants it).
    Access(access::AccessArgs),
}

/// A usage error: `flag` is not used by `command`, and why.
/// The base of a comparison from `--base REV` or `--base-config FILE [--base-stack-dir
/// DIR]` (none when neither is given).
fn base_of(
    rev: Option<&String>,
    config: Option<&std::path::PathBuf>,
    stack_dir: Option<&std::path::PathBuf>,
) -> Option<cpg_infra_driver::review::base::Base> {
    use cpg_infra_driver::review::base::Base;
    match (rev, config) {
        (Some(rev), _) => Some(Base::Rev(rev.clone())),
        (None, Some(config)) => Some(Base::Folder {
            config: config.clone(),
            stack_dir: stack_dir.cloned(),
        }),
        (None, None) => None,
    }
}

fn reject(flag: &str, command: &str, why: &str) -> Result<(), String> {
    Err(format!("{flag} is not used by `{command}`: {why}"))
}

/// The usage errors of a command that reads no configuration: every global flag.
fn reads_no_configuration(cli: &Cli, command: &str) -> Result<(), String> {
    let why = "it reads no configuration; drop the flag";
    if !cli.datasets.is_empty() {
        return reject("--dataset", command, why);
    }
    if !cli.clouds.is_empty() {
        return reject("--cloud", command, why);
    }
    if cli.config.is_some() || cli.stack_dir.is_some() || cli.example {
        return reject("--config, --stack-dir or --example", command, why);
    }
    Ok(())
}

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

/// The usage errors of the command of `cli` (none for the default `plan`).
pub fn check_usage(cli: &Cli, env: &CompilerEnv) -> Result<(), String> {
    cli.command
        .as_ref()
        .map_or(Ok(()), |command| command.runner().check_usage(cli, env))
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
    let default = Command::Plan(plan::PlanArgs::default());
    cli.command
        .as_ref()
        .unwrap_or(&default)
        .runner()
        .run(&context)
}
