//! `program`: one dataset's Pulumi program, every selected dataset's into a folder, or
//! (no dataset) compiler mode and Pulumi's provider discovery.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use cpg_infra_abstraction::render::text::count;
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::{compiler, pipeline};

use super::{Context, Run, reject};
use crate::cli::Cli;
use crate::output::{emit, emit_bytes};

/// The arguments of `program`.
#[derive(Debug, Args)]
pub struct ProgramArgs {
    /// Write every selected dataset's program into this folder (in parallel).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

impl Run for ProgramArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }

    fn check_usage(&self, cli: &Cli, env: &CompilerEnv) -> Result<(), String> {
        if env.stack.is_some() {
            let why = "with PULUMI_STACK set (Pulumi's compiler) the stack names the dataset and its datasets:deploy_locations the clouds; unset PULUMI_STACK to choose them";
            if !cli.datasets.is_empty() {
                return reject("--dataset", "program", why);
            }
            if !cli.clouds.is_empty() {
                return reject("--cloud", "program", why);
            }
            if self.out_dir.is_some() {
                return reject("--out-dir", "program", why);
            }
            if cli.example {
                return reject("--example", "program", why);
            }
            return Ok(());
        }
        if self.out_dir.is_some() {
            return Ok(());
        }
        match cli.datasets.len() {
            0 => {
                let why = "without --dataset NAME (or --out-dir DIR, or PULUMI_STACK) it prints the provider-discovery program, which has no dataset";
                if !cli.clouds.is_empty() {
                    return reject("--cloud", "program", why);
                }
                if cli.example {
                    return reject("--example", "program", why);
                }
                Ok(())
            }
            1 => Ok(()),
            n => Err(format!(
                "`program` prints one dataset's program, and --dataset is given {n} times; pass one --dataset NAME, or --out-dir DIR for several"
            )),
        }
    }
}

/// Prints (or with `--out-dir` writes) the programs.
fn run(args: &ProgramArgs, context: &Context) -> Result<()> {
    if let Some(out_dir) = args.out_dir.as_deref() {
        let workspace = context.workspace()?;
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let resources = pipeline::write_programs(
            &workspace.inputs.infrastructure,
            &workspace.selected,
            &workspace.forced,
            &workspace.deployments,
            out_dir,
            threads,
        )?;
        return emit(&format!(
            "{}: {}, {}\n",
            out_dir.display(),
            count(workspace.selected.len(), "program"),
            count(resources, "resource")
        ));
    }
    let [_] = context.datasets else {
        // Compiler mode, or Pulumi's plugin discovery (check_usage allows nothing else).
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let stack_dir = context.stack_dir.map_or(cwd, ToOwned::to_owned);
        let (program, _warnings) = compiler::program(context.env, context.config, &stack_dir)?;
        return emit_bytes(&program);
    };
    let workspace = context.workspace()?;
    let plan = workspace.plan(&workspace.selected[0])?;
    emit_bytes(&pipeline::render_program(&plan))
}
