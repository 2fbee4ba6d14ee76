//! Azure's rules for one dataset's configuration, checked when it is loaded (so the
//! message names the dataset's file): the per-cloud `[infrastructure.<section>.azure]`
//! tables its components need.

use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};

/// Every problem of `dataset` on Azure, one message each.
pub fn check(config: &InfrastructureConfig, dataset: &DatasetConfig) -> Vec<String> {
    dataset.component_section_problems(config, &CloudName::azure())
}
