//! `diff`: what a change does to the programs, compared with a base (a git revision or
//! another configuration); exit 3 when something is flagged.

use anyhow::{Result, bail};
use cpg_infra_driver::{inputs, logging, review};

use super::Context;
use crate::cli::{DiffArgs, DiffFormat, text_style};
use crate::output::emit;

/// Prints the diff report; fails with [`review::Flagged`] when a flag gates the change.
pub fn run(args: &DiffArgs, context: &Context) -> Result<()> {
    let base = match (&args.base, &args.base_config) {
        (Some(rev), _) => review::base::Base::Rev(rev.clone()),
        (None, Some(config)) => review::base::Base::Folder {
            config: config.clone(),
            stack_dir: args.base_stack_dir.clone(),
        },
        (None, None) => bail!("diff needs --base REV or --base-config FILE"),
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
