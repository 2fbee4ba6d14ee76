//! The three sources of a dataset (stack file, `PULUMI_CONFIG`, TOML) agree: the same values,
//! warnings and hidden secrets, and the reference's string forms.

use cpg_infra_config::{
    CloudName, Component, DatasetName, parse_cpg_toml, parse_dataset_toml, parse_pulumi_config,
    parse_pulumi_config_with_warnings, parse_stack_file, parse_stack_file_with_warnings,
};

use super::support::{DATASET_BODY, INFRA, PULUMI_CONFIG_JSON, STACK_YAML, infra};

#[test]
fn three_sources_agree() {
    let from_yaml = parse_stack_file(STACK_YAML, "Pulumi.alpha-study.yaml", "alpha-study").unwrap();
    let from_env = parse_pulumi_config(PULUMI_CONFIG_JSON, "alpha-study").unwrap();
    let file = format!(
        "dataset = \"alpha-study\"\n{DATASET_BODY}\n[provider_config]\n\"gcp:user_project_override\" = \"true\"\n"
    );
    let from_file = parse_dataset_toml(&file, "datasets/alpha-study.toml", "alpha-study").unwrap();
    let table = format!(
        "{INFRA}\n[datasets.alpha-study]\n{DATASET_BODY}\n[datasets.alpha-study.provider_config]\n\"gcp:user_project_override\" = \"true\"\n\"gcp:project\" = \"alpha-study-4821\"\n"
    );
    let cpg = parse_cpg_toml(&table, "cpg.toml").unwrap();
    assert_eq!(cpg.datasets.len(), 1);

    assert_eq!(from_yaml, from_env);
    assert_eq!(from_yaml, from_file);
    assert_eq!(from_yaml, cpg.datasets[0]);

    let ds = from_yaml;
    assert_eq!(ds.archive_age.get(), 90);
    assert_eq!(ds.depends_on, [DatasetName::parse("beta-cohort").unwrap()]);
    assert_eq!(ds.provider_config["gcp:project"], "alpha-study-4821");
    assert_eq!(ds.provider_config["gcp:user_project_override"], "true");
    assert_eq!(
        ds.components_for(&CloudName::gcp()),
        [
            Component::Storage,
            Component::HailAccounts,
            Component::SampleMetadata
        ]
    );
    assert_eq!(
        ds.components_for(&CloudName::parse("dry-run").unwrap()),
        Component::ALL
    );
    // GCP is fully configured; Azure is not, which the Azure plugin's rules report.
    assert!(
        ds.component_section_problems(&infra(), &CloudName::gcp())
            .is_empty()
    );
    let azure = ds.component_section_problems(&infra(), &CloudName::azure());
    assert!(azure.iter().any(|p| p.contains(".azure]")), "{azure:?}");
}

#[test]
fn warnings_are_returned() {
    let (_, warnings) =
        parse_stack_file_with_warnings(STACK_YAML, "Pulumi.alpha-study.yaml", "alpha-study")
            .unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("Pulumi.alpha-study.yaml:4:3: datasets:customer_id: legacy key")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`beta-cohort` is listed twice")),
        "{warnings:?}"
    );
    let (_, warnings) =
        parse_pulumi_config_with_warnings(PULUMI_CONFIG_JSON, "alpha-study").unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("PULUMI_CONFIG: datasets:customer_id")),
        "{warnings:?}"
    );
}

#[test]
fn secrets_are_hidden() {
    let yaml = "config:\n  gcp:project: alpha-study-4821\n  gcp:credentials:\n    secure: v1:TOPSECRETVALUE\n";
    let ds = parse_stack_file(yaml, "Pulumi.alpha-study.yaml", "alpha-study").unwrap();
    assert_eq!(ds.provider_config["gcp:credentials"], "[secret]");
    assert!(!format!("{ds:?}").contains("TOPSECRET"));
    let bad = "config:\n  datasets:archive_age:\n    secure: v1:TOPSECRETVALUE\n";
    let err = parse_stack_file(bad, "Pulumi.alpha-study.yaml", "alpha-study")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot be Pulumi secrets") && !err.contains("TOPSECRET"),
        "{err}"
    );
}
#[test]
fn disable_group_memberships_accepts_the_reference_string_form() {
    let with = |value: &str| {
        let text = INFRA.replacen(
            "reference_dataset = \"reference\"\n",
            &format!("reference_dataset = \"reference\"\ndisable_group_memberships = {value}\n"),
            1,
        );
        parse_cpg_toml(&text, "cpg.toml").map(|c| c.infrastructure.disable_group_memberships)
    };
    assert!(with("true").expect("bool"));
    assert!(with("\"true\"").expect("string"));
    assert!(!with("\"False\"").expect("string"));
    let error = with("3").expect_err("not a flag").to_string();
    assert!(error.contains("must be true or false, got 3"), "{error}");
    let error = with("\"maybe\"").expect_err("not a flag").to_string();
    assert!(
        error.contains("disable_group_memberships") && error.contains("maybe"),
        "{error}"
    );
}
