//! `deploy` and `new-dataset` through the binary.
//!
//! The `deploy` tests use a stand-in `pulumi` (a bash script that records its
//! arguments, working folder and `CPG_CONFIG_PATH` in a log file, and fails for
//! the stack named in `FAKE_PULUMI_FAIL`): they check only the order and the
//! arguments of our calls, not Pulumi itself.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use cpg_infra_config::parse_stack_file;

use super::support::{repo, run};

#[path = "../../src/deploy/example_graph.rs"]
mod example_graph;
use example_graph::{DEPENDENCIES, ORDER};

/// The stand-in `pulumi`. `start`/`end` events go to `$FAKE_PULUMI_LOG`; the
/// stacks named in `$FAKE_PULUMI_RENDEZVOUS` (space-separated) each wait until
/// all of them have started (which proves they run at the same time), for at
/// most 10 seconds.
const FAKE_PULUMI: &str = r#"#!/usr/bin/env bash
stack=""
prev=""
for arg in "$@"; do
  if [ "$prev" = "--stack" ]; then stack="$arg"; fi
  prev="$arg"
done
echo "start $stack" >> "$FAKE_PULUMI_LOG"
echo "call $* | cwd=$PWD | config=$CPG_CONFIG_PATH" >> "$FAKE_PULUMI_LOG"
echo "updating $stack"
echo "diagnostics of $stack" >&2
case " $FAKE_PULUMI_RENDEZVOUS " in
  *" $stack "*)
    for _ in $(seq 100); do
      all=1
      for other in $FAKE_PULUMI_RENDEZVOUS; do
        grep -qx "start $other" "$FAKE_PULUMI_LOG" || all=0
      done
      [ "$all" = 1 ] && break
      sleep 0.1
    done
    [ "$all" = 1 ] || echo "timeout $stack" >> "$FAKE_PULUMI_LOG"
    ;;
esac
if [ "$stack" = "$FAKE_PULUMI_FAIL" ]; then
  echo "error: $stack failed" >&2
  exit 1
fi
echo "end $stack" >> "$FAKE_PULUMI_LOG"
exit 0
"#;

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("deploy-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clean scratch folder");
    }
    std::fs::create_dir_all(dir.join("bin")).expect("scratch folder");
    std::fs::create_dir_all(dir.join("stack")).expect("stack folder");
    let pulumi = dir.join("bin/pulumi");
    std::fs::write(&pulumi, FAKE_PULUMI).expect("write fake pulumi");
    std::fs::set_permissions(&pulumi, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::copy(repo().join("stack/cpg.toml"), dir.join("stack/cpg.toml"))
        .expect("copy cpg.toml");
    std::fs::copy(
        repo().join("stack/Pulumi.yaml"),
        dir.join("stack/Pulumi.yaml"),
    )
    .expect("copy Pulumi.yaml");
    dir
}

/// `text` with every duration (`1.2s`, `2m05s`) replaced by `<time>`: the progress
/// lines and the table are asserted whole, whatever the machine's speed.
fn without_times(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_inclusive([' ', '\n']) {
        let (body, end) = word.split_at(word.trim_end_matches([' ', '\n']).len());
        let body_core = body.trim_end_matches([',', ':']);
        let suffix = &body[body_core.len()..];
        let is_time = body_core.strip_suffix('s').is_some_and(|n| {
            let seconds = n.split_once('m').map_or(n, |(m, s)| {
                if m.bytes().all(|b| b.is_ascii_digit()) {
                    s
                } else {
                    "x"
                }
            });
            !seconds.is_empty()
                && seconds.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && seconds.bytes().any(|b| b.is_ascii_digit())
        });
        if is_time {
            out.push_str("<time>");
            out.push_str(suffix);
        } else {
            out.push_str(body);
        }
        out.push_str(end);
    }
    out
}

