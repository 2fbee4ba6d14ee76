//! Checks of organisation values whose rules come from the clouds: budget notification
//! thresholds (fractions of the budget, within what every cloud takes) and GCP billing
//! account ids (Cloud Billing's shape).

use crate::names::shown;

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

/// A Cloud Billing account id: `XXXXXX-XXXXXX-XXXXXX`, uppercase hexadecimal (the
/// `name` of a `BillingAccount`, `billingAccounts/012345-567890-ABCDEF`, in the Cloud
/// Billing API v1 reference:
/// <https://cloud.google.com/billing/docs/reference/rest/v1/billingAccounts>).
pub(crate) fn check_billing_account_id(s: &str) -> Result<(), String> {
    let groups: Vec<&str> = s.split('-').collect();
    let hex = |g: &&str| {
        g.len() == 6
            && g.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    };
    if groups.len() == 3 && groups.iter().all(hex) {
        return Ok(());
    }
    let hint = if s.starts_with("billingAccounts/") {
        "; give the id without `billingAccounts/`"
    } else if s.bytes().any(|b| b.is_ascii_lowercase()) {
        "; the letters are uppercase"
    } else {
        ""
    };
    Err(format!(
        "must be a billing account id, three groups of six uppercase hexadecimal digits such as `01ABCD-23EF45-6789AB` (Cloud Billing shows it under Account management), got `{}`{hint}",
        shown(s)
    ))
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

    #[test]
    fn billing_account_ids_have_the_cloud_billing_shape() {
        assert!(check_billing_account_id("01D012-20A6A2-CBD343").is_ok());
        for bad in [
            "01d012-20a6a2-cbd343",
            "billingAccounts/01D012-20A6A2-CBD343",
            "01D01220A6A2CBD343",
            "01D012-20A6A2-CBD34",
            "01D012-20A6A2-CBD34G",
        ] {
            assert!(check_billing_account_id(bad).is_err(), "{bad}");
        }
    }
}
