//! The cpg-infra driver: the [`pipeline`] (the `cpg-infra-blueprint` crate's
//! dataset blueprint on the chosen clouds) from configuration to plans and Pulumi programs, and the pieces
//! of the command-line interface ([`inputs`], [`compiler`], [`deploy`],
//! [`new_dataset`], [`help`], [`logging`], [`messages`], [`snippet`], [`terminal`]); the
//! application layer of the commands that plan, [`workspace`]; the review commands in
//! [`review`]. The binary (`main.rs`) holds the command line: its schema (`cli.rs`), usage
//! rules (`usage.rs`) and one module per command (`commands/`).
//!
//! Every registered cloud crate is linked here (`use cpg_infra_gcp as _;`) so
//! that its `inventory` registration survives linking.

pub mod budget_window;
pub mod compiler;
pub mod deploy;
pub mod error;
pub mod help;
pub mod ineffective;
pub mod inputs;
pub mod logging;
pub mod messages;
pub mod new_dataset;
pub mod pipeline;
pub mod review;
pub mod snippet;
pub mod stderr;
pub mod take_over;
pub mod terminal;
pub mod workspace;

use cpg_infra_azure as _;
use cpg_infra_gcp as _;

pub use error::DriverError;
