//! The command-line schema: the global flags (clap) and the value types several commands
//! share. Each command's arguments are a struct of its module, `commands/<command>.rs`,
//! registered as a [`Command`].

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use cpg_infra_config::{CloudName, DatasetName};
use cpg_infra_driver::{pipeline, terminal};

pub use crate::commands::Command;

/// The help heading of the flags every command takes (listed after the command's own).
const GLOBAL_OPTIONS: &str = "Global options";

/// Plans, validates and deploys the infrastructure of the institute's datasets.
#[derive(Debug, Parser)]
#[command(name = "cpg-infra-driver", version, about)]
pub struct Cli {
    /// The infrastructure TOML (default: $CPG_CONFIG_PATH, else DIR/cpg.toml with
    /// --stack-dir DIR, else cpg.toml or stack/cpg.toml in the current folder or above).
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL_OPTIONS)]
    pub config: Option<PathBuf>,
    /// Where Pulumi.<dataset>.yaml and datasets/*.toml are (default: the config's folder).
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL_OPTIONS)]
    pub stack_dir: Option<PathBuf>,
    /// Use the example organisation embedded in the binary (its cpg.toml and stack files).
    #[arg(long, global = true, conflicts_with_all = ["config", "stack_dir"], help_heading = GLOBAL_OPTIONS)]
    pub example: bool,
    /// Plan for these clouds instead of each dataset's deploy_locations.
    #[arg(long = "cloud", global = true, value_name = "NAME", value_parser = parse_cloud, help_heading = GLOBAL_OPTIONS)]
    pub clouds: Vec<CloudName>,
    /// Only these datasets (default: all).
    #[arg(long = "dataset", global = true, value_name = "NAME", value_parser = parse_dataset, help_heading = GLOBAL_OPTIONS)]
    pub datasets: Vec<DatasetName>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--cloud NAME`: a cloud name that a plugin registers.
fn parse_cloud(name: &str) -> Result<CloudName, String> {
    let cloud = CloudName::parse(name).map_err(|e| e.to_string())?;
    pipeline::check_cloud(&cloud, "").map_err(|e| e.to_string())?;
    Ok(cloud)
}

/// `--dataset NAME`: a valid dataset name.
fn parse_dataset(name: &str) -> Result<DatasetName, String> {
    DatasetName::parse(name).map_err(|e| e.to_string())
}

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// The style of text on stdout for `--color` (default auto) and `NO_COLOR`.
pub fn text_style(color: Option<ColorArg>) -> terminal::Style {
    let choice = match color {
        None | Some(ColorArg::Auto) => terminal::ColorChoice::Auto,
        Some(ColorArg::Always) => terminal::ColorChoice::Always,
        Some(ColorArg::Never) => terminal::ColorChoice::Never,
    };
    let no_color = std::env::var("NO_COLOR").ok();
    terminal::Style::for_stdout(choice, no_color.as_deref())
}
