//! `diff`: what a change does to the programs, compared with a base (a git revision or
//! another configuration); exit 3 when something is flagged.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::{inputs, logging, review};

use super::{Context, Run, base_of, reject};
use crate::cli::{Cli, ColorArg, text_style};
use crate::output::emit;

/// The arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base is the same config and stack files at this git revision.
    #[arg(long, value_name = "REV", required_unless_present = "base_config",
          conflicts_with_all = ["base_config", "base_stack_dir"])]
    pub base: Option<String>,
    /// The base is this infrastructure TOML ...
    #[arg(long, value_name = "FILE")]
    pub base_config: Option<PathBuf>,
    /// ... with the stack files of this folder (default: the base config's folder).
    #[arg(long, value_name = "DIR", requires = "base_config")]
    pub base_stack_dir: Option<PathBuf>,
    /// Output format (md: for a pull-request comment).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Colour the text: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Md,
}

impl Run for DiffArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }

    fn check_usage(&self, cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
        if matches!(self.format, DiffFormat::Json | DiffFormat::Md) && self.color.is_some() {
            return reject(
                "--color",
                "diff --format json or md",
                "only the text report is coloured; drop the flag",
            );
        }
        if self.base.is_some() && cli.example {
            return reject(
                "--example",
                "diff --base",
                "--base REV reads the configuration at REV from git, and the embedded example is in none; pass --config FILE",
            );
        }
        Ok(())
    }
}

/// Prints the diff report; fails with [`review::Flagged`] when a flag gates the change.
fn run(args: &DiffArgs, context: &Context) -> Result<()> {
    let Some(base) = base_of(
        args.base.as_ref(),
        args.base_config.as_ref(),
        args.base_stack_dir.as_ref(),
    ) else {
        bail!("diff needs --base REV or --base-config FILE");
    };
    let location = context.locate()?;
    let complete = context.datasets.is_empty();
    let current = inputs::load(&location, complete)?;
    let base = review::base::load(&base, &location, complete)?;
    let (base, current) = review::compare::sides(base, current, context.datasets, context.clouds)?;
    let diffs = review::compare::compare(&base, &current, &[])?;
    logging::flush();
    let report = match args.format {
        DiffFormat::Text => text_style(args.color).apply(&review::diff_report::text(&diffs)),
        DiffFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&review::diff_report::json(&diffs))?
        ),
        DiffFormat::Md => review::diff_report::markdown(&diffs),
    };
    emit(&report)?;
    if diffs.iter().any(review::diff::DatasetDiff::gates) {
        return Err(review::Flagged.into());
    }
    Ok(())
}
