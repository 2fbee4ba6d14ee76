//! `cpg-infra-driver`: plans, validates and deploys per-dataset infrastructure.
//!
//! Exit codes: 0 ok, 1 invalid input or failed step, 2 usage error, 3 `diff` flagged
//! something.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use cpg_infra_abstraction::render::text::count;
use cpg_infra_abstraction::{registered_clouds, render};
use cpg_infra_config::{
    CloudName, DatasetName, cpg_toml_schema, dataset_toml_schema, stack_file_schema,
};
use cpg_infra_driver::compiler::{self, CompilerEnv};
use cpg_infra_driver::deploy::{self, Action, PulumiRunner};
use cpg_infra_driver::inputs::{self, ConfigLocation, ConfigRequest, ConfigSource, Inputs};
use cpg_infra_driver::pipeline;
use cpg_infra_driver::{
    help, logging, messages, new_dataset, review, say, say_raw, snippet, terminal,
};

/// The help heading of the flags every command takes (listed after the command's own).
const GLOBAL_OPTIONS: &str = "Global options";

/// Plans, validates and deploys the infrastructure of the institute's datasets.
#[derive(Debug, Parser)]
#[command(name = "cpg-infra-driver", version, about)]
struct Cli {
    /// The infrastructure TOML (default: $CPG_CONFIG_PATH, else DIR/cpg.toml with
    /// --stack-dir DIR, else cpg.toml or stack/cpg.toml in the current folder or above).
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL_OPTIONS)]
    config: Option<PathBuf>,
    /// Where Pulumi.<dataset>.yaml and datasets/*.toml are (default: the config's folder).
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL_OPTIONS)]
    stack_dir: Option<PathBuf>,
    /// Use the example organisation embedded in the binary (its cpg.toml and stack files).
    #[arg(long, global = true, conflicts_with_all = ["config", "stack_dir"], help_heading = GLOBAL_OPTIONS)]
    example: bool,
    /// Plan for these clouds instead of each dataset's deploy_locations.
    #[arg(long = "cloud", global = true, value_name = "NAME", value_parser = parse_cloud, help_heading = GLOBAL_OPTIONS)]
    clouds: Vec<CloudName>,
    /// Only these datasets (default: all).
    #[arg(long = "dataset", global = true, value_name = "NAME", value_parser = parse_dataset, help_heading = GLOBAL_OPTIONS)]
    datasets: Vec<DatasetName>,
    #[command(subcommand)]
    command: Option<Command>,
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

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what would be created (default): a summary line per dataset and the
    /// totals; every resource with --detail or for a single --dataset.
    Plan {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// List every resource with its properties, outputs and diagnostics (text).
        #[arg(long)]
        detail: bool,
        /// Colour the text: auto (on a terminal, unless NO_COLOR is set), always, never.
        #[arg(long, value_enum, value_name = "WHEN")]
        color: Option<ColorArg>,
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
    /// Validate the configuration, that every dataset plans, and the policies of `check`
    /// (unsuppressed findings on stderr; an error exits 1), without printing plans.
    Validate,
    /// Print the JSON Schema of cpg.toml, of datasets/<name>.toml or of Pulumi.<dataset>.yaml.
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
        #[arg(long, value_name = "N", default_value_t = 1,
              value_parser = clap::value_parser!(u16).range(1..))]
        parallel: u16,
        /// Run only the stacks whose program differs from --base REV's, or that read a
        /// stack output whose value changed; the others are listed as skipped.
        #[arg(long, requires = "base")]
        changed: bool,
        /// The git revision of the configuration that is deployed (the same config and
        /// stack files): --changed compares with it, and every stack's steps are predicted
        /// from it; a stack with a blocked step (one `pulumi up` would fail at) is not
        /// started.
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        /// Start stacks with blocked steps anyway (see --base).
        #[arg(long, requires = "base")]
        allow_blocked: bool,
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
    // `new-dataset --cloud NAME` (the global flag) writes datasets:deploy_locations.
    /// Compare the programs of a change with a base: resources added, removed, changed
    /// and replaced, with flags (data-loss, access-widening, access-narrowing, cost,
    /// replace). Exit 3 when something is flagged (access-narrowing only informs).
    Diff {
        /// The base is the same config and stack files at this git revision.
        #[arg(long, value_name = "REV", required_unless_present = "base_config",
              conflicts_with_all = ["base_config", "base_stack_dir"])]
        base: Option<String>,
        /// The base is this infrastructure TOML ...
        #[arg(long, value_name = "FILE")]
        base_config: Option<PathBuf>,
        /// ... with the stack files of this folder (default: the base config's folder).
        #[arg(long, value_name = "DIR", requires = "base_config")]
        base_stack_dir: Option<PathBuf>,
        /// Output format (md: for a pull-request comment).
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Colour the text: auto (on a terminal, unless NO_COLOR is set), always, never.
        #[arg(long, value_enum, value_name = "WHEN")]
        color: Option<ColorArg>,
    },
    /// Check every planned program against the organisation's built-in policies.
    ///
    /// One finding per resource and reason, naming the dataset, the cloud, the
    /// resource's logical and real names and what to do. Exit 1 when an error is not
    /// suppressed (warnings alone exit 0). `validate` runs the same checks.
    Check {
        /// Output format (sarif: SARIF 2.1.0, for code-scanning tools).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Who can do what: one row per grant (principal, access level, role, the
    /// capabilities the role's permission facts give, resource, the program resource
    /// that grants it).
    #[command(after_help = capabilities_help())]
    Access {
        /// Only principals whose name contains TEXT (case-insensitive).
        #[arg(long, value_name = "TEXT")]
        principal: Option<String>,
        /// Also every member of a group, through the memberships the plans create (those
        /// of every configured dataset: a dependant's groups inside a dependency's groups).
        #[arg(long)]
        effective: bool,
        /// Only grants whose role allows CAPABILITY (from its permission facts), e.g.
        /// `delete-objects` for "who can delete this data"; `access --help` lists them.
        #[arg(long, value_name = "CAPABILITY", value_parser = parse_capability)]
        capability: Option<cpg_infra_abstraction::Capability>,
        /// For datasets on several clouds: every grant whose access differs from the
        /// dataset's first cloud (stronger, weaker, missing), with the reason.
        #[arg(long, conflicts_with = "effective")]
        compare_clouds: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AccessFormat::Text)]
        format: AccessFormat,
    },
}

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// The style of text on stdout for `--color` (default auto) and `NO_COLOR`.
fn text_style(color: Option<ColorArg>) -> terminal::Style {
    let choice = match color {
        None | Some(ColorArg::Auto) => terminal::ColorChoice::Auto,
        Some(ColorArg::Always) => terminal::ColorChoice::Always,
        Some(ColorArg::Never) => terminal::ColorChoice::Never,
    };
    let no_color = std::env::var("NO_COLOR").ok();
    terminal::Style::for_stdout(choice, no_color.as_deref())
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AccessFormat {
    Text,
    Csv,
    Json,
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
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
    /// A stack file (Pulumi.<dataset>.yaml), for the YAML language server.
    StackFile,
}

/// mimalloc: planning and rendering allocate many small strings; the system
/// allocator spent about a third of the time of a bulk run (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    logging::init();
    let args: Vec<OsString> = std::env::args_os().collect();
    let command = Cli::command().mut_subcommand("check", |check| {
        check.after_long_help(help::policies(help::stdout_width()))
    });
    let cli = match command
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => return usage_exit(&error, &args),
    };
    let env = CompilerEnv::from_process();
    if let Err(message) = check_usage(&cli, &env) {
        let error = Cli::command().error(ErrorKind::ArgumentConflict, message);
        return usage_exit(&error, &args);
    }
    let result = run(&cli, &env);
    logging::flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `plan | head`: the reader has gone; stop quietly, as other tools do.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        // `diff` printed its report: something is flagged.
        Err(error) if error.is::<review::Flagged>() => ExitCode::from(3),
        Err(error) => {
            // Every problem of the run, one per line, each under its file's line when
            // it names one.
            let mut snippets = snippet::Snippets::for_stderr();
            let mut text = String::new();
            for line in messages::shorten_args(&format!("{error:#}"), &args).lines() {
                text.push_str(&format!("error: {line}\n"));
                text.extend(snippets.under(line));
            }
            say_raw!("{text}");
            ExitCode::from(1)
        }
    }
}

