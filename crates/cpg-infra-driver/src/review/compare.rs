//! Plans both sides of a change in memory, one dataset at a time, and diffs them. Each
//! side is a [`Workspace`] of the datasets it has ([`Selection::Present`]): a dataset
//! on one side only is added or removed, never an error.

use std::sync::Arc;

use cpg_infra_config::{CloudName, DatasetName};

use crate::inputs::Inputs;
use crate::messages;
use crate::workspace::{Selection, Workspace};

use super::ReviewError;
use super::diff::{DatasetDiff, diff};

/// The base side of a comparison of `names` (every dataset when empty): the named
/// datasets the base has, validated for their clouds (`forced`, else their own). A
/// named dataset the base cannot use is an error, never a dataset added (its whole
/// stack would read as created).
pub fn base_side(
    base: Inputs,
    names: &[DatasetName],
    forced: &[CloudName],
) -> Result<Workspace, ReviewError> {
    loaded(&base, names)?;
    Workspace::new(base, Selection::Present(names), forced).map_err(|e| ReviewError::Base {
        base: "planning".to_owned(),
        message: e.to_string(),
    })
}

/// An error when a dataset of `names` is one the base could not load.
fn loaded(base: &Inputs, names: &[DatasetName]) -> Result<(), ReviewError> {
    let broken: Vec<String> = names
        .iter()
        .filter_map(|n| base.problem_of(n).map(ToString::to_string))
        .collect();
    if broken.is_empty() {
        return Ok(());
    }
    Err(ReviewError::Base {
        base: "loading".to_owned(),
        message: broken.join("\n"),
    })
}

/// Both sides of a comparison of `names` (every dataset when empty): each the named
/// datasets it has, validated for their clouds (`forced`, else their own). A named
/// dataset that one side cannot use, or that neither side has, is an error.
pub fn sides(
    base: Inputs,
    current: impl Into<Arc<Inputs>>,
    names: &[DatasetName],
    forced: &[CloudName],
) -> Result<(Workspace, Workspace), ReviewError> {
    let current = current.into();
    // Every problem of loading before any of planning: a broken base, then a broken
    // current side, then a name neither side has.
    loaded(&base, names)?;
    let broken: Vec<String> = names
        .iter()
        .filter_map(|n| current.problem_of(n).map(ToString::to_string))
        .collect();
    if !broken.is_empty() {
        return Err(ReviewError::Current(broken.join("\n")));
    }
    for name in names {
        let known = |i: &Inputs| i.datasets.iter().any(|d| d.dataset == *name);
        if !known(&base) && !known(&current) {
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
    let base = base_side(base, names, forced)?;
    let current = Workspace::new(current, Selection::Present(names), forced)?;
    Ok((base, current))
}

/// The diff of every dataset either side selected (only those of `only`, when not
/// empty), sorted by dataset.
pub fn compare(
    base: &Workspace,
    current: &Workspace,
    only: &[DatasetName],
) -> Result<Vec<DatasetDiff>, ReviewError> {
    let mut datasets: Vec<&DatasetName> = base
        .selected
        .iter()
        .chain(&current.selected)
        .map(|d| &d.dataset)
        .filter(|name| only.is_empty() || only.contains(name))
        .collect();
    datasets.sort();
    datasets.dedup();
    let mut diffs = Vec::new();
    for name in datasets {
        let plan = |side: &Workspace| {
            side.selected
                .iter()
                .find(|d| d.dataset == *name)
                .map(|d| side.plan(d))
                .transpose()
        };
        let before = plan(base).map_err(|e| ReviewError::Base {
            base: "planning".to_owned(),
            message: e.to_string(),
        })?;
        let after = plan(current)?;
        diffs.push(diff(before.as_ref(), after.as_ref()));
    }
    Ok(diffs)
}
