//! Usage errors (exit 2): how clap's are printed, and the rules clap cannot see: values
//! of the global flags given twice here, and each command's own (flags it would
//! otherwise ignore, what compiler mode decides) in its module, [`crate::commands::Run`].

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::ErrorKind;
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::{messages, say_raw};

use crate::cli::Cli;
use crate::output::{emit, is_broken_pipe};

/// Prints a command-line error (help and version go to stdout, exit 0), with long
/// arguments shortened; exit 2 for usage errors.
pub fn usage_exit(error: &clap::Error, args: &[OsString]) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return match emit(&error.render().to_string()) {
            Err(e) if !is_broken_pipe(&e) => ExitCode::from(1),
            _ => ExitCode::SUCCESS,
        };
    }
    say_raw!(
        "{}",
        messages::shorten_args(&error.render().to_string(), args)
    );
    ExitCode::from(2)
}

/// The usage errors clap cannot see: values given twice, then the command's own (flags
/// it would otherwise ignore, what compiler mode, `PULUMI_STACK` set, decides by itself).
pub fn check_usage(cli: &Cli, env: &CompilerEnv) -> Result<(), String> {
    for (i, name) in cli.datasets.iter().enumerate() {
        if cli.datasets[..i].contains(name) {
            return Err(format!("--dataset {name} is given twice; give it once"));
        }
    }
    for (i, name) in cli.clouds.iter().enumerate() {
        if cli.clouds[..i].contains(name) {
            return Err(format!("--cloud {name} is given twice; give it once"));
        }
    }
    crate::commands::check_usage(cli, env)
}
