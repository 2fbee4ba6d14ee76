//! Access groups: the dataset's `access`, `web-access`, `release-access` and
//! access-level groups, their memberships, exported ids and monitoring access.

use cpg_infra_abstraction::{Group, GroupRef, Handle, Member, ProjectRef, ProjectRole};
use cpg_infra_config::AccessLevel;

use super::Blueprint;

impl<'b> Blueprint<'_, 'b> {
    /// The group `<dataset>-<suffix>`, created on first use.
    pub(super) fn group(&mut self, suffix: &str) -> Handle<'b, Group> {
        if let Some(group) = self.groups.get(suffix) {
            return group.clone();
        }
        let name = format!("{}-{suffix}", self.dataset_name());
        let group = self.infra.create_group(&name, None);
        self.groups.insert(suffix.to_owned(), group.clone());
        group
    }

    pub(super) fn access_group(&mut self) -> Handle<'b, Group> {
        self.group("access")
    }

    pub(super) fn level_group(&mut self, level: AccessLevel) -> Handle<'b, Group> {
        self.group(level.as_str())
    }

    /// The access group followed by the three access-level groups, with the
    /// reference's key prefixes (`access-group`, `test`, `standard`, `full`).
    pub(super) fn access_and_level_groups(&mut self) -> Vec<(&'static str, Handle<'b, Group>)> {
        let mut groups = vec![("access-group", self.access_group())];
        for level in self.levels() {
            groups.push((level.as_str(), self.level_group(level)));
        }
        groups
    }

    /// Access-level groups in order, creating them.
    pub(super) fn level_groups(&mut self) -> Vec<(AccessLevel, Handle<'b, Group>)> {
        self.levels()
            .into_iter()
            .map(|level| (level, self.level_group(level)))
            .collect()
    }

    pub(super) fn setup_access_groups(&mut self) {
        let web_access = self.group("web-access");
        let access = self.access_group();
        self.infra.add_group_member(
            "web-access-group-access-group-membership",
            &GroupRef::Created(web_access),
            &Member::Group(access.clone()),
        );
        self.setup_access_level_group_memberships();
        self.setup_dependencies_group_memberships();
        self.setup_access_level_group_outputs();
        for (key, role) in [
            ("project-compute-viewer", ProjectRole::ComputeViewer),
            ("project-logging-viewer", ProjectRole::LoggingViewer),
            ("project-monitoring-viewer", ProjectRole::MonitoringViewer),
        ] {
            self.infra.add_project_role(
                key,
                &Member::Group(access.clone()),
                role,
                &ProjectRef::Dataset,
            );
        }
    }

    /// Working machine accounts of every kind join their access-level group.
    fn setup_access_level_group_memberships(&mut self) {
        for (kind, level, account) in self.working_machine_accounts() {
            let group = self.level_group(level);
            self.infra.add_group_member(
                &format!("{kind}-{}-access-level-group-membership", level.as_str()),
                &GroupRef::Created(group),
                &account,
            );
        }
    }

    /// `(kind, level, account)` of the hail, deployment, dataproc and cromwell accounts.
    fn working_machine_accounts(&mut self) -> Vec<(&'static str, AccessLevel, Member<'b>)> {
        let mut accounts = Vec::new();
        let deployment = self.external.deployment.clone();
        for (level, member) in self.hail_accounts() {
            accounts.push(("hail", level, member));
        }
        for (level, member) in deployment {
            accounts.push(("deployment", level, member));
        }
        for (level, account) in self.dataproc_accounts() {
            accounts.push(("dataproc", level, Member::MachineAccount(account)));
        }
        for (level, account) in self.cromwell_accounts() {
            accounts.push(("cromwell", level, Member::MachineAccount(account)));
        }
        accounts
    }

    fn setup_access_level_group_outputs(&mut self) {
        let dataset = self.dataset.dataset.clone();
        let access = self.access_group();
        self.infra.export_group(&dataset, "access", &access);
        for (level, group) in self.level_groups() {
            self.infra.export_group(&dataset, level.as_str(), &group);
        }
        if self.dataset.main_read_group {
            let group = self.group(super::dependencies::MAIN_READ);
            self.infra
                .export_group(&dataset, super::dependencies::MAIN_READ, &group);
            if self.dataset.setup_test {
                let group = self.group(super::dependencies::TEST_READ);
                self.infra
                    .export_group(&dataset, super::dependencies::TEST_READ, &group);
            }
        }
    }
}
