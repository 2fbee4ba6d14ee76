//! Rules across fields of one dataset and across the datasets of an organisation.

use cpg_infra_config::{CloudName, Component, DatasetName, DeployLocations, validate_dataset_set};

use super::support::{ds, infra};

#[test]
fn cross_field_rules() {
    let infra = infra();
    ds("alpha-study").validate(&infra).unwrap();

    let mut d = ds("alpha-study");
    d.enable_shared_project = true;
    let problems: Vec<String> = d.problems(&infra).iter().map(ToString::to_string).collect();
    assert!(problems.iter().any(|p| p.contains("dataset alpha-study: datasets:enable_shared_project is true but datasets:enable_release is not")), "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("shared_project_budget is missing")),
        "{problems:?}"
    );

    // What a cloud needs (the GCP project, Hail accounts) is its plugin's rules; the
    // per-cloud tables of components are checked by this crate for the plugins that ask.
    let gcp = CloudName::gcp();
    assert!(
        ds("alpha-study")
            .component_section_problems(&infra, &gcp)
            .is_empty()
    );
    let mut partial = infra.clone();
    partial.sample_metadata.clear();
    assert_eq!(
        ds("alpha-study").component_section_problems(&partial, &gcp),
        [
            "component `sample-metadata` on gcp needs the section [infrastructure.sample_metadata.gcp] in cpg.toml; add it or remove the component from datasets:components"
        ]
    );
    let mut partial = infra.clone();
    partial.notebooks.clear();
    let problems = ds("alpha-study").component_section_problems(&partial, &gcp);
    assert!(
        problems.iter().any(|p| p.contains(
            "component `notebooks` on gcp needs the section [infrastructure.notebooks.gcp]"
        )),
        "{problems:?}"
    );
    let mut no_notebooks = ds("alpha-study");
    no_notebooks.components.insert(
        CloudName::gcp(),
        vec![Component::Storage, Component::HailAccounts],
    );
    assert!(
        no_notebooks
            .component_section_problems(&partial, &gcp)
            .is_empty()
    );

    let mut partial = infra.clone();
    partial.access_group_cache = None;
    let err = ds("alpha-study")
        .validate(&partial)
        .unwrap_err()
        .to_string();
    assert!(err.contains("[infrastructure.access_group_cache]"), "{err}");

    // Other clouds are the driver's business.
    let mut d = ds("alpha-study");
    d.deploy_locations = DeployLocations::one(CloudName::parse("dry-run").unwrap());
    d.validate(&infra).unwrap();
}

#[test]
fn dataset_set_rules() {
    let infra = infra();
    let mut alpha = ds("alpha-study");
    alpha.depends_on = vec![DatasetName::parse("beta-cohrt").unwrap()];
    let set = vec![ds("reference"), alpha.clone(), ds("beta-cohort")];
    let err = validate_dataset_set(&set, &infra, true)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("dataset alpha-study: datasets:depends_on names `beta-cohrt`"),
        "{err}"
    );
    assert!(err.contains("did you mean `beta-cohort`?"), "{err}");
    let warnings = validate_dataset_set(&set, &infra, false).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");

    let mut beta = ds("beta-cohort");
    beta.depends_on = vec![DatasetName::parse("alpha-study").unwrap()];
    alpha.depends_on = vec![DatasetName::parse("beta-cohort").unwrap()];
    let set = vec![ds("reference"), alpha, beta];
    let err = validate_dataset_set(&set, &infra, true)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("alpha-study -> beta-cohort -> alpha-study"),
        "{err}"
    );

    let set = vec![ds("alpha-study")];
    let err = validate_dataset_set(&set, &infra, true)
        .unwrap_err()
        .to_string();
    assert!(err.contains("reference dataset `reference`"), "{err}");
}
