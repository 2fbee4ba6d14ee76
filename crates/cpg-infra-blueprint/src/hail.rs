//! Hail: the dataset's Hail Batch bucket, the Hail accounts' access to it, and
//! read access to the organisation's Hail wheels (through the organisation group with
//! `organisation_access_groups`).

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{BucketMembership, BucketRef, Member};
use cpg_infra_config::{AccessLevel, Component};

use super::Blueprint;
use super::organisation_groups::OrgGroup;

impl<'b> Blueprint<'_, 'b> {
    /// The dataset's Hail accounts (empty unless the hail-accounts component is on).
    pub(super) fn hail_accounts(&self) -> Vec<(AccessLevel, Member<'b>)> {
        if self.has(Component::HailAccounts) {
            self.external.hail.clone()
        } else {
            Vec::new()
        }
    }

    pub(super) fn setup_hail(&mut self) {
        let bucket = BucketRef::Created(self.hail_bucket());
        for (level, account) in self.hail_accounts() {
            self.infra.add_member_to_bucket(
                &format!("hail-service-account-{}-hail-bucket-admin", level.as_str()),
                &bucket,
                &account,
                BucketMembership::Mutate,
            );
        }
        // The analysis-runner also needs the bucket for compiled code.
        let server = self.organisation.analysis_runner_server.clone();
        if let Some(server) = self.require(
            server.as_ref(),
            "analysis-runner-hail-bucket-admin",
            OrganisationResource::AnalysisRunnerServer,
        ) {
            self.infra.add_member_to_bucket(
                "analysis-runner-hail-bucket-admin",
                &bucket,
                &server,
                BucketMembership::Mutate,
            );
        }

        if self.joins_organisation_groups(OrgGroup::HailWheelsViewers) {
            let groups = self.access_and_level_groups();
            self.join_organisation_group(OrgGroup::HailWheelsViewers, groups);
            return;
        }
        let wheels = self.organisation.hail_wheel_bucket.clone();
        let Some(wheels) = self.require(
            wheels.as_ref(),
            "hail-wheels-viewer",
            OrganisationResource::HailWheelBucket,
        ) else {
            return;
        };
        for (key, group) in self.access_and_level_groups() {
            self.infra.add_member_to_bucket(
                &format!("{key}-hail-wheels-viewer"),
                &wheels,
                &Member::Group(group),
                BucketMembership::Read,
            );
        }
    }
}
