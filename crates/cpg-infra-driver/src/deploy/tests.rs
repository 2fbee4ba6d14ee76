//! The deployment order, the scheduler and the output relay, without processes.

use std::sync::Mutex;
use std::time::Duration;

use super::example_graph::{DEPENDENCIES, ORDER};
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

/// The datasets of [`DEPENDENCIES`].
fn set() -> Vec<DatasetConfig> {
    DEPENDENCIES.iter().map(|(n, deps)| ds(n, deps)).collect()
}

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
