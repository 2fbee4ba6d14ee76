//! The reference inputs (`../shared/reference`) load and validate.

use cpg_infra_config::{
    decode_utf8, dependency_order, load_stack_dir, parse_cpg_toml, parse_stack_file_with_warnings,
    validate_dataset_set,
};

use super::support::reference_dir;

#[test]
fn reference_inputs_load_and_validate() {
    let Some(dir) = reference_dir() else { return };
    let text = decode_utf8(&std::fs::read(dir.join("cpg.toml")).unwrap(), "cpg.toml").unwrap();
    let cpg = parse_cpg_toml(&text, "reference/cpg.toml").unwrap();
    cpg.infrastructure.validate().unwrap();
    assert!(cpg.datasets.is_empty());

    let stacks = dir.join("stacks");
    let mut count = 0;
    for entry in std::fs::read_dir(&stacks).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(stack) = file
            .strip_prefix("Pulumi.")
            .and_then(|s| s.strip_suffix(".yaml"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let (ds, warnings) = parse_stack_file_with_warnings(&text, &file, stack)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        ds.validate(&cpg.infrastructure)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(ds.gcp_project.is_some(), "{file}");
        assert!(
            warnings.iter().any(|w| w.contains("datasets:customer_id")),
            "{file}: {warnings:?}"
        );
        count += 1;
    }
    assert!(count >= 10, "only {count} stack files");

    let loaded = load_stack_dir(&stacks).unwrap();
    assert_eq!(loaded.datasets.len(), count);
    let warnings = validate_dataset_set(&loaded.datasets, &cpg.infrastructure, false).unwrap();
    // The partial set names datasets (seqr's dependencies) that are not in the folder.
    if loaded.datasets.iter().any(|d| d.dataset.as_str() == "seqr") {
        assert!(warnings.iter().any(|w| w.contains("seqr")), "{warnings:?}");
        let seqr = loaded
            .datasets
            .iter()
            .find(|d| d.dataset.as_str() == "seqr")
            .unwrap();
        assert_eq!(seqr.depends_on.len(), 24);
        assert!(seqr.deployment_service_account.standard.is_some());
    }
    if let Some(mito) = loaded
        .datasets
        .iter()
        .find(|d| d.dataset.as_str() == "mito-disease")
    {
        assert_eq!(mito.shared_project_budget.map(|b| b.get()), Some(250));
        assert!(mito.enable_shared_project && mito.enable_release);
        assert_eq!(mito.archive_age.get(), 90);
    }
    let order = dependency_order(&loaded.datasets, &cpg.infrastructure.reference_dataset).unwrap();
    assert_eq!(order[0].as_str(), "reference");
}
