//! `program`: one dataset's Pulumi program, every selected dataset's into a folder, or
//! (no dataset) compiler mode and Pulumi's provider discovery.

use anyhow::{Context as _, Result};
use cpg_infra_abstraction::render::text::count;
use cpg_infra_driver::{compiler, pipeline};

use super::Context;
use crate::cli::ProgramArgs;
use crate::output::{emit, emit_bytes};

/// Prints (or with `--out-dir` writes) the programs.
pub fn run(args: &ProgramArgs, context: &Context) -> Result<()> {
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
