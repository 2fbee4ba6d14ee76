//! Output for people: warnings without colours, timestamps or module paths (unless
//! `RUST_LOG` asks), a warning repeated across files said once with a count, a
//! closed pipe ends the run quietly, counts in good English.

use std::io::Read;
use std::process::{Command, Stdio};

use super::support::{Scratch, repo, run, stack};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Five datasets, each with the legacy key `datasets:customer_id`.
fn legacy_scratch() -> Scratch {
    let mut scratch = Scratch::new("legacy-keys");
    for i in 0..5 {
        let name: &'static str = Box::leak(format!("ds-{i}").into_boxed_str());
        let file: &'static str = Box::leak(format!("Pulumi.{name}.yaml").into_boxed_str());
        scratch = scratch.file(file, stack(name, "  datasets:customer_id: C0123\n"));
    }
    scratch
}

#[test]
fn a_warning_for_many_files_is_said_once_with_a_count_and_no_decoration() {
    let scratch = legacy_scratch();
    let out = run(scratch.path(), &["validate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("warning: datasets:customer_id: legacy key")
            && lines[0].contains("(at 5 places: ")
            && lines[0].contains("Pulumi.ds-0.yaml:")
            && lines[0].ends_with(" and 2 more)"),
        "{stderr}"
    );
    for decoration in ["\u{1b}[", "WARN", "cpg_infra_config", "Z "] {
        assert!(!stderr.contains(decoration), "{decoration:?} in {stderr}");
    }
    // RUST_LOG asks for the developers' format: levels and module paths, no colours
    // on a pipe.
    let out = run(scratch.path(), &["validate"], &[("RUST_LOG", "warn")]);
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches("customer_id").count(), 5, "{stderr}");
    assert!(
        stderr.contains("WARN") && stderr.contains("cpg_infra_config"),
        "{stderr}"
    );
    assert!(!stderr.contains("\u{1b}["), "{stderr}");
}

#[test]
fn a_closed_pipe_ends_the_plan_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpg-infra-driver"))
        .args(["plan", "--format", "json"])
        .current_dir(repo())
        .env_remove("CPG_CONFIG_PATH")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("read");
    // stdout is closed here: the rest of the plan (far more than a pipe holds) has
    // nowhere to go.
    let out = child.wait_with_output().expect("wait");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn counts_are_in_good_english() {
    let out = run(&repo(), &["--dataset", "reference", "validate"], &[]);
    assert!(
        text(&out.stdout).ends_with(": 1 dataset valid\n"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&repo(), &["--dataset", "reference", "plan"], &[]);
    let plan = text(&out.stdout);
    let last = plan.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("1 dataset, ") && last.ends_with(" resources"),
        "{last}"
    );
}

#[test]
fn a_closed_stderr_neither_panics_nor_changes_the_exit_code() {
    // Many errors (far more than fit in one write) and many warnings, on a stderr whose
    // reader has gone before the run starts: `validate 2>&1 >/dev/null | head -1`.
    let mut scratch = legacy_scratch();
    for i in 0..40 {
        let name: &'static str = Box::leak(format!("broken-{i}").into_boxed_str());
        let file: &'static str = Box::leak(format!("Pulumi.{name}.yaml").into_boxed_str());
        scratch = scratch.file(file, stack(name, "  datasets:archive_age: \"0\"\n"));
    }
    for log in [None, Some("warn")] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let mut command = Command::new(env!("CARGO_BIN_EXE_cpg-infra-driver"));
        command
            .arg("validate")
            .current_dir(scratch.path())
            .env_remove("CPG_CONFIG_PATH")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(writer);
        if let Some(filter) = log {
            command.env("RUST_LOG", filter);
        }
        let status = command.status().expect("run");
        // 101 is a panic ("failed printing to stderr").
        assert_eq!(status.code(), Some(1), "RUST_LOG={log:?}");
    }
}
