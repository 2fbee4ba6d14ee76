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
use cpg_infra_driver::deploy::{self, Action, PulumiRunner};
use cpg_infra_driver::inputs::{self, ConfigLocation, Inputs};
use cpg_infra_driver::new_dataset;
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
    /// Print the Pulumi program of one dataset (compiler mode when PULUMI_STACK is set),
    /// or with --out-dir write the program of every selected dataset to DIR/<dataset>.json.
    Program {
        /// Write every selected dataset's program into this folder (in parallel).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// List the registered clouds.
    Clouds,
    /// Validate the configuration (and that every dataset plans) without printing plans.
    Validate,
    /// Print the JSON Schema of cpg.toml or of datasets/<name>.toml.
    Schema {
        /// Which file.
        #[arg(value_enum, default_value_t = SchemaKind::CpgToml)]
        kind: SchemaKind,
    },
    /// Run `pulumi up` (or `pulumi preview`) on every dataset stack, in dependency order.
    ///
    /// The reference dataset goes first; each stack runs after the stacks in its
    /// datasets:depends_on. With --dataset, only those stacks run and their dependencies are
    /// assumed deployed. Stops at the first failure.
    Deploy {
        /// Run `pulumi preview` instead of `pulumi up`.
        #[arg(long)]
        preview: bool,
        /// Pass --yes to `pulumi up` (needed with --parallel above 1).
        #[arg(long, conflicts_with = "preview")]
        yes: bool,
        /// The pulumi executable.
        #[arg(long, value_name = "PATH", default_value = "pulumi")]
        pulumi: PathBuf,
        /// Run up to N stacks at once (their output lines are prefixed with `[<dataset>] `).
        #[arg(long, value_name = "N", default_value_t = 1)]
        parallel: usize,
    },
    /// Write the stack file Pulumi.NAME.yaml of a new dataset (validated, never overwritten).
    NewDataset {
        /// The new dataset's name (2 to 21 characters: lowercase letters, digits, hyphens;
        /// starts with a letter, ends with a letter or digit).
        name: String,
        /// The dataset's GCP project id (default: the dataset name).
        #[arg(long, value_name = "ID")]
        gcp_project: Option<String>,
        /// The Hail Batch service account of the test level.
        #[arg(long, value_name = "EMAIL")]
        hail_account_test: Option<String>,
        /// The Hail Batch service account of the standard level.
        #[arg(long, value_name = "EMAIL")]
        hail_account_standard: Option<String>,
        /// The Hail Batch service account of the full level.
        #[arg(long, value_name = "EMAIL")]
        hail_account_full: Option<String>,
        /// A dataset the new one depends on (repeatable).
        #[arg(long = "depends-on", value_name = "NAME")]
        depends_on: Vec<String>,
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

/// mimalloc: planning and rendering allocate many small strings; the system
/// allocator spent about a third of the time of a bulk run (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Every problem of the run, one per line.
            for line in format!("{error:#}").lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(1)
        }
    }
}

/// Writes `text` to stdout in one piece (nothing is printed on failure paths).
fn emit(text: &str) -> Result<()> {
    emit_bytes(text.as_bytes())
}

/// Writes `bytes` to stdout in one piece.
fn emit_bytes(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes).context("writing to stdout")?;
    stdout.flush().context("writing to stdout")
}

