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

/// Checks what SARIF 2.1.0 requires of a log and of what code scanning reads: the
/// version, one run whose tool driver has a name and rules (each with an id, a short
/// description and a default level), results each with a ruleId among the rules (and
/// its index), a level, a message text and locations with a relative URI and a line
/// from 1. Returns the results.
fn sarif_results(log: &serde_json::Value) -> Vec<serde_json::Value> {
    assert_eq!(log["version"], "2.1.0", "{log:#}");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "cpg-infra-driver");
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let policies: Vec<&str> = cpg_infra_driver::review::policies::POLICIES
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, policies, "the rules are the policies");
    for rule in rules {
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let level = rule["defaultConfiguration"]["level"]
            .as_str()
            .expect("level");
        assert!(
            ["error", "warning", "note", "none"].contains(&level),
            "{rule:#}"
        );
    }
    let results = runs[0]["results"].as_array().expect("results").clone();
    for result in &results {
        let id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids.get(index), Some(&id), "{result:#}");
        let level = result["level"].as_str().expect("level");
        assert!(
            ["error", "warning", "note", "none"].contains(&level),
            "{result:#}"
        );
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        for location in result["locations"].as_array().expect("locations") {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(
                !uri.is_empty() && !uri.starts_with('/') && !uri.contains('\\'),
                "{uri}"
            );
            if let Some(region) = physical.get("region") {
                assert!(
                    region["startLine"].as_u64().is_some_and(|l| l >= 1),
                    "{result:#}"
                );
            }
        }
    }
    results
}

#[test]
fn check_sarif_is_a_valid_log_with_every_policy_as_a_rule() {
    let out = run(&repo(), &["--example", "check", "--format", "sarif"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(sarif_results(&log), Vec::<serde_json::Value>::new());

    // A member outside the domain (an error, at the line that names it), a suppressed
    // finding and a stale suppression (at its entry in cpg.toml).
    let scratch = Scratch::new("sarif")
        .file(
            "Pulumi.delta.yaml",
            super::support::stack(
                "delta",
                "  datasets:members: '{\"sample-metadata-main-read\": [\"visitor\", \"auditor\"]}'\n",
            ),
        )
        .edit("cpg.toml", |text| {
            text.replacen(
                "[infrastructure.gcp]\n",
                "[infrastructure.gcp]\ngroups_allow_external_members = true\n",
                1,
            )
        })
        .append(
            "cpg.toml",
            "\n[infrastructure.users.visitor.clouds.gcp]\nid = \"visitor@partner-uni.edu\"\n\n[infrastructure.users.auditor.clouds.gcp]\nid = \"auditor@partner-uni.edu\"\n",
        )
        .append(
            "cpg.toml",
            "\n[[infrastructure.check.suppress]]\npolicy = \"public-access\"\ndataset = \"reference\"\nreason = \"nothing is public\"\n\n[[infrastructure.check.suppress]]\npolicy = \"external-member\"\nresource = \"members/sample-metadata-main-read/auditor\"\nreason = \"the auditor, approved\"\n",
        );
    let config_lines = std::fs::read_to_string(scratch.path().join("cpg.toml"))
        .expect("cpg.toml")
        .lines()
        .count();
    let out = scratch.run(&["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let results = sarif_results(&log);
    let place = |r: &serde_json::Value| {
        let physical = &r["locations"][0]["physicalLocation"];
        (
            physical["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
                .to_owned(),
            physical["region"]["startLine"].as_u64(),
        )
    };
    let visitor = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("`visitor@partner-uni.edu`"))
        })
        .expect("the visitor's finding");
    assert_eq!(visitor["ruleId"], "external-member");
    assert_eq!(visitor["level"], "error");
    assert_eq!(place(visitor), ("Pulumi.delta.yaml".to_owned(), Some(6)));
    assert!(visitor.get("suppressions").is_none());
    let auditor = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("`auditor@partner-uni.edu`"))
        })
        .expect("the auditor's finding");
    assert_eq!(
        auditor["suppressions"],
        serde_json::json!([{"kind": "external", "justification": "the auditor, approved"}])
    );
    let stale = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("suppression 1 of"))
        })
        .expect("the stale suppression");
    assert_eq!(stale["ruleId"], "public-access");
    assert_eq!(stale["level"], "warning");
    assert_eq!(
        place(stale),
        ("cpg.toml".to_owned(), Some((config_lines - 8) as u64))
    );
}

