//! A dataset's configuration ([`DatasetConfig`], whose keys are defined in `dataset_keys.rs`)
//! and the rules that tie it to the organisation's [`InfrastructureConfig`].

use std::num::NonZeroU32;

pub use crate::access_level::{AccessLevel, PerLevel};
pub use crate::dataset_keys::DatasetConfig;

use crate::component::Component;
use crate::error::ConfigError;
use crate::infrastructure::InfrastructureConfig;
use crate::members::GroupKind;
use crate::names::CloudName;

/// The default number of days before objects move to archive storage.
pub const DEFAULT_ARCHIVE_AGE: NonZeroU32 = NonZeroU32::new(30).expect("30 > 0");
/// The longest temporary read access a request may ask for by default, in hours (a day:
/// what both clouds allow).
pub const DEFAULT_TMP_MAIN_READ_MAX_HOURS: NonZeroU32 = NonZeroU32::new(24).expect("24 > 0");
/// The most `tmp_main_read_max_hours` the configuration reads (a year): each cloud's own,
/// shorter limit is a fact of its plugin, checked where the dataset deploys to it.
pub const MAX_TMP_MAIN_READ_HOURS: u32 = 8760;

/// Which `[infrastructure.*]` sections a component needs on a cloud (beyond the cloud table).
fn sections_for(component: Component) -> &'static [Section] {
    use Section::*;
    match component {
        Component::Storage => &[WebService],
        Component::Spark => &[],
        Component::Cromwell => &[Cromwell, AnalysisRunner],
        Component::Notebooks => &[Notebooks],
        Component::HailAccounts => &[Hail, AnalysisRunner],
        Component::SampleMetadata => &[SampleMetadata, AnalysisRunner],
        Component::ContainerRegistry | Component::AnalysisRunner => &[AnalysisRunner],
    }
}

/// A per-cloud `[infrastructure.<section>.<cloud>]` table.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Section {
    WebService,
    Cromwell,
    Notebooks,
    Hail,
    SampleMetadata,
    AnalysisRunner,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::WebService => "web_service",
            Section::Cromwell => "cromwell",
            Section::Notebooks => "notebooks",
            Section::Hail => "hail",
            Section::SampleMetadata => "sample_metadata",
            Section::AnalysisRunner => "analysis_runner",
        }
    }

    /// Whether `[infrastructure.<section>.<cloud>]` is present.
    fn present(self, infra: &InfrastructureConfig, cloud: &CloudName) -> bool {
        infra.has_section(&format!("{}.{cloud}", self.name()))
    }
}

impl DatasetConfig {
    /// The cloud of the accounts that the e-mail keys name
    /// (`gcp_hail_service_account_<level>`, `deployment_service_account_<level>`,
    /// `sm_read_only_sas`, `sm_read_write_sas`): they are GCP service accounts.
    pub fn email_accounts_cloud() -> CloudName {
        CloudName::gcp()
    }

