//! Reference data: the dataset's groups may read the organisation's reference bucket
//! (through the organisation group with `organisation_access_groups`).

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{BucketMembership, Member};

use super::Blueprint;
use super::organisation_groups::OrgGroup;

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn setup_reference(&mut self) {
        let bucket = self.organisation.reference_bucket.clone();
        let Some(bucket) = self.require(
            bucket.as_ref(),
            "reference-bucket-viewer",
            OrganisationResource::ReferenceBucket,
        ) else {
            return;
        };
        if self.joins_organisation_groups(OrgGroup::ReferenceViewers) {
            let groups = self.access_and_level_groups();
            self.join_organisation_group(OrgGroup::ReferenceViewers, groups);
            return;
        }
        for (kind, group) in self.access_and_level_groups() {
            self.infra.add_member_to_bucket(
                &format!("{kind}-reference-bucket-viewer"),
                &bucket,
                &Member::Group(group),
                BucketMembership::Read,
            );
        }
    }
}
