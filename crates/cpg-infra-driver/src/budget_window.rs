//! The one check of `deploy` that depends on the day it runs: whether a new Azure
//! budget would accept `[infrastructure.azure] budget_start_date`. Programs never read
//! the clock (the same configuration gives the same program every day), so the window
//! Azure accepts at creation is checked here, as a warning: budgets that exist keep
//! their start, only one the run creates would be refused.

use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};

use crate::deploy::DeployPlan;

/// The warning about `[infrastructure.azure] budget_start_date` when a stack of `plan`
/// deploys to Azure and a budget created today with that start would be refused
/// (`cpg_infra_azure::budget::creation_window_problem`). Only `deploy` asks: the day
/// of the run decides, and programs never depend on the clock.
pub fn budget_start_warning(
    infrastructure: &InfrastructureConfig,
    datasets: &[DatasetConfig],
    plan: &DeployPlan,
) -> Option<String> {
    let azure = cpg_infra_azure::organisation_settings::AzureConfig::written(infrastructure)?;
    let cloud = CloudName::azure();
    let on_azure = plan.steps.iter().any(|step| {
        datasets
            .iter()
            .any(|d| d.dataset == step.dataset && d.deploy_locations.contains(&cloud))
    });
    if !on_azure {
        return None;
    }
    cpg_infra_azure::budget::creation_window_problem(azure.budget_start_date, current_month())
}

/// The current month (year, month) in UTC, from the system clock.
pub fn current_month() -> (i32, u8) {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    month_of_day(i64::try_from(seconds / 86_400).unwrap_or(0))
}

/// The (year, month) of the day `days` after 1970-01-01 (the proleptic Gregorian
/// calendar; H. Hinnant's `civil_from_days`).
pub fn month_of_day(days: i64) -> (i32, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        u8::try_from(month).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::month_of_day;

    #[test]
    fn days_since_the_epoch_give_their_month() {
        assert_eq!(month_of_day(0), (1970, 1));
        assert_eq!(month_of_day(31), (1970, 2));
        // 2000-02-29 (a leap day) and 2000-03-01.
        assert_eq!(month_of_day(11_016), (2000, 2));
        assert_eq!(month_of_day(11_017), (2000, 3));
        // 2026-12-06.
        assert_eq!(month_of_day(20_793), (2026, 12));
        assert_eq!(month_of_day(-1), (1969, 12));
    }
}
