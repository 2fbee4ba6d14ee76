//! Budgets: a Cloud Billing budget on a project's billing account, filtered to
//! the project, with notifications to the configured Pub/Sub topic.

use cpg_infra_abstraction::{Output, Resource, Value};

use crate::settings::Settings;
use crate::tokens;

/// The budget `key` of `amount` for the project with logical name `project`,
/// counted from `start` (year, month, day) and never reset; `budgets` is the
/// logical name of the Billing Budgets service it depends on.
pub fn fixed_budget(
    settings: &Settings,
    key: &str,
    project: &str,
    amount: u64,
    (year, month, day): (u16, u8, u8),
    budgets: &str,
) -> Resource {
    let filter = Value::object([
        (
            "projects",
            Value::List(vec![Value::prefixed(
                "projects/",
                Output::resource(project, "number").into(),
            )]),
        ),
        (
            "customPeriod",
            Value::object([(
                "startDate",
                Value::object([
                    ("year", Value::Int(year.into())),
                    ("month", Value::Int(month.into())),
                    ("day", Value::Int(day.into())),
                ]),
            )]),
        ),
    ]);
    let resource = Resource::new(tokens::BUDGET, key)
        .prop(
            "amount",
            Value::object([(
                "specifiedAmount",
                Value::object([
                    ("units", Value::str(amount.to_string())),
                    ("currencyCode", Value::str(&settings.budget_currency)),
                    ("nanos", Value::Int(0)),
                ]),
            )]),
        )
        .prop("billingAccount", settings.billing_account_id.as_str())
        .prop("displayName", Output::resource(project, "name"))
        .prop("budgetFilter", filter)
        .depends_on([budgets]);
    match &settings.budget_notification_pubsub {
        Some(topic) => {
            let thresholds = settings
                .budget_notification_thresholds
                .iter()
                .map(|t| Value::object([("thresholdPercent", Value::Float(*t))]))
                .collect();
            resource
                .prop("thresholdRules", Value::List(thresholds))
                .prop(
                    "allUpdatesRule",
                    Value::object([
                        ("pubsubTopic", Value::str(topic)),
                        ("schemaVersion", Value::str("1.0")),
                    ]),
                )
        }
        None => resource,
    }
}
