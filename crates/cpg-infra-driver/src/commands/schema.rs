//! `schema`: the JSON Schema of one of the files a user writes.

use anyhow::Result;
use clap::{Args, ValueEnum};
use cpg_infra_abstraction::registered_clouds;
use cpg_infra_config::{SectionSchema, cpg_toml_schema, dataset_toml_schema, stack_file_schema};
use cpg_infra_driver::compiler::CompilerEnv;
use cpg_infra_driver::review;

use crate::cli::Cli;
use super::{Context, Run, reads_no_configuration};
use crate::output::emit;

/// The arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file.
    #[arg(value_enum, default_value_t = SchemaKind::CpgToml)]
    pub kind: SchemaKind,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The infrastructure file (cpg.toml).
    CpgToml,
    /// A dataset file (datasets/<name>.toml).
    Dataset,
    /// A stack file (Pulumi.<dataset>.yaml), for the YAML language server.
    StackFile,
}

impl Run for SchemaArgs {
    fn run(&self, _context: &Context) -> Result<()> {
        run(self)
    }

    fn check_usage(&self, cli: &Cli, _env: &CompilerEnv) -> Result<(), String> {
        reads_no_configuration(cli, "schema")
    }
}

/// Every registered cloud's own table of `[infrastructure]` and its schema.
pub fn cloud_tables() -> Vec<SectionSchema> {
    registered_clouds()
        .into_iter()
        .map(|cloud| (cloud.name, cloud.settings.schema))
        .collect()
}

/// Prints the JSON Schema of the file `args` names.
fn run(args: &SchemaArgs) -> Result<()> {
    let schema = match args.kind {
        SchemaKind::CpgToml => {
            let mut schema = cpg_toml_schema(&cloud_tables());
            review::policies::describe_in_schema(&mut schema);
            schema
        }
        SchemaKind::Dataset => dataset_toml_schema(),
        SchemaKind::StackFile => stack_file_schema(),
    };
    emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))
}
