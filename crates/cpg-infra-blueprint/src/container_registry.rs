//! Container registry: the dataset's groups may pull images from the
//! analysis-runner and common registries; standard and full may push to the
//! common one (through organisation groups with `organisation_access_groups`).

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{ContainerRegistryMembership, Member};

use super::Blueprint;
use super::organisation_groups::OrgGroup;

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn setup_container_registry(&mut self) {
        if self.joins_organisation_groups(OrgGroup::ImagesReaders) {
            let groups = self.access_and_level_groups();
            let writers = groups
                .iter()
                .filter(|(kind, _)| matches!(*kind, "standard" | "full"))
                .cloned()
                .collect();
            self.join_organisation_group(OrgGroup::ImagesReaders, groups);
            self.join_organisation_group(OrgGroup::ImagesWriters, writers);
            return;
        }
        let organisation = self.organisation.clone();
        let analysis_runner = self.require(
            organisation.analysis_runner_registry.as_ref(),
            "images-reader",
            OrganisationResource::AnalysisRunnerRegistry,
        );
        let common = self.require(
            organisation.common_registry.as_ref(),
            "images-reader",
            OrganisationResource::CommonRegistry,
        );
        let registries: Vec<_> = analysis_runner.into_iter().chain(common.clone()).collect();
        for (kind, group) in self.access_and_level_groups() {
            let member = Member::Group(group);
            for registry in &registries {
                self.infra.add_member_to_container_registry(
                    &format!("{kind}-images-reader-in-{}", registry.scope),
                    registry,
                    &member,
                    ContainerRegistryMembership::Reader,
                );
            }
            if let Some(common) = common
                .as_ref()
                .filter(|_| matches!(kind, "standard" | "full"))
            {
                // The reference named these keys after its common project, `cpg-common`;
                // the key is kept so existing resources keep their identity.
                self.infra.add_member_to_container_registry(
                    &format!("{kind}-images-writer-in-cpg-common"),
                    common,
                    &member,
                    ContainerRegistryMembership::Append,
                );
            }
        }
    }
}
