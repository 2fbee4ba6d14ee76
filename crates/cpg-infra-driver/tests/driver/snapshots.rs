//! Reviewable output: insta snapshots of the real pipeline's output for the
//! example organisation (`stack/`), on gcp, azure, both clouds and the test
//! cloud: the text plan (secrets are never shown in it) and every dataset's
//! Pulumi program, as the driver renders it, pretty-printed for review.
//!
//! The output is cut by blueprint component, so that a change to one component (a new
//! bucket row) changes few files. Per selection `<label>`:
//!
//! - `<label>-plan`: the text plan without its resource lines: each dataset's heading,
//!   one line per component with its count, the outputs, the diagnostics and the
//!   closing totals;
//! - `<label>-<component>`: per dataset, the component's resource lines of the text
//!   plan, then its resources in the program (pretty JSON, in the program's order);
//! - `<label>-programs`: per dataset, the program without its resources (its variables
//!   and outputs).
//!
//! Put back together (the resource lines under their component's line, the resources
//! into each program), the pieces are the whole text plan and every whole program:
//! the test asserts it before it compares the pieces, so no line or property can fall
//! between them.
//!
//! A change to the blueprint or a plugin shows up here as a snapshot diff; review
//! it with `cargo insta review` (or `cargo insta test --review`) and commit the
//! accepted `.snap` files with the change.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Plan, render};
use cpg_infra_config::CloudName;
use cpg_infra_driver::inputs::{self, ConfigLocation, ConfigSource};
use cpg_infra_driver::pipeline;
use serde_json::{Map, Value as Json};

use super::support::{example_config_with_testcloud, repo};

/// A resource line of the text plan.
const RESOURCE_LINE: &str = "    + ";

/// The name the text plan gives a resource without a component.
const NO_COMPONENT: &str = "general";

/// One dataset's share of a component: its resource lines and its program resources.
#[derive(Default)]
struct Share {
    lines: Vec<String>,
    resources: Map<String, Json>,
}

/// The pieces of one selection's output.
struct Pieces {
    /// The text plan without its resource lines.
    outline: String,
    /// Component -> dataset -> its share.
    components: BTreeMap<String, BTreeMap<String, Share>>,
    /// Dataset -> its program without `resources`, in plan order.
    programs: Vec<(String, Map<String, Json>)>,
}

/// `  storage (40)`: the component of the resource lines that follow.
fn component_heading(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("  ")?;
    let (name, count) = rest.split_once(" (")?;
    let count = count.strip_suffix(')')?;
    (!name.is_empty()
        && !name.contains(' ')
        && !count.is_empty()
        && count.bytes().all(|b| b.is_ascii_digit()))
    .then_some(name)
}

/// Cuts the text plan and the programs of `plans` by component.
fn cut(plans: &[Plan], text: &str, programs: &[Json]) -> Pieces {
    let mut outline = String::new();
    let mut components: BTreeMap<String, BTreeMap<String, Share>> = BTreeMap::new();
    let mut dataset = String::new();
    let mut component = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("dataset ") {
            dataset = rest.split(' ').next().unwrap_or_default().to_owned();
        }
        if let Some(name) = component_heading(line) {
            component = name.to_owned();
        }
        if line.starts_with(RESOURCE_LINE) {
            components
                .entry(component.clone())
                .or_default()
                .entry(dataset.clone())
                .or_default()
                .lines
                .push(line.to_owned());
        } else {
            outline.push_str(line);
            outline.push('\n');
        }
    }
    let mut rest = Vec::new();
    for (plan, program) in plans.iter().zip(programs) {
        let component_of: BTreeMap<&str, &str> = plan
            .resources
            .iter()
            .map(|r| {
                let component = if r.component.is_empty() {
                    NO_COMPONENT
                } else {
                    r.component
                };
                (r.name.as_str(), component)
            })
            .collect();
        let mut program = program.as_object().expect("a program is an object").clone();
        let resources = program
            .remove("resources")
            .and_then(|r| r.as_object().cloned())
            .unwrap_or_default();
        for (name, resource) in resources {
            let component = component_of
                .get(name.as_str())
                .unwrap_or_else(|| panic!("{}: `{name}` is in no component", plan.dataset));
            components
                .entry((*component).to_owned())
                .or_default()
                .entry(plan.dataset.clone())
                .or_default()
                .resources
                .insert(name, resource);
        }
        rest.push((plan.dataset.clone(), program));
    }
    Pieces {
        outline,
        components,
        programs: rest,
    }
}

