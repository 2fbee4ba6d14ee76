//! A dataset's configuration ([`DatasetConfig`]) and the rules that tie it to the
//! organisation's [`InfrastructureConfig`].

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::access_level::{AccessLevel, PerLevel};

use crate::component::Component;
use crate::error::ConfigError;
use crate::infrastructure::InfrastructureConfig;
use crate::names::{BucketName, CloudName, DatasetName, Email, GcpProjectId};

/// The default number of days before objects move to archive storage.
pub const DEFAULT_ARCHIVE_AGE: u32 = 30;

/// Everything needed to build one dataset's infrastructure.
///
/// Loaded from a Pulumi stack file ([`crate::parse_stack_file`]), `PULUMI_CONFIG`
/// ([`crate::parse_pulumi_config`]) or TOML ([`crate::parse_dataset_toml`],
/// [`crate::parse_cpg_toml`]); all three give the same value for the same settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetConfig {
    /// The dataset's name (= the stack name).
    pub dataset: DatasetName,
    /// The dataset's GCP project (stack key `gcp:project`, TOML `gcp_project`).
    pub gcp_project: Option<GcpProjectId>,
    /// Hail Batch service account of each level (`gcp_hail_service_account_<level>`).
    pub gcp_hail_service_account: PerLevel<Option<Email>>,
    /// Deployment (e.g. CI) service account of each level
    /// (`deployment_service_account_<level>`).
    pub deployment_service_account: PerLevel<Option<Email>>,
    /// Azure: the Entra ID object id of the Hail Batch account of each level
    /// (`azure_hail_principal_<level>`).
    pub azure_hail_principal: PerLevel<Option<String>>,
    /// Azure: the Entra ID object id of the deployment account of each level
    /// (`azure_deployment_principal_<level>`).
    pub azure_deployment_principal: PerLevel<Option<String>>,
    /// The clouds to deploy to; `["gcp"]` by default; non-empty, no repeats.
    pub deploy_locations: Vec<CloudName>,
    /// Create a requester-pays release bucket.
    pub enable_release: bool,
    /// Create a shared project (needs `enable_release` and `shared_project_budget`).
    pub enable_shared_project: bool,
    /// Monthly budget of the shared project, in the infrastructure's currency (> 0).
    pub shared_project_budget: Option<u64>,
    /// Datasets this dataset's groups get access to (without repeats, never itself).
    pub depends_on: Vec<DatasetName>,
    /// Extra buckets collaborators may upload to.
    pub additional_upload_buckets: Vec<BucketName>,
    /// Extra service accounts with read-only sample-metadata access.
    pub sm_read_only_sas: Vec<Email>,
    /// Extra service accounts with read-write sample-metadata access.
    pub sm_read_write_sas: Vec<Email>,
    /// Components per cloud; a cloud without an entry gets every component.
    pub components: BTreeMap<CloudName, Vec<Component>>,
    /// Days before objects move to archive storage (> 0; 30 by default).
    pub archive_age: u32,
    /// When the dataset deploys to more than one cloud, store each cloud's
    /// workflow-engine credentials as secrets on the others (default true).
    pub cross_cloud_secrets: bool,
    /// Existing resources to bring under management: logical resource name (as
    /// the plan names it) -> the cloud id to import (Pulumi `import`).
    pub adopt: BTreeMap<String, String>,
    /// Every stack setting outside the `datasets:` namespace, as strings, e.g.
    /// `"gcp:project" -> "alpha-study-4821"`. Pulumi secrets appear as `[secret]`.
    pub provider_config: BTreeMap<String, String>,
}

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

    fn present(self, infra: &InfrastructureConfig, azure: bool) -> bool {
        macro_rules! has {
            ($field:ident) => {
                infra.$field.as_ref().is_some_and(|s| {
                    if azure {
                        s.azure.is_some()
                    } else {
                        s.gcp.is_some()
                    }
                })
            };
        }
        match self {
            Section::WebService => has!(web_service),
            Section::Cromwell => has!(cromwell),
            Section::Notebooks => has!(notebooks),
            Section::Hail => has!(hail),
            Section::SampleMetadata => has!(sample_metadata),
            Section::AnalysisRunner => has!(analysis_runner),
        }
    }
}

