//! `check`: every planned program against the built-in policies, as text, JSON or SARIF.

use anyhow::{Context as _, Result, bail};
use cpg_infra_driver::{logging, review};

use super::{Context, SUPPRESS_HINT};
use crate::cli::{CheckArgs, CheckFormat};
use crate::output::emit;

/// Prints every finding; fails when an error is not suppressed.
pub fn run(args: &CheckArgs, context: &Context) -> Result<()> {
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
