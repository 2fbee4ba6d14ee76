//! Azure budgets: one consumption budget per request, with the diagnostics of what Azure
//! budgets cannot say (the currency).

use cpg_infra_abstraction::{Session, Value};
use cpg_infra_config::Currency;

use super::AzureInfra;
use crate::budget;

impl AzureInfra {
    /// A budget of `amount` per `period` on `scope`, with its diagnostics.
    pub(super) fn budget(
        &mut self,
        session: &mut Session,
        key: &str,
        scope: Value,
        amount: u64,
        period: budget::Period,
        currency: Option<&Currency>,
    ) {
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
