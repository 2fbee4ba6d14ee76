//! Analysis runner: the dataset's groups may read the analysis-runner config
//! bucket (through the organisation group with `organisation_access_groups`), and the
//! access group may invoke the analysis-runner service.

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{BucketMembership, Member};

use super::Blueprint;
use super::organisation_groups::OrgGroup;

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn setup_analysis_runner(&mut self) {
        let organisation = self.organisation.clone();
        if self.joins_organisation_groups(OrgGroup::ConfigViewers) {
            let groups = self.access_and_level_groups();
            self.join_organisation_group(OrgGroup::ConfigViewers, groups);
        } else if let Some(bucket) = self.require(
            organisation.config_bucket.as_ref(),
            "analysis-runner-config-viewer",
            OrganisationResource::ConfigBucket,
        ) {
            for (key, group) in self.access_and_level_groups() {
                self.infra.add_member_to_bucket(
                    &format!("{key}-analysis-runner-config-viewer"),
                    &bucket,
                    &Member::Group(group),
                    BucketMembership::Read,
                );
            }
        }
        if let Some(service) = self.require(
            organisation.analysis_runner_service.as_ref(),
            "analysis-runner-access-invoker",
            OrganisationResource::AnalysisRunnerService,
        ) {
            let access = self.access_group();
            self.infra.add_service_invoker(
                "analysis-runner-access-invoker",
                &service,
                &Member::Group(access),
            );
        }
    }
}
