//! Checks of organisation values whose rules come from the clouds: budget notification
//! thresholds (fractions of the budget, within what every cloud takes).

/// The largest notification threshold, as a fraction of the budget: Azure takes a
/// threshold of 0.01 to 1000 percent (`Notification.threshold`, Microsoft.Consumption
/// budgets REST API 2023-11-01:
/// <https://learn.microsoft.com/en-us/rest/api/consumption/budgets/create-or-update>);
/// GCP's `thresholdPercent` is a fraction too (1.0 = 100 %).
const MAX_THRESHOLD: f64 = 10.0;

pub(crate) fn check_thresholds(v: &[f64]) -> Result<(), String> {
    match v
        .iter()
        .find(|t| !(t.is_finite() && **t > 0.0 && **t <= MAX_THRESHOLD))
    {
        Some(t) if t.is_finite() && *t > MAX_THRESHOLD => Err(format!(
            "every threshold is a fraction of the budget (0.5 = 50 %, 1.0 = 100 %), at most {MAX_THRESHOLD} (1000 %, the most an Azure budget takes), got {t}: a percentage? for {t} % write {}",
            t / 100.0
        )),
        Some(t) => Err(format!(
            "every threshold must be a number > 0 (a fraction of the budget, e.g. 0.9 = 90 %), got {t}"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_fractions_of_the_budget() {
        assert!(check_thresholds(&[0.5, 0.9, 1.0, 1.2]).is_ok());
        let err = check_thresholds(&[50.0, 80.0, 100.0]).unwrap_err();
        assert!(
            err.contains("0.5 = 50 %") && err.contains("write 0.5"),
            "{err}"
        );
        assert!(check_thresholds(&[0.0]).is_err());
        assert!(check_thresholds(&[f64::NAN]).is_err());
    }
}
