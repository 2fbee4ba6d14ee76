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

/// Every table of `[infrastructure]` the registered clouds read, with its dotted key and
/// schema: each cloud's own, and its shared services' (`hail.gcp`, ...).
pub fn cloud_tables() -> Vec<SectionSchema> {
    let mut tables = Vec::new();
    for cloud in registered_clouds() {
        tables.push((cloud.name.to_owned(), cloud.settings.schema));
        for service in cloud.services {
            let key = format!("{}.{}", service.service, cloud.name);
            tables.push((key, service.settings.schema));
        }
    }
    tables
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
