//! A plan people can read: summary first (one line per dataset, then totals), the
//! resource list with `--detail` or for one `--dataset`, colour only when asked or
//! on a terminal (`--color`, `NO_COLOR`), lines cut to the terminal's width.

use cpg_infra_driver::terminal::{CUT, Style, cut};

use super::support::{repo, run};

fn stdout(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = run(&repo(), args, env);
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_plan_starts_with_a_summary() {
    let text = stdout(&["--example", "plan"], &[]);
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("plan-summary", &text));
    let summary: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("not available"))
        .collect();
    assert_eq!(summary.len(), 5, "four datasets and the totals: {text}");
    assert!(!text.contains("\n    + "), "no resource list: {text}");
}

#[test]
fn detail_and_a_single_dataset_list_every_resource() {
    let detail = stdout(&["--example", "plan", "--detail"], &[]);
    let listed = detail.lines().filter(|l| l.starts_with("    + ")).count();
    let last = detail.lines().last().expect("a last line");
    assert_eq!(last, format!("4 datasets, {listed} resources"), "{detail}");
    for dataset in ["alpha-study", "beta-cohort", "gamma-bridge", "reference"] {
        assert!(
            detail.contains(&format!("dataset {dataset} (")),
            "{dataset}"
        );
    }
    let one = stdout(&["--example", "--dataset", "reference", "plan"], &[]);
    assert!(one.contains("\n    + gcp:storage/bucket:Bucket "), "{one}");
    let listed = one.lines().filter(|l| l.starts_with("    + ")).count();
    assert!(listed > 0, "{one}");
    assert!(
        one.ends_with(&format!("1 dataset, {listed} resources\n")),
        "{one}"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let escape = "\x1b[";
    let piped = stdout(&["--example", "plan"], &[]);
    assert!(!piped.contains(escape), "a pipe gets no colour");
    let always = stdout(&["--example", "plan", "--color", "always"], &[]);
    assert!(always.starts_with("\x1b[1mdataset alpha-study"), "{always}");
    let forced = stdout(
        &["--example", "plan", "--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert!(forced.contains(escape), "--color always wins over NO_COLOR");
    let never = stdout(&["--example", "plan", "--color", "never", "--detail"], &[]);
    assert!(!never.contains(escape));
    // The same text, only coloured.
    let plain = stdout(&["--example", "plan", "--detail"], &[]);
    let coloured = stdout(&["--example", "plan", "--detail", "--color", "always"], &[]);
    let stripped = coloured
        .replace("\x1b[0m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[33m", "")
        .replace("\x1b[36m", "");
    assert_eq!(stripped, plain);
}

#[test]
fn lines_are_cut_to_the_width_with_a_mark() {
    assert_eq!(cut("abcdef", 4), format!("abc{CUT}"));
    assert_eq!(cut("abcd", 4), "abcd");
    assert_eq!(cut("αβγδε", 3), format!("αβ{CUT}"), "characters, not bytes");
    let style = Style {
        color: false,
        width: Some(12),
    };
    let text = "dataset x (gcp): many resources\n    + short\n";
    assert_eq!(
        style.apply(text),
        format!("dataset x ({CUT}\n    + short\n")
    );
    // Without a width (a pipe) nothing is cut.
    assert_eq!(Style::default().apply(text), text);
}

#[test]
fn json_takes_neither_detail_nor_colour() {
    for flag in [&["--detail"][..], &["--color", "never"]] {
        let mut args = vec!["--example", "plan", "--format", "json"];
        args.extend_from_slice(flag);
        let out = run(&repo(), &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = run(
        &repo(),
        &[
            "--example",
            "diff",
            "--base-config",
            "x",
            "--format",
            "json",
            "--color",
            "always",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
}