fn run(cli: Cli) -> Result<()> {
    let forced = parse_clouds(&cli.clouds)?;
    let command = cli.command.as_ref().unwrap_or(&Command::Plan {
        format: Format::Text,
    });
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
        Command::Program { out_dir } => program(&cli, out_dir.as_deref()),
        Command::Deploy {
            preview,
            yes,
            pulumi,
            parallel,
        } => deploy(&cli, *preview, *yes, pulumi, *parallel),
        Command::NewDataset {
            name,
            gcp_project,
            hail_account_test,
            hail_account_standard,
            hail_account_full,
            depends_on,
        } => {
            let spec = new_dataset::NewDataset {
                name: name.clone(),
                gcp_project: gcp_project.clone(),
                hail_account_test: hail_account_test.clone(),
                hail_account_standard: hail_account_standard.clone(),
                hail_account_full: hail_account_full.clone(),
                depends_on: depends_on.clone(),
            };
            // The name is checked before anything is read.
            spec.stack_file_text()?;
            let inputs = load(&cli)?;
            let Some(stack_dir) = inputs.stack_dir.clone() else {
                bail!("new-dataset needs a stack directory: pass --stack-dir DIR or --config FILE");
            };
            let path = new_dataset::create(&spec, &inputs, &stack_dir)?;
            let path = std::path::absolute(&path).unwrap_or(path);
            emit(&format!("{}\n", path.display()))
        }
        Command::Validate => {
            let inputs = load(&cli)?;
            let selected = select(&inputs, &cli.datasets)?;
            pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &forced)?;
            // Planning checks what only a plan knows: adopted names, existing-resource
            // ids, duplicate resource names.
            pipeline::check_plans(&inputs.infrastructure, &selected, &forced)?;
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
            // First pass: every dataset must plan, so an error never leaves partial
            // output; second pass: plan again and print each dataset as it comes,
            // holding one plan at a time (planning is cheap, memory is not).
            pipeline::check_plans(&inputs.infrastructure, &selected, &forced)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut resources = 0;
            if matches!(format, Format::Json) {
                out.write_all(b"[")?;
            }
            for (i, dataset) in selected.iter().enumerate() {
                let clouds = pipeline::clouds_for(dataset, &forced);
                let plan = pipeline::plan(&inputs.infrastructure, dataset, &clouds)?;
                resources += plan.resources.len();
                match format {
                    Format::Text => out.write_all(render::text::dataset(&plan).as_bytes())?,
                    Format::Json => {
                        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                        serde_json::to_writer_pretty(&mut out, &render::json::plan(&plan))?;
                    }
                }
            }
            match format {
                Format::Text => {
                    out.write_all(render::text::summary(selected.len(), resources).as_bytes())?
                }
                Format::Json => out.write_all(b"\n]\n")?,
            }
            out.flush().context("writing to stdout")
        }
    }
}

fn program(cli: &Cli, out_dir: Option<&std::path::Path>) -> Result<()> {
    let env = CompilerEnv::from_process();
    if let Some(out_dir) = out_dir.filter(|_| env.stack.is_none()) {
        let inputs = load(cli)?;
        let selected = select(&inputs, &cli.datasets)?;
        let forced = parse_clouds(&cli.clouds)?;
        pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &forced)?;
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let resources =
            pipeline::write_programs(&inputs.infrastructure, &selected, &forced, out_dir, threads)?;
        return emit(&format!(
            "{}: {} programs, {resources} resources\n",
            out_dir.display(),
            selected.len()
        ));
    }
    if env.stack.is_some() || cli.datasets.is_empty() {
        let cwd = std::env::current_dir().context("reading the current folder")?;
        // Warnings were logged where they were found (RUST_LOG controls them).
        let (program, _warnings) = compiler::program(&env, &cwd)?;
        return emit_bytes(&program);
    }
    let [name] = cli.datasets.as_slice() else {
        bail!("`program` prints one dataset's program: pass exactly one --dataset NAME");
    };
    let inputs = load(cli)?;
    let selected = select(&inputs, std::slice::from_ref(name))?;
    let forced = parse_clouds(&cli.clouds)?;
    pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &forced)?;
    let dataset = &selected[0];
    let plan = pipeline::plan(
        &inputs.infrastructure,
        dataset,
        &pipeline::clouds_for(dataset, &forced),
    )?;
    emit_bytes(&pipeline::render_program(&plan))
}

