//! `validate`: the configuration, that every dataset plans, and the policies of `check`,
//! without printing plans.

use anyhow::{Result, bail};
use clap::Args;
use cpg_infra_abstraction::render::text::count;
use cpg_infra_driver::{logging, review, say};

use super::{Context, Run, SUPPRESS_HINT};
use crate::output::emit;

/// The arguments of `validate` (none).
#[derive(Debug, Args)]
pub struct ValidateArgs {}

impl Run for ValidateArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(context)
    }
}

/// Validates the selected datasets; unsuppressed findings on stderr, errors fail.
fn run(context: &Context) -> Result<()> {
    let workspace = context.workspace()?;
    let inputs = &workspace.inputs;
    // Planning checks what only a plan knows: adopted names, existing-resource
    // ids, duplicate resource names; then the policies check each plan.
    let report = review::check_report::check(&workspace, context.datasets.is_empty())?;
    logging::flush();
    let mut errors = Vec::new();
    for (severity, line) in report.problems() {
        match severity {
            review::check::Severity::Error => errors.push(line),
            review::check::Severity::Warning => say!("warning: {line}"),
        }
    }
    if !errors.is_empty() {
        errors.push(SUPPRESS_HINT.to_owned());
        bail!("{}", errors.join("\n"));
    }
    // The plans' own warnings, grouped; what a cloud lacks, once per run.
    for line in report.plan_warnings.lines() {
        say!("warning: {line}");
    }
    for line in report.unavailable.lines() {
        say!("note: {line}");
    }
    emit(&format!(
        "{}: {} valid\n",
        inputs.origin,
        count(workspace.selected.len(), "dataset")
    ))
}