/// Prints a command-line error (help and version go to stdout, exit 0), with long
/// arguments shortened; exit 2 for usage errors.
fn usage_exit(error: &clap::Error, args: &[OsString]) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return match emit(&error.render().to_string()) {
            Err(e) if !is_broken_pipe(&e) => ExitCode::from(1),
            _ => ExitCode::SUCCESS,
        };
    }
    say_raw!(
        "{}",
        messages::shorten_args(&error.render().to_string(), args)
    );
    ExitCode::from(2)
}

/// Whether writing failed because the reader of stdout has gone (`plan | head`).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            // serde_json's writer wraps the error without exposing it as a source.
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The usage errors clap cannot see: flags a command would otherwise ignore, values
/// given twice, and what compiler mode (`PULUMI_STACK` set) decides by itself.
fn check_usage(cli: &Cli, env: &CompilerEnv) -> Result<(), String> {
    for (i, name) in cli.datasets.iter().enumerate() {
        if cli.datasets[..i].contains(name) {
            return Err(format!("--dataset {name} is given twice; give it once"));
        }
    }
    for (i, name) in cli.clouds.iter().enumerate() {
        if cli.clouds[..i].contains(name) {
            return Err(format!("--cloud {name} is given twice; give it once"));
        }
    }
    let config_flags = cli.config.is_some() || cli.stack_dir.is_some() || cli.example;
    let reject = |flag: &str, command: &str, why: &str| {
        Err(format!("{flag} is not used by `{command}`: {why}"))
    };
    match cli.command.as_ref() {
        Some(Command::Clouds) | Some(Command::Schema { .. }) => {
            let command = if matches!(cli.command, Some(Command::Clouds)) {
                "clouds"
            } else {
                "schema"
            };
            let why = "it reads no configuration; drop the flag";
            if !cli.datasets.is_empty() {
                return reject("--dataset", command, why);
            }
            if !cli.clouds.is_empty() {
                return reject("--cloud", command, why);
            }
            if config_flags {
                return reject("--config, --stack-dir or --example", command, why);
            }
        }
        Some(Command::Program { out_dir }) if env.stack.is_some() => {
            let why = "with PULUMI_STACK set (Pulumi's compiler) the stack names the dataset and its datasets:deploy_locations the clouds; unset PULUMI_STACK to choose them";
            if !cli.datasets.is_empty() {
                return reject("--dataset", "program", why);
            }
            if !cli.clouds.is_empty() {
                return reject("--cloud", "program", why);
            }
            if out_dir.is_some() {
                return reject("--out-dir", "program", why);
            }
            if cli.example {
                return reject("--example", "program", why);
            }
        }
        Some(Command::Program { out_dir: None }) => match cli.datasets.len() {
            0 => {
                let why = "without --dataset NAME (or --out-dir DIR, or PULUMI_STACK) it prints the provider-discovery program, which has no dataset";
                if !cli.clouds.is_empty() {
                    return reject("--cloud", "program", why);
                }
                if cli.example {
                    return reject("--example", "program", why);
                }
            }
            1 => {}
            n => {
                return Err(format!(
                    "`program` prints one dataset's program, and --dataset is given {n} times; pass one --dataset NAME, or --out-dir DIR for several"
                ));
            }
        },
        Some(Command::Deploy {
            preview,
            yes,
            parallel,
            ..
        }) => {
            if !cli.clouds.is_empty() {
                return reject(
                    "--cloud",
                    "deploy",
                    "Pulumi deploys each stack to its datasets:deploy_locations; set them in the stack files",
                );
            }
            if cli.example {
                return reject(
                    "--example",
                    "deploy",
                    "the example organisation is invented; pass --config FILE",
                );
            }
            let action = if *preview {
                Action::Preview
            } else {
                Action::Up { yes: *yes }
            };
            action
                .check_parallel(usize::from(*parallel))
                .map_err(|e| e.to_string())?;
        }
        Some(Command::NewDataset {
            gcp_project,
            hail_account_test,
            hail_account_standard,
            hail_account_full,
            ..
        }) => {
            if !cli.datasets.is_empty() {
                return reject(
                    "--dataset",
                    "new-dataset",
                    "the new dataset's name is its argument",
                );
            }
            if cli.example {
                return reject(
                    "--example",
                    "new-dataset",
                    "the embedded example has no folder to write to; pass --stack-dir DIR",
                );
            }
            let gcp_only = [
                ("--gcp-project", gcp_project.is_some()),
                ("--hail-account-test", hail_account_test.is_some()),
                ("--hail-account-standard", hail_account_standard.is_some()),
                ("--hail-account-full", hail_account_full.is_some()),
            ];
            if !cli.clouds.is_empty()
                && !cli.clouds.contains(&CloudName::gcp())
                && let Some((flag, _)) = gcp_only.iter().find(|(_, given)| *given)
            {
                return Err(format!(
                    "{flag} is a GCP setting, and --cloud does not include gcp; add --cloud gcp or drop {flag}"
                ));
            }
        }
        Some(Command::Plan {
            format: Format::Json,
            detail,
            color,
        }) if *detail || color.is_some() => {
            let flag = if *detail { "--detail" } else { "--color" };
            return reject(
                flag,
                "plan --format json",
                "the JSON plan always lists everything, uncoloured; drop the flag",
            );
        }
        Some(Command::Diff {
            format: DiffFormat::Json | DiffFormat::Md,
            color: Some(_),
            ..
        }) => {
            return reject(
                "--color",
                "diff --format json or md",
                "only the text report is coloured; drop the flag",
            );
        }
        Some(Command::Diff { base: Some(_), .. }) if cli.example => {
            return reject(
                "--example",
                "diff --base",
                "--base REV reads the configuration at REV from git, and the embedded example is in none; pass --config FILE",
            );
        }
        Some(Command::Program { out_dir: Some(_) })
        | Some(Command::Access { .. })
        | Some(Command::Check { .. })
        | Some(Command::Diff { .. })
        | Some(Command::Plan { .. })
        | Some(Command::Validate)
        | None => {}
    }
    Ok(())
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

fn run(cli: &Cli, env: &CompilerEnv) -> Result<()> {
    let forced = &cli.clouds;
    let command = cli.command.as_ref().unwrap_or(&Command::Plan {
        format: Format::Text,
        detail: false,
        color: None,
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
                SchemaKind::StackFile => stack_file_schema(),
            };
            emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))
        }
        Command::Program { out_dir } => program(cli, env, out_dir.as_deref()),
        Command::Check { format } => check(cli, *format),
        Command::Access {
            principal,
            effective,
            capability,
            compare_clouds,
            format,
        } => access(
            cli,
            principal.as_deref(),
            *effective,
            *capability,
            *compare_clouds,
            *format,
        ),
        Command::Diff {
            base,
            base_config,
            base_stack_dir,
            format,
            color,
        } => {
            let base = match (base, base_config) {
                (Some(rev), _) => review::base::Base::Rev(rev.clone()),
                (None, Some(config)) => review::base::Base::Folder {
                    config: config.clone(),
                    stack_dir: base_stack_dir.clone(),
                },
                (None, None) => bail!("diff needs --base REV or --base-config FILE"),
            };
            diff(cli, &base, *format, *color)
        }
        Command::Deploy {
            preview,
            yes,
            pulumi,
            parallel,
            changed,
            base,
            allow_blocked,
        } => deploy(
            cli,
            DeployFlags {
                preview: *preview,
                yes: *yes,
                parallel: usize::from(*parallel),
                changed: *changed,
                allow_blocked: *allow_blocked,
            },
            pulumi,
            base.as_deref(),
        ),
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
                clouds: cli.clouds.clone(),
            };
            // The name is checked before anything is read.
            spec.stack_file_text()?;
            let inputs = inputs::load_for_new_dataset(&locate(cli)?)?;
            let Some(stack_dir) = inputs.stack_dir.clone() else {
                bail!("new-dataset needs a stack directory: pass --stack-dir DIR or --config FILE");
            };
            let path = new_dataset::create(&spec, &inputs, &stack_dir)?;
            let path = std::path::absolute(&path).unwrap_or(path);
            emit(&format!("{}\n", path.display()))
        }
        Command::Validate => {
            let inputs = load(cli)?;
            let selected = select(&inputs, &cli.datasets)?;
            pipeline::validate_for_clouds(&inputs.infrastructure, &selected, forced)?;
            let deployments = pipeline::Deployments::of(&inputs.datasets);
            // Planning checks what only a plan knows: adopted names, existing-resource
            // ids, duplicate resource names; then the policies check each plan.
            let report = review::check_report::check(
                &inputs.infrastructure,
                &inputs.origin,
                &selected,
                forced,
                &deployments,
                cli.datasets.is_empty(),
            )?;
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
                count(selected.len(), "dataset")
            ))
        }
        Command::Plan {
            format,
            detail,
            color,
        } => {
            let inputs = load(cli)?;
            let selected = select(&inputs, &cli.datasets)?;
            pipeline::validate_for_clouds(&inputs.infrastructure, &selected, forced)?;
            let deployments = pipeline::Deployments::of(&inputs.datasets);
            // First pass: every dataset must plan, so an error never leaves partial
            // output, and its access invariants hold (they fail a plan as they fail
            // `check`, unless suppressed); second pass: plan again and print each dataset
            // as it comes, holding one plan at a time (planning is cheap, memory is not).
            let report = review::check_report::check(
                &inputs.infrastructure,
                &inputs.origin,
                &selected,
                forced,
                &deployments,
                false,
            )?;
            let broken: Vec<String> = report
                .findings
                .iter()
                .filter(|f| {
                    f.suppressed.is_none()
                        && review::invariants::ACCESS_INVARIANTS.contains(&f.policy)
                })
                .map(review::check_report::line)
                .collect();
            if !broken.is_empty() {
                bail!("{}\n{SUPPRESS_HINT}", broken.join("\n"));
            }
            // Warnings of loading come before the plan, not after a long output.
            logging::flush();
            let style = text_style(*color);
            // The resource list with --detail, or when one dataset is asked for.
            let detail = *detail || cli.datasets.len() == 1;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut totals = render::text::Totals::default();
            let mut unavailable = render::diagnostics::Unavailable::default();
            if matches!(format, Format::Json) {
                out.write_all(b"[")?;
            }
            for (i, dataset) in selected.iter().enumerate() {
                let clouds = pipeline::clouds_for(dataset, forced);
                let plan = pipeline::plan(&inputs.infrastructure, dataset, &clouds, &deployments)?;
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
                Format::Text if detail => out.write_all(
                    render::text::summary(totals.datasets, totals.resources).as_bytes(),
                )?,
                Format::Text => {
                    out.write_all(render::text::totals(&totals).as_bytes())?;
                    out.write_all(unavailable.text().as_bytes())?;
                }
                Format::Json => out.write_all(b"\n]\n")?,
            }
            out.flush().context("writing to stdout")
        }
    }
}

