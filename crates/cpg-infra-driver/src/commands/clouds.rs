//! `clouds`: the registered clouds, one per line with its description, or as JSON with
//! the provider packages each pins and their provider facts (what the e2e harness
//! installs and behaves by, so that a new cloud needs no edit of the harness).

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use cpg_infra_abstraction::{CloudPlugin, provider_facts, registered_clouds};
use serde_json::{Value, json};

use cpg_infra_driver::compiler::CompilerEnv;

use super::{Context, Run, reads_no_configuration};
use crate::cli::Cli;
use crate::output::emit;

/// The arguments of `clouds`.
#[derive(Debug, Args)]
pub struct CloudsArgs {
    /// Output format (json: each cloud's provider packages and provider facts too).
    #[arg(long, value_enum, default_value_t = CloudsFormat::Text)]
    pub format: CloudsFormat,
}

/// `clouds --format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CloudsFormat {
    Text,
    Json,
}

impl Run for CloudsArgs {
    fn run(&self, _context: &Context) -> Result<()> {
        let clouds = registered_clouds();
        match self.format {
            CloudsFormat::Text => emit(&text(&clouds)),
            CloudsFormat::Json => emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json_of(&clouds)?)?
            )),
        }
    }

    fn check_usage(&self, cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
        reads_no_configuration(cli, "clouds")
    }
}

/// One line per cloud: its name and description.
fn text(clouds: &[&CloudPlugin]) -> String {
    clouds
        .iter()
        .map(|cloud| format!("{:<8} {}\n", cloud.name, cloud.description))
        .collect()
}

/// `{"clouds": [{"name", "description", "providers": [{"name", "version"}],
/// "provider_facts": [<facts file>]}]}`, in the registry's order (by name), each facts
/// file parsed. Facts that do not parse, or that are not about a package the cloud pins
/// at that version, are an error: a consumer would otherwise behave by facts about
/// another provider.
fn json_of(clouds: &[&CloudPlugin]) -> Result<Value> {
    let problems = provider_facts::problems();
    if !problems.is_empty() {
        bail!(
            "the registered clouds' provider facts cannot be used:\n  {}",
            problems.join("\n  ")
        );
    }
    let mut out = Vec::with_capacity(clouds.len());
    for cloud in clouds {
        let facts = cloud
            .provider_facts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                serde_json::from_str::<Value>(text).with_context(|| {
                    format!("{}: provider facts file {} does not parse", cloud.name, i + 1)
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let providers: Vec<Value> = cloud
            .providers
            .iter()
            .map(|p| json!({ "name": p.name, "version": p.version }))
            .collect();
        out.push(json!({
            "name": cloud.name,
            "description": cloud.description,
            "providers": providers,
            "provider_facts": facts,
        }));
    }
    Ok(json!({ "clouds": out }))
}
