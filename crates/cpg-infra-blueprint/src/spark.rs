//! Spark: one Dataproc machine account per access level, the Hail accounts'
//! right to run jobs as them and to manage clusters, and cluster visibility for
//! the access group.

use cpg_infra_abstraction::{Handle, MachineAccount, Member, ProjectRef, ProjectRole};
use cpg_infra_config::AccessLevel;

use super::{Blueprint, accounts};

impl<'b> Blueprint<'_, 'b> {
    /// The Dataproc accounts (empty unless the spark component is on).
    pub(super) fn dataproc_accounts(&mut self) -> Vec<(AccessLevel, Handle<'b, MachineAccount>)> {
        self.level_accounts(&accounts::DATAPROC)
    }

    pub(super) fn setup_spark(&mut self) {
        let spark = self.dataproc_accounts();
        let hail = self.hail_accounts();
        for (level, hail_account) in &hail {
            if let Some((_, account)) = spark.iter().find(|(l, _)| l == level) {
                self.infra.add_member_to_machine_account_access(
                    &format!(
                        "hail-service-account-{}-dataproc-service-account-user",
                        level.as_str()
                    ),
                    account,
                    hail_account,
                );
            }
        }
        for (level, account) in &spark {
            self.infra.add_project_role(
                &format!(
                    "dataproc-service-account-{}-dataproc-worker",
                    level.as_str()
                ),
                &Member::MachineAccount(account.clone()),
                ProjectRole::DataprocWorker,
                &ProjectRef::Dataset,
            );
        }
        for (level, hail_account) in &hail {
            let level = level.as_str();
            self.infra.add_project_role(
                &format!("hail-service-account-{level}-dataproc-admin"),
                hail_account,
                ProjectRole::DataprocAdmin,
                &ProjectRef::Dataset,
            );
            self.infra.add_project_role(
                &format!("hail-service-account-{level}-dataproc-worker"),
                hail_account,
                ProjectRole::DataprocWorker,
                &ProjectRef::Dataset,
            );
        }
        let access = self.access_group();
        self.infra.add_project_role(
            "project-dataproc-viewer",
            &Member::Group(access),
            ProjectRole::DataprocViewer,
            &ProjectRef::Dataset,
        );
    }
}
