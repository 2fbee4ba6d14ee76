//! Budgets per dataset: `datasets:budgets` on the example organisation gives a
//! monthly GCP billing budget of the dataset's project (threshold rules, the Pub/Sub
//! topic) and a monthly Azure consumption budget on its resource group; the shared
//! project's total budget per cloud; errors for clouds, amounts and currencies; `diff`
//! flags the cost.

use super::support::Scratch;

const BOTH: &str = r#"  datasets:deploy_locations: '["gcp", "azure"]'
  datasets:budgets: '{"gcp": {"monthly_budget": 500}, "azure": {"monthly_budget": 300, "currency": "USD"}}'
"#;

fn alpha_with(case: &str, lines: &str) -> Scratch {
    let lines = lines.to_owned();
    Scratch::example(case).edit("Pulumi.alpha-study.yaml", move |t| format!("{t}{lines}"))
}

#[test]
fn a_monthly_budget_on_each_cloud() {
    let scratch = alpha_with("budgets-both", BOTH);
    let program = scratch.json(&["--dataset", "alpha-study", "program"]);
    let gcp = &program["resources"]["monthly-budget"];
    assert_eq!(gcp["type"], "gcp:billing/budget:Budget");
    let p = &gcp["properties"];
    assert_eq!(p["amount"]["specifiedAmount"]["units"], "500");
    assert_eq!(p["amount"]["specifiedAmount"]["currencyCode"], "AUD");
    assert_eq!(p["budgetFilter"]["calendarPeriod"], "MONTH");
    assert_eq!(
        p["budgetFilter"]["projects"][0],
        "projects/${dataset-project.number}"
    );
    assert_eq!(
        program["variables"]["dataset-project"]["fn::invoke"]["arguments"]["projectId"],
        "alpha-study-5530"
    );
    // The organisation's thresholds (0.5, 0.9, 1.0 in the example) and its topic.
    let thresholds: Vec<f64> = p["thresholdRules"]
        .as_array()
        .expect("threshold rules")
        .iter()
        .map(|r| r["thresholdPercent"].as_f64().expect("percent"))
        .collect();
    assert_eq!(thresholds, [0.5, 0.9, 1.0]);
    assert_eq!(
        p["allUpdatesRule"]["pubsubTopic"],
        "projects/egi-billing-admin/topics/budget-notifications"
    );

    let azure = &program["resources"]["azure-monthly-budget"];
    assert_eq!(azure["type"], "azure-native:consumption:Budget");
    let p = &azure["properties"];
    assert_eq!(p["amount"], 300);
    assert_eq!(p["timeGrain"], "Monthly");
    assert_eq!(p["scope"], "${azure-resource-group.id}");
    assert_eq!(
        p["notifications"].as_object().expect("notifications").len(),
        3
    );
    // Azure cannot set a budget's currency: said, not ignored.
    let plan = scratch.plan("alpha-study", "azure");
    let diagnostics = plan[0]["diagnostics"].to_string();
    assert!(
        diagnostics.contains("the amount 300 is not converted from USD"),
        "{diagnostics}"
    );
}

#[test]
fn no_budgets_key_no_budget() {
    let scratch = Scratch::example("budgets-none");
    let program = scratch.program("alpha-study", "gcp").to_string();
    assert!(!program.contains("monthly-budget"), "{program}");
    assert!(!program.contains("dataset-project"), "{program}");
}

#[test]
fn the_shared_total_budget_replaces_shared_project_budget_per_cloud() {
    let scratch = Scratch::example("budgets-shared").edit("Pulumi.beta-cohort.yaml", |t| {
        let t = t.replace("  datasets:shared_project_budget: 400\n", "");
        format!(
            "{t}  datasets:budgets: '{{\"gcp\": {{\"monthly_budget\": 100, \"shared_total_budget\": 750, \"currency\": \"AUD\"}}}}'\n"
        )
    });
    let program = scratch.program("beta-cohort", "gcp");
    let shared = &program["resources"]["beta-cohort-shared-budget"]["properties"];
    assert_eq!(shared["amount"]["specifiedAmount"]["units"], "750");
    assert_eq!(shared["amount"]["specifiedAmount"]["currencyCode"], "AUD");
    assert!(shared["budgetFilter"].get("customPeriod").is_some());
}

