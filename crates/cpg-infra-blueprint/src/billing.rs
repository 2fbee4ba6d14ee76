//! Billing: the dataset's monthly budget on this cloud (`budgets.<cloud>`), on the
//! dataset's project, in the budget's currency or the organisation's.

use cpg_infra_abstraction::{BudgetPeriod, BudgetSpec, ProjectRef};
use cpg_infra_config::{Budget, Currency};

use super::Blueprint;

impl Blueprint<'_, '_> {
    /// This cloud's entry of the dataset's `budgets`.
    fn budget(&self) -> Option<&Budget> {
        let cloud = self.infra.cloud();
        self.dataset
            .budgets
            .iter()
            .find(|(name, _)| name.as_str() == cloud)
            .map(|(_, budget)| budget)
    }

    /// The currency this cloud's budgets are given in, when not the organisation's.
    pub(super) fn budget_currency(&self) -> Option<Currency> {
        self.budget().and_then(|budget| budget.currency.clone())
    }

    pub(super) fn setup_billing(&mut self) {
        let Some(budget) = self.budget().cloned() else {
            return;
        };
        self.infra.create_budget(
            "monthly-budget",
            BudgetSpec {
                project: &ProjectRef::Dataset,
                amount: budget.monthly_budget.get(),
                period: BudgetPeriod::Monthly,
                currency: budget.currency.as_ref(),
            },
        );
    }
}
