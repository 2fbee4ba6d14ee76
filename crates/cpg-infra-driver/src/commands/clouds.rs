//! `clouds`: the registered clouds, one per line with its description.

use anyhow::Result;
use clap::Args;
use cpg_infra_abstraction::registered_clouds;

use cpg_infra_driver::compiler::CompilerEnv;

use super::{Context, Run, reads_no_configuration};
use crate::cli::Cli;
use crate::output::emit;

/// The arguments of `clouds` (none).
#[derive(Debug, Args)]
pub struct CloudsArgs {}

impl Run for CloudsArgs {
    fn run(&self, _context: &Context) -> Result<()> {
        run()
    }

    fn check_usage(&self, cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
        reads_no_configuration(cli, "clouds")
    }
}

/// Lists the registered clouds.
fn run() -> Result<()> {
    let mut text = String::new();
    for cloud in registered_clouds() {
        text.push_str(&format!("{:<8} {}\n", cloud.name, cloud.description));
    }
    emit(&text)
}
