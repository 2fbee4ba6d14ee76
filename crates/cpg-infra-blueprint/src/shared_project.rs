//! Shared project: a separate project with a fixed budget whose machine account
//! can read the release bucket, for sharing data with external collaborators
//! who pay through that project.

use cpg_infra_abstraction::{
    BucketMembership, BucketRef, BudgetPeriod, BudgetSpec, Member, ProjectRef, ProjectRole,
};

use cpg_infra_config::AccessLevel;

use super::Blueprint;
use super::accounts::SHARED;

/// Start of the fixed budget period (before every shared project).
const FIXED_BUDGET_START: (u16, u8, u8) = (2022, 1, 1);

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn setup_shared_project(&mut self) {
        // Validation guarantees a budget and a release bucket for shared projects.
        let cloud = self.infra.cloud();
        let Some(budget) = self.dataset.shared_budget_on(cloud) else {
            self.infra.diagnose(
                "shared-project",
                format!("not created: enable_shared_project needs shared_project_budget or budgets.{cloud}.shared_total_budget"),
            );
            return;
        };
        let currency = self.budget_currency();
        let release = self.release_bucket();
        let project = ProjectRef::Created(self.infra.create_project("shared"));
        self.infra.create_budget(
            &format!("{}-shared-budget", self.dataset_name()),
            BudgetSpec {
                project: &project,
                amount: budget.get(),
                period: BudgetPeriod::Fixed {
                    start: FIXED_BUDGET_START,
                },
                currency: currency.as_ref(),
            },
        );
        let account = self.machine_account(
            &SHARED.name_for(self.dataset_name(), AccessLevel::Full),
            &project,
            Some("budget-shared-service-account"),
        );
        let member = Member::MachineAccount(account);
        self.infra.add_project_role(
            "shared-project-serviceusage-consumer",
            &member,
            ProjectRole::ServiceUsageConsumer,
            &project,
        );
        self.infra.add_member_to_bucket(
            "release-shared-membership",
            &BucketRef::Created(release),
            &member,
            BucketMembership::Read,
        );
    }
}
