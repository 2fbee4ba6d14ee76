//! `check`: every planned program against the built-in policies, as text, JSON or SARIF.

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use cpg_infra_driver::{help, logging, review};

use super::{Context, Run, SUPPRESS_HINT};
use crate::output::emit;

/// The arguments of `check`.
#[derive(Debug, Args)]
// The policies, wrapped to the terminal, with `--help` only.
#[command(after_long_help = help::policies(help::stdout_width()))]
pub struct CheckArgs {
    /// Output format (sarif: SARIF 2.1.0, for code-scanning tools).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
}

impl Run for CheckArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }
}

/// Prints every finding; fails when an error is not suppressed.
fn run(args: &CheckArgs, context: &Context) -> Result<()> {
    let workspace = context.workspace()?;
    let report = review::check_report::check(&workspace, context.datasets.is_empty())?;
    logging::flush();
    let text = match args.format {
        CheckFormat::Text => report.text(),
        CheckFormat::Json => format!("{}\n", serde_json::to_string_pretty(&report.json())?),
        CheckFormat::Sarif => {
            let cwd = std::env::current_dir().context("reading the current folder")?;
            let artifacts = review::sarif::Artifacts::of(&workspace.inputs, &cwd);
            let log = review::sarif::log(&report, &artifacts);
            format!("{}\n", serde_json::to_string_pretty(&log)?)
        }
    };
    emit(&text)?;
    if report.fails() {
        bail!("{SUPPRESS_HINT}");
    }
    Ok(())
}
