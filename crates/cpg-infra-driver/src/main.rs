//! `cpg-infra-driver`: plans, validates and deploys per-dataset infrastructure.
//!
//! Exit codes: 0 ok, 1 invalid input or failed step, 2 usage error, 3 `diff` flagged
//! something.
//!
//! The command line's schema is [`cli`], its usage rules [`usage`], and each command's
//! body one module of [`commands`].

mod cli;
mod commands;
mod output;
mod usage;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::{logging, messages, review, say_raw, snippet};

use crate::cli::Cli;
use crate::output::is_broken_pipe;

/// mimalloc: planning and rendering allocate many small strings; the system
/// allocator spent about a third of the time of a bulk run (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    logging::init();
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::command()
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => return usage::usage_exit(&error, &args),
    };
    let env = CompilerEnv::from_process();
    if let Err(message) = usage::check_usage(&cli, &env) {
        let error = Cli::command().error(ErrorKind::ArgumentConflict, message);
        return usage::usage_exit(&error, &args);
    }
    let result = commands::run(&cli, &env);
    logging::flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `plan | head`: the reader has gone; stop quietly, as other tools do.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        // `diff` printed its report: something is flagged.
        Err(error) if error.is::<review::Flagged>() => ExitCode::from(3),
        Err(error) => {
            // Every problem of the run, one per line, each under its file's line when
            // it names one.
            let mut snippets = snippet::Snippets::for_stderr();
            let mut text = String::new();
            for line in messages::shorten_args(&format!("{error:#}"), &args).lines() {
                text.push_str(&format!("error: {line}\n"));
                text.extend(snippets.under(line));
            }
            say_raw!("{text}");
            ExitCode::from(1)
        }
    }
}
