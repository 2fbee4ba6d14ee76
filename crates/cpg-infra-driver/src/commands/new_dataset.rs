//! `new-dataset`: writes the stack file of a new dataset, validated against the
//! organisation, never over an existing one.

use anyhow::{Result, bail};
use cpg_infra_driver::{inputs, new_dataset};

use super::Context;
use crate::cli::NewDatasetArgs;
use crate::output::emit;

/// Writes `Pulumi.<name>.yaml` into the stack folder and prints its path.
pub fn run(args: &NewDatasetArgs, context: &Context) -> Result<()> {
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
