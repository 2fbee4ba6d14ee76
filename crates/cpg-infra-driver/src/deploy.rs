//! Deploying the dataset stacks: `pulumi preview` or `pulumi up` for every
//! dataset stack, in dependency order.
//!
//! The work is split in three parts so that the order can be tested without
//! processes:
//!
//! 1. [`deploy_plan`] turns the configured datasets into [`Step`]s: every stack
//!    with the stacks it waits for (its `depends_on` plus the implicit
//!    dependency on the reference dataset, which therefore comes first). A
//!    dependency cycle is an error naming the cycle, before anything runs.
//! 2. [`run_plan`] schedules the steps on up to `parallel` threads, each step
//!    only once the steps it waits for are done, with a caller-supplied
//!    closure that runs one stack. It stops starting stacks at the first
//!    failure, lets the running ones finish and returns a [`DeployReport`]:
//!    done, failed, not run.
//! 3. [`PulumiRunner`] runs one stack with the `pulumi` executable (in the
//!    stack folder, with `CPG_CONFIG_PATH` set), relaying the child's output
//!    line by line with a `[<dataset>] ` prefix when several stacks may run at
//!    once.
//!
//! [`progress`] says where a run is (stack N of M, each result and time) and sums it
//! up in a table; [`project`] checks the Pulumi project file before anything runs.

pub mod progress;
pub mod project;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cpg_infra_config::{
    ConfigError, DatasetConfig, DatasetName, dependencies_of, dependency_order,
};

/// What can stop a deployment before any stack runs.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The configuration is inconsistent (e.g. a dependency cycle).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A stack asked for with `--dataset` is not configured.
    #[error("unknown dataset `{name}` (--dataset); configured datasets: {known}")]
    UnknownDataset {
        /// The name asked for.
        name: String,
        /// The configured datasets, comma-separated.
        known: String,
    },
    /// `--parallel 0`.
    #[error("--parallel must be at least 1")]
    ZeroParallel,
    /// `pulumi up` without `--yes` on several stacks at once.
    #[error(
        "`pulumi up` without --yes asks for confirmation, which works only one stack at a time; pass --yes (or --preview) with --parallel {0}, or drop --parallel"
    )]
    NeedsYes(usize),
}

/// The Pulumi command to run on each stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `pulumi preview --stack <dataset>`.
    Preview,
    /// `pulumi up --stack <dataset>`, with `--yes` to skip the confirmation.
    Up {
        /// Pass `--yes`.
        yes: bool,
    },
}

impl Action {
    /// The arguments of the `pulumi` call for `stack`.
    pub fn args(self, stack: &DatasetName) -> Vec<String> {
        let mut args = match self {
            Action::Preview => vec!["preview".to_owned()],
            Action::Up { .. } => vec!["up".to_owned()],
        };
        args.push("--stack".to_owned());
        args.push(stack.to_string());
        if let Action::Up { yes: true } = self {
            args.push("--yes".to_owned());
        }
        args
    }

    /// Checks that the action can run with `parallel` stacks at once.
    pub fn check_parallel(self, parallel: usize) -> Result<(), DeployError> {
        if parallel == 0 {
            return Err(DeployError::ZeroParallel);
        }
        if parallel > 1 && self == (Action::Up { yes: false }) {
            return Err(DeployError::NeedsYes(parallel));
        }
        Ok(())
    }
}

/// One stack to run and the stacks of the same run it waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The dataset (= the stack name).
    pub dataset: DatasetName,
    /// The stacks of this run that must be done first.
    pub after: Vec<DatasetName>,
}

/// The stacks to run, in a dependency order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployPlan {
    /// Every stack to run, each after the stacks it waits for.
    pub steps: Vec<Step>,
    /// Dependencies of the selected stacks that are not run (assumed deployed):
    /// the configured ones in dependency order, then any configured elsewhere
    /// (not in the given datasets), by name.
    pub assumed_deployed: Vec<DatasetName>,
}

