//! The organisation's shared resources a dataset's plan uses (servers' accounts, buckets,
//! services, registries, the Cromwell group) and its shared projects: one typed structure
//! that every cloud fills from its own configuration when it opens
//! (the plugin API's `Opened::organisation`), so a resource every plugin must
//! answer for is a field the compiler checks, never a name matched at run time.

use crate::handles::{BucketRef, GroupRef, Member, RegistryRef, ServiceRef};

/// One of the organisation's shared resources (a field of [`Organisation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationResource {
    /// The web server's account (reads web buckets and the web-access cache).
    WebServer,
    /// The analysis-runner server's account.
    AnalysisRunnerServer,
    /// The analysis-runner logger's account (writes sample metadata).
    AnalysisRunnerLogger,
    /// The analysis-runner's web service.
    AnalysisRunnerService,
    /// The bucket of analysis-runner configs.
    ConfigBucket,
    /// The bucket of reference data.
    ReferenceBucket,
    /// The bucket of Hail wheels.
    HailWheelBucket,
    /// The account of the access-group cache process.
    AccessGroupCache,
    /// The sample-metadata API's account.
    SampleMetadataApi,
    /// The sample-metadata web service.
    SampleMetadataService,
    /// The Cromwell server's account.
    CromwellRunner,
    /// The group of accounts that may use Cromwell.
    CromwellAccessGroup,
    /// The analysis-runner's container registry.
    AnalysisRunnerRegistry,
    /// The organisation's common container registry.
    CommonRegistry,
    /// The upload dropbox server's account.
    DropboxServer,
}

impl OrganisationResource {
    /// What it is, for diagnostics (e.g. `the web server's account`).
    pub fn describe(self) -> &'static str {
        match self {
            Self::WebServer => "the web server's account",
            Self::AnalysisRunnerServer => "the analysis-runner server's account",
            Self::AnalysisRunnerLogger => "the analysis-runner logger's account",
            Self::AnalysisRunnerService => "the analysis-runner service",
            Self::ConfigBucket => "the analysis-runner config bucket",
            Self::ReferenceBucket => "the reference bucket",
            Self::HailWheelBucket => "the Hail wheels bucket",
            Self::AccessGroupCache => "the access-group cache's account",
            Self::SampleMetadataApi => "the sample-metadata API's account",
            Self::SampleMetadataService => "the sample-metadata service",
            Self::CromwellRunner => "the Cromwell server's account",
            Self::CromwellAccessGroup => "the Cromwell access group",
            Self::AnalysisRunnerRegistry => "the analysis-runner container registry",
            Self::CommonRegistry => "the common container registry",
            Self::DropboxServer => "the upload dropbox server's account",
        }
    }
}

/// The organisation's shared resources on one cloud; `None` where the cloud has none
/// (the blueprint then says which `cpg.toml` key would provide it:
/// the plugin API's `Cloud::organisation_key`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Organisation<'b> {
    /// [`OrganisationResource::WebServer`].
    pub web_server: Option<Member<'b>>,
    /// [`OrganisationResource::AnalysisRunnerServer`].
    pub analysis_runner_server: Option<Member<'b>>,
    /// [`OrganisationResource::AnalysisRunnerLogger`].
    pub analysis_runner_logger: Option<Member<'b>>,
    /// [`OrganisationResource::AnalysisRunnerService`].
    pub analysis_runner_service: Option<ServiceRef>,
    /// [`OrganisationResource::ConfigBucket`].
    pub config_bucket: Option<BucketRef<'b>>,
    /// [`OrganisationResource::ReferenceBucket`].
    pub reference_bucket: Option<BucketRef<'b>>,
    /// [`OrganisationResource::HailWheelBucket`].
    pub hail_wheel_bucket: Option<BucketRef<'b>>,
    /// [`OrganisationResource::AccessGroupCache`].
    pub access_group_cache: Option<Member<'b>>,
    /// [`OrganisationResource::SampleMetadataApi`].
    pub sample_metadata_api: Option<Member<'b>>,
    /// [`OrganisationResource::SampleMetadataService`].
    pub sample_metadata_service: Option<ServiceRef>,
    /// [`OrganisationResource::CromwellRunner`].
    pub cromwell_runner: Option<Member<'b>>,
    /// [`OrganisationResource::CromwellAccessGroup`].
    pub cromwell_access_group: Option<GroupRef<'b>>,
    /// [`OrganisationResource::AnalysisRunnerRegistry`].
    pub analysis_runner_registry: Option<RegistryRef>,
    /// [`OrganisationResource::CommonRegistry`].
    pub common_registry: Option<RegistryRef>,
    /// [`OrganisationResource::DropboxServer`].
    pub dropbox_server: Option<Member<'b>>,
}

/// A project of the organisation that datasets place resources in
/// ([`ProjectRef::Organisation`](crate::ProjectRef::Organisation)); each cloud resolves it
/// from its `[infrastructure.<name>.<cloud>]` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationProject {
    /// Where the notebook accounts live and get compute admin.
    Notebooks,
    /// The analysis-runner's project: where the Cromwell credentials' secrets live.
    AnalysisRunner,
    /// The upload dropbox server's project: where each dataset's dropbox configuration
    /// secret lives.
    DataDropbox,
}

impl OrganisationProject {
    /// Its name in `cpg.toml` (`[infrastructure.<name>]`) and in diagnostics.
    pub fn name(self) -> &'static str {
        match self {
            Self::Notebooks => "notebooks",
            Self::AnalysisRunner => "analysis_runner",
            Self::DataDropbox => "data_dropbox",
        }
    }
}
