//! Property tests of the pipeline on generated, valid configurations.
//!
//! A generated dataset is a stack file of random valid options (release bucket,
//! shared project with a budget, depends_on on the example's datasets, extra
//! upload buckets, sm_read_only_sas, archive age, both clouds when azure is
//! registered, main_read_group, members of the registry's users and an
//! organisation group), checked with the example `stack/cpg.toml` (plus two
//! registry users and an organisation group) and the example's other datasets.
//! For each one:
//!
//! - the plan has no two resources with the same logical name (nor type + name);
//! - every reference (outputs in properties and stack outputs, dependsOn, and
//!   `${...}` in the rendered program) points to a resource or variable of the plan;
//! - the rendered program is byte-identical across runs and does not depend on the
//!   order of depends_on, additional buckets, sm_read_only_sas, members or
//!   stack-file keys;
//! - the text and JSON plans never show a secret's value (every secret of the plan
//!   is replaced by a sentinel, plus a resource holding nested secrets).
//!
//! Case counts are bounded so that `cargo test` stays fast. Regression inputs found
//! by the fuzzers (fuzz/) go at the end of this file.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use cpg_infra_abstraction::{Output, Plan, Resource, Source, Value, find_cloud, render};
use cpg_infra_config::{
    CloudName, DatasetConfig, InfrastructureConfig, parse_cpg_toml, parse_pulumi_config,
    parse_stack_file, validate_dataset_set,
};
use cpg_infra_driver::pipeline::{self, Deployments};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

use super::support::repo;

/// A value no generated configuration contains: it must never appear in text output.
const SENTINEL: &str = "SENTINEL-c0ffee-do-not-print";

/// The example's infrastructure and its datasets (reference, alpha-study, beta-cohort).
fn example() -> &'static (InfrastructureConfig, Vec<DatasetConfig>) {
    static EXAMPLE: OnceLock<(InfrastructureConfig, Vec<DatasetConfig>)> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let stack = repo().join("stack");
        let text = std::fs::read_to_string(stack.join("cpg.toml")).expect("stack/cpg.toml");
        let text = format!("{text}{REGISTRY}");
        let parsed = parse_cpg_toml(&text, "stack/cpg.toml").expect("example cpg.toml parses");
        let others = ["reference", "alpha-study", "beta-cohort"]
            .iter()
            .map(|name| {
                let path = stack.join(format!("Pulumi.{name}.yaml"));
                let text = std::fs::read_to_string(&path).expect("example stack file");
                parse_stack_file(&text, &path.display().to_string(), name)
                    .expect("example stack file parses")
            })
            .collect();
        (parsed.infrastructure, others)
    })
}

/// Users and an organisation group added to the example for `members`.
const REGISTRY: &str = r#"
[infrastructure.users.u1.clouds.gcp]
id = "u1@example-institute.org"
[infrastructure.users.u1.clouds.azure]
id = "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e01"
[infrastructure.users."u.two".clouds.gcp]
id = "U.Two@example-institute.org"
[infrastructure.users."u.two".clouds.azure]
id = "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e02"

[[infrastructure.adhoc_groups]]
name = "curators"
members = ["u1", "u.two"]
"#;

/// The members a generated dataset may list.
const MEMBER_CHOICES: [&str; 3] = ["u1", "u.two", "group:curators"];

fn azure_registered() -> bool {
    find_cloud("azure").is_some()
}

/// The options of a generated dataset. Lists are in the order they are written.
#[derive(Debug, Clone)]
struct Options {
    name: String,
    archive_age: Option<u32>,
    release: bool,
    shared_budget: Option<u32>,
    depends_on: Vec<String>,
    buckets: Vec<String>,
    readers: Vec<String>,
    both_clouds: bool,
    project_suffix: u32,
    main_read_group: bool,
    /// Group kind -> members (each a subset of `MEMBER_CHOICES`).
    members: BTreeMap<&'static str, Vec<String>>,
}

/// The same options written differently: list orders and key order permuted.
#[derive(Debug, Clone)]
struct Writing {
    depends_on: Vec<String>,
    buckets: Vec<String>,
    readers: Vec<String>,
    members: BTreeMap<&'static str, Vec<String>>,
    key_order: Vec<usize>,
}

