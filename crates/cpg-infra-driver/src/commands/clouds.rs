//! `clouds`: the registered clouds, one per line with its description.

use anyhow::Result;
use cpg_infra_abstraction::registered_clouds;

use crate::output::emit;

/// Lists the registered clouds.
pub fn run() -> Result<()> {
    let mut text = String::new();
    for cloud in registered_clouds() {
        text.push_str(&format!("{:<8} {}\n", cloud.name, cloud.description));
    }
    emit(&text)
}
