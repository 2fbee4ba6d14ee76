//! The human-readable plan ("dry run"): what would be created, grouped by
//! dataset, cloud and component, with counts and diagnostics. Every property is
//! shown, nested lists and objects included; secret values are never printed.
//! [`overview`] and [`totals`] are the summary a plan starts with: one line per
//! dataset, then the totals.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::plan::{Plan, Severity};
use crate::render::pulumi::access;
use crate::resource::Resource;
use crate::value::Value;

/// Renders plans (one per dataset) as text, with a closing summary line.
pub fn text(plans: &[Plan]) -> String {
    let mut out = String::new();
    for plan in plans {
        out.push_str(&dataset(plan));
    }
    out.push_str(&summary(
        plans.len(),
        plans.iter().map(|p| p.resources.len()).sum(),
    ));
    out
}

/// The closing line of a text plan.
pub fn summary(datasets: usize, resources: usize) -> String {
    format!(
        "{}, {}\n",
        count(datasets, "dataset"),
        count(resources, "resource")
    )
}

/// One line for a dataset's plan: its resources per component, outputs and diagnostics.
pub fn overview(plan: &Plan) -> String {
    let mut by_component: BTreeMap<&str, usize> = BTreeMap::new();
    for resource in &plan.resources {
        let label = if resource.component.is_empty() {
            "general"
        } else {
            resource.component
        };
        *by_component.entry(label).or_default() += 1;
    }
    let components: Vec<String> = by_component
        .iter()
        .map(|(component, n)| format!("{component} {n}"))
        .collect();
    let (warnings, unavailable, notes) = diagnostic_counts(std::slice::from_ref(plan));
    format!(
        "{} ({}): {}{}, {}, {}{}, {}\n",
        plan.dataset,
        places(plan),
        count(plan.resources.len(), "resource"),
        if components.is_empty() {
            String::new()
        } else {
            format!(" ({})", components.join(", "))
        },
        count(plan.outputs.len(), "output"),
        count(warnings, "warning"),
        not_available(unavailable),
        count(notes, "note")
    )
}

/// `gcp in australia-southeast1, azure in australiaeast`: the plan's clouds, each with
/// the region its plugin places the dataset's data in (where it has one).
pub fn places(plan: &Plan) -> String {
    let places: Vec<String> = plan
        .clouds
        .iter()
        .map(|cloud| match plan.regions.get(cloud) {
            Some(region) => format!("{cloud} in {region}"),
            None => cloud.clone(),
        })
        .collect();
    places.join(", ")
}

/// `, N not available` (empty for none): the count of "not available on `<cloud>`"
/// warnings, said once per run in full ([`crate::render::diagnostics::Unavailable`]).
fn not_available(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {n} not available")
    }
}

/// The warnings (other than "not available"), the "not available" warnings and the
/// notes of some plans.
pub fn diagnostic_counts(plans: &[Plan]) -> (usize, usize, usize) {
    let count = |keep: &dyn Fn(&crate::plan::Diagnostic) -> bool| {
        plans
            .iter()
            .flat_map(|p| &p.diagnostics)
            .filter(|d| keep(d))
            .count()
    };
    (
        count(&|d| d.severity == Severity::Warning && !d.unavailable),
        count(&|d| d.unavailable),
        count(&|d| d.severity == Severity::Note),
    )
}

/// Running totals of a summary-first plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Datasets planned.
    pub datasets: usize,
    /// Resources of every dataset.
    pub resources: usize,
    /// Stack outputs of every dataset.
    pub outputs: usize,
    /// Warnings of every dataset, "not available" ones apart.
    pub warnings: usize,
    /// "Not available on `<cloud>`" warnings of every dataset.
    pub unavailable: usize,
    /// Notes of every dataset.
    pub notes: usize,
}

impl Totals {
    /// Adds a dataset's plan.
    pub fn add(&mut self, plan: &Plan) {
        let (warnings, unavailable, notes) = diagnostic_counts(std::slice::from_ref(plan));
        self.datasets += 1;
        self.unavailable += unavailable;
        self.resources += plan.resources.len();
        self.outputs += plan.outputs.len();
        self.warnings += warnings;
        self.notes += notes;
    }
}

/// The closing line of a summary-first plan.
pub fn totals(totals: &Totals) -> String {
    format!(
        "{}, {}, {}, {}{}, {}\n",
        count(totals.datasets, "dataset"),
        count(totals.resources, "resource"),
        count(totals.outputs, "output"),
        count(totals.warnings, "warning"),
        not_available(totals.unavailable),
        count(totals.notes, "note")
    )
}

/// `1 dataset`, `2 datasets`: a count with its noun (a regular English plural).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Renders one dataset's plan as text.
pub fn dataset(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "dataset {} ({}): {}, {}, {}",
        plan.dataset,
        places(plan),
        count(plan.resources.len(), "resource"),
        count(plan.outputs.len(), "output"),
        count(plan.diagnostics.len(), "diagnostic")
    );
    let mut by_component: BTreeMap<&str, Vec<&Resource>> = BTreeMap::new();
    for resource in &plan.resources {
        by_component
            .entry(resource.component)
            .or_default()
            .push(resource);
    }
    for (component, resources) in by_component {
        let label = if component.is_empty() {
            "general"
        } else {
            component
        };
        let _ = writeln!(out, "  {label} ({})", resources.len());
        for resource in resources {
            let _ = writeln!(out, "    {}", describe(resource));
        }
    }
    if !plan.outputs.is_empty() {
        let _ = writeln!(out, "  outputs ({})", plan.outputs.len());
        for (name, value) in &plan.outputs {
            let _ = writeln!(out, "    {name} = {}", show(value));
        }
    }
    for diagnostic in &plan.diagnostics {
        let severity = diagnostic.severity.as_str();
        let _ = writeln!(
            out,
            "  {severity} [{}] {}: {}",
            diagnostic.cloud, diagnostic.subject, diagnostic.message
        );
    }

    out
}

fn describe(resource: &Resource) -> String {
    let mut line = format!("+ {} {}", resource.type_token, resource.name);
    let mut marks = Vec::new();
    if resource.options.protect {
        marks.push("protected".to_owned());
    }
    if let Some(id) = &resource.options.import {
        marks.push(format!("adopts {id}"));
    }
    if let Some(existing) = &resource.existing {
        marks.push(format!("reads existing {}", existing.id));
    }
    if !marks.is_empty() {
        let _ = write!(line, " [{}]", marks.join(", "));
    }
    // Every property, nested lists and objects included (secrets as `[secret]`).
    let summary: Vec<String> = resource
        .properties
        .iter()
        .map(|(k, v)| format!("{k}={}", show(v)))
        .collect();
    if !summary.is_empty() {
        let _ = write!(line, " {}", summary.join(" "));
    }
    line
}

/// A short, secret-free rendering of a value.
pub fn show(value: &Value) -> String {
    match value {
        Value::Secret(_) => "[secret]".to_owned(),
        Value::Str(s) if s.is_empty() => "\"\"".to_owned(),
        Value::Str(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Output(o) => format!("<{}>", access(o)),
        Value::Concat(parts) => parts.iter().map(show).collect(),
        Value::FromBase64(inner) => format!("base64decode({})", show(inner)),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}: {}", show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
