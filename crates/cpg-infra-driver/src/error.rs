//! Errors of the driver library.

use cpg_infra_abstraction::{CloudError, PlanError};
use cpg_infra_config::ConfigError;

impl DriverError {
    /// `Ok` without problems, else every problem (one per line, in the given order).
    pub fn all(problems: impl IntoIterator<Item = String>) -> Result<(), DriverError> {
        let problems: Vec<String> = problems.into_iter().collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(DriverError::Invalid(problems))
        }
    }
}

/// Everything that can go wrong between reading configuration and printing a program.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// Invalid configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A cloud cannot plan a dataset.
    #[error(transparent)]
    Cloud(#[from] CloudError),
    /// The plan is inconsistent (duplicate names, dangling references).
    #[error("dataset {dataset}: {problem}")]
    Plan {
        /// The dataset.
        dataset: String,
        /// What is wrong.
        problem: PlanError,
    },
    /// A cloud name that no plugin registers.
    #[error("unknown cloud `{name}`{context}; registered clouds: {registered}")]
    UnknownCloud {
        /// The name.
        name: String,
        /// Where it came from (e.g. " in deploy_locations of dataset x").
        context: String,
        /// The registered clouds.
        registered: String,
    },
    /// A dataset named on the command line that is not configured.
    #[error(
        "unknown dataset `{0}`: no Pulumi.{0}.yaml, datasets/{0}.toml or [datasets.{0}] found; configured datasets: {1}"
    )]
    UnknownDataset(String, String),
    /// Several problems (e.g. of cloud-specific validation), one per line.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What happened.
        message: String,
    },
    /// No configuration file where one was looked for.
    #[error(
        "no infrastructure configuration: looked for {looked}; pass --config FILE, or --example for the embedded example organisation"
    )]
    NoConfig {
        /// Where it was looked for, and what was found there.
        looked: String,
    },
    /// A configuration and stack folder that hold no dataset at all.
    #[error(
        "no dataset found: {dir} holds no `Pulumi.<dataset>.yaml` and no `datasets/<dataset>.toml`, and {config} has no [datasets.<name>] table, although its reference_dataset `{reference}` must be configured; pass --stack-dir DIR (or --config FILE) where the stack files are"
    )]
    NoDatasets {
        /// The stack folder read.
        dir: String,
        /// The configuration file read.
        config: String,
        /// The organisation's reference dataset.
        reference: String,
    },
    /// `--example` together with a user's configuration.
    #[error(
        "--example plans the embedded example organisation on its own: drop --config and --stack-dir, or drop --example"
    )]
    ExampleMixed,
    /// A `datasets:adopt` entry that cannot be honoured.
    #[error("dataset {dataset}: datasets:adopt: `{name}`: {message}")]
    Adopt {
        /// The dataset.
        dataset: String,
        /// The logical name.
        name: String,
        /// What is wrong and what to do.
        message: String,
    },
}
