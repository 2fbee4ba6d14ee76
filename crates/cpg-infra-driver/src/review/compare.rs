//! Plans both sides of a change in memory, one dataset at a time, and diffs them.

use cpg_infra_config::{CloudName, DatasetConfig, DatasetName};

use crate::inputs::Inputs;
use crate::messages;
use crate::pipeline::Deployments;
use crate::workspace::Planner;

use super::ReviewError;
use super::diff::{DatasetDiff, diff};

/// The datasets of `inputs` named in `names` (all when empty); names it lacks are skipped.
fn pick<'a>(inputs: &'a Inputs, names: &[DatasetName]) -> Vec<&'a DatasetConfig> {
    inputs
        .datasets
        .iter()
        .filter(|d| names.is_empty() || names.contains(&d.dataset))
        .collect()
}

/// The diff of every selected dataset (present on either side), sorted by dataset.
/// `forced` clouds replace each dataset's deploy_locations on both sides.
pub fn compare(
    base: &Inputs,
    current: &Inputs,
    names: &[DatasetName],
    forced: &[CloudName],
) -> Result<Vec<DatasetDiff>, ReviewError> {
    // A selected dataset that one side cannot use is an error, never a dataset added or
    // removed (its whole stack would read as deleted).
    let broken_base: Vec<String> = names
        .iter()
        .filter_map(|n| base.problem_of(n).map(ToString::to_string))
        .collect();
    if !broken_base.is_empty() {
        return Err(ReviewError::Base {
            base: "loading".to_owned(),
            message: broken_base.join("\n"),
        });
    }
    let broken_current: Vec<String> = names
        .iter()
        .filter_map(|n| current.problem_of(n).map(ToString::to_string))
        .collect();
    if !broken_current.is_empty() {
        return Err(ReviewError::Current(broken_current.join("\n")));
    }
    for name in names {
        let known = |i: &Inputs| i.datasets.iter().any(|d| d.dataset == *name);
        if !known(base) && !known(current) {
            let mut all: Vec<String> = base
                .datasets
                .iter()
                .chain(&current.datasets)
                .map(|d| d.dataset.to_string())
                .collect();
            all.sort();
            all.dedup();
            return Err(ReviewError::UnknownDataset(
                name.to_string(),
                messages::list(&all),
            ));
        }
    }
    let old = pick(base, names);
    let new = pick(current, names);
    let owned = |set: &[&DatasetConfig]| set.iter().map(|d| (*d).clone()).collect::<Vec<_>>();
    let base_deployments = Deployments::of(&base.datasets);
    let current_deployments = Deployments::of(&current.datasets);
    let base_planner = Planner {
        infrastructure: &base.infrastructure,
        deployments: &base_deployments,
        forced,
    };
    let current_planner = Planner {
        infrastructure: &current.infrastructure,
        deployments: &current_deployments,
        forced,
    };
    base_planner
        .validate(&owned(&old))
        .map_err(|e| ReviewError::Base {
            base: "planning".to_owned(),
            message: e.to_string(),
        })?;
    current_planner.validate(&owned(&new))?;
    let mut datasets: Vec<&DatasetName> = old.iter().chain(&new).map(|d| &d.dataset).collect();
    datasets.sort();
    datasets.dedup();
    let mut diffs = Vec::new();
    for name in datasets {
        let plan = |planner: &Planner, set: &[&DatasetConfig]| {
            set.iter()
                .find(|d| d.dataset == *name)
                .map(|d| planner.plan(d))
                .transpose()
        };
        let before = plan(&base_planner, &old).map_err(|e| ReviewError::Base {
            base: "planning".to_owned(),
            message: e.to_string(),
        })?;
        let after = plan(&current_planner, &new)?;
        diffs.push(diff(before.as_ref(), after.as_ref()));
    }
    Ok(diffs)
}