impl Writing {
    /// The options written as they are given: their list orders, keys in order.
    fn as_given(o: &Options) -> Self {
        Self {
            depends_on: o.depends_on.clone(),
            buckets: o.buckets.clone(),
            readers: o.readers.clone(),
            members: o.members.clone(),
            key_order: (0..16).collect(),
        }
    }
}

fn options() -> impl Strategy<Value = Options> {
    (
        "p[a-z0-9]{1,6}(-[a-z0-9]{1,5})?",
        proptest::option::of(1u32..=3650),
        any::<bool>(),
        proptest::option::of(1u32..=100_000),
        proptest::sample::subsequence(vec!["reference", "alpha-study", "beta-cohort"], 0..=3),
        proptest::collection::btree_set("[a-z]{3,12}", 0..=3),
        proptest::collection::btree_set((0u32..1000, 0u32..100), 0..=3),
        any::<bool>(),
        1000u32..10_000,
        any::<bool>(),
        proptest::collection::btree_map(
            proptest::sample::select(vec!["access", "web-access", "test", "standard", "full"]),
            proptest::sample::subsequence(MEMBER_CHOICES.to_vec(), 1..=3),
            0..=3,
        ),
    )
        .prop_map(
            |(
                name,
                archive_age,
                release,
                budget,
                deps,
                buckets,
                readers,
                both,
                suffix,
                main_read,
                members,
            )| Options {
                main_read_group: main_read,
                members: members
                    .into_iter()
                    .map(|(kind, list)| (kind, list.into_iter().map(str::to_owned).collect()))
                    .collect(),
                archive_age,
                release: release || budget.is_some(),
                shared_budget: budget,
                depends_on: deps.into_iter().map(str::to_owned).collect(),
                buckets: buckets
                    .into_iter()
                    .map(|b| format!("egi-{name}-partner-{b}"))
                    .collect(),
                readers: readers
                    .into_iter()
                    .map(|(r, p)| format!("reader-{r}@partner-{p}.iam.gserviceaccount.com"))
                    .collect(),
                both_clouds: both && azure_registered(),
                project_suffix: suffix,
                name,
            },
        )
}

/// Options with two independent writings of them.
fn options_and_writings() -> impl Strategy<Value = (Options, Writing, Writing)> {
    options().prop_flat_map(|o| {
        let writing = |o: &Options| {
            (
                Just(o.depends_on.clone()).prop_shuffle(),
                Just(o.buckets.clone()).prop_shuffle(),
                Just(o.readers.clone()).prop_shuffle(),
                (Just(o.members.clone()), any::<bool>()).prop_map(|(mut members, reverse)| {
                    if reverse {
                        members.values_mut().for_each(|list| list.reverse());
                    }
                    members
                }),
                Just((0..16).collect::<Vec<usize>>()).prop_shuffle(),
            )
                .prop_map(|(depends_on, buckets, readers, members, key_order)| {
                    Writing {
                        depends_on,
                        buckets,
                        readers,
                        members,
                        key_order,
                    }
                })
        };
        (Just(o.clone()), writing(&o), writing(&o))
    })
}

impl Options {
    fn deploy_locations(&self) -> Vec<CloudName> {
        let mut clouds = vec![CloudName::gcp()];
        if self.both_clouds {
            clouds.push(CloudName::azure());
        }
        clouds
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).expect("list")
}

