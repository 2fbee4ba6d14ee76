//! Bad input gives specific messages naming the key and position, every problem of a file at
//! once in line order, long reports capped with a count.

use cpg_infra_config::{decode_utf8, parse_stack_file};

use super::support::{INFRA, Src, cpg_with, ds, infra, load};

#[test]
fn bad_inputs_give_specific_messages() {
    let y = |body: &str| format!("encryptionsalt: v1:x\nconfig:\n{body}");
    let cases: Vec<(Src, String, &[&str])> = vec![
        (Src::Stack, y("  datasets:archve_age: \"90\"\n"), &["stack/Pulumi.alpha-study.yaml:3:3: datasets:archve_age: unknown key; did you mean datasets:archive_age?"]),
        (Src::Stack, y("  datasets:archive_age: \"0\"\n"), &[":3:3: datasets:archive_age: must be a whole number of days > 0"]),
        (Src::Stack, y("  datasets:archive_age: soon\n"), &["datasets:archive_age", "the string \"soon\""]),
        (Src::Stack, y("  datasets:enable_release: maybe\n"), &["datasets:enable_release: must be true or false", "maybe"]),
        (Src::Stack, y("  datasets:depends_on: '[\"beta-cohort\",'\n"), &["datasets:depends_on: is not valid JSON"]),
        (Src::Stack, y("  datasets:depends_on: '[\"alpha-study\"]'\n"), &["cannot depend on itself"]),
        (Src::Stack, y("  datasets:depends_on: '[\"Beta\"]'\n"), &["datasets:depends_on", "invalid dataset name `Beta`"]),
        (Src::Stack, y("  datasets:components: '{\"gcp\": [\"buckets\"]}'\n"), &["datasets:components", "unknown component `buckets`", "valid components: storage, spark"]),
        (Src::Stack, y("  datasets:components: '[\"storage\"]'\n"), &["datasets:components: must map each cloud to a list of components"]),
        (Src::Stack, y("  datasets:components: '{\"gcp\": [\"storage\"], \"gcp\": []}'\n"), &["datasets:components", "duplicate key `gcp`"]),
        (Src::Stack, y("  datasets:gcp_hail_service_account_test: not-an-email\n"), &["datasets:gcp_hail_service_account_test", "invalid e-mail address `not-an-email`"]),
        (Src::Stack, y("  datasets:dataset: beta-cohort\n"), &["datasets:dataset: says `beta-cohort`"]),
        (Src::Stack, y("  datasets:archive_age: \"90\"\n  datasets:archive_age: \"30\"\n"), &[":4:3:", "duplicate key `datasets:archive_age`"]),
        (Src::Stack, String::new(), &["stack/Pulumi.alpha-study.yaml: no config: mapping"]),
        (Src::Stack, "encryptionsalt: v1:x\n".to_string(), &["no config: mapping"]),
        (Src::Stack, y("  datasets:deploy_locations: '[]'\n"), &["datasets:deploy_locations: must list at least one cloud"]),
        (Src::Stack, y("  datasets:deploy_locations: '[\"gcp\", \"gcp\"]'\n"), &["lists `gcp` twice"]),
        (Src::Stack, y("  gcp:project: Alpha\n"), &[":3:3: gcp:project: invalid GCP project id `Alpha`"]),
        (Src::Stack, y("  archive_age: \"90\"\n"), &["archive_age: config keys look like `namespace:key`"]),
        (Src::Stack, y("  datasets:shared_project_budget: 0\n"), &["datasets:shared_project_budget: must be a whole number", "got 0"]),
        (Src::Stack, "confg:\n  datasets:archive_age: \"90\"\n".to_string(), &["stack/Pulumi.alpha-study.yaml:1:1", "unknown key `confg`", "did you mean `config`?"]),
        (Src::Stack, y("  datasets:archive_age: [\"90\"\n"), &["stack/Pulumi.alpha-study.yaml:3:"]),
        (Src::Stack, y("  datasets:gcp_project: alpha-study-4821\n"), &["datasets:gcp_project: unknown key", "gcp:project"]),
        (Src::Stack, y("  datasets:additional_upload_buckets: '[\"-bad\"]'\n"), &["datasets:additional_upload_buckets", "invalid bucket name `-bad`"]),
        (Src::Stack, y("  datasets:archive_age:\n"), &["datasets:archive_age: has no value"]),
        (Src::Stack, y("  gcp:project: alpha-study-4821\n---\nconfig: {}\n"), &[":5:1: holds more than one YAML document"]),
        (Src::Stack, "config: &a\n  datasets:depends_on: *a\n".to_string(), &[":2:", "an alias refers to the node that contains it"]),
        (Src::Stack, y(&format!("  datasets:depends_on: {}{}\n", "[".repeat(300), "]".repeat(300))), &["is nested too deeply"]),
        (Src::Stack, "- config\n".to_string(), &[":1:1: expected a mapping (`key: value` lines) here"]),
        (Src::Stack, y("  ? [a, b]\n  : c\n"), &["expected a plain string here"]),
        (Src::Stack, y("  datasets:archive_age: 99999999999999999999999999999999999\n"), &["got 1e35"]),
        (Src::Stack, y("  dataset:enable_release: \"true\"\n"), &[":3:3: dataset:enable_release: unknown namespace `dataset`", "would be ignored", "did you mean `datasets:enable_release`?"]),
        (Src::Stack, y("  gpc:project: alpha-study-4821\n"), &["gpc:project: unknown namespace `gpc`", "did you mean `gcp:project`?"]),
        (Src::Stack, y("  aws:region: ap-southeast-2\n"), &["aws:region: unknown namespace `aws`", "`gcp:*`, `azure-native:*`, `azuread:*`"]),
        (Src::Stack, y("  gcp:projet: alpha-study-4821\n"), &[":3:3: gcp:projet: unknown setting of the `gcp` provider", "pulumi-gcp 10.2.0", "did you mean `gcp:project`?"]),
        (Src::Stack, y("  gcp:user_project_overide: \"true\"\n"), &["did you mean `gcp:user_project_override`?"]),
        (Src::Stack, y("  gcp:archive_age: \"90\"\n"), &["gcp:archive_age", "did you mean `datasets:archive_age`?"]),
        (Src::Env, r#"{"datasets:archive_age": "90", "datasets:archive_age": "30"}"#.to_string(), &["PULUMI_CONFIG:1:", "duplicate key `datasets:archive_age`"]),
        (Src::Env, "[1, 2]".to_string(), &["PULUMI_CONFIG: must be a JSON object"]),
        (Src::Env, r#"{"azure-native:locaton": "australiaeast"}"#.to_string(), &["PULUMI_CONFIG: azure-native:locaton: unknown setting of the `azure-native` provider", "did you mean `azure-native:location`?"]),
        (Src::Env, r#"{"datasets:archive_age": "30", "dataset:enable_release": "true"}"#.to_string(), &["PULUMI_CONFIG: dataset:enable_release: unknown namespace"]),
        (Src::Env, "{\"datasets:archive_age\": \n".to_string(), &["PULUMI_CONFIG:2:"]),
        (Src::Env, r#"{"datasets:enable_release": "yes"}"#.to_string(), &["PULUMI_CONFIG: datasets:enable_release: must be true or false"]),
        (Src::Cpg, String::new(), &["cpg.toml: missing section [infrastructure]"]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"\n", ""), &["cpg.toml:2:1", "missing key `reference_dataset`: add it"]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"\n", "reference_dataset = \"reference\"\nbudget_notification_thresholds = [\"high\"]\n"), &["infrastructure.budget_notification_thresholds: must be a number, got the string \"high\""]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"\n", "reference_dataset = \"reference\"\nbudget_notification_thresholds = 0.9\n"), &["infrastructure.budget_notification_thresholds: must be a list, got the number 0.9"]),
        (Src::Cpg, "[infrastructure]\ndomian = \"example-institute.org\"\n".to_string(), &["cpg.toml:2:1", "unknown key `domian`", "did you mean `domain`?"]),
        (Src::Cpg, INFRA.replace("budget_currency = \"EUR\"", "budget_currency = \"eur\""), &["cpg.toml:5:", "infrastructure.budget_currency: must be three uppercase letters", "`eur`"]),
        (Src::Cpg, cpg_with("[datasets.alpha-study]\narchive_age = 0\n"), &["cpg.toml:", "datasets.alpha-study.archive_age: must be a whole number of days > 0, got 0"]),
        (Src::Cpg, cpg_with("[dataset.alpha-study]\narchive_age = 5\n"), &["unknown key `dataset`", "did you mean `datasets`?"]),
        (Src::Cpg, cpg_with("[datasets.Alpha]\n"), &["datasets.Alpha", "invalid dataset name `Alpha`"]),
        (Src::Cpg, INFRA.replace("reference_dataset = \"reference\"", "reference_dataset = 5"), &["cpg.toml:6:21: infrastructure.reference_dataset: must be a string, got the integer 5"]),
        (Src::DatasetToml, "enable_release = \"true\"\n".to_string(), &["datasets/alpha-study.toml:1:1: enable_release: must be true or false, got the string \"true\""]),
        (Src::DatasetToml, "archive_age = 90\narchive_age = 30\n".to_string(), &["datasets/alpha-study.toml:2:1: archive_age: duplicate key"]),
        (Src::DatasetToml, "archve_age = 90\n".to_string(), &["archve_age: unknown key; did you mean archive_age?"]),
        (Src::DatasetToml, "gcp_project = \"alpha-study-4821\"\n[provider_config]\n\"gcp:project\" = \"beta-cohort-1234\"\n".to_string(), &["gcp_project: is `alpha-study-4821` but provider_config sets gcp:project"]),
        (Src::DatasetToml, "components = { gcp = \"storage\" }\n".to_string(), &["components: the value for `gcp` must be a list of components"]),
        (Src::DatasetToml, "shared_project_budget = -5\n".to_string(), &["shared_project_budget: must be a whole number", "-5"]),
        (Src::DatasetToml, "archive_age = 1979-05-27\n".to_string(), &["archive_age: must be a whole number of days > 0, got the string \"1979-05-27\""]),
        (Src::DatasetToml, "[provider_config]\n\"azuread:tenant_idd\" = \"x\"\n".to_string(), &["provider_config.\"azuread:tenant_idd\": unknown setting of the `azuread` provider", "did you mean `azuread:tenant_id`?"]),
        (Src::DatasetToml, "[provider_config]\n\"datasets:archive_age\" = \"5\"\n".to_string(), &["provider_config.\"datasets:archive_age\": dataset settings are keys of the file itself"]),
    ];
    assert!(cases.len() >= 20);
    for (src, text, fragments) in cases {
        let err = match load(src, &text) {
            Ok(()) => panic!("{src:?} accepted:\n{text}"),
            Err(e) => e.to_string(),
        };
        for f in fragments {
            assert!(
                err.contains(f),
                "{src:?}: `{err}` lacks `{f}`\ninput:\n{text}"
            );
        }
        assert!(!err.contains('\n'), "multi-line message: {err}");
    }
}

#[test]
fn bad_names_and_encodings() {
    let err = parse_stack_file("config: {}\n", "Pulumi.Alpha.yaml", "Alpha")
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid dataset name `Alpha`"), "{err}");
    let err = decode_utf8(b"config:\n  \xff\n", "Pulumi.alpha-study.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Pulumi.alpha-study.yaml:2:3: not valid UTF-8"),
        "{err}"
    );
}
#[test]
fn every_problem_of_a_file_is_reported_at_once_in_line_order() {
    let text = "config:\n  datasets:archive_age: soon\n  datasets:enable_release: maybe\n  datasets:archve_age: \"3\"\n  dataset:depends_on: '[]'\n  gcp:project: Alpha\n  datasets:depends_on: '[\"Beta\"]'\n  datasets:deploy_locations: '[]'\n  datasets:components: '[]'\n  datasets:enable_shared_project: x\n  datasets:sm_read_only_sas: '[1]'\n  datasets:cross_cloud_secrets: 2\n";
    let err = parse_stack_file(text, "Pulumi.alpha-study.yaml", "alpha-study").unwrap_err();
    let message = err.to_string();
    let lines: Vec<&str> = message.lines().collect();
    let at: Vec<&str> = lines
        .iter()
        .map(|l| l.split(": ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        at,
        (2..=12)
            .map(|line| format!("Pulumi.alpha-study.yaml:{line}:3"))
            .collect::<Vec<_>>(),
        "{message}"
    );
    assert_eq!(err.problems().len(), 11);
    assert!(
        lines[6].contains("must list at least one cloud"),
        "{message}"
    );

    // The cross-field rules of a dataset: every one.
    let mut d = ds("alpha-study");
    d.enable_shared_project = true;
    d.shared_project_budget = None;
    let err = d.validate(&infra()).unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");
}

#[test]
fn long_reports_are_capped_with_a_count() {
    let body: String = (0..60)
        .map(|i| format!("  datasets:unknown_key_{i:02}: x\n"))
        .collect();
    let err = parse_stack_file(
        &format!("config:\n{body}"),
        "Pulumi.alpha-study.yaml",
        "alpha-study",
    )
    .unwrap_err();
    assert_eq!(err.problems().len(), 60);
    let message = err.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines.len(),
        cpg_infra_config::error::MAX_REPORTED + 1,
        "{message}"
    );
    assert_eq!(
        lines.last().copied(),
        Some("... and 10 more problems (fix these first)")
    );
    assert!(
        lines[0].starts_with("Pulumi.alpha-study.yaml:2:3:"),
        "{message}"
    );
}
