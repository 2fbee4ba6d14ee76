//! `cpg-infra-driver`: plans, validates and deploys per-dataset infrastructure.
//!
//! Exit codes: 0 ok, 1 invalid input or failed step, 2 usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use cpg_infra_abstraction::{registered_clouds, render};
use cpg_infra_config::{CloudName, DatasetName, cpg_toml_schema, dataset_toml_schema};
use cpg_infra_driver::compiler::{self, CompilerEnv};
use cpg_infra_driver::inputs::{self, Inputs};
use cpg_infra_driver::pipeline;
use tracing_subscriber::EnvFilter;

/// Plans, validates and deploys the infrastructure of the institute's datasets.
#[derive(Debug, Parser)]
#[command(name = "cpg-infra-driver", version, about)]
struct Cli {
    /// The infrastructure TOML (default: $CPG_CONFIG_PATH, else stack/cpg.toml found from the
    /// current folder upwards, else the embedded example).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where Pulumi.<dataset>.yaml and datasets/*.toml are (default: the config's folder).
    #[arg(long, global = true, value_name = "DIR")]
    stack_dir: Option<PathBuf>,
    /// Plan for these clouds instead of each dataset's deploy_locations.
    #[arg(long = "cloud", global = true, value_name = "NAME")]
    clouds: Vec<String>,
    /// Only these datasets (default: all).
    #[arg(long = "dataset", global = true, value_name = "NAME")]
    datasets: Vec<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what would be created (default).
    Plan {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the Pulumi program of one dataset (compiler mode when PULUMI_STACK is set).
    Program,
    /// List the registered clouds.
    Clouds,
    /// Validate the configuration only.
    Validate,
    /// Print the JSON Schema of cpg.toml or of datasets/<name>.toml.
    Schema {
        /// Which file.
        #[arg(value_enum, default_value_t = SchemaKind::CpgToml)]
        kind: SchemaKind,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The infrastructure file (cpg.toml).
    CpgToml,
    /// A dataset file (datasets/<name>.toml).
    Dataset,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("warn")))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// Writes `text` to stdout in one piece (nothing is printed on failure paths).
fn emit(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).context("writing to stdout")?;
    stdout.flush().context("writing to stdout")
}

fn run(cli: Cli) -> Result<()> {
    let forced = parse_clouds(&cli.clouds)?;
    let command = cli.command.as_ref().unwrap_or(&Command::Plan { format: Format::Text });
    match command {
        Command::Clouds => {
            let mut text = String::new();
            for cloud in registered_clouds() {
                text.push_str(&format!("{:<8} {}\n", cloud.name, cloud.description));
            }
            emit(&text)
        }
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::CpgToml => cpg_toml_schema(),
                SchemaKind::Dataset => dataset_toml_schema(),
            };
            emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))
        }
        Command::Program => program(&cli),
        Command::Validate => {
            let inputs = load(&cli)?;
            let selected = select(&inputs, &cli.datasets)?;
            pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &forced)?;
            emit(&format!(
                "{}: {} datasets valid\n",
                inputs.origin,
                selected.len()
            ))
        }
        Command::Plan { format } => {
            let inputs = load(&cli)?;
            let selected = select(&inputs, &cli.datasets)?;
            pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &forced)?;
            let mut plans = Vec::new();
            for dataset in &selected {
                let clouds = pipeline::clouds_for(dataset, &forced);
                plans.push(pipeline::plan(&inputs.infrastructure, dataset, &clouds)?);
            }
            match format {
                Format::Text => emit(&render::text::text(&plans)),
                Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&render::json::json(&plans))?)),
            }
        }
    }
}

fn program(cli: &Cli) -> Result<()> {
    let env = CompilerEnv::from_process();
    if env.stack.is_some() || cli.datasets.is_empty() {
        let cwd = std::env::current_dir().context("reading the current folder")?;
        // Warnings were logged where they were found (RUST_LOG controls them).
        let (program, _warnings) = compiler::program(&env, &cwd)?;
        return emit(&format!("{}\n", serde_json::to_string_pretty(&program)?));
    }
    let [name] = cli.datasets.as_slice() else {
        bail!("`program` prints one dataset's program: pass exactly one --dataset NAME");
    };
    let inputs = load(cli)?;
    let selected = select(&inputs, std::slice::from_ref(name))?;
    let forced = parse_clouds(&cli.clouds)?;
    pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &forced)?;
    let dataset = &selected[0];
    let plan = pipeline::plan(&inputs.infrastructure, dataset, &pipeline::clouds_for(dataset, &forced))?;
    emit(&format!("{}\n", serde_json::to_string_pretty(&pipeline::program(&plan))?))
}

fn parse_clouds(names: &[String]) -> Result<Vec<CloudName>> {
    let mut clouds = Vec::new();
    for name in names {
        let cloud = CloudName::parse(name).with_context(|| format!("--cloud {name}"))?;
        pipeline::check_cloud(&cloud, " (--cloud)")?;
        if !clouds.contains(&cloud) {
            clouds.push(cloud);
        }
    }
    Ok(clouds)
}

fn load(cli: &Cli) -> Result<Inputs> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let env = std::env::var("CPG_CONFIG_PATH").ok();
    let location = inputs::locate_config(cli.config.as_deref(), env.as_deref(), &cwd);
    tracing::info!(?location, "configuration");
    Ok(inputs::load(
        &location,
        cli.stack_dir.as_deref(),
        cli.datasets.is_empty(),
    )?)
}

fn select(inputs: &Inputs, names: &[String]) -> Result<Vec<cpg_infra_config::DatasetConfig>> {
    if names.is_empty() {
        return Ok(inputs.datasets.clone());
    }
    let mut selected = Vec::new();
    for name in names {
        let name = DatasetName::parse(name).with_context(|| format!("--dataset {name}"))?;
        let dataset = inputs
            .datasets
            .iter()
            .find(|d| d.dataset == name)
            .ok_or_else(|| {
                cpg_infra_driver::DriverError::UnknownDataset(
                    name.to_string(),
                    inputs
                        .datasets
                        .iter()
                        .map(|d| d.dataset.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })?;
        selected.push(dataset.clone());
    }
    Ok(selected)
}