/// What to do about a policy error, said once after the errors.
const SUPPRESS_HINT: &str = "policy errors: fix each, or accept it with a [[infrastructure.check.suppress]] entry in cpg.toml (policy, dataset, resource, and a reason); `cpg-infra-driver check` lists every finding";

fn check(cli: &Cli, format: CheckFormat) -> Result<()> {
    let inputs = load(cli)?;
    let selected = select(&inputs, &cli.datasets)?;
    pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &cli.clouds)?;
    let deployments = pipeline::Deployments::of(&inputs.datasets);
    let report = review::check_report::check(
        &inputs.infrastructure,
        &inputs.origin,
        &selected,
        &cli.clouds,
        &deployments,
        cli.datasets.is_empty(),
    )?;
    logging::flush();
    let text = match format {
        CheckFormat::Text => report.text(),
        CheckFormat::Json => format!("{}\n", serde_json::to_string_pretty(&report.json())?),
        CheckFormat::Sarif => {
            let cwd = std::env::current_dir().context("reading the current folder")?;
            let artifacts = review::sarif::Artifacts::of(&inputs, &cwd);
            let log = review::sarif::log(&report, &artifacts);
            format!("{}\n", serde_json::to_string_pretty(&log)?)
        }
    };
    emit(&text)?;
    if report.fails() {
        bail!("{SUPPRESS_HINT}");
    }
    Ok(())
}

