//! `access`: who can do what, one row per grant; or, across a dataset's clouds, every
//! grant whose access differs.

use anyhow::Result;
use cpg_infra_driver::{logging, review};

use super::Context;
use crate::cli::{AccessArgs, AccessFormat};
use crate::output::emit;

/// Prints the access matrix (or the differences between clouds) of the selected datasets.
pub fn run(args: &AccessArgs, context: &Context) -> Result<()> {
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