/// The stack file of `o` written as `w` says.
fn stack_text(o: &Options, w: &Writing) -> String {
    let name = &o.name;
    let mut lines = Vec::new();
    if let Some(age) = o.archive_age {
        lines.push(format!("  datasets:archive_age: \"{age}\""));
    }
    if o.release {
        lines.push("  datasets:enable_release: \"true\"".to_owned());
    }
    if let Some(budget) = o.shared_budget {
        lines.push("  datasets:enable_shared_project: \"true\"".to_owned());
        lines.push(format!("  datasets:shared_project_budget: {budget}"));
    }
    if !w.depends_on.is_empty() {
        lines.push(format!(
            "  datasets:depends_on: '{}'",
            json_list(&w.depends_on)
        ));
    }
    if !w.buckets.is_empty() {
        lines.push(format!(
            "  datasets:additional_upload_buckets: '{}'",
            json_list(&w.buckets)
        ));
    }
    if !w.readers.is_empty() {
        lines.push(format!(
            "  datasets:sm_read_only_sas: '{}'",
            json_list(&w.readers)
        ));
    }
    if o.both_clouds {
        lines.push("  datasets:deploy_locations: '[\"gcp\", \"azure\"]'".to_owned());
    }
    if o.main_read_group {
        lines.push("  datasets:main_read_group: \"true\"".to_owned());
    }
    if !w.members.is_empty() {
        let members = serde_json::to_string(&w.members).expect("members");
        lines.push(format!("  datasets:members: '{members}'"));
    }
    for (level, n) in [("test", 1), ("standard", 2), ("full", 3)] {
        lines.push(format!(
            "  datasets:gcp_hail_service_account_{level}: {name}-{level}-{n}@egi-hail.iam.gserviceaccount.com"
        ));
    }
    lines.push(format!("  gcp:project: {name}-{}", o.project_suffix));
    lines.push(format!(
        "  gcp:billing_project: {name}-{}",
        o.project_suffix
    ));
    // Permute the keys: the order of `key_order` restricted to the lines present.
    let ordered: Vec<&String> = w.key_order.iter().filter_map(|&i| lines.get(i)).collect();
    let mut text = String::from("config:\n");
    for line in ordered {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Parses and validates a generated stack file, then plans it on its clouds.
fn plan_of(text: &str, name: &str) -> Result<(DatasetConfig, Plan), String> {
    let (infra, others) = example();
    let dataset =
        parse_stack_file(text, "generated", name).map_err(|e| format!("parse: {e}\n{text}"))?;
    dataset
        .validate(infra)
        .map_err(|e| format!("validate: {e}\n{text}"))?;
    let mut set = others.clone();
    set.push(dataset.clone());
    validate_dataset_set(&set, infra, true).map_err(|e| format!("dataset set: {e}\n{text}"))?;
    pipeline::validate_for_clouds(infra, std::slice::from_ref(&dataset), &[])
        .map_err(|e| format!("clouds: {e}\n{text}"))?;
    let plan = pipeline::plan(
        infra,
        &dataset,
        &dataset.deploy_locations,
        &Deployments::of(others),
    )
    .map_err(|e| format!("plan: {e}\n{text}"))?;
    Ok((dataset, plan))
}

fn program_text(plan: &Plan) -> String {
    String::from_utf8(pipeline::render_program(plan)).expect("programs are UTF-8")
}

/// Every reference of the plan resolves; returns the first dangling one.
fn dangling_reference(plan: &Plan) -> Option<String> {
    let resources: BTreeSet<&str> = plan.resources.iter().map(|r| r.name.as_str()).collect();
    let variables: BTreeSet<&str> = plan.invokes.iter().map(|i| i.variable.as_str()).collect();
    let resolves = |output: &Output| match &output.source {
        Source::Resource(name) => resources.contains(name.as_str()),
        Source::Invoke(name) => variables.contains(name.as_str()),
    };
    for resource in &plan.resources {
        for (key, value) in &resource.properties {
            if let Some(o) = value.outputs().into_iter().find(|o| !resolves(o)) {
                return Some(format!("{}.{key} -> {:?}", resource.name, o.source));
            }
        }
        if let Some(dep) = resource
            .options
            .depends_on
            .iter()
            .find(|d| !resources.contains(d.as_str()))
        {
            return Some(format!("{} dependsOn {dep}", resource.name));
        }
    }
    for invoke in &plan.invokes {
        for value in invoke.arguments.values() {
            if let Some(o) = value.outputs().into_iter().find(|o| !resolves(o)) {
                return Some(format!("variable {} -> {:?}", invoke.variable, o.source));
            }
        }
    }
    for (name, value) in &plan.outputs {
        if let Some(o) = value.outputs().into_iter().find(|o| !resolves(o)) {
            return Some(format!("output {name} -> {:?}", o.source));
        }
    }
    None
}

/// The roots of every `${root...}` interpolation in a rendered program's strings.
fn interpolated_roots(json: &serde_json::Value, found: &mut BTreeSet<String>) {
    match json {
        serde_json::Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(i) = rest.find("${") {
                // `$${` is an escaped literal `${`.
                if rest[..i].ends_with('$') {
                    rest = &rest[i + 2..];
                    continue;
                }
                let after = &rest[i + 2..];
                let root = if let Some(quoted) = after.strip_prefix("[\"") {
                    quoted.split("\"]").next().unwrap_or_default()
                } else {
                    after.split(['.', '[', '}']).next().unwrap_or_default()
                };
                found.insert(root.to_owned());
                rest = after;
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| interpolated_roots(v, found)),
        serde_json::Value::Object(map) => map.values().for_each(|v| interpolated_roots(v, found)),
        _ => {}
    }
}

/// Replaces the content of every secret by the sentinel.
fn sentinel_secrets(value: &mut Value) {
    match value {
        Value::Secret(inner) => **inner = Value::str(SENTINEL),
        Value::List(items) | Value::Concat(items) => items.iter_mut().for_each(sentinel_secrets),
        Value::Object(map) => map.values_mut().for_each(sentinel_secrets),
        Value::FromBase64(inner) => sentinel_secrets(inner),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::Output(_) => {}
    }
}

/// `plan` with every secret replaced by the sentinel, plus a resource and an output
/// holding the sentinel in secrets nested in every kind of value.
fn with_sentinel_secrets(mut plan: Plan) -> Plan {
    for resource in &mut plan.resources {
        resource.properties.values_mut().for_each(sentinel_secrets);
    }
    plan.outputs.values_mut().for_each(sentinel_secrets);
    let secret = || Value::Secret(Box::new(Value::str(SENTINEL)));
    let nested = Value::object([
        ("plain", secret()),
        ("list", Value::List(vec![Value::Int(1), secret()])),
        (
            "concat",
            Value::Concat(vec![Value::str("prefix-"), secret()]),
        ),
        ("decoded", Value::FromBase64(Box::new(secret()))),
        (
            "deep",
            Value::Secret(Box::new(Value::object([("inner", Value::str(SENTINEL))]))),
        ),
    ]);
    let resource = Resource::new("test:index/secret:Secret", "sentinel-secret")
        .prop("secretData", secret())
        .prop("nested", nested.clone());
    plan.resources.push(resource);
    plan.outputs.insert("sentinel-output".to_owned(), nested);
    plan
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Unique names, resolving references, deterministic and order-independent programs.
    #[test]
    fn plans_of_valid_configs_are_sound((o, a, b) in options_and_writings()) {
        let text_a = stack_text(&o, &a);
        let (_, plan) = plan_of(&text_a, &o.name).map_err(TestCaseError::fail)?;

        let mut names = BTreeSet::new();
        let mut typed = BTreeSet::new();
        for r in &plan.resources {
            prop_assert!(names.insert(r.name.as_str()), "duplicate logical name {}", r.name);
            prop_assert!(typed.insert((r.type_token.as_ref(), r.name.as_str())));
        }
        prop_assert_eq!(dangling_reference(&plan), None);

        let program = pipeline::program(&plan);
        let mut roots = BTreeSet::new();
        interpolated_roots(&program, &mut roots);
        let declared: BTreeSet<String> = ["resources", "variables"]
            .iter()
            .filter_map(|k| program.get(k).and_then(|v| v.as_object()))
            .flat_map(|m| m.keys().cloned())
            .collect();
        for root in &roots {
            prop_assert!(declared.contains(root), "program refers to undeclared `{}`", root);
        }

        let first = program_text(&plan);
        let (_, again) = plan_of(&text_a, &o.name).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&first, &program_text(&again), "program differs across runs");

        // Order independence, per cloud.
        let (infra, others) = example();
        let deployments = Deployments::of(others);
        for cloud in o.deploy_locations() {
            let text_b = stack_text(&o, &b);
            let (da, _) = plan_of(&text_a, &o.name).map_err(TestCaseError::fail)?;
            let (db, _) = plan_of(&text_b, &o.name).map_err(TestCaseError::fail)?;
            let clouds = [cloud.clone()];
            let pa = pipeline::plan(infra, &da, &clouds, &deployments).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let pb = pipeline::plan(infra, &db, &clouds, &deployments).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(
                program_text(&pa) == program_text(&pb),
                "{} program depends on the order of lists or keys:\n{}\n---\n{}", cloud, text_a, text_b
            );
        }
    }

    /// The same dataset given as PULUMI_CONFIG (compiler mode) plans to the same program.
    #[test]
    fn pulumi_config_and_stack_file_agree(o in options()) {
        let writing = Writing::as_given(&o);
        let text = stack_text(&o, &writing);
        let (from_file, plan) = plan_of(&text, &o.name).map_err(TestCaseError::fail)?;
        let mut config = BTreeMap::new();
        for line in text.lines().skip(1) {
            let (key, value) = line.trim().split_once(": ").expect("key: value");
            let value = value.trim_matches('\'').trim_matches('"');
            config.insert(key.to_owned(), value.to_owned());
        }
        let json = serde_json::to_string(&config).expect("config");
        let from_env = parse_pulumi_config(&json, &o.name).map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(&from_env, &from_file);
        let (infra, others) = example();
        let plan_env = pipeline::plan(infra, &from_env, &from_env.deploy_locations, &Deployments::of(others))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(program_text(&plan), program_text(&plan_env));
    }

    /// Neither the text plan nor the JSON plan shows a secret's value.
    #[test]
    fn text_and_json_plans_never_show_secrets(o in options()) {
        let writing = Writing::as_given(&o);
        let (_, plan) = plan_of(&stack_text(&o, &writing), &o.name).map_err(TestCaseError::fail)?;
        let plans = [with_sentinel_secrets(plan)];
        let text = render::text::text(&plans);
        prop_assert!(!text.contains(SENTINEL), "the text plan shows a secret");
        let json = serde_json::to_string(&render::json::json(&plans)).expect("json");
        prop_assert!(!json.contains(SENTINEL), "the JSON plan shows a secret");
        // The program keeps it, marked secret.
        let program = serde_json::to_string(&pipeline::program(&plans[0])).expect("program");
        prop_assert!(program.contains(SENTINEL) && program.contains("fn::secret"));
    }
}

/// The azure program does not depend on the order of
/// `datasets:additional_upload_buckets` (account-wide settings list containers by
/// name; this once failed: two buckets swapped gave different programs).
#[test]
fn azure_program_independent_of_bucket_order() {
    if !azure_registered() {
        return;
    }
    let o = Options {
        name: "porder".to_owned(),
        archive_age: None,
        release: true,
        shared_budget: None,
        depends_on: Vec::new(),
        buckets: vec![
            "egi-porder-partner-b".to_owned(),
            "egi-porder-partner-a".to_owned(),
        ],
        readers: Vec::new(),
        both_clouds: true,
        project_suffix: 1234,
        main_read_group: false,
        members: BTreeMap::new(),
    };
    let a = Writing {
        depends_on: Vec::new(),
        buckets: o.buckets.clone(),
        readers: Vec::new(),
        members: BTreeMap::new(),
        key_order: (0..16).collect(),
    };
    let b = Writing {
        buckets: o.buckets.iter().rev().cloned().collect(),
        ..a.clone()
    };
    let (_, pa) = plan_of(&stack_text(&o, &a), &o.name).expect("plan a");
    let (_, pb) = plan_of(&stack_text(&o, &b), &o.name).expect("plan b");
    assert_eq!(program_text(&pa), program_text(&pb));
}

/// Inputs the fuzzers (fuzz/) found, kept as regression cases: each must give a value
/// or an error, never a panic. None so far.
#[test]
fn fuzz_regressions_do_not_panic() {
    let stack_files: &[&str] = &[];
    for text in stack_files {
        let _ = parse_stack_file(text, "regression", "regression");
    }
    let pulumi_configs: &[&str] = &[];
    for text in pulumi_configs {
        let _ = parse_pulumi_config(text, "regression");
    }
    let cpg_tomls: &[&str] = &[];
    for text in cpg_tomls {
        let _ = parse_cpg_toml(text, "regression");
    }
}
