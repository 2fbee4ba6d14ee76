//! The command-line schema: the global flags, the commands and their arguments (clap).
//!
//! A command's arguments are one struct here; its body is `commands/<command>.rs` and
//! its usage rules (what clap cannot see) are in `usage.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use cpg_infra_abstraction::Capability;
use cpg_infra_config::{CloudName, DatasetName};
use cpg_infra_driver::{pipeline, terminal};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what would be created (default): a summary line per dataset and the
    /// totals; every resource with --detail or for a single --dataset.
    Plan(PlanArgs),
    /// Print the Pulumi program of one dataset (compiler mode when PULUMI_STACK is set),
    /// or with --out-dir write the program of every selected dataset to DIR/<dataset>.json.
    Program(ProgramArgs),
    /// List the registered clouds.
    Clouds,
    /// Validate the configuration, that every dataset plans, and the policies of `check`
    /// (unsuppressed findings on stderr; an error exits 1), without printing plans.
    Validate,
    /// Print the JSON Schema of cpg.toml, of datasets/<name>.toml or of Pulumi.<dataset>.yaml.
    Schema(SchemaArgs),
    /// Run `pulumi up` (or `pulumi preview`) on every dataset stack, in dependency order.
    ///
    /// The reference dataset goes first; each stack runs after the stacks in its
    /// datasets:depends_on. With --dataset, only those stacks run and their dependencies are
    /// assumed deployed. Stops at the first failure.
    Deploy(DeployArgs),
    /// Write the stack file Pulumi.NAME.yaml of a new dataset (validated, never overwritten).
    NewDataset(NewDatasetArgs),
    // `new-dataset --cloud NAME` (the global flag) writes datasets:deploy_locations.
    /// Compare the programs of a change with a base: resources added, removed, changed
    /// and replaced, with flags (data-loss, access-widening, access-narrowing, cost,
    /// replace). Exit 3 when something is flagged (access-narrowing only informs).
    Diff(DiffArgs),
    /// Check every planned program against the organisation's built-in policies.
    ///
    /// One finding per resource and reason, naming the dataset, the cloud, the
    /// resource's logical and real names and what to do. Exit 1 when an error is not
    /// suppressed (warnings alone exit 0). `validate` runs the same checks.
    Check(CheckArgs),
    /// Who can do what: one row per grant (principal, access level, role, the
    /// capabilities the role's permission facts give, resource, the program resource
    /// that grants it).
    #[command(after_help = capabilities_help())]
    Access(AccessArgs),
}

// The arguments of `plan`.
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

// The arguments of `program`.
#[derive(Debug, Args)]
pub struct ProgramArgs {
    /// Write every selected dataset's program into this folder (in parallel).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

// The arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file.
    #[arg(value_enum, default_value_t = SchemaKind::CpgToml)]
    pub kind: SchemaKind,
}

// The arguments of `deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Run `pulumi preview` instead of `pulumi up`.
    #[arg(long)]
    pub preview: bool,
    /// Pass --yes to `pulumi up` (needed with --parallel above 1).
    #[arg(long, conflicts_with = "preview")]
    pub yes: bool,
    /// The pulumi executable.
    #[arg(long, value_name = "PATH", default_value = "pulumi")]
    pub pulumi: PathBuf,
    /// Run up to N stacks at once (their output lines are prefixed with `[<dataset>] `).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub parallel: u16,
    /// Run only the stacks whose program differs from --base REV's, or that read a
    /// stack output whose value changed; the others are listed as skipped.
    #[arg(long, requires = "base")]
    pub changed: bool,
    /// The git revision of the configuration that is deployed (the same config and
    /// stack files): --changed compares with it, and every stack's steps are predicted
    /// from it; a stack with a blocked step (one `pulumi up` would fail at) is not
    /// started.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Start stacks with blocked steps anyway (see --base).
    #[arg(long, requires = "base")]
    pub allow_blocked: bool,
}

// The arguments of `new-dataset`.
#[derive(Debug, Args)]
pub struct NewDatasetArgs {
    /// The new dataset's name (2 to 21 characters: lowercase letters, digits, hyphens;
    /// starts with a letter, ends with a letter or digit).
    pub name: String,
    /// The dataset's GCP project id (default: the dataset name).
    #[arg(long, value_name = "ID")]
    pub gcp_project: Option<String>,
    /// The Hail Batch service account of the test level.
    #[arg(long, value_name = "EMAIL")]
    pub hail_account_test: Option<String>,
    /// The Hail Batch service account of the standard level.
    #[arg(long, value_name = "EMAIL")]
    pub hail_account_standard: Option<String>,
    /// The Hail Batch service account of the full level.
    #[arg(long, value_name = "EMAIL")]
    pub hail_account_full: Option<String>,
    /// A dataset the new one depends on (repeatable).
    #[arg(long = "depends-on", value_name = "NAME")]
    pub depends_on: Vec<String>,
}

// The arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base is the same config and stack files at this git revision.
    #[arg(long, value_name = "REV", required_unless_present = "base_config",
          conflicts_with_all = ["base_config", "base_stack_dir"])]
    pub base: Option<String>,
    /// The base is this infrastructure TOML ...
    #[arg(long, value_name = "FILE")]
    pub base_config: Option<PathBuf>,
    /// ... with the stack files of this folder (default: the base config's folder).
    #[arg(long, value_name = "DIR", requires = "base_config")]
    pub base_stack_dir: Option<PathBuf>,
    /// Output format (md: for a pull-request comment).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Colour the text: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,
}

// The arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format (sarif: SARIF 2.1.0, for code-scanning tools).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

// The arguments of `access`.
#[derive(Debug, Args)]
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AccessFormat {
    Text,
    Csv,
    Json,
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The infrastructure file (cpg.toml).
    CpgToml,
    /// A dataset file (datasets/<name>.toml).
    Dataset,
    /// A stack file (Pulumi.<dataset>.yaml), for the YAML language server.
    StackFile,
}
