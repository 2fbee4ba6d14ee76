//! A dataset's `budgets`: per cloud a monthly budget of the dataset's
//! project (GCP) or resource group (Azure), optionally the shared project's total budget
//! and a currency other than the organisation's `budget_currency`. The organisation's
//! `budget_notification_thresholds` say when notifications go out.

use std::collections::BTreeMap;
use std::num::NonZeroU64;

use schemars::JsonSchema;
use serde::Serialize;

use crate::dataset::DatasetConfig;
use crate::names::CloudName;
use crate::values::Currency;

/// One cloud's budgets of a dataset, e.g. `{"monthly_budget": 500, "currency": "AUD"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// The monthly budget of the dataset's project (GCP) or resource group (Azure), in
    /// whole currency units (> 0).
    pub monthly_budget: NonZeroU64,
    /// The shared project's budget over its whole life (> 0), in place of
    /// `shared_project_budget` on this cloud; needs `enable_shared_project`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_total_budget: Option<NonZeroU64>,
    /// The currency of these amounts (ISO 4217) when not the organisation's
    /// `budget_currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
}

/// `budgets`: cloud name -> that cloud's budgets.
pub type Budgets = BTreeMap<CloudName, Budget>;

impl DatasetConfig {
    /// The shared project's budget on `cloud`: `budgets.<cloud>.shared_total_budget`, else
    /// `shared_project_budget`.
    pub fn shared_budget_on(&self, cloud: &str) -> Option<NonZeroU64> {
        self.budgets
            .iter()
            .find(|(name, _)| name.as_str() == cloud)
            .and_then(|(_, budget)| budget.shared_total_budget)
            .or(self.shared_project_budget)
    }
}

/// The rules of `budgets` (every problem): each cloud one the dataset deploys to, the
/// shared total budget only with a shared project and not beside `shared_project_budget`.
pub(crate) fn budget_problems(ds: &DatasetConfig) -> Vec<String> {
    let mut out = Vec::new();
    let clouds: Vec<&str> = ds.deploy_locations.iter().map(CloudName::as_str).collect();
    if ds.shared_project_budget.is_some() && !ds.enable_shared_project {
        out.push(
            "datasets:shared_project_budget: the dataset has no shared project (datasets:enable_shared_project is false), so the budget would have no effect; remove it or enable the shared project".to_string(),
        );
    }
    for (cloud, budget) in &ds.budgets {
        let path = format!("datasets:budgets.{cloud}");
        if !clouds.contains(&cloud.as_str()) {
            out.push(format!(
                "{path}: the dataset does not deploy to `{cloud}` (datasets:deploy_locations is [{}]); remove the budget or add the cloud to deploy_locations",
                clouds.join(", ")
            ));
        }
        if budget.shared_total_budget.is_some() {
            if !ds.enable_shared_project {
                out.push(format!(
                    "{path}.shared_total_budget: the dataset has no shared project (datasets:enable_shared_project is false); remove it or enable the shared project"
                ));
            }
            if ds.shared_project_budget.is_some() {
                out.push(format!(
                    "{path}.shared_total_budget and datasets:shared_project_budget are both set; keep one (shared_total_budget is per cloud)"
                ));
            }
        }
    }
    out
}
