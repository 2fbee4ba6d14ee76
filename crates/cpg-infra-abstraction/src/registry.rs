//! The cloud plugin registry.
//!
//! Each cloud crate registers one [`CloudPlugin`] with `inventory::submit!`. The
//! linker keeps a plugin only if the final binary references its crate, so the
//! driver names each cloud crate (`use cpg_infra_gcp as _;`).

use cpg_infra_config::{CloudName, CloudSection, ConfigError, DatasetConfig, InfrastructureConfig};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;

use crate::cloud::Opened;
use crate::requests::{BucketName, GroupOutputs};
use crate::resource::ProviderPackage;
use crate::review_facts::ReviewResource;
use crate::session::Session;

/// Why a cloud cannot plan a dataset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{cloud}: dataset {dataset}: {message}")]
pub struct CloudError {
    /// The cloud.
    pub cloud: &'static str,
    /// The dataset.
    pub dataset: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// Opens the cloud for one dataset in `session` (adding what every plan of the
/// cloud has), or says why the cloud cannot plan it ([`Infra::open`](crate::Infra::open)
/// makes the message a [`CloudError`] naming the cloud and the dataset). The
/// sections the plugin declares are present when it is called.
pub type CreateCloud = for<'b> fn(
    &mut Session<'b>,
    &InfrastructureConfig,
    &DatasetConfig,
) -> Result<Opened<'b>, String>;

/// A dataset a cloud checks before planning, with the buckets and machine accounts the
/// blueprint will ask that cloud for, so that no plugin keeps its own copy of the blueprint's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDataset<'a> {
    /// The dataset.
    pub dataset: &'a DatasetConfig,
    /// Every bucket the blueprint creates for it on this cloud, in creation order
    /// (dataset buckets, then the additional upload buckets as [`BucketName::Unique`]).
    pub buckets: Vec<BucketName>,
    /// Every machine account the blueprint creates for it on this cloud, in creation order.
    pub accounts: Vec<PlannedAccount>,
}

/// The project a machine account the blueprint creates lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountProject {
    /// The dataset's project.
    Dataset,
    /// The dataset's shared project (`enable_shared_project`).
    Shared,
    /// The organisation's notebooks project.
    Notebooks,
}

/// A machine account the blueprint creates for a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAccount {
    /// Its name (`main-upload`, `cromwell-test`, `notebook-<dataset>`, ...).
    pub name: String,
    /// Where it lives.
    pub project: AccountProject,
}

/// A cloud's own rules for one dataset's configuration (the keys and sections it
/// needs), one message per problem; the driver runs them, for each cloud of the
/// dataset's `deploy_locations`, where it loads the dataset, so each message is
/// located in the dataset's file.
pub type DatasetRules = fn(&InfrastructureConfig, &DatasetConfig) -> Vec<String>;

/// Cloud-specific checks of a set of datasets; one message per problem.
pub type ValidateDatasets = fn(&InfrastructureConfig, &[PlannedDataset<'_>]) -> Vec<String>;

/// Why `id` cannot be the cloud id of the existing resource of type `type_token` that a
/// plan adopts (`options.import`), `None` when it can: an id of another shape or of
/// another resource type, or, when the plan knows the resource's real `name` and the id
/// carries one, an id of another resource of that type.
pub type CheckResourceId = fn(type_token: &str, id: &str, name: Option<&str>) -> Option<String>;

/// Why the setting `<namespace>:<key>` of one of the cloud's provider packages (`key` as
/// written, camelCase or snake_case) has no effect on its programs, or `None` when its
/// programs use it.
pub type IgnoredProviderSetting = fn(namespace: &str, key: &str) -> Option<&'static str>;

/// A registered cloud.
#[derive(Debug)]
pub struct CloudPlugin {
    /// Name used in `deploy_locations` and `--cloud`.
    pub name: &'static str,
    /// One line for `cpg-infra-driver clouds`.
    pub description: &'static str,
    /// Provider packages its programs use.
    pub providers: &'static [ProviderPackage],
    /// Its own settings, the table `[infrastructure.<name>]` of `cpg.toml`, which every
    /// dataset deploying to it needs (checked in one place,
    /// [`CloudPlugin::missing_settings`], before the plugin validates or opens).
    pub settings: SettingsType,
    /// The shared services' tables it reads, `[infrastructure.<service>.<name>]`, with their
    /// types (checked and described like `settings`; a table of a service it does not
    /// declare is an unknown key).
    pub services: &'static [ServiceSettings],
    /// The cloud's own rules for one dataset's configuration.
    pub dataset_rules: DatasetRules,
    /// The dataset keys only this cloud reads (per-level keys in full,
    /// `gcp_hail_service_account_test`): on a dataset that deploys to none of the clouds
    /// that read it, such a key has no effect, which the driver reports as an error.
    pub dataset_keys: &'static [&'static str],
    /// The settings of its provider packages that its programs never read.
    pub ignored_provider_setting: IgnoredProviderSetting,
    /// Cloud-specific checks of a set of datasets (name limits, collisions); one message per problem.
    pub validate: ValidateDatasets,
    /// Checks the cloud id of an existing resource of one of its types that a plan adopts.
    pub check_resource_id: CheckResourceId,
    /// How its stacks publish a dataset's groups to the stacks of other datasets.
    pub group_outputs: GroupOutputs,
    /// Opens the cloud for one dataset (see [`Infra::open`](crate::Infra::open)).
    pub create: CreateCloud,
    /// What one of its resources means to a reviewer (kind, cost, delete rules, grants).
    pub review: ReviewResource,
    /// Its provider facts files (JSON, one per provider package; see
    /// [`provider_facts`](crate::provider_facts)): what the providers do to live resources.
    pub provider_facts: &'static [&'static str],
}

