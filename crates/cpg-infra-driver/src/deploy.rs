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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;

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
        if self.prefix_output {
            crate::say!("{prefix}==> {shown}");
            command
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
        } else {
            crate::say!("==> {shown}");
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
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    fn name(s: &str) -> DatasetName {
        DatasetName::parse(s).unwrap()
    }

    fn ds(n: &str, deps: &[&str]) -> DatasetConfig {
        let mut d = DatasetConfig::new(name(n));
        d.depends_on = deps.iter().map(|s| name(s)).collect();
        d
    }

    fn names(list: &[DatasetName]) -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    }

    /// reference; diamond ds-a -> {ds-b, ds-c} -> ds-d; chain chain-x -> chain-y -> chain-z.
    fn set() -> Vec<DatasetConfig> {
        vec![
            ds("ds-a", &["ds-b", "ds-c"]),
            ds("ds-b", &["ds-d"]),
            ds("ds-c", &["ds-d"]),
            ds("ds-d", &[]),
            ds("chain-x", &["chain-y"]),
            ds("chain-y", &["chain-z"]),
            ds("chain-z", &[]),
            ds("reference", &[]),
        ]
    }

    const ORDER: [&str; 8] = [
        "reference",
        "chain-z",
        "chain-y",
        "chain-x",
        "ds-d",
        "ds-b",
        "ds-c",
        "ds-a",
    ];

    #[test]
    fn plan_orders_reference_first_and_lists_waits() {
        let plan = deploy_plan(&set(), &name("reference"), &[]).unwrap();
        let order: Vec<String> = plan.steps.iter().map(|s| s.dataset.to_string()).collect();
        assert_eq!(order, ORDER);
        let a = plan
            .steps
            .iter()
            .find(|s| s.dataset == name("ds-a"))
            .unwrap();
        assert_eq!(names(&a.after), ["ds-b", "ds-c", "reference"]);
        assert!(plan.steps[0].after.is_empty());
        assert!(plan.assumed_deployed.is_empty());
    }

    #[test]
    fn plan_restricted_assumes_dependencies() {
        let plan = deploy_plan(&set(), &name("reference"), &[name("ds-a"), name("ds-b")]).unwrap();
        let order: Vec<String> = plan.steps.iter().map(|s| s.dataset.to_string()).collect();
        assert_eq!(order, ["ds-b", "ds-a"]);
        assert_eq!(names(&plan.steps[1].after), ["ds-b"]);
        assert_eq!(names(&plan.assumed_deployed), ["reference", "ds-d", "ds-c"]);
        let partial = [ds("ds-x", &["elsewhere"]), ds("reference", &[])];
        let plan = deploy_plan(&partial, &name("reference"), &[name("ds-x")]).unwrap();
        assert_eq!(names(&plan.assumed_deployed), ["reference", "elsewhere"]);
        let err = deploy_plan(&set(), &name("reference"), &[name("nope")]).unwrap_err();
        assert!(err.to_string().contains("unknown dataset `nope`"), "{err}");
    }

    #[test]
    fn plan_cycle_is_named() {
        let mut datasets = set();
        datasets.push(ds("loop-a", &["loop-b"]));
        datasets.push(ds("loop-b", &["loop-a"]));
        let err = deploy_plan(&datasets, &name("reference"), &[name("ds-a")]).unwrap_err();
        assert!(
            err.to_string().contains("loop-a -> loop-b -> loop-a"),
            "{err}"
        );
    }

    #[test]
    fn sequential_run_follows_plan() {
        let plan = deploy_plan(&set(), &name("reference"), &[]).unwrap();
        let calls = Mutex::new(Vec::new());
        let report = run_plan(&plan, 1, |d| {
            calls.lock().unwrap().push(d.to_string());
            Ok(())
        });
        assert_eq!(*calls.lock().unwrap(), ORDER);
        assert!(report.success());
        assert_eq!(names(&report.done), ORDER);
    }

    #[test]
    fn stops_at_first_failure() {
        let plan = deploy_plan(&set(), &name("reference"), &[]).unwrap();
        let calls = Mutex::new(Vec::new());
        let report = run_plan(&plan, 1, |d| {
            calls.lock().unwrap().push(d.to_string());
            if d.as_str() == "ds-b" {
                Err("boom".to_owned())
            } else {
                Ok(())
            }
        });
        assert_eq!(*calls.lock().unwrap(), &ORDER[..6]);
        assert!(!report.success());
        assert_eq!(names(&report.done), &ORDER[..5]);
        assert_eq!(report.failed, vec![(name("ds-b"), "boom".to_owned())]);
        assert_eq!(names(&report.not_run), ["ds-c", "ds-a"]);
        let text = report.to_string();
        assert!(text.contains("failed (1):\n  ds-b: boom"), "{text}");
        assert!(text.contains("not run (2): ds-c, ds-a"), "{text}");
    }

    #[test]
    fn panic_counts_as_failure() {
        let plan = deploy_plan(&set(), &name("reference"), &[]).unwrap();
        let report = run_plan(&plan, 2, |d| {
            assert_ne!(d.as_str(), "reference", "test panic");
            Ok(())
        });
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.not_run.len(), ORDER.len() - 1);
    }

    #[test]
    fn parallel_run_respects_dependencies_and_overlaps() {
        let plan = deploy_plan(&set(), &name("reference"), &[]).unwrap();
        // (event, dataset) in the order they happened.
        let events = Mutex::new(Vec::<(bool, String)>::new());
        let active = Mutex::new(0usize);
        let max_active = Mutex::new(0usize);
        let report = run_plan(&plan, 3, |d| {
            events.lock().unwrap().push((true, d.to_string()));
            {
                let mut a = active.lock().unwrap();
                *a += 1;
                let mut m = max_active.lock().unwrap();
                *m = (*m).max(*a);
            }
            std::thread::sleep(Duration::from_millis(30));
            *active.lock().unwrap() -= 1;
            events.lock().unwrap().push((false, d.to_string()));
            Ok(())
        });
        assert!(report.success(), "{report}");
        let events = events.into_inner().unwrap();
        let pos = |start: bool, n: &str| {
            events
                .iter()
                .position(|e| *e == (start, n.to_owned()))
                .unwrap()
        };
        for step in &plan.steps {
            for dep in &step.after {
                assert!(
                    pos(false, dep.as_str()) < pos(true, step.dataset.as_str()),
                    "{events:?}"
                );
            }
        }
        let max = *max_active.lock().unwrap();
        assert!((2..=3).contains(&max), "max concurrency {max}");
    }

    #[test]
    fn parallel_failure_lets_running_finish() {
        let plan = deploy_plan(&set(), &name("reference"), &[]).unwrap();
        // ds-d runs alongside chain-z and finishes only after chain-z has failed (then a
        // margin for its report to reach the scheduler), however loaded the machine is.
        let failed = std::sync::atomic::AtomicBool::new(false);
        let report = run_plan(&plan, 2, |d| {
            if d.as_str() == "chain-z" {
                failed.store(true, std::sync::atomic::Ordering::SeqCst);
                Err("no".to_owned())
            } else {
                if d.as_str() == "ds-d" {
                    for _ in 0..5000 {
                        if failed.load(std::sync::atomic::Ordering::SeqCst) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(())
            }
        });
        assert_eq!(
            names(
                &report
                    .failed
                    .iter()
                    .map(|f| f.0.clone())
                    .collect::<Vec<_>>()
            ),
            ["chain-z"]
        );
        // ds-d started with chain-z and finishes; nothing after the failure starts.
        assert_eq!(names(&report.done), ["reference", "ds-d"]);
        assert_eq!(
            names(&report.not_run),
            ["chain-y", "chain-x", "ds-b", "ds-c", "ds-a"]
        );
    }

    #[test]
    fn action_arguments_and_parallel_rules() {
        let x = name("alpha-study");
        assert_eq!(
            Action::Preview.args(&x),
            ["preview", "--stack", "alpha-study"]
        );
        assert_eq!(
            Action::Up { yes: true }.args(&x),
            ["up", "--stack", "alpha-study", "--yes"]
        );
        assert_eq!(
            Action::Up { yes: false }.args(&x),
            ["up", "--stack", "alpha-study"]
        );
        assert!(Action::Up { yes: false }.check_parallel(1).is_ok());
        assert!(Action::Up { yes: false }.check_parallel(2).is_err());
        assert!(Action::Preview.check_parallel(4).is_ok());
        assert!(Action::Preview.check_parallel(0).is_err());
    }

    #[test]
    fn relay_prefixes_every_line() {
        #[derive(Clone, Default)]
        struct Sink(std::sync::Arc<Mutex<Vec<u8>>>);
        impl Write for Sink {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink = Sink::default();
        relay(&b"one\r\ntwo\n\xffthree"[..], "[x] ", || sink.clone());
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text, "[x] one\n[x] two\n[x] \u{fffd}three\n");
    }
}
