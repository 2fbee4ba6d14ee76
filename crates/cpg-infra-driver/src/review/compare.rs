//! Plans both sides of a change in memory, one dataset at a time, and diffs them.

use cpg_infra_config::{CloudName, DatasetConfig, DatasetName};

use crate::inputs::Inputs;
use crate::{messages, pipeline};

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
    pipeline::validate_for_clouds(&base.infrastructure, &owned(&old), forced).map_err(|e| {
        ReviewError::Base {
            base: "planning".to_owned(),
            message: e.to_string(),
        }
    })?;
    pipeline::validate_for_clouds(&current.infrastructure, &owned(&new), forced)?;
    let mut datasets: Vec<&DatasetName> = old.iter().chain(&new).map(|d| &d.dataset).collect();
    datasets.sort();
    datasets.dedup();
    let base_deployments = pipeline::Deployments::of(&base.datasets);
    let current_deployments = pipeline::Deployments::of(&current.datasets);
    let mut diffs = Vec::new();
    for name in datasets {
        let plan = |inputs: &Inputs, set: &[&DatasetConfig], deployments| {
            set.iter()
                .find(|d| d.dataset == *name)
                .map(|d| {
                    pipeline::plan(
                        &inputs.infrastructure,
                        d,
                        &pipeline::clouds_for(d, forced),
                        deployments,
                    )
                })
                .transpose()
        };
        let before = plan(base, &old, &base_deployments).map_err(|e| ReviewError::Base {
            base: "planning".to_owned(),
            message: e.to_string(),
        })?;
        let after = plan(current, &new, &current_deployments)?;
        diffs.push(diff(before.as_ref(), after.as_ref()));
    }
    Ok(diffs)
}
