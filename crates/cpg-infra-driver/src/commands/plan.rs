//! `plan` (the default command): what would be created, a summary line per dataset and
//! the totals, every resource with `--detail` or for one dataset; or the JSON plans.

use std::io::Write;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use cpg_infra_abstraction::render;
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::{logging, review};

use super::{Context, Run, SUPPRESS_HINT, reject};
use crate::cli::{Cli, ColorArg, text_style};

/// The arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// List every resource with its properties, outputs and diagnostics (text).
    #[arg(long)]
    pub detail: bool,
    /// Colour the text: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,
}

/// `plan --format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

impl Default for PlanArgs {
    /// What runs when no command is given: the text summary.
    fn default() -> Self {
        Self {
            format: Format::Text,
            detail: false,
            color: None,
        }
    }
}

impl Run for PlanArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }

    fn check_usage(&self, _cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
        if matches!(self.format, Format::Json) && (self.detail || self.color.is_some()) {
            let flag = if self.detail { "--detail" } else { "--color" };
            return reject(
                flag,
                "plan --format json",
                "the JSON plan always lists everything, uncoloured; drop the flag",
            );
        }
        Ok(())
    }
}

/// Prints the plans of the selected datasets.
fn run(args: &PlanArgs, context: &Context) -> Result<()> {
    let workspace = context.workspace()?;
    // First pass: every dataset must plan, so an error never leaves partial
    // output, and its access invariants hold (they fail a plan as they fail
    // `check`, unless suppressed); second pass: plan again and print each dataset
    // as it comes, holding one plan at a time (planning is cheap, memory is not).
    let report = review::check_report::check(&workspace, false)?;
    let broken: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none() && f.policy.access_invariant)
        .map(review::check_report::line)
        .collect();
    if !broken.is_empty() {
        bail!("{}\n{SUPPRESS_HINT}", broken.join("\n"));
    }
    // Warnings of loading come before the plan, not after a long output.
    logging::flush();
    let style = text_style(args.color);
    // The resource list with --detail, or when one dataset is asked for.
    let detail = args.detail || context.datasets.len() == 1;
    let format = args.format;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut totals = render::text::Totals::default();
    let mut unavailable = render::diagnostics::Unavailable::default();
    if matches!(format, Format::Json) {
        out.write_all(b"[")?;
    }
    for (i, dataset) in workspace.selected.iter().enumerate() {
        let plan = workspace.plan(dataset)?;
        totals.add(&plan);
        unavailable.add(&plan);
        match format {
            Format::Text if detail => {
                out.write_all(style.apply(&render::text::dataset(&plan)).as_bytes())?
            }
            Format::Text => out.write_all(
                style
                    .apply(&format!("dataset {}", render::text::overview(&plan)))
                    .as_bytes(),
            )?,
            Format::Json => {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut out, &render::json::plan(&plan))?;
            }
        }
    }
    match format {
        Format::Text if detail => {
            out.write_all(render::text::summary(totals.datasets, totals.resources).as_bytes())?
        }
        Format::Text => {
            out.write_all(render::text::totals(&totals).as_bytes())?;
            out.write_all(unavailable.text().as_bytes())?;
        }
        Format::Json => out.write_all(b"\n]\n")?,
    }
    out.flush().context("writing to stdout")
}