/// `--capability NAME`.
fn parse_capability(name: &str) -> Result<cpg_infra_abstraction::Capability, String> {
    cpg_infra_abstraction::Capability::parse(name)
}

/// The capabilities `access --capability` takes, for its `--help`.
fn capabilities_help() -> String {
    let mut help = String::from(
        "Capabilities (what a role's permissions allow, the same words on every cloud):\n",
    );
    for capability in cpg_infra_abstraction::Capability::ALL {
        help.push_str(&format!(
            "  {:<16} {}\n",
            capability.as_str(),
            capability.meaning()
        ));
    }
    help
}

fn access(
    cli: &Cli,
    principal: Option<&str>,
    effective: bool,
    capability: Option<cpg_infra_abstraction::Capability>,
    compare_clouds: bool,
    format: AccessFormat,
) -> Result<()> {
    let inputs = load(cli)?;
    let selected = select(&inputs, &cli.datasets)?;
    pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &cli.clouds)?;
    let deployments = pipeline::Deployments::of(&inputs.datasets);
    if compare_clouds {
        let mut differences = Vec::new();
        for dataset in &selected {
            let clouds = pipeline::clouds_for(dataset, &cli.clouds);
            let plan = pipeline::plan(&inputs.infrastructure, dataset, &clouds, &deployments)?;
            differences.extend(review::compare_clouds::differences(&plan));
        }
        if let Some(text) = principal {
            let text = text.to_lowercase();
            differences.retain(|d| d.principal.to_lowercase().contains(&text));
        }
        logging::flush();
        let format = match format {
            AccessFormat::Text => "text",
            AccessFormat::Csv => "csv",
            AccessFormat::Json => "json",
            AccessFormat::Md => "md",
        };
        return emit(&review::compare_clouds::render(&differences, format));
    }
    let mut rows = review::access::matrix(
        &inputs.infrastructure,
        &inputs.datasets,
        &selected,
        &cli.clouds,
        &deployments,
        effective,
    )?;
    if let Some(capability) = capability {
        rows = review::access::filter_capability(rows, capability);
    }
    if let Some(text) = principal {
        rows = review::access::filter_principal(rows, text);
    }
    logging::flush();
    let report = match format {
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

fn diff(
    cli: &Cli,
    base: &review::base::Base,
    format: DiffFormat,
    color: Option<ColorArg>,
) -> Result<()> {
    let location = locate(cli)?;
    let complete = cli.datasets.is_empty();
    let current = inputs::load(&location, complete)?;
    let base = review::base::load(base, &location, complete)?;
    let diffs = review::compare::compare(&base, &current, &cli.datasets, &cli.clouds)?;
    logging::flush();
    let report = match format {
        DiffFormat::Text => text_style(color).apply(&review::diff_report::text(&diffs)),
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

fn program(cli: &Cli, env: &CompilerEnv, out_dir: Option<&std::path::Path>) -> Result<()> {
    if let Some(out_dir) = out_dir {
        let inputs = load(cli)?;
        let selected = select(&inputs, &cli.datasets)?;
        let forced = &cli.clouds;
        pipeline::validate_for_clouds(&inputs.infrastructure, &selected, forced)?;
        let deployments = pipeline::Deployments::of(&inputs.datasets);
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let resources = pipeline::write_programs(
            &inputs.infrastructure,
            &selected,
            forced,
            &deployments,
            out_dir,
            threads,
        )?;
        return emit(&format!(
            "{}: {}, {}\n",
            out_dir.display(),
            count(selected.len(), "program"),
            count(resources, "resource")
        ));
    }
    let [name] = cli.datasets.as_slice() else {
        // Compiler mode, or Pulumi's plugin discovery (check_usage allows nothing else).
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let stack_dir = cli.stack_dir.clone().unwrap_or(cwd);
        let (program, _warnings) = compiler::program(env, cli.config.as_deref(), &stack_dir)?;
        return emit_bytes(&program);
    };
    let inputs = load(cli)?;
    let selected = select(&inputs, std::slice::from_ref(name))?;
    let forced = &cli.clouds;
    pipeline::validate_for_clouds(&inputs.infrastructure, &selected, forced)?;
    let deployments = pipeline::Deployments::of(&inputs.datasets);
    let dataset = &selected[0];
    let plan = pipeline::plan(
        &inputs.infrastructure,
        dataset,
        &pipeline::clouds_for(dataset, forced),
        &deployments,
    )?;
    emit_bytes(&pipeline::render_program(&plan))
}

/// The switches of `deploy`.
struct DeployFlags {
    preview: bool,
    yes: bool,
    parallel: usize,
    changed: bool,
    allow_blocked: bool,
}

fn deploy(
    cli: &Cli,
    flags: DeployFlags,
    pulumi: &std::path::Path,
    base: Option<&str>,
) -> Result<()> {
    let DeployFlags {
        preview,
        yes,
        parallel,
        changed,
        allow_blocked,
    } = flags;
    let action = if preview {
        Action::Preview
    } else {
        Action::Up { yes }
    };
    let location = locate(cli)?;
    let ConfigLocation::File { path, .. } = &location else {
        bail!(
            "deploy needs a configuration file for Pulumi: pass --config FILE or set CPG_CONFIG_PATH"
        );
    };
    let config_path = std::path::absolute(path).context("resolving the config path")?;
    let inputs = inputs::load(&location, cli.datasets.is_empty())?;
    let selected = select(&inputs, &cli.datasets)?;
    pipeline::validate_for_clouds(&inputs.infrastructure, &selected, &[])?;
    let Some(stack_dir) = &inputs.stack_dir else {
        bail!("deploy needs a stack directory: pass --stack-dir DIR");
    };
    let stack_dir = std::path::absolute(stack_dir).context("resolving the stack directory")?;
    let verb = if preview { "previewing" } else { "deploying" };
    let base_inputs = match base {
        Some(rev) => Some(review::base::load(
            &review::base::Base::Rev(rev.to_owned()),
            &location,
            cli.datasets.is_empty(),
        )?),
        None => None,
    };
    let only: Vec<DatasetName> = if let (true, Some(rev), Some(base_inputs)) =
        (changed, base, base_inputs.as_ref())
    {
        let changes = review::changed::changes(base_inputs, &inputs, &selected)?;
        logging::flush();
        for decision in &changes.decisions {
            let what = if decision.run { "running" } else { "skipping" };
            say!("{what} {}: {}", decision.dataset, decision.reason);
        }
        for gone in &changes.removed {
            say!(
                "not {verb} {gone}: it is no longer configured (its stack is left as it is; remove it with `pulumi destroy` and `pulumi stack rm` if that is intended)"
            );
        }
        let run: Vec<DatasetName> = changes
            .decisions
            .iter()
            .filter(|d| d.run)
            .map(|d| d.dataset.clone())
            .collect();
        if run.is_empty() {
            return emit(&format!(
                "nothing changed since {rev}: no stack to {}\n",
                if preview { "preview" } else { "deploy" }
            ));
        }
        run
    } else if cli.datasets.is_empty() {
        Vec::new()
    } else {
        selected.iter().map(|d| d.dataset.clone()).collect()
    };
    let plan = deploy::deploy_plan(
        &inputs.datasets,
        &inputs.infrastructure.reference_dataset,
        &only,
    )?;
    let missing: Vec<String> = plan
        .steps
        .iter()
        .filter(|step| {
            !stack_dir
                .join(format!("Pulumi.{}.yaml", step.dataset))
                .is_file()
        })
        .map(|step| step.dataset.to_string())
        .collect();
    // Every problem of the folder at once: the project file and the stack files.
    let mut problems: Vec<String> = deploy::project::check(&stack_dir)
        .err()
        .into_iter()
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{}: no stack file for {} {} (Pulumi.<dataset>.yaml); Pulumi reads a stack's settings from its stack file only, so a dataset defined in datasets/<dataset>.toml or [datasets.<dataset>] cannot be deployed: write its stack file (cpg-infra-driver new-dataset) or leave it out with --dataset",
            stack_dir.display(),
            if missing.len() == 1 {
                "dataset"
            } else {
                "datasets"
            },
            messages::list(&missing)
        ));
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    if let Some(warning) = cpg_infra_driver::budget_window::budget_start_warning(
        &inputs.infrastructure,
        &inputs.datasets,
        &plan,
    ) {
        tracing::warn!("{warning}");
    }
    if let Some(base_inputs) = &base_inputs {
        let stacks: Vec<DatasetName> = plan.steps.iter().map(|s| s.dataset.clone()).collect();
        let diffs = review::compare::compare(base_inputs, &inputs, &stacks, &[])?;
        logging::flush();
        let blocked = review::predict::blocked_report(&diffs);
        if !blocked.is_empty() {
            eprint!("{blocked}");
            if !allow_blocked && !preview {
                bail!(
                    "not {verb}: `pulumi up` would fail at the blocked steps above; change the configuration, or pass --allow-blocked to start the stacks anyway"
                );
            }
        }
    }
    let names: Vec<String> = plan.steps.iter().map(|s| s.dataset.to_string()).collect();
    logging::flush();
    say!(
        "{verb} {} in this order: {}",
        count(names.len(), "stack"),
        names.join(", ")
    );
    if !plan.assumed_deployed.is_empty() {
        let assumed: Vec<String> = plan
            .assumed_deployed
            .iter()
            .map(ToString::to_string)
            .collect();
        let which = if changed {
            "only the changed stacks run"
        } else {
            "only the stacks given with --dataset run"
        };
        say!(
            "{which}; their dependencies are assumed deployed: {}",
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
    let began = std::time::Instant::now();
    let report = deploy::run_plan_observed(
        &plan,
        parallel,
        |stack| runner.run_stack(stack),
        |event| {
            let command = match event {
                deploy::progress::Event::Started { dataset, .. } => runner.display(dataset),
                deploy::progress::Event::Finished { .. } => String::new(),
            };
            say!("{}", deploy::progress::line(&event, &command));
        },
    );
    say_raw!("{}", deploy::progress::table(&report, began.elapsed()));
    if report.success() {
        let past = if preview { "previewed" } else { "deployed" };
        emit(&format!(
            "{past} {}: {}\n",
            count(report.done.len(), "stack"),
            names.join(", ")
        ))
    } else {
        say_raw!("{report}");
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

/// Where the configuration comes from, from the flags and `$CPG_CONFIG_PATH`; the note
/// about the embedded example when nothing is configured.
fn locate(cli: &Cli) -> Result<ConfigLocation> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let env = std::env::var("CPG_CONFIG_PATH").ok();
    let location = inputs::locate(&ConfigRequest {
        config: cli.config.as_deref(),
        stack_dir: cli.stack_dir.as_deref(),
        env: env.as_deref(),
        example: cli.example,
        cwd: &cwd,
    })?;
    match &location {
        ConfigLocation::Embedded { requested: false } => {
            say!("{}", inputs::example_note(&cwd))
        }
        ConfigLocation::Embedded { requested: true } => {
            if let Some(env) = env.filter(|e| !e.is_empty()) {
                say!("note: --example: not reading $CPG_CONFIG_PATH ({env})");
            }
        }
        ConfigLocation::File {
            path,
            source: ConfigSource::Found,
            ..
        } if path != &cwd.join("cpg.toml") && path != &cwd.join("stack").join("cpg.toml") => {
            say!(
                "note: using {}, found above the current folder (pass --config FILE to choose)",
                path.display()
            );
        }
        ConfigLocation::File { .. } => {}
    }
    tracing::info!(?location, "configuration");
    Ok(location)
}

fn load(cli: &Cli) -> Result<Inputs> {
    let location = locate(cli)?;
    Ok(inputs::load(&location, cli.datasets.is_empty())?)
}

fn select(inputs: &Inputs, names: &[DatasetName]) -> Result<Vec<cpg_infra_config::DatasetConfig>> {
    if names.is_empty() {
        return Ok(inputs.datasets.clone());
    }
    let mut selected = Vec::new();
    let mut problems = Vec::new();
    let mut chosen = Vec::new();
    for name in names {
        if let Some(problem) = inputs.problem_of(name) {
            problems.push(problem.to_string());
            chosen.push(name.clone());
            continue;
        }
        chosen.push(name.clone());
        let dataset = inputs
            .datasets
            .iter()
            .find(|d| d.dataset == *name)
            .ok_or_else(|| {
                let configured: Vec<String> = inputs
                    .datasets
                    .iter()
                    .map(|d| d.dataset.to_string())
                    .collect();
                cpg_infra_driver::DriverError::UnknownDataset(
                    name.to_string(),
                    messages::list(&configured),
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
