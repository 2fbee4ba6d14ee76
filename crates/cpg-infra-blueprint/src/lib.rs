//! The dataset blueprint: the same shape of infrastructure for every dataset,
//! on any cloud, expressed only through [`Infra`] (one cloud's session).
//!
//! One module per component. Resources that several components use (groups,
//! buckets, machine accounts) are created lazily and once, through the cached
//! accessors of `Blueprint` (in `access_groups`, `storage` and the component
//! modules), as the reference's cached properties did.

mod access_groups;
mod accounts;
mod analysis_runner;
mod billing;
mod buckets;
mod container_registry;
mod cromwell;
mod dependencies;
mod dropboxes;

pub use accounts::dataset_accounts;
pub use buckets::dataset_buckets;
use buckets::{BUCKETS, BucketRow};
pub use dependencies::Deployments;
mod group_cache;
mod hail;
pub mod intent;
mod members;
mod notebooks;
mod organisation_groups;
mod reference;
mod sample_metadata;
mod shared_project;
mod spark;
mod storage;
mod temporary_access;
mod test_namespace;

use std::collections::BTreeMap;

use cpg_infra_abstraction::{
    Bucket, CloudError, CloudPlugin, DatasetAccounts, Exported, Group, Handle, Infra,
    MachineAccount, Plan, with_brand,
};
use cpg_infra_abstraction::{Organisation, OrganisationResource};
use cpg_infra_config::{AccessLevel, CloudName, Component, DatasetConfig, InfrastructureConfig};