inventory::collect!(CloudPlugin);

impl CloudPlugin {
    /// The one message when `config` lacks the plugin's settings table.
    pub fn missing_settings(&self, config: &InfrastructureConfig) -> Option<String> {
        config
            .section(self.name)
            .is_none()
            .then(|| settings_needed(self.name))
    }
}

/// A shared service's table a plugin reads, `[infrastructure.<service>.<cloud>]`.
#[derive(Debug, Clone, Copy)]
pub struct ServiceSettings {
    /// The service's key (a key of `InfrastructureConfig::services`, e.g. `hail`).
    pub service: &'static str,
    /// Its type.
    pub settings: SettingsType,
}

/// The type a plugin reads its `[infrastructure.<cloud>]` table as: how the driver checks
/// a written table (whatever the datasets deploy to) and describes it in the `cpg.toml`
/// JSON Schema. Made with [`SettingsType::of`].
#[derive(Debug, Clone, Copy)]
pub struct SettingsType {
    /// Parses the table (`cloud` is its key), or says what is wrong, at its line and column.
    pub check: fn(&CloudSection, cloud: &str) -> Result<(), ConfigError>,
    /// The table's JSON Schema.
    pub schema: fn(&mut SchemaGenerator) -> Schema,
}

impl SettingsType {
    /// The settings read as `T` (a serde type with `deny_unknown_fields`).
    pub const fn of<T: DeserializeOwned + JsonSchema>() -> Self {
        Self {
            check: check_as::<T>,
            schema: schema_of::<T>,
        }
    }
}

fn check_as<T: DeserializeOwned>(section: &CloudSection, cloud: &str) -> Result<(), ConfigError> {
    section.read::<T>(cloud).map(|_| ())
}

fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// For a plugin: its settings table `[infrastructure.<cloud>]` read as `T`, or the one
/// message saying it is missing or what is wrong in it.
pub fn settings_of<T: DeserializeOwned>(
    config: &InfrastructureConfig,
    cloud: &str,
) -> Result<T, String> {
    config
        .section(cloud)
        .ok_or_else(|| settings_needed(cloud))?
        .read(cloud)
        .map_err(|error| error.to_string())
}

/// For a plugin's checks that apply only when its table `[infrastructure.<cloud>]` is
/// written and valid: the table read as `T`, else `None` (a wrong table is reported once,
/// located, by the driver's check of the declared tables; this reads it without locating).
pub fn written_settings<T: DeserializeOwned>(
    config: &InfrastructureConfig,
    cloud: &str,
) -> Option<T> {
    config.section(cloud)?.parse(cloud).ok()
}

/// The same for a shared service's table `[infrastructure.<service>.<cloud>]`.
pub fn written_service<T: DeserializeOwned>(
    config: &InfrastructureConfig,
    service: &str,
    cloud: &CloudName,
) -> Option<T> {
    config
        .service_table(service, cloud)?
        .parse(&format!("{service}.{cloud}"))
        .ok()
}

/// The one message for a settings table a cloud needs.
fn settings_needed(cloud: &str) -> String {
    format!(
        "deploying to {cloud} needs the section [infrastructure.{cloud}] in cpg.toml; add it or remove `{cloud}` from datasets:deploy_locations"
    )
}

/// Every registered cloud, sorted by name (deterministic whatever the link order).
pub fn registered_clouds() -> Vec<&'static CloudPlugin> {
    let mut clouds: Vec<_> = inventory::iter::<CloudPlugin>.into_iter().collect();
    clouds.sort_by_key(|c| c.name);
    clouds
}

/// The registered cloud whose provider packages include the package of `type_token`.
pub fn cloud_of_type(type_token: &str) -> Option<&'static CloudPlugin> {
    let package = type_token.split(':').next()?;
    inventory::iter::<CloudPlugin>
        .into_iter()
        .find(|c| c.providers.iter().any(|p| p.name == package))
}

/// The registered cloud called `name`.
pub fn find_cloud(name: &str) -> Option<&'static CloudPlugin> {
    inventory::iter::<CloudPlugin>
        .into_iter()
        .find(|c| c.name == name)
}