/// The whole text plan and every whole program, put back together from `pieces`.
fn reassemble(pieces: &Pieces) -> (String, Vec<Json>) {
    let mut text = String::new();
    let mut dataset = String::new();
    for line in pieces.outline.lines() {
        text.push_str(line);
        text.push('\n');
        if let Some(rest) = line.strip_prefix("dataset ") {
            dataset = rest.split(' ').next().unwrap_or_default().to_owned();
        }
        if let Some(component) = component_heading(line)
            && let Some(share) = pieces
                .components
                .get(component)
                .and_then(|c| c.get(&dataset))
        {
            for resource in &share.lines {
                text.push_str(resource);
                text.push('\n');
            }
        }
    }
    let mut programs = Vec::new();
    for (dataset, rest) in &pieces.programs {
        let mut resources: Vec<(&String, &Json)> = pieces
            .components
            .values()
            .filter_map(|c| c.get(dataset))
            .flat_map(|share| &share.resources)
            .collect();
        resources.sort_by(|a, b| a.0.cmp(b.0));
        let resources: Map<String, Json> = resources
            .into_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // The program's own order: variables, resources, outputs.
        let mut program = Map::new();
        if let Some(variables) = rest.get("variables") {
            program.insert("variables".to_owned(), variables.clone());
        }
        program.insert("resources".to_owned(), Json::Object(resources));
        for (key, value) in rest.iter().filter(|(k, _)| *k != "variables") {
            program.insert(key.clone(), value.clone());
        }
        programs.push(Json::Object(program));
    }
    (text, programs)
}

/// A component's snapshot: per dataset, its resource lines, then its program resources.
fn component_text(shares: &BTreeMap<String, Share>) -> String {
    let mut out = String::new();
    for (dataset, share) in shares {
        out.push_str(&format!("dataset {dataset}\n"));
        for line in &share.lines {
            out.push_str(line);
            out.push('\n');
        }
        let resources = Json::Object(share.resources.clone());
        out.push_str(&serde_json::to_string_pretty(&resources).expect("pretty JSON"));
        out.push_str("\n\n");
    }
    out
}

/// The programs' snapshot: per dataset, its program without its resources.
fn programs_text(programs: &[(String, Map<String, Json>)]) -> String {
    let mut out = String::new();
    for (dataset, rest) in programs {
        out.push_str(&format!("dataset {dataset}\n"));
        let rest = Json::Object(rest.clone());
        out.push_str(&serde_json::to_string_pretty(&rest).expect("pretty JSON"));
        out.push_str("\n\n");
    }
    out
}

/// Plans every example dataset on `clouds` and snapshots the text plan and the programs.
fn snapshot_selection(label: &str, clouds: &[&str]) {
    let clouds: Vec<CloudName> = clouds
        .iter()
        .map(|c| CloudName::parse(c).expect("cloud name"))
        .collect();
    let mut path = repo().join("stack/cpg.toml");
    let scratch_dir = tempfile::tempdir().expect("scratch dir");
    let scratch = scratch_dir.path().to_path_buf();
    if label == "testcloud" {
        path = scratch.join("cpg.toml");
        std::fs::write(&path, example_config_with_testcloud()).expect("write cpg.toml");
    }
    let location = ConfigLocation::File {
        path,
        source: ConfigSource::Flag,
        stack_dir: repo().join("stack"),
    };
    let loaded = inputs::load(&location, true).expect("the example organisation loads");
    drop(scratch_dir);
    pipeline::validate_for_clouds(&loaded.infrastructure, &loaded.datasets, &clouds)
        .expect("the example organisation validates");
    let deployments = pipeline::Deployments::of(&loaded.datasets);
    let plans: Vec<_> = loaded
        .datasets
        .iter()
        .map(|dataset| {
            pipeline::plan(&loaded.infrastructure, dataset, &clouds, &deployments)
                .unwrap_or_else(|e| panic!("plan of {}: {e}", dataset.dataset))
        })
        .collect();
    assert!(!plans.is_empty(), "the example organisation has datasets");
    let text = render::text::text(&plans);
    let programs: Vec<Json> = plans
        .iter()
        .map(|plan| {
            serde_json::from_slice(&pipeline::render_program(plan)).expect("the program is JSON")
        })
        .collect();

    let pieces = cut(&plans, &text, &programs);
    let (whole_text, whole_programs) = reassemble(&pieces);
    assert!(
        whole_text == text,
        "{label}: the plan's pieces are not the whole plan"
    );
    for ((plan, program), whole) in plans.iter().zip(&programs).zip(&whole_programs) {
        // Compared as the snapshots show them: pretty JSON, in the program's key order.
        let pretty = |p: &Json| serde_json::to_string_pretty(p).expect("pretty JSON");
        assert!(
            pretty(whole) == pretty(program),
            "{label}: the pieces of {}'s program are not the whole program",
            plan.dataset
        );
    }

    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!(format!("{label}-plan"), pieces.outline);
        for (component, shares) in &pieces.components {
            insta::assert_snapshot!(format!("{label}-{component}"), component_text(shares));
        }
        insta::assert_snapshot!(format!("{label}-programs"), programs_text(&pieces.programs));
    });
}

#[test]
fn example_organisation_on_gcp() {
    snapshot_selection("gcp", &["gcp"]);
}

#[test]
fn example_organisation_on_azure() {
    snapshot_selection("azure", &["azure"]);
}

#[test]
fn example_organisation_on_both_clouds() {
    snapshot_selection("both", &["gcp", "azure"]);
}

#[test]
fn example_organisation_on_the_test_cloud() {
    snapshot_selection("testcloud", &["testcloud"]);
}