/// Builds the plans of one dataset on `clouds` (one plan per cloud, in order).
///
/// Each cloud gets its own branded `Infra` session, so handles cannot cross
/// clouds; what does cross is [`Exported`] data. When a dataset deploys to more
/// than one cloud (and `cross_cloud_secrets` is on), each cloud's workflow-engine
/// credentials are stored as secrets on the others.
///
/// `deployments` says where the dataset's dependencies deploy: memberships in a
/// dependency's groups are planned only on the clouds it deploys to.
pub fn plan_dataset(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    clouds: &[(CloudName, &'static CloudPlugin)],
    deployments: &Deployments,
) -> Result<Vec<Plan>, CloudError> {
    plan_with_buckets(config, dataset, clouds, deployments, BUCKETS)
}

/// [`plan_dataset`] with the bucket table `buckets` (the blueprint's is [`BUCKETS`]).
fn plan_with_buckets(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    clouds: &[(CloudName, &'static CloudPlugin)],
    deployments: &Deployments,
    buckets: &[BucketRow],
) -> Result<Vec<Plan>, CloudError> {
    let mut plans = Vec::with_capacity(clouds.len());
    let context = Context {
        config,
        dataset,
        deployments,
        buckets,
    };
    nest(&context, clouds, &[], &mut plans)?;
    // Inner sessions finish first; restore the order of `clouds`.
    plans.reverse();
    Ok(plans)
}

/// Opens the session of the first cloud, builds its blueprint, recurses into the
/// other clouds, then imports what they exported and finishes. Returns what this
/// and the inner sessions exported.
fn nest(
    context: &Context<'_>,
    clouds: &[(CloudName, &'static CloudPlugin)],
    outer: &[CloudExport],
    plans: &mut Vec<Plan>,
) -> Result<Vec<CloudExport>, CloudError> {
    let Some(((cloud, plugin), inner_clouds)) = clouds.split_first() else {
        return Ok(Vec::new());
    };
    let Context {
        config,
        dataset,
        deployments,
        buckets,
    } = *context;
    with_brand(|brand| {
        let mut infra = Infra::open(plugin, brand, config, dataset)?;
        infra.set_intent(intent::intent_of(config));
        let mut blueprint = Blueprint {
            organisation: infra.organisation().clone(),
            external: infra.dataset_accounts(),
            infra,
            config,
            dataset,
            deployments,
            table: buckets,
            components: dataset.components_for(cloud),
            groups: BTreeMap::new(),
            buckets: BTreeMap::new(),
            accounts: BTreeMap::new(),
            exports: Vec::new(),
        };
        blueprint.build();
        let mine = blueprint.exports.clone();
        let seen: Vec<CloudExport> = outer.iter().chain(&mine).cloned().collect();
        let inner = nest(context, inner_clouds, &seen, plans)?;
        let foreign: Vec<CloudExport> = outer.iter().chain(&inner).cloned().collect();
        if dataset.cross_cloud_secrets && !foreign.is_empty() {
            blueprint.section("cross-cloud");
            blueprint.import_foreign_credentials(&foreign);
        }
        plans.push(blueprint.infra.finish());
        Ok(mine.into_iter().chain(inner).collect())
    })
}

/// What every cloud's session of one dataset reads.
#[derive(Clone, Copy)]
struct Context<'a> {
    config: &'a InfrastructureConfig,
    dataset: &'a DatasetConfig,
    deployments: &'a Deployments,
    /// The bucket table the storage walk follows.
    buckets: &'a [BucketRow],
}

/// A value one cloud's blueprint offers to the other clouds of the dataset.
#[derive(Debug, Clone)]
struct CloudExport {
    /// The access level of the workflow-engine account it belongs to.
    level: AccessLevel,
    /// The value (a secret credential).
    value: Exported,
}

/// The state of one dataset's blueprint on one cloud (one branded session).
struct Blueprint<'a, 'b> {
    infra: Infra<'b>,
    config: &'a InfrastructureConfig,
    dataset: &'a DatasetConfig,
    /// Where the dataset's dependencies deploy.
    deployments: &'a Deployments,
    /// The dataset's buckets as data (`buckets::BUCKETS`).
    table: &'a [BucketRow],
    components: Vec<Component>,
    /// Groups by name suffix (`access`, `test`, `sample-metadata-main-read`, ...).
    groups: BTreeMap<String, Handle<'b, Group>>,
    /// Buckets by name suffix (`main`, `archive`, ...) or unique name.
    buckets: BTreeMap<String, Handle<'b, Bucket>>,
    /// Machine accounts by account name (`main-upload`, `cromwell-test`, ...).
    accounts: BTreeMap<String, Handle<'b, MachineAccount>>,
    /// What this cloud offers the dataset's other clouds.
    exports: Vec<CloudExport>,
    /// The organisation's shared resources on this cloud.
    organisation: Organisation<'b>,
    /// The dataset's external accounts on this cloud (asked once).
    external: DatasetAccounts<'b>,
}

impl<'b> Blueprint<'_, 'b> {
    fn has(&self, component: Component) -> bool {
        self.components.contains(&component)
    }

    /// Runs every part of the blueprint, in the reference's order.
    fn build(&mut self) {
        if self.config.organisation_access_groups
            && self.dataset.dataset == self.config.reference_dataset
        {
            self.section("organisation");
            self.setup_organisation_groups();
        }
        self.section("access-groups");
        self.note_test_namespace();
        self.setup_access_groups();
        self.section("billing");
        self.setup_billing();
        if self.config.storage_policy.mutator_role
            && self.dataset.dataset == self.config.reference_dataset
        {
            // The reference dataset's program owns the organisation's storage roles.
            self.section("storage-policy");
            self.infra.create_storage_mutator_role();
        }
        if self.dataset.dataset == self.config.reference_dataset {
            // And the organisation's access broker, where a cloud's configuration
            // declares one (temporary access on request).
            self.section("temporary-access");
            self.infra.create_access_broker();
        }
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
        if self.has_tmp_main_read() {
            self.section("temporary-access");
            self.setup_tmp_main_read();
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
        if !self.dataset.members.is_empty() {
            self.section("members");
            self.setup_members();
        }
        if !self.config.adhoc_groups.is_empty()
            && self.dataset.dataset == self.config.reference_dataset
        {
            self.section("adhoc-groups");
            self.setup_adhoc_groups();
        }
    }

    fn section(&mut self, component: &'static str) {
        self.infra.set_component(component);
    }

    /// The dataset's access levels, in order (without `test` when `setup_test` is false).
    fn levels(&self) -> Vec<AccessLevel> {
        self.dataset.access_levels()
    }

    fn dataset_name(&self) -> &str {
        self.dataset.dataset.as_str()
    }

    /// An organisation resource this component needs, or a diagnostic naming the
    /// missing configuration when this cloud has none.
    fn require<T: Clone>(
        &mut self,
        value: Option<&T>,
        what: &str,
        resource: OrganisationResource,
    ) -> Option<T> {
        if value.is_none() {
            self.infra.missing_organisation_resource(what, resource);
        }
        value.cloned()
    }
}
