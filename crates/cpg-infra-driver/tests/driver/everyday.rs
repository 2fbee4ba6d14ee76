//! The everyday experience: help that reads well, the plan's region and warnings said
//! once, `validate` showing the plan warnings that matter, `deploy`'s progress, SARIF
//! and errors that show their line.

use super::support::{Scratch, repo, run};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn new_dataset_help_lists_its_own_flags_before_the_global_ones() {
    let out = run(&repo(), &["new-dataset", "--help"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    let own = help.find("Options:").expect("own options");
    let global = help.find("Global options:").expect("global options");
    assert!(own < global, "{help}");
    let own_part = &help[own..global];
    for flag in ["--gcp-project", "--hail-account-full", "--depends-on"] {
        assert!(own_part.contains(flag), "{flag}: {help}");
    }
    for flag in [
        "--config",
        "--stack-dir",
        "--example",
        "--cloud",
        "--dataset",
    ] {
        assert!(!own_part.contains(flag), "{flag}: {help}");
        assert!(help[global..].contains(flag), "{flag}: {help}");
    }
}

#[test]
fn check_help_indents_the_continuation_of_each_policy() {
    let out = run(&repo(), &["check", "--help"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    let policies = &help[help.find("Policies:\n").expect("policies")..];
    let lines: Vec<&str> = policies
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(lines.len() > 6, "{policies}");
    for line in lines {
        assert!(line.chars().count() <= 100, "{line:?}");
        // An entry starts with its id; a continuation under the sentence column.
        let continuation = line.starts_with(&" ".repeat(34));
        let entry = line.starts_with("  ") && !line.starts_with("   ");
        assert!(continuation || entry, "{line:?}");
    }
}
