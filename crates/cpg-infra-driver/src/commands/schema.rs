//! `schema`: the JSON Schema of one of the files a user writes.

use anyhow::Result;
use cpg_infra_config::{cpg_toml_schema, dataset_toml_schema, stack_file_schema};
use cpg_infra_driver::review;

use crate::cli::{SchemaArgs, SchemaKind};
use crate::output::emit;

/// Prints the JSON Schema of the file `args` names.
pub fn run(args: &SchemaArgs) -> Result<()> {
    let schema = match args.kind {
        SchemaKind::CpgToml => {
            let mut schema = cpg_toml_schema();
            review::policies::describe_in_schema(&mut schema);
            schema
        }
        SchemaKind::Dataset => dataset_toml_schema(),
        SchemaKind::StackFile => stack_file_schema(),
    };
    emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))
}
