//! Temporary read access to the main bucket, on request: the group
//! `<dataset>-tmp-main-read-access` (its users from `members`, the dataset's notebook
//! account with `allow_notebook_tmp_main_read`) may request read access to the main bucket
//! and its objects for at most `tmp_main_read_max_hours`, each time with a justification
//! (GCP: a Privileged Access Manager entitlement; Azure: Entra PIM for groups). It exists
//! when the dataset asks for it or a dataset that asks for it depends on it
//! ([`Deployments::tmp_main_read`](super::Deployments::tmp_main_read)); the group is
//! exported, and this dataset's group joins the groups of the datasets it depends on, so
//! its temporary readers may request access to theirs as well. The group may see the
//! dataset's project (a project browser role, where the cloud has one), and the
//! organisation's access broker may act as the notebook account to request its access
//! for it (where the cloud and its configuration have a broker; the reference dataset's
//! program creates the broker).

use cpg_infra_abstraction::{
    BucketMembership, EligibleAccess, Group, GroupRef, Handle, Member, ProjectRef, ProjectRole,
};
use cpg_infra_config::{AccessLevel, Component, TMP_MAIN_READ_ACCESS_GROUP};

use super::Blueprint;
use super::accounts::NOTEBOOK;
use cpg_infra_abstraction::OrganisationProject;

impl<'b> Blueprint<'_, 'b> {
    /// Whether this dataset has temporary read access on request.
    pub(super) fn has_tmp_main_read(&self) -> bool {
        self.dataset.requests_tmp_main_read()
            || self.deployments.tmp_main_read(&self.dataset.dataset) == Some(true)
    }

    pub(super) fn setup_tmp_main_read(&mut self) {
        let group = self.group(TMP_MAIN_READ_ACCESS_GROUP);
        self.infra
            .export_group(&self.dataset.dataset, TMP_MAIN_READ_ACCESS_GROUP, &group);
        if self.dataset.allow_notebook_tmp_main_read {
            if self.has(Component::Notebooks) {
                let name = NOTEBOOK.name_for(self.dataset_name(), AccessLevel::Full);
                let account = self.machine_account(
                    &name,
                    &ProjectRef::Organisation(OrganisationProject::Notebooks),
                    None,
                );
                self.infra.add_group_member(
                    "notebook-sa-in-tmp-main-read-access",
                    &GroupRef::Created(group.clone()),
                    &Member::MachineAccount(account.clone()),
                );
                // The organisation's broker requests the notebook account's access for it.
                self.infra
                    .add_access_broker_for("pam-broker-token-creator", &account);
            } else {
                let cloud = self.infra.cloud();
                self.infra.diagnose(
                    "notebook-sa-in-tmp-main-read-access",
                    format!(
                        "allow_notebook_tmp_main_read is set but the dataset has no notebooks component on {cloud}: no notebook account joins {}-{TMP_MAIN_READ_ACCESS_GROUP} there",
                        self.dataset_name()
                    ),
                );
            }
        }
        // Its members can find the project to request access in, without seeing inside.
        self.infra.add_project_role(
            "tmp-main-read-access-project-browser",
            &Member::Group(group.clone()),
            ProjectRole::Browser,
            &ProjectRef::Dataset,
        );
        self.join_dependencies_tmp_main_read(&group);
        if !self.has(Component::Storage) {
            let cloud = self.infra.cloud();
            self.infra.diagnose(
                "temporary-bucket-access-main-read",
                format!("the dataset has no storage component on {cloud}: there is no main bucket to request read access to"),
            );
            return;
        }
        let main = self.dataset_bucket("main");
        self.infra.add_eligible_bucket_access(
            "temporary-bucket-access-main-read",
            &main,
            &group,
            EligibleAccess {
                access: BucketMembership::Read,
                max_hours: self.dataset.tmp_main_read_max_hours.get(),
            },
        );
    }

    /// This dataset's temporary readers may request access to the datasets it depends on
    /// (fully or read-only): its group joins theirs, on the clouds they deploy to.
    fn join_dependencies_tmp_main_read(&mut self, group: &Handle<'b, Group>) {
        let cloud = self.infra.cloud();
        let dependencies: Vec<_> = self
            .dataset
            .depends_on
            .iter()
            .chain(&self.dataset.depends_on_readonly)
            .cloned()
            .collect();
        for dependency in dependencies {
            let key = format!("{TMP_MAIN_READ_ACCESS_GROUP}/{dependency}");
            let deploys_here = self
                .dependency_locations(&dependency)
                .clouds
                .iter()
                .any(|c| c.as_str() == cloud);
            if !deploys_here {
                self.infra.diagnose(
                    &key,
                    format!(
                        "dataset {dependency} does not deploy to {cloud}: this dataset's temporary readers cannot request access to it there"
                    ),
                );
                continue;
            }
            let theirs = self
                .infra
                .dependency_group(&dependency, TMP_MAIN_READ_ACCESS_GROUP);
            self.infra
                .add_group_member(&key, &theirs, &Member::Group(group.clone()));
        }
    }
}
