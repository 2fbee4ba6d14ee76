//! The `[infrastructure]` tables of the shared services each component plugs into (Hail
//! Batch, analysis-runner, the web service, the dropbox server, notebooks, Cromwell,
//! sample-metadata): one table per cloud, which that cloud's plugin reads (its types are the
//! plugin's); and the access-group cache process, one table for every cloud.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cloud_section::CloudSection;
use crate::names::{CloudName, Email};
use crate::values::Guid;

/// A shared service's tables, `[infrastructure.<service>.<cloud>]`, by cloud.
pub type ServiceTables = BTreeMap<CloudName, CloudSection>;

/// The access-group cache process, `[infrastructure.access_group_cache]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessGroupCacheConfig {
    /// The service account that refreshes the cache.
    pub process_machine_account: Email,
    /// The process's Azure principal (GUID), when deploying to Azure.
    #[serde(default)]
    pub azure_principal_id: Option<Guid>,
}
