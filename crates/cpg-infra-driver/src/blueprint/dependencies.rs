//! Dependencies: this dataset's groups join the groups of every dataset it
//! depends on (and of the reference dataset), read from their stacks.

use cpg_infra_abstraction::Member;
use cpg_infra_config::dependencies_of;

use super::Blueprint;

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn setup_dependencies_group_memberships(&mut self) {
        let dependencies = dependencies_of(self.dataset, &self.config.reference_dataset);
        for dependency in dependencies {
            let access = self.access_group();
            let group = self.infra.dependency_group(&dependency, "access");
            self.infra.add_group_member(
                &format!("{dependency}-access-group"),
                &group,
                &Member::Group(access),
            );
            for (level, own) in self.level_groups() {
                let group = self.infra.dependency_group(&dependency, level.as_str());
                self.infra.add_group_member(
                    &format!("{dependency}-{}-access-level-group", level.as_str()),
                    &group,
                    &Member::Group(own),
                );
            }
        }
    }
}