#[test]
fn the_published_schemas_are_the_ones_the_driver_prints() {
    for kind in ["cpg-toml", "dataset", "stack-file"] {
        let out = run(&repo(), &["schema", kind], &[]);
        assert_eq!(out.status.code(), Some(0));
        let path = repo().join(format!("docs/schemas/{kind}.schema.json"));
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            published == text(&out.stdout),
            "{} is out of date: run `cargo run -p cpg-infra-driver -- schema {kind} > docs/schemas/{kind}.schema.json`",
            path.display()
        );
    }
}

#[test]
fn the_stack_file_schema_has_every_dataset_key_and_the_provider_keys() {
    let out = run(&repo(), &["schema", "stack-file"], &[]);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let config = &schema["properties"]["config"];
    let keys = config["properties"].as_object().expect("properties");
    // Every key of the example's stack files is described, or a provider's.
    let pattern = config["patternProperties"]
        .as_object()
        .and_then(|p| p.keys().next().cloned())
        .expect("provider keys");
    for name in ["alpha-study", "beta-cohort", "gamma-bridge", "reference"] {
        let file = std::fs::read_to_string(repo().join(format!("stack/Pulumi.{name}.yaml")))
            .expect("stack file");
        for line in file
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        {
            let key = line.trim().split(": ").next().expect("key");
            let provider = key.split_once(':').is_some_and(|(ns, k)| {
                pattern.contains(&format!("|{ns}:(")) && pattern.contains(k)
            });
            assert!(keys.contains_key(key) || provider, "{name}: {key}");
        }
    }
    // Both spellings of a value: native and Pulumi's string.
    let archive = &keys["datasets:archive_age"]["anyOf"];
    assert_eq!(archive[0]["type"], "integer");
    assert_eq!(archive[1]["type"], "string");
    assert_eq!(config["additionalProperties"], false);
}

#[test]
fn an_error_shows_its_line_with_a_marker_under_the_key_or_value() {
    let scratch = Scratch::new("snippet").file(
        "Pulumi.delta.yaml",
        super::support::stack("delta", "  datasets:archiv_age: \"90\"\n"),
    );
    let out = scratch.run(&["validate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(!err.contains('\x1b'), "a pipe gets no colour: {err}");
    let lines: Vec<&str> = err.lines().collect();
    let key = lines
        .iter()
        .position(|l| {
            l.starts_with("error: ")
                && l.contains("Pulumi.delta.yaml:6:3: datasets:archiv_age: unknown key")
        })
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(
        &lines[key + 1..key + 4],
        [
            "  |",
            "6 |   datasets:archiv_age: \"90\"",
            "  |   ^^^^^^^^^^^^^^^^^^^",
        ],
        "{err}"
    );
    // A value in cpg.toml; NO_COLOR changes nothing on a pipe.
    let scratch = Scratch::new("snippet-toml").append(
        "cpg.toml",
        "\n[infrastructure.check]\nallowed_external_members = [\"nobody\"]\n",
    );
    let config = scratch.path().join("cpg.toml");
    let config_lines = std::fs::read_to_string(&config)
        .expect("cpg.toml")
        .lines()
        .count();
    let out = run(
        scratch.path(),
        &["--config", config.to_str().expect("utf-8"), "validate"],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("error: ")
            && lines[0].contains(&format!("cpg.toml:{config_lines}:28: ")),
        "{err}"
    );
    assert_eq!(
        lines[2],
        format!("{config_lines} | allowed_external_members = [\"nobody\"]"),
        "{err}"
    );
    assert!(
        lines[3].ends_with("|                            ^^^^^^^^^"),
        "{err}"
    );
    // Errors without a place in a file have no snippet.
    let out = run(&repo(), &["--example", "--dataset", "nosuch", "plan"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!text(&out.stderr).contains(" |"), "{}", text(&out.stderr));
}