#[test]
fn gcp_budgets_need_the_billing_accounts_currency_and_a_quota_project() {
    // Another currency than the billing account's (budget_currency) is refused by Cloud
    // Billing: an error, not a failed `pulumi up`.
    let euros = Scratch::example("budgets-currency").append(
        "Pulumi.alpha-study.yaml",
        "  datasets:budgets: '{\"gcp\": {\"monthly_budget\": 100, \"currency\": \"EUR\"}}'\n",
    );
    let out = euros.run(&["validate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Pulumi.alpha-study.yaml")
            && stderr.contains("datasets:budgets.gcp.currency is EUR, but GCP budgets are in the billing account's currency")
            && stderr.contains("is AUD"),
        "{stderr}"
    );
    // A budget without a quota project (user_project_override) would fail under user
    // credentials: an error naming the settings; beta-cohort's shared budget counts too.
    let no_override = Scratch::example("budgets-quota").replace(
        "Pulumi.beta-cohort.yaml",
        "  gcp:user_project_override: \"true\"\n",
        "",
    );
    no_override.invalid(
        "no-override",
        &[
            "Pulumi.beta-cohort.yaml",
            "the Budgets API needs a quota project",
            "gcp:user_project_override",
        ],
    );
}

#[test]
fn bad_budgets_are_errors_naming_file_and_key() {
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            "budgets-other-cloud",
            "  datasets:budgets: '{\"azure\": {\"monthly_budget\": 300}}'\n",
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:budgets.azure: the dataset does not deploy to `azure`",
            ],
        ),
        (
            "budgets-unknown-cloud",
            "  datasets:budgets: '{\"aws\": {\"monthly_budget\": 300}}'\n",
            &["datasets:budgets.aws: the dataset does not deploy to `aws`"],
        ),
        (
            "budgets-zero",
            "  datasets:budgets: '{\"gcp\": {\"monthly_budget\": 0}}'\n",
            &[
                "Pulumi.alpha-study.yaml:",
                "datasets:budgets.gcp.monthly_budget: must be a whole number of currency units > 0",
                "got 0",
            ],
        ),
        (
            "budgets-negative",
            "  datasets:budgets: '{\"gcp\": {\"monthly_budget\": -5, \"currency\": \"aud\"}}'\n",
            &[
                "datasets:budgets.gcp.monthly_budget",
                "got -5",
                "datasets:budgets.gcp.currency",
                "three uppercase letters",
            ],
        ),
        (
            "budgets-missing",
            "  datasets:budgets: '{\"gcp\": {\"montly_budget\": 5}}'\n",
            &[
                "datasets:budgets.gcp.montly_budget: unknown key",
                "did you mean `monthly_budget`",
            ],
        ),
        (
            "budgets-shared-without-project",
            "  datasets:budgets: '{\"gcp\": {\"monthly_budget\": 5, \"shared_total_budget\": 9}}'\n",
            &["datasets:budgets.gcp.shared_total_budget: the dataset has no shared project"],
        ),
    ];
    for (case, line, expected) in cases {
        alpha_with(case, line).invalid(case, expected);
    }
}

#[test]
fn diff_shows_a_new_budget_and_flags_a_changed_one_as_cost() {
    // A new budget costs nothing: it is listed, not flagged.
    let base = Scratch::example("budgets-diff-base");
    let current = alpha_with(
        "budgets-diff",
        "  datasets:budgets: '{\"gcp\": {\"monthly_budget\": 500}}'\n",
    );
    let (exit, report) = current.diff_from(&base, "alpha-study", "gcp");
    assert_eq!(exit, 0, "{report}");
    let added = report["datasets"][0]["added"].to_string();
    assert!(added.contains("\"monthly-budget\""), "{added}");
    let raised = alpha_with(
        "budgets-diff-raised",
        "  datasets:budgets: '{\"gcp\": {\"monthly_budget\": 900}}'\n",
    );
    let (exit, report) = raised.diff_from(&current, "alpha-study", "gcp");
    assert_eq!(exit, 3, "{report}");
    let entry = &report["datasets"][0];
    let changed = entry["changed"].to_string();
    assert!(
        changed.contains("amount.specifiedAmount.units") && changed.contains("900"),
        "{changed}"
    );
    assert!(
        entry["flags"]
            .as_array()
            .expect("flags")
            .iter()
            .any(|f| f["kind"] == "cost" && f["resource"] == "monthly-budget"),
        "{entry}"
    );
}