    /// Every setting outside the `datasets:` namespace as the stack file spells it
    /// (`gcp:project` and the keys of [`DatasetConfig::provider_config`]), sorted.
    pub fn provider_settings(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.provider_config.keys().map(String::as_str).collect();
        if self.gcp_project.is_some() {
            out.push("gcp:project");
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The components to deploy on `cloud`: the listed ones (without repeats, in
    /// [`Component::ALL`] order), or every component when the cloud has no entry.
    pub fn components_for(&self, cloud: &CloudName) -> Vec<Component> {
        match self.components.get(cloud) {
            Some(listed) => Component::ALL
                .into_iter()
                .filter(|c| listed.contains(c))
                .collect(),
            None => Component::ALL.to_vec(),
        }
    }

    /// Whether the dataset itself asks for temporary read access to its main bucket: its
    /// notebook account may request it, or `members` names who may.
    pub fn requests_tmp_main_read(&self) -> bool {
        self.allow_notebook_tmp_main_read
            || self
                .members
                .get(&crate::members::GroupKind::TmpMainReadAccess)
                .is_some_and(|members| !members.is_empty())
    }

    /// The access levels the dataset has, from least to most access: every level, or
    /// without `test` when `setup_test` is false.
    pub fn access_levels(&self) -> Vec<AccessLevel> {
        AccessLevel::ALL
            .into_iter()
            .filter(|level| self.setup_test || *level != AccessLevel::Test)
            .collect()
    }

    /// Checks the cross-field rules against the infrastructure; every problem at once
    /// ([`ConfigError::Many`] when there are several).
    ///
    /// See [`DatasetConfig::problems`] for the full list.
    pub fn validate(&self, infra: &InfrastructureConfig) -> Result<(), ConfigError> {
        ConfigError::collect(self.problems(infra))
    }

    /// Every cross-field problem that is the same on every cloud (empty when valid):
    /// value ranges, shared-project settings, the group cache. What a cloud needs
    /// (its sections, the GCP project, Hail accounts, ...) is its plugin's rules.
    pub fn problems(&self, infra: &InfrastructureConfig) -> Vec<ConfigError> {
        let ds = self.dataset.as_str();
        let mut out = Vec::new();
        let mut problem = |msg: String| out.push(ConfigError::dataset(ds, msg));

        if self.depends_on.contains(&self.dataset) {
            problem(format!(
                "datasets:depends_on: dataset `{ds}` cannot depend on itself; remove it from the list"
            ));
        }
        if self.enable_shared_project {
            if !self.enable_release {
                problem(
                    "datasets:enable_shared_project is true but datasets:enable_release is not; the shared project serves the release bucket: set enable_release to true or disable the shared project".to_string(),
                );
            }
            for cloud in self.deploy_locations.iter() {
                if self.shared_budget_on(cloud.as_str()).is_none() {
                    problem(format!(
                        "datasets:enable_shared_project is true but datasets:shared_project_budget is missing (and datasets:budgets.{cloud}.shared_total_budget too); set a budget > 0"
                    ));
                    break;
                }
            }
        }

        for dep in &self.depends_on_readonly {
            if self.depends_on.contains(dep) {
                problem(format!(
                    "datasets:depends_on_readonly: `{dep}` is also in datasets:depends_on; a dependency is read-only or full, keep it in one list"
                ));
            }
            if *dep == infra.reference_dataset {
                problem(format!(
                    "datasets:depends_on_readonly: `{dep}` is the reference dataset (infrastructure.reference_dataset), which every dataset already depends on; remove it"
                ));
            }
        }
        for message in self.identity_problems(infra) {
            problem(message);
        }
        for message in crate::members::dataset_member_problems(self, infra) {
            problem(message);
        }
        for message in crate::upload_config::upload_problems(self, infra) {
            problem(message);
        }
        for message in crate::budgets::budget_problems(self) {
            problem(message);
        }
        if !self.cross_cloud_secrets && self.deploy_locations.len() < 2 {
            problem(
                "datasets:cross_cloud_secrets is false but the dataset deploys to one cloud, where no credentials cross clouds, so it has no effect; remove it".to_string(),
            );
        }
        if (!self.sm_read_only_sas.is_empty() || !self.sm_read_write_sas.is_empty())
            && !self.deploy_locations.iter().any(|cloud| {
                self.components_for(cloud)
                    .contains(&Component::SampleMetadata)
            })
        {
            problem(
                "datasets:sm_read_only_sas / sm_read_write_sas are set but no cloud of the dataset deploys the `sample-metadata` component, so they have no effect; remove them or add the component to datasets:components".to_string(),
            );
        }
        for cloud in self.region.keys() {
            if !self.deploy_locations.iter().any(|c| c == cloud) {
                problem(format!(
                    "datasets:region.{cloud}: the dataset does not deploy to `{cloud}`; remove the region or add the cloud to datasets:deploy_locations"
                ));
            }
        }
        if !self.setup_test {
            for (key, set) in [
                (
                    "gcp_hail_service_account_test",
                    self.gcp_hail_service_account.test.is_some(),
                ),
                (
                    "deployment_service_account_test",
                    self.deployment_service_account.test.is_some(),
                ),
                (
                    "azure_hail_principal_test",
                    self.azure_hail_principal.test.is_some(),
                ),
                (
                    "azure_deployment_principal_test",
                    self.azure_deployment_principal.test.is_some(),
                ),
            ] {
                if set {
                    problem(format!(
                        "datasets:{key} is set but datasets:setup_test is false, so the dataset has no test level; remove the key or set setup_test to true"
                    ));
                }
            }
            for kind in self.members.keys() {
                if matches!(
                    kind,
                    GroupKind::Test
                        | GroupKind::SampleMetadataTestRead
                        | GroupKind::SampleMetadataTestWrite
                ) {
                    problem(format!(
                        "datasets:members.{kind}: the group is part of the test namespace, which datasets:setup_test = false leaves out; remove the key or set setup_test to true"
                    ));
                }
            }
        }

        if infra.access_group_cache.is_none() {
            problem(
                "every dataset needs the section [infrastructure.access_group_cache] in cpg.toml (group cache secrets); add it".to_string(),
            );
        }

        out
    }

    /// The `[infrastructure.<section>.<cloud>]` tables that this dataset's components on
    /// `cloud` need and `infra` lacks, one message each (without the dataset's name).
    /// For the plugins whose organisation settings are such per-cloud tables (GCP,
    /// Azure): each calls it from its own dataset rules; a cloud with its own section
    /// has its own rules.
    pub fn component_section_problems(
        &self,
        infra: &InfrastructureConfig,
        cloud: &CloudName,
    ) -> Vec<String> {
        let c = cloud.as_str();
        let mut out = Vec::new();
        let components = self.components_for(cloud);
        let mut reported: Vec<Section> = Vec::new();
        for component in &components {
            for section in sections_for(*component) {
                if !section.present(infra, cloud) {
                    reported.push(*section);
                    out.push(format!(
                        "component `{component}` on {c} needs the section [infrastructure.{}.{c}] in cpg.toml; add it or remove the component from datasets:components",
                        section.name()
                    ));
                }
            }
        }
        // Every dataset's access-group secrets need these on each cloud.
        for section in [
            Section::WebService,
            Section::AnalysisRunner,
            Section::SampleMetadata,
        ] {
            if !reported.contains(&section) && !section.present(infra, cloud) {
                out.push(format!(
                    "deploying to {c} needs the section [infrastructure.{}.{c}] in cpg.toml (every dataset's access-group secrets use it); add it or remove `{c}` from datasets:deploy_locations",
                    section.name()
                ));
            }
        }
        out
    }
}
