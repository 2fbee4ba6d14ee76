//! `deploy`: `pulumi up` (or `preview`) on every selected stack in dependency order,
//! with `--base` the changed stacks only and blocked steps refused.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use cpg_infra_abstraction::render::text::count;
use cpg_infra_config::DatasetName;
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::deploy::{self, Action, PulumiRunner};
use cpg_infra_driver::inputs::ConfigLocation;
use cpg_infra_driver::workspace::Workspace;
use cpg_infra_driver::{budget_window, logging, messages, review, say, say_raw};

use super::{Context, Run, reject};
use crate::cli::Cli;
use crate::output::emit;

/// The arguments of `deploy`.
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

impl Run for DeployArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }

    fn check_usage(&self, cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
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
        let action = if self.preview {
            Action::Preview
        } else {
            Action::Up { yes: self.yes }
        };
        action
            .check_parallel(usize::from(self.parallel))
            .map_err(|e| e.to_string())
    }
}

/// Runs the stacks; stops at the first failure.
fn run(args: &DeployArgs, context: &Context) -> Result<()> {
    let &DeployArgs {
        preview,
        yes,
        parallel,
        changed,
        allow_blocked,
        ..
    } = args;
    let parallel = usize::from(parallel);
    let base = args.base.as_deref();
    let action = if preview {
        Action::Preview
    } else {
        Action::Up { yes }
    };
    let location = context.locate()?;
    let ConfigLocation::File { path, .. } = &location else {
        bail!(
            "deploy needs a configuration file for Pulumi: pass --config FILE or set CPG_CONFIG_PATH"
        );
    };
    let config_path = std::path::absolute(path).context("resolving the config path")?;
    // Pulumi deploys each stack to its own deploy_locations (`--cloud` is refused).
    let workspace = Workspace::open(&location, context.datasets, &[])?;
    let inputs = &workspace.inputs;
    let selected = &workspace.selected;
    let Some(stack_dir) = &inputs.stack_dir else {
        bail!("deploy needs a stack directory: pass --stack-dir DIR");
    };
    let stack_dir = std::path::absolute(stack_dir).context("resolving the stack directory")?;
    let verb = if preview { "previewing" } else { "deploying" };
    let base_side = match base {
        Some(rev) => {
            let inputs = review::base::load(
                &review::base::Base::Rev(rev.to_owned()),
                &location,
                context.datasets.is_empty(),
            )?;
            Some(review::compare::base_side(inputs, context.datasets, &[])?)
        }
        None => None,
    };
    let only: Vec<DatasetName> = if let (true, Some(rev), Some(base_side)) =
        (changed, base, base_side.as_ref())
    {
        let changes = review::changed::changes(base_side, &workspace)?;
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
    } else if context.datasets.is_empty() {
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
    if let Some(warning) =
        budget_window::budget_start_warning(&inputs.infrastructure, &inputs.datasets, &plan)
    {
        tracing::warn!("{warning}");
    }
    if let Some(base_side) = &base_side {
        let stacks: Vec<DatasetName> = plan.steps.iter().map(|s| s.dataset.clone()).collect();
        let diffs = review::compare::compare(base_side, &workspace, &stacks)?;
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
    let pulumi = &args.pulumi;
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
