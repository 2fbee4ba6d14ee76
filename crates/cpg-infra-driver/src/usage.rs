//! Usage errors (exit 2): how clap's are printed, and the rules clap cannot see (flags a
//! command would otherwise ignore, values given twice, what compiler mode decides).

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::ErrorKind;
use cpg_infra_config::CloudName;
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::deploy::Action;
use cpg_infra_driver::{messages, say_raw};

use crate::cli::{
    Cli, Command, DeployArgs, DiffArgs, DiffFormat, Format, NewDatasetArgs, PlanArgs, ProgramArgs,
};
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

/// The usage errors clap cannot see: flags a command would otherwise ignore, values
/// given twice, and what compiler mode (`PULUMI_STACK` set) decides by itself.
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
    let config_flags = cli.config.is_some() || cli.stack_dir.is_some() || cli.example;
    let reject = |flag: &str, command: &str, why: &str| {
        Err(format!("{flag} is not used by `{command}`: {why}"))
    };
    match cli.command.as_ref() {
        Some(Command::Clouds) | Some(Command::Schema(_)) => {
            let command = if matches!(cli.command, Some(Command::Clouds)) {
                "clouds"
            } else {
                "schema"
            };
            let why = "it reads no configuration; drop the flag";
            if !cli.datasets.is_empty() {
                return reject("--dataset", command, why);
            }
            if !cli.clouds.is_empty() {
                return reject("--cloud", command, why);
            }
            if config_flags {
                return reject("--config, --stack-dir or --example", command, why);
            }
        }
        Some(Command::Program(ProgramArgs { out_dir })) if env.stack.is_some() => {
            let why = "with PULUMI_STACK set (Pulumi's compiler) the stack names the dataset and its datasets:deploy_locations the clouds; unset PULUMI_STACK to choose them";
            if !cli.datasets.is_empty() {
                return reject("--dataset", "program", why);
            }
            if !cli.clouds.is_empty() {
                return reject("--cloud", "program", why);
            }
            if out_dir.is_some() {
                return reject("--out-dir", "program", why);
            }
            if cli.example {
                return reject("--example", "program", why);
            }
        }
        Some(Command::Program(ProgramArgs { out_dir: None })) => match cli.datasets.len() {
            0 => {
                let why = "without --dataset NAME (or --out-dir DIR, or PULUMI_STACK) it prints the provider-discovery program, which has no dataset";
                if !cli.clouds.is_empty() {
                    return reject("--cloud", "program", why);
                }
                if cli.example {
                    return reject("--example", "program", why);
                }
            }
            1 => {}
            n => {
                return Err(format!(
                    "`program` prints one dataset's program, and --dataset is given {n} times; pass one --dataset NAME, or --out-dir DIR for several"
                ));
            }
        },
        Some(Command::Deploy(DeployArgs {
            preview,
            yes,
            parallel,
            ..
        })) => {
            if !cli.clouds.is_empty() {
                return reject(
                    "--cloud",
                    "deploy",
                    "Pulumi deploys each stack to its datasets:deploy_locations; set them in the stack files",
                );
            }
            if cli.example {
                return reject(
                    "--example",
                    "deploy",
                    "the example organisation is invented; pass --config FILE",
                );
            }
            let action = if *preview {
                Action::Preview
            } else {
                Action::Up { yes: *yes }
            };
            action
                .check_parallel(usize::from(*parallel))
                .map_err(|e| e.to_string())?;
        }
        Some(Command::NewDataset(NewDatasetArgs {
            gcp_project,
            hail_account_test,
            hail_account_standard,
            hail_account_full,
            ..
        })) => {
            if !cli.datasets.is_empty() {
                return reject(
                    "--dataset",
                    "new-dataset",
                    "the new dataset's name is its argument",
                );
            }
            if cli.example {
                return reject(
                    "--example",
                    "new-dataset",
                    "the embedded example has no folder to write to; pass --stack-dir DIR",
                );
            }
            let gcp_only = [
                ("--gcp-project", gcp_project.is_some()),
                ("--hail-account-test", hail_account_test.is_some()),
                ("--hail-account-standard", hail_account_standard.is_some()),
                ("--hail-account-full", hail_account_full.is_some()),
            ];
            if !cli.clouds.is_empty()
                && !cli.clouds.contains(&CloudName::gcp())
                && let Some((flag, _)) = gcp_only.iter().find(|(_, given)| *given)
            {
                return Err(format!(
                    "{flag} is a GCP setting, and --cloud does not include gcp; add --cloud gcp or drop {flag}"
                ));
            }
        }
        Some(Command::Plan(PlanArgs {
            format: Format::Json,
            detail,
            color,
            ..
        })) if *detail || color.is_some() => {
            let flag = if *detail { "--detail" } else { "--color" };
            return reject(
                flag,
                "plan --format json",
                "the JSON plan always lists everything, uncoloured; drop the flag",
            );
        }
        Some(Command::Diff(DiffArgs {
            format: DiffFormat::Json | DiffFormat::Md,
            color: Some(_),
            ..
        })) => {
            return reject(
                "--color",
                "diff --format json or md",
                "only the text report is coloured; drop the flag",
            );
        }
        Some(Command::Plan(PlanArgs { base: Some(_), .. })) if cli.example => {
            return reject(
                "--example",
                "plan --base",
                "--base REV reads the configuration at REV from git, and the embedded example is in none; pass --config FILE",
            );
        }
        Some(Command::Diff(DiffArgs { base: Some(_), .. })) if cli.example => {
            return reject(
                "--example",
                "diff --base",
                "--base REV reads the configuration at REV from git, and the embedded example is in none; pass --config FILE",
            );
        }
        Some(Command::Program(ProgramArgs { out_dir: Some(_) }))
        | Some(Command::Access(_))
        | Some(Command::Check(_))
        | Some(Command::Diff(_))
        | Some(Command::Plan(_))
        | Some(Command::Validate)
        | None => {}
    }
    Ok(())
}
