//! `new-dataset`: writes the stack file of a new dataset, validated against the
//! organisation, never over an existing one.

use anyhow::{Result, bail};
use clap::Args;
use cpg_infra_config::CloudName;
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::{inputs, new_dataset};

use super::{Context, Run, reject};
use crate::cli::Cli;
use crate::output::emit;

/// The arguments of `new-dataset`.
#[derive(Debug, Args)]
pub struct NewDatasetArgs {
    /// The new dataset's name (2 to 21 characters: lowercase letters, digits, hyphens;
    /// starts with a letter, ends with a letter or digit).
    pub name: String,
    /// The dataset's GCP project id (default: the dataset name).
    #[arg(long, value_name = "ID")]
    pub gcp_project: Option<String>,
    /// The Hail Batch service account of the test level.
    #[arg(long, value_name = "EMAIL")]
    pub hail_account_test: Option<String>,
    /// The Hail Batch service account of the standard level.
    #[arg(long, value_name = "EMAIL")]
    pub hail_account_standard: Option<String>,
    /// The Hail Batch service account of the full level.
    #[arg(long, value_name = "EMAIL")]
    pub hail_account_full: Option<String>,
    /// A dataset the new one depends on (repeatable).
    #[arg(long = "depends-on", value_name = "NAME")]
    pub depends_on: Vec<String>,
}

impl Run for NewDatasetArgs {
    fn run(&self, context: &Context) -> Result<()> {
        run(self, context)
    }

    fn check_usage(&self, cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
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
            ("--gcp-project", self.gcp_project.is_some()),
            ("--hail-account-test", self.hail_account_test.is_some()),
            ("--hail-account-standard", self.hail_account_standard.is_some()),
            ("--hail-account-full", self.hail_account_full.is_some()),
        ];
        if !cli.clouds.is_empty()
            && !cli.clouds.contains(&CloudName::gcp())
            && let Some((flag, _)) = gcp_only.iter().find(|(_, given)| *given)
        {
            return Err(format!(
                "{flag} is a GCP setting, and --cloud does not include gcp; add --cloud gcp or drop {flag}"
            ));
        }
        Ok(())
    }
}

/// Writes `Pulumi.<name>.yaml` into the stack folder and prints its path.
fn run(args: &NewDatasetArgs, context: &Context) -> Result<()> {
    let spec = new_dataset::NewDataset {
        name: args.name.clone(),
        gcp_project: args.gcp_project.clone(),
        hail_account_test: args.hail_account_test.clone(),
        hail_account_standard: args.hail_account_standard.clone(),
        hail_account_full: args.hail_account_full.clone(),
        depends_on: args.depends_on.clone(),
        clouds: context.clouds.to_vec(),
    };
    // The name is checked before anything is read.
    spec.stack_file_text()?;
    let inputs = inputs::load_for_new_dataset(&context.locate()?)?;
    let Some(stack_dir) = inputs.stack_dir.clone() else {
        bail!("new-dataset needs a stack directory: pass --stack-dir DIR or --config FILE");
    };
    let path = new_dataset::create(&spec, &inputs, &stack_dir)?;
    let path = std::path::absolute(&path).unwrap_or(path);
    emit(&format!("{}\n", path.display()))
}