fn deploy(
    cli: &Cli,
    preview: bool,
    yes: bool,
    pulumi: &std::path::Path,
    parallel: usize,
) -> Result<()> {
    let action = if preview {
        Action::Preview
    } else {
        Action::Up { yes }
    };
    action.check_parallel(parallel)?;
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let env = std::env::var("CPG_CONFIG_PATH").ok();
    let location = inputs::locate_config(cli.config.as_deref(), env.as_deref(), &cwd);
    let ConfigLocation::File(config_path) = &location else {
        bail!(
            "deploy needs a configuration file for Pulumi: pass --config FILE or set CPG_CONFIG_PATH"
        );
    };
    let config_path = std::path::absolute(config_path).context("resolving the config path")?;
    let inputs = inputs::load(&location, cli.stack_dir.as_deref(), cli.datasets.is_empty())?;
    let selected = select(&inputs, &cli.datasets)?;
    pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &[])?;
    let Some(stack_dir) = &inputs.stack_dir else {
        bail!("deploy needs a stack directory: pass --stack-dir DIR");
    };
    let stack_dir = std::path::absolute(stack_dir).context("resolving the stack directory")?;
    let only: Vec<DatasetName> = if cli.datasets.is_empty() {
        Vec::new()
    } else {
        selected.iter().map(|d| d.dataset.clone()).collect()
    };
    let plan = deploy::deploy_plan(
        &inputs.datasets,
        &inputs.infrastructure.reference_dataset,
        &only,
    )?;
    for step in &plan.steps {
        if !stack_dir
            .join(format!("Pulumi.{}.yaml", step.dataset))
            .is_file()
        {
            tracing::warn!(dataset = %step.dataset, "no stack file Pulumi.{}.yaml: Pulumi reads a dataset's settings from its stack config only", step.dataset);
        }
    }
    let names: Vec<String> = plan.steps.iter().map(|s| s.dataset.to_string()).collect();
    let verb = if preview { "previewing" } else { "deploying" };
    eprintln!(
        "{verb} {} stacks in this order: {}",
        names.len(),
        names.join(", ")
    );
    if !plan.assumed_deployed.is_empty() {
        let assumed: Vec<String> = plan
            .assumed_deployed
            .iter()
            .map(ToString::to_string)
            .collect();
        eprintln!(
            "only the stacks given with --dataset run; their dependencies are assumed deployed: {}",
            assumed.join(", ")
        );
    }
    // A path with a folder in it is made absolute (the stacks run in the stack folder);
    // a bare name is looked up on PATH.
    let pulumi = if pulumi.components().count() > 1 {
        std::path::absolute(pulumi).context("resolving --pulumi")?
    } else {
        pulumi.to_owned()
    };
    let runner = PulumiRunner {
        pulumi,
        action,
        stack_dir,
        config_path,
        prefix_output: parallel > 1,
    };
    let report = deploy::run_plan(&plan, parallel, |stack| runner.run_stack(stack));
    if report.success() {
        let past = if preview { "previewed" } else { "deployed" };
        emit(&format!(
            "{past} {} stacks: {}\n",
            report.done.len(),
            names.join(", ")
        ))
    } else {
        eprint!("{report}");
        bail!(
            "{verb} stopped: {} failed",
            report
                .failed
                .iter()
                .map(|(n, _)| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
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
    let mut problems = Vec::new();
    let mut chosen = Vec::new();
    for name in names {
        let name = DatasetName::parse(name).with_context(|| format!("--dataset {name}"))?;
        if let Some(problem) = inputs.problem_of(&name) {
            problems.push(problem.to_string());
            chosen.push(name);
            continue;
        }
        chosen.push(name.clone());
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
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    // The other datasets' problems do not block this run, but are said.
    for broken in &inputs.broken {
        if broken.dataset.as_ref().is_none_or(|d| !chosen.contains(d)) {
            for problem in broken.error.problems() {
                tracing::warn!("{problem} (not selected with --dataset: left out)");
            }
        }
    }
    Ok(selected)
}