impl DatasetConfig {
    /// A configuration for `dataset` with every default: deploy to GCP, no release bucket,
    /// no shared project, no dependencies, every component, archive after 30 days.
    pub fn new(dataset: DatasetName) -> Self {
        Self {
            dataset,
            gcp_project: None,
            gcp_hail_service_account: PerLevel::default(),
            deployment_service_account: PerLevel::default(),
            azure_hail_principal: PerLevel::default(),
            azure_deployment_principal: PerLevel::default(),
            deploy_locations: vec![CloudName::gcp()],
            enable_release: false,
            enable_shared_project: false,
            shared_project_budget: None,
            depends_on: Vec::new(),
            additional_upload_buckets: Vec::new(),
            sm_read_only_sas: Vec::new(),
            sm_read_write_sas: Vec::new(),
            components: BTreeMap::new(),
            archive_age: DEFAULT_ARCHIVE_AGE,
            cross_cloud_secrets: true,
            adopt: BTreeMap::new(),
            provider_config: BTreeMap::new(),
        }
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

    /// Checks the cross-field rules against the infrastructure; every problem at once
    /// ([`ConfigError::Many`] when there are several).
    ///
    /// See [`DatasetConfig::problems`] for the full list.
    pub fn validate(&self, infra: &InfrastructureConfig) -> Result<(), ConfigError> {
        ConfigError::collect(self.problems(infra))
    }

    /// Every cross-field problem (empty when valid): value ranges, shared-project settings,
    /// the GCP project, Hail accounts, and the `[infrastructure.*]` sections that each
    /// deployed component needs on `gcp` and `azure`.
    pub fn problems(&self, infra: &InfrastructureConfig) -> Vec<ConfigError> {
        let ds = self.dataset.as_str();
        let mut out = Vec::new();
        let mut problem = |msg: String| out.push(ConfigError::dataset(ds, msg));

        if self.archive_age == 0 {
            problem(
                "datasets:archive_age: must be a whole number of days > 0, got 0; remove the key to use the default (30)".to_string(),
            );
        }
        if self.deploy_locations.is_empty() {
            problem(
                "datasets:deploy_locations: must list at least one cloud, e.g. [\"gcp\"]"
                    .to_string(),
            );
        }
        for (i, c) in self.deploy_locations.iter().enumerate() {
            if self.deploy_locations[..i].contains(c) {
                problem(format!(
                    "datasets:deploy_locations: lists `{c}` twice; keep it once"
                ));
            }
        }
        if self.depends_on.contains(&self.dataset) {
            problem(format!(
                "datasets:depends_on: dataset `{ds}` cannot depend on itself; remove it from the list"
            ));
        }
        if self.shared_project_budget == Some(0) {
            problem("datasets:shared_project_budget: must be > 0, got 0".to_string());
        }
        if self.enable_shared_project {
            if !self.enable_release {
                problem(
                    "datasets:enable_shared_project is true but datasets:enable_release is not; the shared project serves the release bucket: set enable_release to true or disable the shared project".to_string(),
                );
            }
            if self.shared_project_budget.is_none() {
                problem(
                    "datasets:enable_shared_project is true but datasets:shared_project_budget is missing; set a monthly budget > 0".to_string(),
                );
            }
        }

        if infra.access_group_cache.is_none() {
            problem(
                "every dataset needs the section [infrastructure.access_group_cache] in cpg.toml (group cache secrets); add it".to_string(),
            );
        }

        for cloud in &self.deploy_locations {
            let azure = match cloud.as_str() {
                "gcp" => false,
                "azure" => true,
                _ => continue,
            };
            let c = cloud.as_str();
            if !azure && self.gcp_project.is_none() {
                problem(
                    "deploying to GCP needs `gcp:project` (TOML: gcp_project); set the dataset's GCP project id".to_string(),
                );
            }
            let cloud_table = if azure {
                infra.azure.is_some()
            } else {
                infra.gcp.is_some()
            };
            if !cloud_table {
                problem(format!(
                    "deploying to {c} needs the section [infrastructure.{c}] in cpg.toml; add it or remove `{c}` from datasets:deploy_locations"
                ));
            }
            let components = self.components_for(cloud);
            let mut reported: Vec<Section> = Vec::new();
            for component in &components {
                for section in sections_for(*component) {
                    if !section.present(infra, azure) {
                        reported.push(*section);
                        problem(format!(
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
                if !reported.contains(&section) && !section.present(infra, azure) {
                    problem(format!(
                        "deploying to {c} needs the section [infrastructure.{}.{c}] in cpg.toml (every dataset's access-group secrets use it); add it or remove `{c}` from datasets:deploy_locations",
                        section.name()
                    ));
                }
            }
            if !azure && components.contains(&Component::HailAccounts) {
                for (level, account) in self.gcp_hail_service_account.each() {
                    if account.is_none() {
                        problem(format!(
                            "component `hail-accounts` on gcp needs datasets:gcp_hail_service_account_{level}; set it or remove the component from datasets:components"
                        ));
                    }
                }
            }
        }
        out
    }
}
