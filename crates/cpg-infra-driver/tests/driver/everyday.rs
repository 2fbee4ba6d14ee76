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

#[test]
fn the_summary_names_each_datasets_region_per_cloud() {
    let out = run(&repo(), &["--example", "plan"], &[]);
    let plan = text(&out.stdout);
    assert!(
        plan.contains("dataset alpha-study (gcp in australia-southeast1): "),
        "{plan}"
    );
    assert!(
        plan.contains(
            "dataset gamma-bridge (gcp in australia-southeast1, azure in australiaeast): "
        ),
        "{plan}"
    );
    // The organisation's region, and a dataset's own.
    let scratch = Scratch::example("region-summary")
        .edit("cpg.toml", |t| {
            t.replacen(
                "[infrastructure.gcp]\n",
                "[infrastructure.gcp]\nregion = \"europe-west4\"\n",
                1,
            )
        })
        .append(
            "Pulumi.beta-cohort.yaml",
            "  datasets:region: '{\"gcp\": \"australia-southeast2\"}'\n",
        );
    let out = scratch.run(&["plan"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert!(
        plan.contains("dataset alpha-study (gcp in europe-west4): "),
        "{plan}"
    );
    assert!(
        plan.contains("dataset beta-cohort (gcp in australia-southeast2): "),
        "{plan}"
    );
}

#[test]
fn not_available_is_said_once_per_run_with_its_count() {
    let out = run(&repo(), &["--example", "--cloud", "azure", "plan"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let plan = text(&out.stdout);
    let dataproc = "[azure] Dataproc worker is not available on azure: Azure has no Dataproc";
    assert_eq!(plan.matches(dataproc).count(), 1, "{plan}");
    assert!(
        plan.contains(&format!("  {dataproc} (24 times in 4 datasets)\n")),
        "{plan}"
    );
    // Each dataset's line counts them apart from the warnings that matter.
    for line in plan.lines().filter(|l| l.starts_with("dataset ")) {
        assert!(line.contains(" not available, "), "{line}");
    }
    let totals = plan
        .lines()
        .find(|l| l.starts_with("4 datasets, "))
        .expect("totals");
    assert!(totals.contains(" not available, "), "{totals}");
    // A GCP-only run has nothing unavailable and says nothing of it.
    let out = run(&repo(), &["--example", "--cloud", "gcp", "plan"], &[]);
    assert!(!text(&out.stdout).contains("not available"));
}

#[test]
fn validate_shows_the_plan_warnings_that_matter_summarised() {
    // alpha-study on both clouds: its dependency-free reference does not deploy to
    // azure, and azure cannot set a budget's currency.
    let scratch = Scratch::example("validate-warnings").append(
        "Pulumi.alpha-study.yaml",
        "  datasets:deploy_locations: '[\"gcp\", \"azure\"]'\n  datasets:budgets: '{\"azure\": {\"monthly_budget\": 300, \"currency\": \"USD\"}}'\n",
    );
    let out = scratch.run(&["validate"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // A dependency that grants nothing on azure, said once for both datasets.
    let dependency = stderr
        .lines()
        .find(|l| l.contains("dataset reference does not deploy to azure"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        dependency.starts_with("warning: [azure] ")
            && dependency.ends_with(
                "(at 2 places: alpha-study reference-access-group, gamma-bridge reference-access-group)"
            ),
        "{dependency}"
    );
    assert!(
        stderr.contains("warning: dataset alpha-study [azure] ")
            && stderr.contains("the amount 300 is not converted from USD"),
        "{stderr}"
    );
    // What azure lacks: one note per feature for the run, with its count.
    let dataproc = "note: [azure] Dataproc worker is not available on azure: Azure has no Dataproc (12 times in 2 datasets)\n";
    assert_eq!(stderr.matches("Dataproc worker").count(), 1, "{stderr}");
    assert!(stderr.contains(dataproc), "{stderr}");
    // The same text at several places is said once, with them.
    assert_eq!(
        stderr.matches("blob soft delete is account-wide").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "(at 2 places: alpha-study azure-storage-account, gamma-bridge azure-storage-account)"
        ),
        "{stderr}"
    );
    assert!(text(&out.stdout).ends_with(": 4 datasets valid\n"));
}
