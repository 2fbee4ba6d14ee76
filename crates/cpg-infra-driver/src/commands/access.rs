//! `access`: who can do what, one row per grant; or, across a dataset's clouds, every
//! grant whose access differs.

use anyhow::Result;
use clap::{Args, ValueEnum};
use cpg_infra_abstraction::Capability;
use cpg_infra_driver::{logging, review};

use super::{Context, Run};
use crate::output::emit;

/// The arguments of `access`.
#[derive(Debug, Args)]
#[command(after_help = capabilities_help())]
pub struct AccessArgs {
    /// Only principals whose name contains TEXT (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub principal: Option<String>,
    /// Also every member of a group, through the memberships the plans create (those
    /// of every configured dataset: a dependant's groups inside a dependency's groups).
    #[arg(long)]
    pub effective: bool,
    /// Only grants whose role allows CAPABILITY (from its permission facts), e.g.
    /// `delete-objects` for "who can delete this data"; `access --help` lists them.
    #[arg(long, value_name = "CAPABILITY", value_parser = parse_capability)]
    pub capability: Option<Capability>,
    /// For datasets on several clouds: every grant whose access differs from the
    /// dataset's first cloud (stronger, weaker, missing), with the reason.
    #[arg(long, conflicts_with = "effective")]
    pub compare_clouds: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AccessFormat::Text)]
    pub format: AccessFormat,
}

/// `--capability NAME`.
fn parse_capability(name: &str) -> Result<Capability, String> {
    Capability::parse(name)
}

/// The capabilities `access --capability` takes, for its `--help`.
fn capabilities_help() -> String {
    let mut help = String::from(
        "Capabilities (what a role's permissions allow, the same words on every cloud):\n",
    );
    for capability in Capability::ALL {
        help.push_str(&format!(
            "  {:<16} {}\n",
            capability.as_str(),
            capability.meaning()
        ));
    }
    help
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AccessFormat {
    Text,
    Csv,
    Json,
    Md,
}

impl Run for AccessArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }
}

/// Prints the access matrix (or the differences between clouds) of the selected datasets.
fn run(args: &AccessArgs, context: &Context) -> Result<()> {
    let workspace = context.workspace()?;
    let principal = args.principal.as_deref();
    if args.compare_clouds {
        let mut differences = Vec::new();
        for dataset in &workspace.selected {
            let plan = workspace.plan(dataset)?;
            differences.extend(review::compare_clouds::differences(&plan));
        }
        if let Some(text) = principal {
            let text = text.to_lowercase();
            differences.retain(|d| d.principal.to_lowercase().contains(&text));
        }
        logging::flush();
        let format = match args.format {
            AccessFormat::Text => "text",
            AccessFormat::Csv => "csv",
            AccessFormat::Json => "json",
            AccessFormat::Md => "md",
        };
        return emit(&review::compare_clouds::render(&differences, format));
    }
    let mut rows = review::access::matrix(&workspace, args.effective)?;
    if let Some(capability) = args.capability {
        rows = review::access::filter_capability(rows, capability);
    }
    if let Some(text) = principal {
        rows = review::access::filter_principal(rows, text);
    }
    logging::flush();
    let report = match args.format {
        AccessFormat::Text => review::access::text(&rows),
        AccessFormat::Csv => review::access::csv(&rows),
        AccessFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&review::access::json(&rows))?
        ),
        AccessFormat::Md => review::access::markdown(&rows),
    };
    emit(&report)
}
