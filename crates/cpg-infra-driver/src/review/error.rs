//! Errors of the review commands.

use crate::error::DriverError;

/// What can go wrong while reviewing a change.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Loading or planning one side failed.
    #[error(transparent)]
    Driver(#[from] DriverError),
    /// The base revision could not be read with git.
    #[error("--base {rev}: {message}")]
    Git {
        /// The revision.
        rev: String,
        /// What went wrong and what to do.
        message: String,
    },
    /// The base configuration (at a revision or in a folder) is invalid.
    #[error("the base configuration ({base}): {message}")]
    Base {
        /// Which base (`HEAD~1`, a folder).
        base: String,
        /// The problem, as loading reported it.
        message: String,
    },
    /// A selected dataset of the current configuration is invalid.
    #[error("{0}")]
    Current(String),
    /// A `--dataset` that neither side has.
    #[error(
        "unknown dataset `{0}`: neither the base nor the current configuration has it; datasets: {1}"
    )]
    UnknownDataset(String, String),
}

/// `diff` found something a reviewer must look at (the report is printed; exit 3).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the change is flagged")]
pub struct Flagged;
