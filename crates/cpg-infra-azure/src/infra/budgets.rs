//! Azure budgets: one consumption budget per request, with the diagnostics of what Azure
//! budgets cannot say (the currency).

use cpg_infra_abstraction::{BudgetPeriod, ProjectRef, Session};
use cpg_infra_config::Currency;

use super::AzureInfra;
use crate::budget;

impl AzureInfra {
    /// `Cloud::create_budget`: a budget of `amount` per `period` on `project`, with its
    /// diagnostics.
    pub(super) fn budget(
        &mut self,
        session: &mut Session,
        key: &str,
        project: &ProjectRef,
        amount: u64,
        period: BudgetPeriod,
        currency: Option<&Currency>,
    ) {
        let period = match period {
            BudgetPeriod::Monthly => budget::Period::Monthly,
            BudgetPeriod::Fixed {
                start: (year, month, day),
            } => {
                session.note(
                    key,
                    format!(
                        "the blueprint's start {year:04}-{month:02}-{day:02} is replaced by budget_start_date {} (Azure rejects a past start outside the budget's period)",
                        self.settings.budget_start_date
                    ),
                );
                budget::Period::Fixed
            }
        };
        let Some(scope) = self.project_scope(session, key, project) else {
            return;
        };
        let scope = scope.id;
        let logical = self.logical(key);
        let (resource, messages) =
            budget::budget(&self.settings, &logical, key, scope, amount, period);
        session.add(resource);
        for (severity, message) in messages {
            session.diagnose_as(severity, key, message);
        }
        if let Some(currency) = currency {
            session.diagnose(
                key,
                format!(
                    "Azure budgets are in the billing account's currency, which a budget cannot set: the amount {amount} is not converted from {currency}"
                ),
            );
        }
    }
}
