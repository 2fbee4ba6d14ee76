//! Fuzz target: the whole pipeline from a stack file to rendered output.
//!
//! The input is a stack file of dataset `fuzz`, checked against the example
//! `stack/cpg.toml` (embedded at build time): parse, validate (dataset rules, the
//! dataset set with the example's other datasets, the clouds' own rules), and
//! when valid plan it for its clouds and render the Pulumi program, the text
//! plan and the JSON plan. A panic anywhere is a bug.

#![no_main]

use std::sync::OnceLock;

use cpg_infra_abstraction::render;
use cpg_infra_config::{DatasetConfig, InfrastructureConfig, parse_cpg_toml, parse_stack_file};
use cpg_infra_driver::pipeline;
use libfuzzer_sys::fuzz_target;

const CPG_TOML: &str = include_str!("../../stack/cpg.toml");
const OTHERS: [(&str, &str); 3] = [
    (
        "reference",
        include_str!("../../stack/Pulumi.reference.yaml"),
    ),
    (
        "alpha-study",
        include_str!("../../stack/Pulumi.alpha-study.yaml"),
    ),
    (
        "beta-cohort",
        include_str!("../../stack/Pulumi.beta-cohort.yaml"),
    ),
];

fn example() -> &'static (InfrastructureConfig, Vec<DatasetConfig>) {
    static EXAMPLE: OnceLock<(InfrastructureConfig, Vec<DatasetConfig>)> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let parsed = parse_cpg_toml(CPG_TOML, "stack/cpg.toml").expect("example cpg.toml");
        let others = OTHERS
            .iter()
            .map(|(name, text)| parse_stack_file(text, name, name).expect("example stack file"))
            .collect();
        (parsed.infrastructure, others)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (infra, others) = example();
    let Ok(dataset) = parse_stack_file(text, "Pulumi.fuzz.yaml", "fuzz") else {
        return;
    };
    if dataset.validate(infra).is_err() {
        return;
    }
    let mut set: Vec<DatasetConfig> = others.clone();
    set.push(dataset.clone());
    if cpg_infra_config::validate_dataset_set(&set, infra, true).is_err() {
        return;
    }
    let only = std::slice::from_ref(&dataset);
    if pipeline::validate_for_clouds(infra, only, &[]).is_err() {
        return;
    }
    // A valid configuration may still be refused by the planner (e.g. an upload bucket
    // colliding with a generated name): that is an error, not a crash.
    let deployments = pipeline::Deployments::of(&set);
    let Ok(plan) = pipeline::plan(infra, &dataset, &dataset.deploy_locations, &deployments) else {
        return;
    };
    let program = pipeline::program(&plan);
    let text = serde_json::to_string(&program).expect("program serialises");
    assert!(!text.is_empty());
    let plans = [plan];
    let _ = render::text::text(&plans);
    let _ = render::json::json(&plans);
});
