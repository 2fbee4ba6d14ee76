//! `plan` (the default command): what would be created, a summary line per dataset and
//! the totals, every resource with `--detail` or for one dataset; or the JSON plans. With a
//! base (the configuration that is deployed), each dataset also carries the engine's
//! predicted step for each resource ([`review::predict`], the prediction `diff` makes), and
//! a blocked step makes the exit code 3.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use cpg_infra_abstraction::render;
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::review::predict::{self, Prediction};
use cpg_infra_driver::workspace::Workspace;
use cpg_infra_driver::{inputs, logging, review, say};

use super::{Context, Run, SUPPRESS_HINT, base_of, reject};
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
    /// The configuration that is deployed is the same config and stack files at this git
    /// revision: every dataset's plan also predicts the engine's step for each resource
    /// (as `diff` does); exit 3 when a step is blocked.
    #[arg(long, value_name = "REV", conflicts_with_all = ["base_config", "base_stack_dir"])]
    pub base: Option<String>,
    /// The configuration that is deployed is this infrastructure TOML ...
    #[arg(long, value_name = "FILE")]
    pub base_config: Option<PathBuf>,
    /// ... with the stack files of this folder (default: the base config's folder).
    #[arg(long, value_name = "DIR", requires = "base_config")]
    pub base_stack_dir: Option<PathBuf>,
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
            base: None,
            base_config: None,
            base_stack_dir: None,
        }
    }
}

impl Run for PlanArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }

    fn check_usage(&self, cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
        if matches!(self.format, Format::Json) && (self.detail || self.color.is_some()) {
            let flag = if self.detail { "--detail" } else { "--color" };
            return reject(
                flag,
                "plan --format json",
                "the JSON plan always lists everything, uncoloured; drop the flag",
            );
        }
        if self.base.is_some() && cli.example {
            return reject(
                "--example",
                "plan --base",
                "--base REV reads the configuration at REV from git, and the embedded example is in none; pass --config FILE",
            );
        }
        Ok(())
    }
}

/// Prints the plans of the selected datasets.
fn run(args: &PlanArgs, context: &Context) -> Result<()> {
    let location = context.locate()?;
    let workspace = Workspace::open(&location, context.datasets, context.clouds)?;
    let base = base_of(
        args.base.as_ref(),
        args.base_config.as_ref(),
        args.base_stack_dir.as_ref(),
    );
    let predicted = match &base {
        Some(base) => Some(predictions(base, &location, &workspace, context)?),
        None => None,
    };
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
        let steps = predicted.as_ref().map(|p| {
            p.get(dataset.dataset.as_str())
                .map_or(&[][..], Vec::as_slice)
        });
        match format {
            Format::Text if detail => {
                let mut text = render::text::dataset(&plan);
                if let Some(steps) = steps {
                    text.push_str(&format!(
                        "  {} (against the base)\n",
                        predict::engine_line(steps)
                    ));
                    text.push_str(&predict::steps_text(steps, "    "));
                }
                out.write_all(style.apply(&text).as_bytes())?
            }
            Format::Text => {
                let mut text = format!("dataset {}", render::text::overview(&plan));
                if let Some(steps) = steps {
                    text.push_str(&format!("  {}\n", predict::engine_line(steps)));
                    text.push_str(&blocked_lines(steps));
                }
                out.write_all(style.apply(&text).as_bytes())?
            }
            Format::Json => {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                let mut json = render::json::plan(&plan);
                if let (Some(steps), Some(object)) = (steps, json.as_object_mut()) {
                    object.insert("predicted".to_owned(), predict::json(steps));
                }
                serde_json::to_writer_pretty(&mut out, &json)?;
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
    out.flush().context("writing to stdout")?;
    let blocked = predicted
        .iter()
        .flat_map(BTreeMap::values)
        .flatten()
        .any(|p| p.blocked.is_some());
    if blocked {
        return Err(review::Flagged.into());
    }
    Ok(())
}

/// The predicted steps of every selected dataset, by dataset, against `base`.
fn predictions(
    base: &review::base::Base,
    location: &inputs::ConfigLocation,
    workspace: &Workspace,
    context: &Context,
) -> Result<BTreeMap<String, Vec<Prediction>>> {
    let base = review::base::load(base, location, context.datasets.is_empty())?;
    let base = review::compare::base_side(base, context.datasets, context.clouds)?;
    let diffs = review::compare::compare(&base, workspace, &[])?;
    let mut out = BTreeMap::new();
    for diff in diffs {
        if workspace
            .selected
            .iter()
            .any(|d| d.dataset.as_str() == diff.dataset)
        {
            out.insert(diff.dataset, diff.predicted);
        } else {
            say!(
                "note: {} is in the base but no longer configured: it is not planned, and `deploy` leaves its stack alone",
                diff.dataset
            );
        }
    }
    Ok(out)
}

/// A line for each blocked step: `  ! blocked <name>: <operation> of the <type>: <why>`.
fn blocked_lines(steps: &[Prediction]) -> String {
    predict::blocked_flags(steps)
        .iter()
        .map(|f| format!("  ! blocked {}: {}\n", f.resource, f.reason))
        .collect()
}
