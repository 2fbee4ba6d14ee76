//! The dataset blueprint: the same shape of infrastructure for every dataset,
//! on any cloud, expressed only through the [`Infra`] trait.
//!
//! One module per component. Resources that several components use (groups,
//! buckets, machine accounts) are created lazily and once, through the cached
//! accessors of [`Blueprint`] (in `access_groups`, `storage` and the component
//! modules), as the reference's cached properties did.

mod access_groups;
mod analysis_runner;
mod container_registry;
mod cromwell;
mod dependencies;
mod group_cache;
mod hail;
mod notebooks;
mod reference;
mod sample_metadata;
mod shared_project;
mod spark;
mod storage;

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Bucket, Group, Handle, Infra, MachineAccount, Plan};
use cpg_infra_config::{AccessLevel, CloudName, Component, DatasetConfig, InfrastructureConfig};

/// Builds the plan of one dataset on one cloud.
pub fn plan_dataset(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    cloud: &CloudName,
    infra: Box<dyn Infra>,
) -> Plan {
    let components = dataset.components_for(cloud);
    let mut blueprint = Blueprint {
        infra,
        config,
        dataset,
        components,
        groups: BTreeMap::new(),
        buckets: BTreeMap::new(),
        accounts: BTreeMap::new(),
    };
    blueprint.build();
    blueprint.infra.into_plan()
}

/// The state of one dataset's blueprint on one cloud.
struct Blueprint<'a> {
    infra: Box<dyn Infra>,
    config: &'a InfrastructureConfig,
    dataset: &'a DatasetConfig,
    components: Vec<Component>,
    /// Groups by name suffix (`access`, `test`, `sample-metadata-main-read`, ...).
    groups: BTreeMap<String, Handle<Group>>,
    /// Buckets by name suffix (`main`, `archive`, ...) or unique name.
    buckets: BTreeMap<String, Handle<Bucket>>,
    /// Machine accounts by account name (`main-upload`, `cromwell-test`, ...).
    accounts: BTreeMap<String, Handle<MachineAccount>>,
}

impl Blueprint<'_> {
    fn has(&self, component: Component) -> bool {
        self.components.contains(&component)
    }

    /// Runs every part of the blueprint, in the reference's order.
    fn build(&mut self) {
        self.section("access-groups");
        self.setup_access_groups();
        if self.has(Component::Storage) {
            self.section("storage");
            self.setup_storage();
        }
        if self.has(Component::SampleMetadata) {
            self.section("sample-metadata");
            self.setup_sample_metadata();
        }
        if self.has(Component::HailAccounts) {
            self.section("hail");
            self.setup_hail();
        }
        if self.has(Component::Cromwell) {
            self.section("cromwell");
            self.setup_cromwell();
        }
        if self.has(Component::Spark) {
            self.section("spark");
            self.setup_spark();
        }
        if self.has(Component::Notebooks) {
            self.section("notebooks");
            self.setup_notebooks();
        }
        if self.has(Component::ContainerRegistry) {
            self.section("container-registry");
            self.setup_container_registry();
        }
        if self.dataset.enable_shared_project {
            self.section("shared-project");
            self.setup_shared_project();
        }
        if self.has(Component::AnalysisRunner) {
            self.section("analysis-runner");
            self.setup_analysis_runner();
        }
        self.section("reference");
        self.setup_reference();
        self.section("group-cache");
        self.setup_group_cache();
    }

    fn section(&mut self, component: &str) {
        self.infra.set_component(component);
    }

    fn dataset_name(&self) -> &str {
        self.dataset.dataset.as_str()
    }

    /// An organisation resource this component needs, or a diagnostic naming the
    /// missing configuration when this cloud has none.
    fn require<T: Clone>(&mut self, value: Option<&T>, what: &str, section: &str) -> Option<T> {
        if value.is_none() {
            let cloud = self.infra.cloud();
            self.infra.diagnose(
                what,
                format!("not created: needs [infrastructure.{section}.{cloud}] in cpg.toml"),
            );
        }
        value.cloned()
    }
}

/// The three access levels, in order.
const ACCESS_LEVELS: [AccessLevel; 3] = AccessLevel::ALL;
