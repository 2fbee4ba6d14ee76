//! `diff`: what a change does to the programs, compared with a base (a git revision or
//! another configuration); exit 3 when something is flagged.

use anyhow::{Result, bail};
use cpg_infra_driver::{inputs, logging, review};

use super::{Context, base_of};
use crate::cli::{DiffArgs, DiffFormat, text_style};
use crate::output::emit;

/// Prints the diff report; fails with [`review::Flagged`] when a flag gates the change.
pub fn run(args: &DiffArgs, context: &Context) -> Result<()> {
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
    let diffs = review::compare::compare(&base, &current, context.datasets, context.clouds)?;
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