#[test]
fn deploy_says_where_it_is_and_sums_up() {
    let dir = scratch("progress");
    diamond_and_chain(&dir);
    let out = deploy(&dir, &["--yes"], &[("FAKE_PULUMI_FAIL", "ds-b")]);
    assert_eq!(out.status.code(), Some(1));
    let err = without_times(&text(&out.stderr));
    let pulumi = dir.join("bin/pulumi");
    let pulumi = pulumi.display();
    let progress: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("==> ") || l.starts_with("<== "))
        .collect();
    let mut expected = Vec::new();
    for (i, stack) in ORDER[..6].iter().enumerate() {
        let n = i + 1;
        expected.push(format!(
            "==> stack {n} of 8 ({stack}): {pulumi} up --stack {stack} --yes"
        ));
        expected.push(if *stack == "ds-b" {
            format!(
                "<== stack {n} of 8 ({stack}): failed in <time>: `{pulumi} up --stack ds-b --yes` failed (exit status: 1)"
            )
        } else {
            format!("<== stack {n} of 8 ({stack}): done in <time>")
        });
    }
    assert_eq!(progress, expected, "{err}");
    let table = &err[err.find("  #  stack ").expect("the summary table")..];
    let table: String = table.lines().take(10).map(|l| format!("{l}\n")).collect();
    assert_eq!(
        table,
        "  #  stack      result   time
  1  reference  done     <time>
  2  chain-z    done     <time>
  3  chain-y    done     <time>
  4  chain-x    done     <time>
  5  ds-d       done     <time>
  6  ds-b       failed   <time>
  -  ds-c       not run  -
  -  ds-a       not run  -
8 stacks: 5 done, 1 failed, 2 not run, in <time>
"
    );
    // The same lines with several stacks at once, whose output is prefixed.
    std::fs::remove_file(dir.join("pulumi.log")).expect("reset log");
    let out = deploy(&dir, &["--yes", "--parallel", "3"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = without_times(&text(&out.stderr));
    for stack in ORDER {
        let started = err
            .lines()
            .filter(|l| l.starts_with("==> stack ") && l.contains(&format!(" of 8 ({stack}): ")))
            .count();
        let done = err
            .lines()
            .filter(|l| {
                l.starts_with("<== stack ")
                    && l.ends_with(&format!(" of 8 ({stack}): done in <time>"))
            })
            .count();
        assert_eq!((started, done), (1, 1), "{stack}: {err}");
    }
    assert!(
        err.contains("8 stacks: 8 done, 0 failed, 0 not run, in <time>\n"),
        "{err}"
    );
}

#[test]
fn a_stack_folder_without_a_pulumi_project_file_is_refused_before_anything_runs() {
    let dir = scratch("no-project");
    diamond_and_chain(&dir);
    std::fs::remove_file(dir.join("stack/Pulumi.yaml")).expect("remove Pulumi.yaml");
    let out = deploy(&dir, &["--yes"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let folder = std::path::absolute(dir.join("stack")).expect("absolute");
    assert!(
        err.starts_with(&format!("error: {}: no Pulumi.yaml: ", folder.display())),
        "{err}"
    );
    assert!(err.contains("copy stack/Pulumi.yaml"), "{err}");
    assert!(log_lines(&dir).is_empty(), "{:?}", log_lines(&dir));
    assert!(out.stdout.is_empty());
}

/// Writes a valid `Pulumi.<name>.yaml` depending on `deps`.
fn stack_file(dir: &Path, name: &str, deps: &[&str]) {
    let mut text = String::from("config:\n");
    if !deps.is_empty() {
        let list: Vec<String> = deps.iter().map(|d| format!("\"{d}\"")).collect();
        text.push_str(&format!("  datasets:depends_on: '[{}]'\n", list.join(", ")));
    }
    for level in ["test", "standard", "full"] {
        text.push_str(&format!(
            "  datasets:gcp_hail_service_account_{level}: {name}-{level}@egi-hail.iam.gserviceaccount.com\n"
        ));
    }
    text.push_str(&format!(
        "  gcp:project: {name}-1234\n  gcp:billing_project: {name}-1234\n"
    ));
    std::fs::write(dir.join(format!("stack/Pulumi.{name}.yaml")), text).expect("write stack file");
}

/// The stack files of the deployment tests' graph ([`DEPENDENCIES`]).
fn diamond_and_chain(dir: &Path) {
    for (name, deps) in DEPENDENCIES {
        stack_file(dir, name, deps);
    }
}

fn deploy(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let log = dir.join("pulumi.log");
    let log = log.to_str().expect("UTF-8 path");
    let pulumi = dir.join("bin/pulumi");
    let pulumi = pulumi.to_str().expect("UTF-8 path");
    let mut full = vec!["--config", "stack/cpg.toml", "deploy", "--pulumi", pulumi];
    full.extend_from_slice(args);
    let mut env = env.to_vec();
    env.push(("FAKE_PULUMI_LOG", log));
    run(dir, &full, &env)
}

fn log_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("pulumi.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The `call ...` lines of the log, with the working folder and config checked and cut off.
fn calls(dir: &Path) -> Vec<String> {
    let stack_dir = dir.join("stack").canonicalize().expect("stack dir");
    let config = std::path::absolute(dir.join("stack/cpg.toml")).expect("config path");
    log_lines(dir)
        .iter()
        .filter_map(|l| l.strip_prefix("call "))
        .map(|l| {
            let (args, rest) = l.split_once(" | cwd=").expect("log format");
            let (cwd, cfg) = rest.split_once(" | config=").expect("log format");
            assert_eq!(
                Path::new(cwd).canonicalize().expect("cwd"),
                stack_dir,
                "{l}"
            );
            assert_eq!(Path::new(cfg), config, "{l}");
            args.to_owned()
        })
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn up_runs_every_stack_in_dependency_order() {
    let dir = scratch("order");
    diamond_and_chain(&dir);
    let out = deploy(&dir, &["--yes"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected: Vec<String> = ORDER
        .iter()
        .map(|s| format!("up --stack {s} --yes"))
        .collect();
    assert_eq!(calls(&dir), expected);
    assert!(
        text(&out.stdout).contains("deployed 8 stacks"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn preview_and_up_without_yes_take_the_right_arguments() {
    let dir = scratch("preview");
    diamond_and_chain(&dir);
    let out = deploy(&dir, &["--preview"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected: Vec<String> = ORDER
        .iter()
        .map(|s| format!("preview --stack {s}"))
        .collect();
    assert_eq!(calls(&dir), expected);

    std::fs::remove_file(dir.join("pulumi.log")).expect("reset log");
    let out = deploy(&dir, &["--dataset", "ds-a", "--dataset", "ds-b"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(calls(&dir), ["up --stack ds-b", "up --stack ds-a"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("assumed deployed: reference, ds-d, ds-c"),
        "{err}"
    );
}

#[test]
fn pulumi_is_found_on_path_by_default() {
    let dir = scratch("path");
    stack_file(&dir, "reference", &[]);
    stack_file(&dir, "alpha-study", &[]);
    let log = dir.join("pulumi.log");
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = run(
        &dir.join("stack"),
        &["deploy", "--yes"],
        &[
            ("PATH", &path),
            ("FAKE_PULUMI_LOG", log.to_str().expect("UTF-8 path")),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        calls(&dir),
        ["up --stack reference --yes", "up --stack alpha-study --yes"]
    );
}

#[test]
fn stops_at_the_first_failure_and_reports() {
    let dir = scratch("failure");
    diamond_and_chain(&dir);
    let out = deploy(&dir, &["--yes"], &[("FAKE_PULUMI_FAIL", "ds-b")]);
    assert_eq!(out.status.code(), Some(1));
    let expected: Vec<String> = ORDER[..6]
        .iter()
        .map(|s| format!("up --stack {s} --yes"))
        .collect();
    assert_eq!(calls(&dir), expected);
    let err = text(&out.stderr);
    assert!(
        err.contains("done (5): reference, chain-z, chain-y, chain-x, ds-d"),
        "{err}"
    );
    assert!(err.contains("failed (1):\n  ds-b: `"), "{err}");
    assert!(
        err.contains("up --stack ds-b --yes` failed (exit status: 1)"),
        "{err}"
    );
    assert!(err.contains("not run (2): ds-c, ds-a"), "{err}");
}

#[test]
fn a_cycle_is_named_and_nothing_runs() {
    let dir = scratch("cycle");
    stack_file(&dir, "reference", &[]);
    stack_file(&dir, "ds-a", &["ds-b"]);
    stack_file(&dir, "ds-b", &["ds-a"]);
    let out = deploy(&dir, &["--yes"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("ds-a -> ds-b -> ds-a"), "{err}");
    assert!(log_lines(&dir).is_empty(), "{:?}", log_lines(&dir));
}

#[test]
fn parallel_respects_dependencies_and_prefixes_output() {
    let dir = scratch("parallel");
    diamond_and_chain(&dir);
    // ds-b and ds-c wait for each other: they finish only if they run at the same time.
    let out = deploy(
        &dir,
        &["--yes", "--parallel", "2"],
        &[("FAKE_PULUMI_RENDEZVOUS", "ds-b ds-c")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log = log_lines(&dir);
    assert!(!log.iter().any(|l| l.starts_with("timeout")), "{log:?}");
    let at = |event: &str| {
        log.iter()
            .position(|l| l == event)
            .unwrap_or_else(|| panic!("no `{event}` in {log:?}"))
    };
    let edges = [
        ("ds-a", "ds-b"),
        ("ds-a", "ds-c"),
        ("ds-b", "ds-d"),
        ("ds-c", "ds-d"),
        ("chain-x", "chain-y"),
        ("chain-y", "chain-z"),
    ];
    for (dependant, dependency) in edges {
        assert!(
            at(&format!("end {dependency}")) < at(&format!("start {dependant}")),
            "{log:?}"
        );
    }
    for stack in &ORDER[1..] {
        assert!(
            at("end reference") < at(&format!("start {stack}")),
            "{log:?}"
        );
    }
    let mut called = calls(&dir);
    called.sort();
    let mut expected: Vec<String> = ORDER
        .iter()
        .map(|s| format!("up --stack {s} --yes"))
        .collect();
    expected.sort();
    assert_eq!(called, expected);
    // Every line of the children is attributed to its stack.
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    for stack in ORDER {
        assert!(
            stdout.contains(&format!("[{stack}] updating {stack}\n")),
            "{stdout}"
        );
        assert!(
            stderr.contains(&format!("[{stack}] diagnostics of {stack}\n")),
            "{stderr}"
        );
    }
    for line in stdout.lines().filter(|l| l.contains("updating")) {
        assert!(line.starts_with('['), "{line}");
    }
}

#[test]
fn parallel_up_needs_yes() {
    let dir = scratch("needs-yes");
    diamond_and_chain(&dir);
    let out = deploy(&dir, &["--parallel", "2"], &[]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(
        text(&out.stderr).contains("pass --yes"),
        "{}",
        text(&out.stderr)
    );
    assert!(log_lines(&dir).is_empty());
}

fn new_dataset(dir: &Path, args: &[&str]) -> Output {
    let mut full = vec!["--config", "stack/cpg.toml", "new-dataset"];
    full.extend_from_slice(args);
    run(dir, &full, &[])
}

const HAIL: [&str; 6] = [
    "--hail-account-test",
    "gamma-trial-test@egi-hail.iam.gserviceaccount.com",
    "--hail-account-standard",
    "gamma-trial-standard@egi-hail.iam.gserviceaccount.com",
    "--hail-account-full",
    "gamma-trial-full@egi-hail.iam.gserviceaccount.com",
];

#[test]
fn new_dataset_writes_a_valid_stack_file() {
    let dir = scratch("new");
    stack_file(&dir, "reference", &[]);
    stack_file(&dir, "alpha-study", &[]);
    let mut args = vec![
        "gamma-trial",
        "--gcp-project",
        "gamma-trial-9876",
        "--depends-on",
        "alpha-study",
    ];
    args.extend_from_slice(&HAIL);
    let out = new_dataset(&dir, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = dir.join("stack/Pulumi.gamma-trial.yaml");
    assert_eq!(text(&out.stdout).trim(), path.display().to_string());
    let written = std::fs::read_to_string(&path).expect("written file");
    let parsed = parse_stack_file(&written, "written", "gamma-trial").expect("parses back");
    assert_eq!(
        parsed.gcp_project.expect("project").as_str(),
        "gamma-trial-9876"
    );
    assert_eq!(parsed.depends_on.len(), 1);
    assert_eq!(
        parsed
            .provider_config
            .get("gcp:billing_project")
            .map(String::as_str),
        Some("gamma-trial-9876")
    );
    // The whole stack folder still validates.
    let out = run(&dir, &["--config", "stack/cpg.toml", "validate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("3 datasets valid"),
        "{}",
        text(&out.stdout)
    );

    // Never overwritten.
    let out = new_dataset(&dir, &args);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("Pulumi.gamma-trial.yaml exists already"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("file"), written);
}

#[test]
fn new_dataset_refuses_bad_input() {
    let dir = scratch("new-bad");
    stack_file(&dir, "reference", &[]);
    for name in ["Bad_Name", "much-too-long-dataset-x", "x"] {
        let out = new_dataset(&dir, &[name]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = text(&out.stderr);
        assert!(err.contains("dataset name") && err.contains(name), "{err}");
    }
    // Missing Hail accounts: the message says which flags to pass.
    let out = new_dataset(&dir, &["gamma-trial"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("gcp_hail_service_account_"), "{err}");
    assert!(err.contains("--hail-account-test EMAIL"), "{err}");
    // An unknown dependency.
    let mut args = vec!["gamma-trial", "--depends-on", "nowhere"];
    args.extend_from_slice(&HAIL);
    let out = new_dataset(&dir, &args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("nowhere"),
        "{}",
        text(&out.stderr)
    );
    let stacks: Vec<_> = std::fs::read_dir(dir.join("stack"))
        .expect("stack dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("Pulumi.") && n != "Pulumi.reference.yaml" && n != "Pulumi.yaml")
        .collect();
    assert!(stacks.is_empty(), "{stacks:?}");
}

#[test]
fn new_dataset_writes_the_clouds_given_with_cloud() {
    let dir = scratch("new-cloud");
    stack_file(&dir, "reference", &[]);
    let out = run(
        &dir,
        &[
            "--config",
            "stack/cpg.toml",
            "--cloud",
            "azure",
            "new-dataset",
            "delta-trial",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written =
        std::fs::read_to_string(dir.join("stack/Pulumi.delta-trial.yaml")).expect("written");
    let parsed = parse_stack_file(&written, "written", "delta-trial").expect("parses back");
    let clouds: Vec<&str> = parsed.deploy_locations.iter().map(|c| c.as_str()).collect();
    assert_eq!(clouds, ["azure"], "{written}");
    assert!(!written.contains("gcp:project"), "{written}");
    let out = run(&dir, &["--config", "stack/cpg.toml", "validate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