/// The stacks to run: every dataset, or only those of `only` (when not empty), in a
/// deterministic dependency order (the reference dataset first, ties by name).
///
/// The whole set is checked for cycles first, whatever `only` selects.
pub fn deploy_plan(
    datasets: &[DatasetConfig],
    reference: &DatasetName,
    only: &[DatasetName],
) -> Result<DeployPlan, DeployError> {
    let order = dependency_order(datasets, reference)?;
    let by_name: BTreeMap<&DatasetName, &DatasetConfig> =
        datasets.iter().map(|d| (&d.dataset, d)).collect();
    for name in only {
        if !by_name.contains_key(name) {
            return Err(DeployError::UnknownDataset {
                name: name.to_string(),
                known: order
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    let selected: BTreeSet<&DatasetName> = if only.is_empty() {
        by_name.keys().copied().collect()
    } else {
        only.iter().collect()
    };
    let mut assumed: BTreeSet<DatasetName> = BTreeSet::new();
    let mut steps = Vec::new();
    for name in &order {
        if !selected.contains(name) {
            continue;
        }
        let Some(dataset) = by_name.get(name) else {
            continue;
        };
        let mut after = Vec::new();
        for dep in dependencies_of(dataset, reference) {
            if selected.contains(&dep) {
                after.push(dep);
            } else {
                assumed.insert(dep);
            }
        }
        steps.push(Step {
            dataset: name.clone(),
            after,
        });
    }
    // Configured ones in dependency order, then those configured elsewhere, by name.
    let mut assumed_deployed: Vec<DatasetName> = order
        .iter()
        .filter(|n| assumed.contains(*n))
        .cloned()
        .collect();
    assumed_deployed.extend(assumed.into_iter().filter(|n| !by_name.contains_key(n)));
    Ok(DeployPlan {
        steps,
        assumed_deployed,
    })
}

/// The outcome of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployReport {
    /// The stacks that succeeded, in the order they finished.
    pub done: Vec<DatasetName>,
    /// The stacks that failed, with the reason, in the order they finished.
    pub failed: Vec<(DatasetName, String)>,
    /// The stacks not run because of a failure, in plan order.
    pub not_run: Vec<DatasetName>,
    /// Every stack that ran, in the order it started, with how long it took.
    pub ran: Vec<(DatasetName, Duration)>,
}

impl DeployReport {
    /// Whether every stack succeeded.
    pub fn success(&self) -> bool {
        self.failed.is_empty() && self.not_run.is_empty()
    }
}

fn join(names: &[DatasetName]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for DeployReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "done ({}): {}", self.done.len(), join(&self.done))?;
        if self.failed.is_empty() {
            writeln!(f, "failed (0): none")?;
        } else {
            writeln!(f, "failed ({}):", self.failed.len())?;
            for (name, reason) in &self.failed {
                writeln!(f, "  {name}: {reason}")?;
            }
        }
        writeln!(
            f,
            "not run ({}): {}",
            self.not_run.len(),
            join(&self.not_run)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Pending,
    Running,
    Done,
    Failed,
}

/// Runs the plan's stacks with `run_stack`, up to `parallel` at once (at least one), each
/// once every stack it waits for is done.
///
/// After the first failure no stack is started; the running ones finish. `run_stack`
/// returns the reason of a failure; a panic in it counts as a failure.
pub fn run_plan<F>(plan: &DeployPlan, parallel: usize, run_stack: F) -> DeployReport
where
    F: Fn(&DatasetName) -> Result<(), String> + Sync,
{
    run_plan_observed(plan, parallel, run_stack, |_| {})
}

/// [`run_plan`], telling `observe` as each stack starts (its number in start order) and
/// finishes (its result and time).
pub fn run_plan_observed<F, O>(
    plan: &DeployPlan,
    parallel: usize,
    run_stack: F,
    mut observe: O,
) -> DeployReport
where
    F: Fn(&DatasetName) -> Result<(), String> + Sync,
    O: FnMut(progress::Event<'_>),
{
    let parallel = parallel.max(1);
    let steps = &plan.steps;
    let index: BTreeMap<&DatasetName, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (&s.dataset, i))
        .collect();
    let waits: Vec<Vec<usize>> = steps
        .iter()
        .map(|s| {
            s.after
                .iter()
                .filter_map(|d| index.get(d).copied())
                .collect()
        })
        .collect();
    let mut state = vec![State::Pending; steps.len()];
    // (number in start order, when it started) of each step that started.
    let mut started: Vec<Option<(usize, Instant)>> = vec![None; steps.len()];
    let total = steps.len();
    let mut report = DeployReport::default();
    let run_stack = &run_stack;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Result<(), String>)>();
        let mut running = 0usize;
        let mut stopped = false;
        loop {
            if !stopped {
                for i in 0..steps.len() {
                    if running >= parallel {
                        break;
                    }
                    if state[i] != State::Pending
                        || !waits[i].iter().all(|w| state[*w] == State::Done)
                    {
                        continue;
                    }
                    state[i] = State::Running;
                    running += 1;
                    let tx = tx.clone();
                    let dataset = &steps[i].dataset;
                    tracing::info!(%dataset, "starting stack");
                    let number = report.ran.len() + 1;
                    report.ran.push((dataset.clone(), Duration::ZERO));
                    started[i] = Some((number, Instant::now()));
                    observe(progress::Event::Started {
                        dataset,
                        number,
                        total,
                    });
                    scope.spawn(move || {
                        let result = catch_unwind(AssertUnwindSafe(|| run_stack(dataset)))
                            .unwrap_or_else(|_| Err("the stack runner panicked".to_owned()));
                        // The receiver lives until every stack has reported.
                        let _ = tx.send((i, result));
                    });
                }
            }
            if running == 0 {
                break;
            }
            let Ok((i, result)) = rx.recv() else { break };
            running -= 1;
            let dataset = steps[i].dataset.clone();
            if let Some((number, at)) = started[i] {
                let elapsed = at.elapsed();
                report.ran[number - 1].1 = elapsed;
                observe(progress::Event::Finished {
                    dataset: &dataset,
                    number,
                    total,
                    failure: result.as_ref().err().map(String::as_str),
                    elapsed,
                });
            }
            match result {
                Ok(()) => {
                    tracing::info!(%dataset, "stack done");
                    state[i] = State::Done;
                    report.done.push(dataset);
                }
                Err(reason) => {
                    tracing::info!(%dataset, %reason, "stack failed");
                    state[i] = State::Failed;
                    report.failed.push((dataset, reason));
                    stopped = true;
                }
            }
        }
    });
    report.not_run = steps
        .iter()
        .zip(&state)
        .filter(|(_, s)| **s == State::Pending)
        .map(|(step, _)| step.dataset.clone())
        .collect();
    report
}

