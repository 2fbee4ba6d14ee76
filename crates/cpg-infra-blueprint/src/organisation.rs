//! The organisation's shared resources the blueprint uses (servers' accounts, buckets,
//! services, registries, the Cromwell group, and the notebooks and analysis-runner
//! projects): the list and what each means are the
//! blueprint's. Each cloud resolves them by name from its own configuration
//! ([`Opened::organisation`](cpg_infra_abstraction::Opened::organisation)) and names the
//! `cpg.toml` key of one it lacks ([`Cloud::organisation_key`](cpg_infra_abstraction::Cloud::organisation_key)).

use cpg_infra_abstraction::{
    BucketRef, GroupRef, Infra, Member, OrganisationAnswer, RegistryRef, ServiceRef,
};

/// The organisation's notebooks project (`ProjectRef::Organisation`): where the
/// notebook accounts live and get compute admin.
pub const NOTEBOOKS_PROJECT: &str = "notebooks";
/// The analysis-runner's project: where the Cromwell credentials' secrets live.
pub const ANALYSIS_RUNNER_PROJECT: &str = "analysis_runner";
/// The upload dropbox server's project: where each dataset's dropbox configuration
/// secret lives.
pub const DATA_DROPBOX_PROJECT: &str = "data_dropbox";

/// One of the organisation's shared resources, by the name clouds resolve it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationResource {
    /// `web_server`: the web server's account (reads web buckets and the web-access cache).
    WebServer,
    /// `analysis_runner_server`: the analysis-runner server's account.
    AnalysisRunnerServer,
    /// `analysis_runner_logger`: the analysis-runner logger's account (writes sample metadata).
    AnalysisRunnerLogger,
    /// `analysis_runner_service`: the analysis-runner's web service.
    AnalysisRunnerService,
    /// `config_bucket`: the bucket of analysis-runner configs.
    ConfigBucket,
    /// `reference_bucket`: the bucket of reference data.
    ReferenceBucket,
    /// `hail_wheel_bucket`: the bucket of Hail wheels.
    HailWheelBucket,
    /// `access_group_cache`: the account of the access-group cache process.
    AccessGroupCache,
    /// `sample_metadata_api`: the sample-metadata API's account.
    SampleMetadataApi,
    /// `sample_metadata_service`: the sample-metadata web service.
    SampleMetadataService,
    /// `cromwell_runner`: the Cromwell server's account.
    CromwellRunner,
    /// `cromwell_access_group`: the group of accounts that may use Cromwell.
    CromwellAccessGroup,
    /// `analysis_runner_registry`: the analysis-runner's container registry.
    AnalysisRunnerRegistry,
    /// `common_registry`: the organisation's common container registry.
    CommonRegistry,
    /// `dropbox_server`: the upload dropbox server's account.
    DropboxServer,
}

impl OrganisationResource {
    /// The name a cloud resolves it by.
    pub fn name(self) -> &'static str {
        match self {
            Self::WebServer => "web_server",
            Self::AnalysisRunnerServer => "analysis_runner_server",
            Self::AnalysisRunnerLogger => "analysis_runner_logger",
            Self::AnalysisRunnerService => "analysis_runner_service",
            Self::ConfigBucket => "config_bucket",
            Self::ReferenceBucket => "reference_bucket",
            Self::HailWheelBucket => "hail_wheel_bucket",
            Self::AccessGroupCache => "access_group_cache",
            Self::SampleMetadataApi => "sample_metadata_api",
            Self::SampleMetadataService => "sample_metadata_service",
            Self::CromwellRunner => "cromwell_runner",
            Self::CromwellAccessGroup => "cromwell_access_group",
            Self::AnalysisRunnerRegistry => "analysis_runner_registry",
            Self::CommonRegistry => "common_registry",
            Self::DropboxServer => "dropbox_server",
        }
    }

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

/// The organisation's shared resources on one cloud; `None` where the cloud has none.
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

impl<'b> Organisation<'b> {
    /// Asks `infra`'s cloud for every resource of the list. An answer of the wrong
    /// kind (a plugin's mistake) is a warning and counts as absent.
    pub fn ask(infra: &mut Infra<'b>) -> Self {
        use OrganisationResource as R;
        Self {
            web_server: member(infra, R::WebServer),
            analysis_runner_server: member(infra, R::AnalysisRunnerServer),
            analysis_runner_logger: member(infra, R::AnalysisRunnerLogger),
            analysis_runner_service: service(infra, R::AnalysisRunnerService),
            config_bucket: bucket(infra, R::ConfigBucket),
            reference_bucket: bucket(infra, R::ReferenceBucket),
            hail_wheel_bucket: bucket(infra, R::HailWheelBucket),
            access_group_cache: member(infra, R::AccessGroupCache),
            sample_metadata_api: member(infra, R::SampleMetadataApi),
            sample_metadata_service: service(infra, R::SampleMetadataService),
            cromwell_runner: member(infra, R::CromwellRunner),
            cromwell_access_group: group(infra, R::CromwellAccessGroup),
            analysis_runner_registry: registry(infra, R::AnalysisRunnerRegistry),
            common_registry: registry(infra, R::CommonRegistry),
            dropbox_server: member(infra, R::DropboxServer),
        }
    }
}

/// The answer for `resource`, or a warning when it is of another kind than `kind`.
fn answer<'b, T>(
    infra: &mut Infra<'b>,
    resource: OrganisationResource,
    kind: &str,
    pick: impl FnOnce(OrganisationAnswer<'b>) -> Result<T, OrganisationAnswer<'b>>,
) -> Option<T> {
    let answer = infra.organisation_resource(resource.name())?;
    match pick(answer) {
        Ok(value) => Some(value),
        Err(other) => {
            infra.diagnose(
                resource.name(),
                format!(
                    "the cloud names {} as {other:?}, not as a {kind}: not used",
                    resource.describe()
                ),
            );
            None
        }
    }
}

fn member<'b>(infra: &mut Infra<'b>, resource: OrganisationResource) -> Option<Member<'b>> {
    answer(infra, resource, "member", |a| match a {
        OrganisationAnswer::Member(m) => Ok(m),
        other => Err(other),
    })
}

fn bucket<'b>(infra: &mut Infra<'b>, resource: OrganisationResource) -> Option<BucketRef<'b>> {
    answer(infra, resource, "bucket", |a| match a {
        OrganisationAnswer::Bucket(b) => Ok(b),
        other => Err(other),
    })
}

fn group<'b>(infra: &mut Infra<'b>, resource: OrganisationResource) -> Option<GroupRef<'b>> {
    answer(infra, resource, "group", |a| match a {
        OrganisationAnswer::Group(g) => Ok(g),
        other => Err(other),
    })
}

fn service(infra: &mut Infra<'_>, resource: OrganisationResource) -> Option<ServiceRef> {
    answer(infra, resource, "service", |a| match a {
        OrganisationAnswer::Service(s) => Ok(s),
        other => Err(other),
    })
}

fn registry(infra: &mut Infra<'_>, resource: OrganisationResource) -> Option<RegistryRef> {
    answer(infra, resource, "registry", |a| match a {
        OrganisationAnswer::Registry(r) => Ok(r),
        other => Err(other),
    })
}
