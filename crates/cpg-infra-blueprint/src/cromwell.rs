//! Cromwell: one machine account per access level that runs workflows, the
//! Cromwell server's right to use them, their keys in secrets the
//! analysis-runner (and the matching Hail account) can read, and the Hail
//! accounts' membership of the organisation's Cromwell access group.

use cpg_infra_abstraction::{
    Handle, MachineAccount, Member, ProjectRef, ProjectRole, SecretMembership,
};
use cpg_infra_abstraction::{OrganisationProject, OrganisationResource};
use cpg_infra_config::AccessLevel;

use super::{Blueprint, CloudExport, accounts};

impl<'b> Blueprint<'_, 'b> {
    /// The Cromwell accounts (empty unless the cromwell component is on).
    pub(super) fn cromwell_accounts(&mut self) -> Vec<(AccessLevel, Handle<'b, MachineAccount>)> {
        self.level_accounts(&accounts::CROMWELL)
    }

    pub(super) fn setup_cromwell(&mut self) {
        let runner = self.organisation.cromwell_runner.clone();
        let runner = self.require(
            runner.as_ref(),
            "cromwell-runner",
            OrganisationResource::CromwellRunner,
        );
        for (level, account) in self.cromwell_accounts() {
            let level = level.as_str();
            // Cromwell's worker VMs run as the account itself.
            self.infra.add_member_to_machine_account_access(
                &format!("cromwell-service-account-{level}-service-account-user"),
                &account,
                &Member::MachineAccount(account.clone()),
            );
            if let Some(runner) = &runner {
                self.infra.add_member_to_machine_account_access(
                    &format!("cromwell-runner-{level}-service-account-user"),
                    &account,
                    runner,
                );
            }
        }

        let access_group = self.organisation.cromwell_access_group.clone();
        if let Some(group) = self.require(
            access_group.as_ref(),
            "cromwell-access",
            OrganisationResource::CromwellAccessGroup,
        ) {
            for (level, hail) in self.hail_accounts() {
                self.infra.add_group_member(
                    &format!("hail-service-account-{}-cromwell-access", level.as_str()),
                    &group,
                    &hail,
                );
            }
        }
        for (level, account) in self.cromwell_accounts() {
            self.infra.add_project_role(
                &format!(
                    "cromwell-service-account-{}-workflows-runner",
                    level.as_str()
                ),
                &Member::MachineAccount(account),
                ProjectRole::WorkflowsRunner,
                &ProjectRef::Dataset,
            );
        }
        self.setup_cromwell_credentials();
    }

    fn setup_cromwell_credentials(&mut self) {
        let server = self.organisation.analysis_runner_server.clone();
        let server = self.require(
            server.as_ref(),
            "cromwell-secret-accessor",
            OrganisationResource::AnalysisRunnerServer,
        );
        let hail: Vec<_> = self.hail_accounts();
        for (level, account) in self.cromwell_accounts() {
            let level_name = level.as_str();
            let secret = self.infra.create_secret(
                &format!("{}-cromwell-{level_name}-key", self.dataset_name()),
                &ProjectRef::Organisation(OrganisationProject::AnalysisRunner),
            );
            let credentials = self.infra.machine_account_credentials(
                &format!("cromwell-service-account-{level_name}-key"),
                &account,
            );
            self.infra.add_secret_version(
                &format!("cromwell-service-account-{level_name}-secret-version"),
                &secret,
                &credentials,
            );
            let hail_account = hail.iter().find(|(l, _)| *l == level).map(|(_, a)| a);
            // Cromwell's Google backend authenticates as the level's account with this
            // key, read from the secret by whoever runs it: a reader outside the
            // program, so the key is needed even where no other cloud reads it.
            let readers = match (server.is_some(), hail_account.is_some()) {
                (true, true) => Some("the analysis-runner server and the level's Hail account"),
                (true, false) => Some("the analysis-runner server"),
                (false, true) => Some("the level's Hail account"),
                (false, false) => None,
            };
            if let Some(readers) = readers {
                self.infra.read_outside(
                    &credentials,
                    &format!("Cromwell, run by {readers} with the key from its secret"),
                );
            }
            // The dataset's other clouds keep a copy of these credentials under keys
            // naming this cloud; this cloud keeps its own under the keys above.
            let cloud = self.infra.cloud();
            for part in ["secret-version", "secret-accessor", "self-accessor"] {
                self.infra.explain_absence(
                    &format!("cromwell-{cloud}-{level_name}-{part}"),
                    format!(
                        "{cloud} keeps its own {level_name} workflow credentials under cromwell-service-account-{level_name}-{part}; the dataset's other clouds keep a copy under cromwell-{cloud}-{level_name}-*"
                    ),
                );
            }
            self.exports.push(CloudExport {
                level,
                value: credentials,
            });
            if let Some(server) = &server {
                self.infra.add_secret_member(
                    &format!("cromwell-service-account-{level_name}-secret-accessor"),
                    &secret,
                    server,
                    SecretMembership::Accessor,
                );
            }
            if let Some(hail_account) = hail_account {
                self.infra.add_secret_member(
                    &format!("cromwell-service-account-{level_name}-self-accessor"),
                    &secret,
                    hail_account,
                    SecretMembership::Accessor,
                );
            }
        }
    }
}

impl Blueprint<'_, '_> {
    /// Stores the workflow-engine credentials of the dataset's other clouds as
    /// secrets on this cloud, readable by the same roles as the home secrets:
    /// the analysis-runner server and the access level's Hail account.
    pub(super) fn import_foreign_credentials(&mut self, foreign: &[CloudExport]) {
        let server = self.organisation.analysis_runner_server.clone();
        let hail = self.hail_accounts();
        let dataset = self.dataset_name().to_owned();
        for export in foreign {
            let level = export.level.as_str();
            let from = export.value.cloud;
            let secret = self.infra.create_secret(
                &format!("{dataset}-cromwell-{level}-{from}-key"),
                &ProjectRef::Organisation(OrganisationProject::AnalysisRunner),
            );
            self.infra.add_secret_version(
                &format!("cromwell-{from}-{level}-secret-version"),
                &secret,
                &export.value,
            );
            let accessor = format!("cromwell-{from}-{level}-secret-accessor");
            if let Some(server) = self.require(
                server.as_ref(),
                &accessor,
                OrganisationResource::AnalysisRunnerServer,
            ) {
                self.infra.add_secret_member(
                    &accessor,
                    &secret,
                    &server,
                    SecretMembership::Accessor,
                );
            }
            if let Some((_, hail_account)) = hail.iter().find(|(l, _)| *l == export.level) {
                self.infra.add_secret_member(
                    &format!("cromwell-{from}-{level}-self-accessor"),
                    &secret,
                    hail_account,
                    SecretMembership::Accessor,
                );
            }
        }
    }
}
