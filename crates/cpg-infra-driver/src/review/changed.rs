//! `deploy --changed --base REV`: which stacks to run. A dataset runs when its
//! program differs from the base's (byte for byte, as Pulumi would receive it),
//! when it is new, or when it reads a stack output (through a stack reference)
//! whose value changed in the dataset that exports it; every other dataset is
//! skipped with its reason. Each side is a [`Workspace`]; every dataset of both is
//! planned (on its own clouds, as Pulumi deploys it), selected or not, since a dataset
//! that is skipped may export an output a selected one reads.

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::render::text::show;
use cpg_infra_abstraction::review::review;
use cpg_infra_abstraction::{Plan, ResourceKind, Source, Value};
use cpg_infra_config::DatasetName;

use crate::pipeline;
use crate::workspace::Workspace;

use super::ReviewError;

/// What `deploy --changed` decided for one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The dataset.
    pub dataset: DatasetName,
    /// Whether its stack runs.
    pub run: bool,
    /// Why, in words.
    pub reason: String,
}

/// The decisions for every dataset the current workspace selected, plus the
/// datasets only the base has (never deployed: their stacks are left alone).
pub struct Changes {
    /// One decision per selected dataset, in the given order.
    pub decisions: Vec<Decision>,
    /// Datasets of the base that the current configuration no longer has.
    pub removed: Vec<DatasetName>,
}

/// The stack a stack reference reads (the last segment of its `name`).
fn referenced_stack(plan: &Plan, resource: &str) -> Option<String> {
    let resource = plan.get(resource)?;
    let reviewed = review(resource);
    if reviewed.kind != ResourceKind::StackReference {
        return None;
    }
    let name = show(reviewed.name.as_ref()?);
    Some(name.rsplit('/').next().unwrap_or(&name).to_owned())
}

/// The `(stack, output)` pairs `plan` reads through stack references.
fn reads(plan: &Plan) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let mut visit = |value: &Value| {
        for output in value.outputs() {
            if let (Source::Resource(name), [outputs, key]) =
                (&output.source, output.path.as_slice())
                && outputs == "outputs"
                && let Some(stack) = referenced_stack(plan, name)
            {
                found.insert((stack, key.to_string()));
            }
        }
    };
    for resource in &plan.resources {
        resource.properties.values().for_each(&mut visit);
    }
    plan.outputs.values().for_each(&mut visit);
    found
}

/// Decides which of the datasets `current` selected run, comparing with `base`.
pub fn changes(base: &Workspace, current: &Workspace) -> Result<Changes, ReviewError> {
    // Every dataset of both sides is planned: a skipped dataset may export an output
    // that a selected one reads.
    let mut changed_outputs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut own: BTreeMap<DatasetName, Option<String>> = BTreeMap::new();
    let mut read: BTreeMap<DatasetName, BTreeSet<(String, String)>> = BTreeMap::new();
    for dataset in &current.inputs.datasets {
        let now = current.plan(dataset)?;
        let before = base
            .inputs
            .datasets
            .iter()
            .find(|d| d.dataset == dataset.dataset)
            .map(|d| base.plan(d))
            .transpose()
            .map_err(|e| ReviewError::Base {
                base: "planning".to_owned(),
                message: e.to_string(),
            })?;
        let reason = match &before {
            None => Some("new since the base".to_owned()),
            Some(before) if pipeline::render_program(before) != pipeline::render_program(&now) => {
                Some("its program changed".to_owned())
            }
            Some(_) => None,
        };
        let mut outputs: BTreeSet<String> = now.outputs.keys().cloned().collect();
        if let Some(before) = &before {
            outputs = before
                .outputs
                .keys()
                .chain(now.outputs.keys())
                .filter(|k| before.outputs.get(*k) != now.outputs.get(*k))
                .cloned()
                .collect();
        }
        changed_outputs.insert(dataset.dataset.to_string(), outputs);
        own.insert(dataset.dataset.clone(), reason);
        read.insert(dataset.dataset.clone(), reads(&now));
    }
    let mut decisions = Vec::new();
    for dataset in &current.selected {
        let name = &dataset.dataset;
        let own_reason = own.get(name).cloned().flatten();
        let stale: Vec<String> = read
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(stack, key)| changed_outputs.get(stack).is_some_and(|c| c.contains(key)))
            .map(|(stack, key)| format!("{stack}/{key}"))
            .collect();
        let decision = match (own_reason, stale.is_empty()) {
            (Some(reason), true) => Decision {
                dataset: name.clone(),
                run: true,
                reason,
            },
            (Some(reason), false) => Decision {
                dataset: name.clone(),
                run: true,
                reason: format!(
                    "{reason}, and it reads changed outputs {}",
                    stale.join(", ")
                ),
            },
            (None, false) => Decision {
                dataset: name.clone(),
                run: true,
                reason: format!("it reads changed outputs {}", stale.join(", ")),
            },
            (None, true) => Decision {
                dataset: name.clone(),
                run: false,
                reason: "its program and the outputs it reads are unchanged".to_owned(),
            },
        };
        decisions.push(decision);
    }
    let removed = base
        .inputs
        .datasets
        .iter()
        .filter(|d| {
            !current
                .inputs
                .datasets
                .iter()
                .any(|c| c.dataset == d.dataset)
        })
        .map(|d| d.dataset.clone())
        .collect();
    Ok(Changes { decisions, removed })
}
