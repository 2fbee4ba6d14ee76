//! The application layer of the commands that plan the selected datasets of one
//! configuration: the configuration loaded once, the datasets the run selects, their
//! settings validated for the clouds they plan on, and where every configured dataset
//! deploys; then one plan per dataset.
//!
//! Every command that plans builds a [`Workspace`] and asks it for plans, rather than
//! assembling the load -> select -> validate -> plan sequence itself: the commands of
//! one configuration ([`Workspace::open`]), both sides of `diff` and `deploy --base`
//! (`review::compare`, each side a workspace of the datasets it has,
//! [`Selection::Present`]) and compiler mode (one stack, read apart from the
//! configuration of the datasets it depends on, [`Selection::Given`]). What differs
//! between them is only where the configuration comes from and which datasets are
//! selected; validating and planning are the workspace's.

use std::sync::Arc;

use cpg_infra_abstraction::Plan;
use cpg_infra_config::{CloudName, DatasetConfig, DatasetName, InfrastructureConfig};

use crate::error::DriverError;
use crate::inputs::{self, ConfigLocation, Inputs};
use crate::messages;
use crate::pipeline::{self, Deployments};

/// The loaded configuration and the run's selection of it, validated.
pub struct Workspace {
    /// Everything read: the infrastructure config, every dataset, where each came from
    /// (shared, so that several selections of one configuration read it once).
    pub inputs: Arc<Inputs>,
    /// The datasets of the run (see [`Selection`]).
    pub selected: Vec<DatasetConfig>,
    /// Clouds that replace each dataset's deploy_locations (`--cloud`); empty: its own.
    pub forced: Vec<CloudName>,
    /// Where every configured dataset deploys (what a dependant reads).
    pub deployments: Deployments,
}

impl Workspace {
    /// Loads the configuration at `location` (complete when `names` is empty), selects
    /// `names` (all when empty) and validates them for their clouds (`forced`, else
    /// their deploy_locations).
    pub fn open(
        location: &ConfigLocation,
        names: &[DatasetName],
        forced: &[CloudName],
    ) -> Result<Self, DriverError> {
        let inputs = inputs::load(location, names.is_empty())?;
        Self::new(inputs, Selection::Named(names), forced)
    }

    /// The workspace of configuration already loaded: `selection` selected and
    /// validated for its clouds (`forced`, else each dataset's deploy_locations).
    pub fn new(
        inputs: impl Into<Arc<Inputs>>,
        selection: Selection,
        forced: &[CloudName],
    ) -> Result<Self, DriverError> {
        let inputs = inputs.into();
        let selected = match selection {
            Selection::Named(names) => select(&inputs, names)?,
            Selection::Present(names) => inputs
                .datasets
                .iter()
                .filter(|d| names.is_empty() || names.contains(&d.dataset))
                .cloned()
                .collect(),
            Selection::Given(dataset) => vec![*dataset],
        };
        let deployments = Deployments::of(&inputs.datasets);
        let workspace = Self {
            inputs,
            selected,
            forced: forced.to_vec(),
            deployments,
        };
        workspace.planner().validate(&workspace.selected)?;
        Ok(workspace)
    }

    /// How this run plans its datasets.
    pub fn planner(&self) -> Planner<'_> {
        Planner {
            infrastructure: &self.inputs.infrastructure,
            deployments: &self.deployments,
            forced: &self.forced,
        }
    }

    /// The plan of `dataset` on its clouds of this run.
    pub fn plan(&self, dataset: &DatasetConfig) -> Result<Plan, DriverError> {
        self.planner().plan(dataset)
    }
}

/// Which datasets of a configuration a workspace selects.
pub enum Selection<'a> {
    /// Those named (every dataset when none): a name that is not configured, or whose
    /// configuration is broken, is an error (`--dataset`).
    Named(&'a [DatasetName]),
    /// Those named that the configuration has (every dataset when none), a missing name
    /// no error: one side of a comparison, where a dataset may be new or removed.
    Present(&'a [DatasetName]),
    /// One dataset read apart from the configuration's datasets, which are the ones it
    /// depends on (compiler mode: the stack's own settings and its dependencies').
    Given(Box<DatasetConfig>),
}

/// How the datasets of one configuration are validated and planned: its infrastructure,
/// where its datasets deploy, and the clouds that replace each dataset's deploy_locations.
#[derive(Clone, Copy)]
pub struct Planner<'a> {
    /// The organisation's configuration.
    pub infrastructure: &'a InfrastructureConfig,
    /// Where the datasets a plan may depend on deploy.
    pub deployments: &'a Deployments,
    /// Clouds that replace each dataset's deploy_locations; empty: its own.
    pub forced: &'a [CloudName],
}

impl Planner<'_> {
    /// The clouds `dataset` plans on.
    pub fn clouds_for(&self, dataset: &DatasetConfig) -> Vec<CloudName> {
        pipeline::clouds_for(dataset, self.forced)
    }

    /// The cloud-specific validation of `datasets` on their clouds: every problem, or
    /// nothing.
    pub fn validate(&self, datasets: &[DatasetConfig]) -> Result<(), DriverError> {
        pipeline::validate_for_clouds(self.infrastructure, datasets, self.forced)
    }

    /// The plan of `dataset` on its clouds.
    pub fn plan(&self, dataset: &DatasetConfig) -> Result<Plan, DriverError> {
        pipeline::plan(
            self.infrastructure,
            dataset,
            &self.clouds_for(dataset),
            self.deployments,
        )
    }
}

/// The datasets of `inputs` named in `names` (all when empty). A named dataset that is
/// broken or unknown is an error; the other broken datasets are warned about (a run
/// restricted with `--dataset` leaves them out).
fn select(inputs: &Inputs, names: &[DatasetName]) -> Result<Vec<DatasetConfig>, DriverError> {
    if names.is_empty() {
        return Ok(inputs.datasets.clone());
    }
    let mut selected = Vec::new();
    let mut problems = Vec::new();
    let mut chosen = Vec::new();
    for name in names {
        if let Some(problem) = inputs.problem_of(name) {
            problems.push(problem.to_string());
            chosen.push(name.clone());
            continue;
        }
        chosen.push(name.clone());
        let dataset = inputs
            .datasets
            .iter()
            .find(|d| d.dataset == *name)
            .ok_or_else(|| {
                let configured: Vec<String> = inputs
                    .datasets
                    .iter()
                    .map(|d| d.dataset.to_string())
                    .collect();
                DriverError::UnknownDataset(name.to_string(), messages::list(&configured))
            })?;
        selected.push(dataset.clone());
    }
    if !problems.is_empty() {
        return Err(DriverError::Invalid(problems));
    }
    // The other datasets' problems do not block this run, but are said.
    for broken in &inputs.broken {
        if broken.dataset.as_ref().is_none_or(|d| !chosen.contains(d)) {
            for problem in broken.error.problems() {
                tracing::warn!("{problem} (not selected with --dataset: left out)");
            }
        }
    }
    Ok(selected)
}
