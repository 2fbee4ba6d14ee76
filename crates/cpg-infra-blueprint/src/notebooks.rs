//! Notebooks: a machine account in the organisation's notebooks project that
//! the access group may use, with the access group's permissions.

use cpg_infra_abstraction::{GroupRef, Member, ProjectRef, ProjectRole};

use cpg_infra_config::AccessLevel;

use super::Blueprint;
use super::accounts::NOTEBOOK;
use cpg_infra_abstraction::OrganisationProject;

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn setup_notebooks(&mut self) {
        let name = NOTEBOOK.name_for(self.dataset_name(), AccessLevel::Full);
        let account = self.machine_account(
            &name,
            &ProjectRef::Organisation(OrganisationProject::Notebooks),
            None,
        );
        let access = self.access_group();
        self.infra.add_member_to_machine_account_access(
            "notebook-account-users",
            &account,
            &Member::Group(access.clone()),
        );
        self.infra.add_group_member(
            "notebook-service-account-access-group-member",
            &GroupRef::Created(access),
            &Member::MachineAccount(account.clone()),
        );
        self.infra.add_project_role(
            "notebook-account-compute-admin",
            &Member::MachineAccount(account),
            ProjectRole::ComputeAdmin,
            &ProjectRef::Organisation(OrganisationProject::Notebooks),
        );
    }
}
