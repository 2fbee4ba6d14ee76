//! Budgets: Cost Management budgets scoped to a resource group, with one
//! notification per configured threshold.
//!
//! Azure budgets always reset at the end of their time grain. A fixed budget (one
//! that never resets on GCP, the only kind the blueprint asks for) has no Azure
//! equivalent; it becomes the longest grain, `Annually`, so the amount is spent
//! at most once a year, and the plan says so in a diagnostic. It counts from the
//! configured `budget_start_date` and has no end date (Azure then ends it ten
//! years after the start).
//!
//! Azure accepts a start only on the first of a month, a past start only within
//! the budget's period, and refuses to change a budget's start once it exists. So
//! the start is what `budget_start_date` says when the budget is created, and
//! Pulumi ignores later changes of it (`ignoreChanges: [timePeriod.startDate]`):
//! moving `budget_start_date` forward for new budgets never diffs (or breaks) the
//! existing ones, and the program stays the same from month to month.

use cpg_infra_abstraction::{Resource, Severity, Value};
use cpg_infra_config::MonthStart;

use crate::settings::Settings;
use crate::tokens;

/// The property path of a budget's start date, fixed at creation.
pub const START_DATE_PATH: &str = "timePeriod.startDate";

/// How many months ahead of the current month Azure accepts a budget's start.
pub const MAX_MONTHS_AHEAD: i64 = 12;
/// How many months back an annual budget may start (a monthly one: none, the current
/// month is the earliest).
pub const MAX_MONTHS_BACK_ANNUAL: i64 = 11;

/// Why a budget created in the month `today` (year, month) with start `start` would be
/// refused by Azure, or `None` when it is accepted: the start must lie between the first
/// of the current month (a monthly budget; an annual one may go back to the start of its
/// current year-long period) and twelve months ahead
/// ([BudgetTimePeriod](https://learn.microsoft.com/dotnet/api/azure.resourcemanager.consumption.models.budgettimeperiod.-ctor)).
///
/// Programs never call this (they do not depend on the clock); `deploy` does, with
/// the day it runs on, and warns: an existing budget keeps its start
/// (`ignoreChanges`), only a budget the run creates is refused.
pub fn creation_window_problem(start: MonthStart, today: (i32, u8)) -> Option<String> {
    let months = |year: i64, month: i64| year * 12 + month - 1;
    let offset =
        months(start.year().into(), start.month().into()) - months(today.0.into(), today.1.into());
    let current = format!("{:04}-{:02}-01", today.0, today.1);
    if offset > MAX_MONTHS_AHEAD {
        return Some(format!(
            "[infrastructure.azure] budget_start_date {start} is more than {MAX_MONTHS_AHEAD} months after this month: Azure refuses a budget created now with that start; budgets that exist keep theirs, but every budget this run creates fails: set budget_start_date = \"{current}\""
        ));
    }
    if offset < 0 {
        let annual = if -offset > MAX_MONTHS_BACK_ANNUAL {
            "and an annual (fixed) one more than a year back"
        } else {
            "(an annual, fixed, one still accepts it)"
        };
        return Some(format!(
            "[infrastructure.azure] budget_start_date {start} is before this month: Azure refuses a new monthly budget starting before the current month {annual}; budgets that exist keep their start, but a budget this run creates may fail: set budget_start_date = \"{current}\""
        ));
    }
    None
}

/// Azure accepts at most this many notifications per budget.
pub const MAX_NOTIFICATIONS: usize = 5;

/// How often a budget resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Never, on GCP: an annual budget here, with a warning.
    Fixed,
    /// Every month.
    Monthly,
}

/// The budget resource `key` for `amount` on `scope`, resetting per `period`, and
/// diagnostics: warnings about what could not be expressed, a note about its start date.
pub fn budget(
    settings: &Settings,
    key: &str,
    name: &str,
    scope: Value,
    amount: u64,
    period: Period,
) -> (Resource, Vec<(Severity, String)>) {
    let mut messages = Vec::new();
    if period == Period::Fixed {
        messages.push((
            Severity::Warning,
            "Azure budgets always reset: this fixed (never-resetting) budget is an annual budget counted from budget_start_date".to_owned(),
        ));
    }
    let grain = match period {
        Period::Fixed => "Annually",
        Period::Monthly => "Monthly",
    };
    let budget_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(63)
        .collect();
    let mut resource = Resource::new(tokens::BUDGET, key)
        .prop("budgetName", budget_name)
        .prop("scope", scope)
        .prop(
            "amount",
            Value::Int(i64::try_from(amount).unwrap_or(i64::MAX)),
        )
        .prop("category", "Cost")
        .prop("timeGrain", grain)
        .prop(
            "timePeriod",
            Value::object([(
                "startDate",
                Value::str(format!("{}T00:00:00Z", settings.budget_start_date)),
            )]),
        );
    resource
        .options
        .ignore_changes
        .push(START_DATE_PATH.to_owned());
    messages.push((
        Severity::Note,
        format!(
            "starts {} (budget_start_date) when it is created; Azure never changes a budget's start afterwards, so later changes of budget_start_date do not apply to it (ignoreChanges)",
            settings.budget_start_date
        ),
    ));
    let mut warnings = Vec::new();
    let notifications = notifications(settings, &mut warnings);
    messages.extend(warnings.into_iter().map(|w| (Severity::Warning, w)));
    if !notifications.is_empty() {
        resource = resource.prop("notifications", Value::object(notifications));
    }
    (resource, messages)
}

fn notifications(settings: &Settings, messages: &mut Vec<String>) -> Vec<(String, Value)> {
    if settings.budget_contact_emails.is_empty() && settings.budget_action_group_id.is_none() {
        messages.push(
            "no budget_contact_emails and no budget_action_group_id in [infrastructure.azure]: the budget sends no alerts".to_owned(),
        );
        return Vec::new();
    }
    let thresholds = &settings.budget_notification_thresholds;
    if thresholds.len() > MAX_NOTIFICATIONS {
        messages.push(format!(
            "Azure budgets take at most {MAX_NOTIFICATIONS} notifications: only the first {MAX_NOTIFICATIONS} of {} thresholds are used",
            thresholds.len()
        ));
    }
    let emails = Value::List(
        settings
            .budget_contact_emails
            .iter()
            .map(|e| Value::str(e.clone()))
            .collect(),
    );
    let groups: Vec<Value> = settings
        .budget_action_group_id
        .iter()
        .map(|g| Value::str(g.clone()))
        .collect();
    thresholds
        .iter()
        .take(MAX_NOTIFICATIONS)
        .map(|fraction| {
            let percent = fraction * 100.0;
            let threshold = if percent.fract() == 0.0 && percent.abs() < 1e15 {
                // Whole percentages are written as integers (`50`, not `50.0`).
                Value::Int(percent as i64)
            } else {
                Value::Float(percent)
            };
            let label = format!("{percent}").replace('.', "_");
            let mut notification = vec![
                ("enabled", Value::Bool(true)),
                ("operator", Value::str("GreaterThanOrEqualTo")),
                ("threshold", threshold),
                ("thresholdType", Value::str("Actual")),
                ("contactEmails", emails.clone()),
            ];
            if !groups.is_empty() {
                notification.push(("contactGroups", Value::List(groups.clone())));
            }
            (
                format!("Actual_GreaterThanOrEqualTo_{label}_Percent"),
                Value::object(notification),
            )
        })
        .collect()
}