/// Runs one stack with the `pulumi` executable.
#[derive(Debug, Clone)]
pub struct PulumiRunner {
    /// The `pulumi` executable (a bare name is looked up on `PATH`).
    pub pulumi: PathBuf,
    /// `preview` or `up`.
    pub action: Action,
    /// The Pulumi project folder (holding `Pulumi.yaml` and the stack files).
    pub stack_dir: PathBuf,
    /// The infrastructure config, passed as `CPG_CONFIG_PATH` (absolute).
    pub config_path: PathBuf,
    /// Relay the child's stdout/stderr line by line with a `[<dataset>] ` prefix
    /// (else the child inherits the terminal, so that Pulumi can ask questions).
    pub prefix_output: bool,
}

impl PulumiRunner {
    /// The command line shown in messages, e.g. `pulumi up --stack x --yes`.
    pub fn display(&self, stack: &DatasetName) -> String {
        let mut parts = vec![self.pulumi.display().to_string()];
        parts.extend(self.action.args(stack));
        parts.join(" ")
    }

    /// The child process for `stack`, not started.
    pub fn command(&self, stack: &DatasetName) -> Command {
        let mut command = Command::new(&self.pulumi);
        command
            .args(self.action.args(stack))
            .current_dir(&self.stack_dir)
            .env("CPG_CONFIG_PATH", &self.config_path);
        command
    }

    /// Runs `pulumi` for `stack`; the error is the reason of a failure.
    pub fn run_stack(&self, stack: &DatasetName) -> Result<(), String> {
        let shown = self.display(stack);
        let mut command = self.command(stack);
        let prefix = format!("[{stack}] ");
        // The command itself is said by the progress line (`progress::line`).
        if self.prefix_output {
            command
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
        }
        let mut child = command.spawn().map_err(|e| {
            format!(
                "cannot run `{}` in {}: {e}; install Pulumi or pass --pulumi PATH",
                self.pulumi.display(),
                self.stack_dir.display()
            )
        })?;
        let status = std::thread::scope(|scope| {
            if let Some(out) = child.stdout.take() {
                let prefix = prefix.as_str();
                scope.spawn(move || relay(out, prefix, std::io::stdout));
            }
            if let Some(err) = child.stderr.take() {
                let prefix = prefix.as_str();
                scope.spawn(move || relay(err, prefix, std::io::stderr));
            }
            child.wait()
        });
        match status {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(format!("`{shown}` failed ({status})")),
            Err(e) => Err(format!("`{shown}`: cannot wait for the process: {e}")),
        }
    }
}

/// Copies `input` to the writer made by `output`, one whole line at a time, each
/// line prefixed with `prefix` (invalid UTF-8 is replaced). Write errors are
/// ignored so that the child never blocks on a full pipe.
pub fn relay<R, W, O>(input: R, prefix: &str, output: O)
where
    R: Read,
    W: Write,
    O: Fn() -> W,
{
    let mut reader = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let text = String::from_utf8_lossy(&line);
                let text = text.strip_suffix('\n').unwrap_or(&text);
                let text = text.strip_suffix('\r').unwrap_or(text);
                let mut out = output();
                let _ = writeln!(out, "{prefix}{text}");
                let _ = out.flush();
            }
        }
    }
}

#[cfg(test)]
mod example_graph;
#[cfg(test)]
mod tests;
