//! Budgets: a Cloud Billing budget on a project's billing account, filtered to
//! the project, with notifications at the organisation's thresholds.
//!
//! A fixed budget (the shared project's) never resets and has threshold rules and a
//! Pub/Sub topic only when `budget_notification_pubsub` is configured (as the reference
//! did, so existing budgets do not change). A monthly budget (a dataset's `budgets`)
//! resets every month, counts every credit, always has the threshold rules (without a
//! topic, Cloud Billing e-mails the billing account's administrators) and the topic
//! where configured.

use cpg_infra_abstraction::{BudgetPeriod, Invoke, Output, Resource, Value};
use cpg_infra_config::Currency;

use crate::settings::Settings;
use crate::tokens;

/// The project a monthly budget covers: its number and display name, from a resource of
/// the plan or from a lookup.
pub enum Covered {
    /// A project of the plan, by logical name.
    Resource(String),
    /// A project looked up by id (the invoke's variable).
    Lookup(Invoke),
}

impl Covered {
    /// The project's number and display name.
    fn number_and_name(&self) -> (Value, Value) {
        match self {
            Covered::Resource(name) => (
                Output::resource(name, "number").into(),
                Output::resource(name, "name").into(),
            ),
            Covered::Lookup(invoke) => (
                Output::invoke(&invoke.variable, "number").into(),
                Output::invoke(&invoke.variable, "name").into(),
            ),
        }
    }
}

/// The lookup of project `id` under program variable `variable`.
pub fn project_lookup(variable: &str, id: Value) -> Invoke {
    Invoke {
        variable: variable.to_owned(),
        function: tokens::GET_PROJECT.to_owned(),
        arguments: [("projectId".to_owned(), id)].into(),
    }
}

/// The budget `key` of `amount` for `project` that starts again every `period` (a fixed
/// budget is counted from its start, year, month and day, and never reset); `budgets` is
/// the logical name of the Billing Budgets service it depends on.
pub fn budget(
    settings: &Settings,
    key: &str,
    project: &Covered,
    amount: u64,
    period: BudgetPeriod,
    currency: Option<&Currency>,
    budgets: &str,
) -> Resource {
    let (number, name) = project.number_and_name();
    let projects = (
        "projects",
        Value::List(vec![Value::prefixed("projects/", number)]),
    );
    let filter = match period {
        BudgetPeriod::Fixed {
            start: (year, month, day),
        } => Value::object([
            projects,
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
        ]),
        BudgetPeriod::Monthly => Value::object([
            projects,
            ("calendarPeriod", Value::str("MONTH")),
            ("creditTypesTreatment", Value::str("INCLUDE_ALL_CREDITS")),
        ]),
    };
    let resource = resource(settings, key, amount, currency, name, filter, budgets);
    match (period, &settings.budget_notification_pubsub) {
        (BudgetPeriod::Fixed { .. }, None) => resource,
        _ => notifications(settings, resource),
    }
}

/// A budget resource with its amount, account, display name and filter.
fn resource(
    settings: &Settings,
    key: &str,
    amount: u64,
    currency: Option<&Currency>,
    display_name: Value,
    filter: Value,
    budgets: &str,
) -> Resource {
    let currency = currency.map_or(settings.budget_currency.as_str(), Currency::as_str);
    Resource::new(tokens::BUDGET, key)
        .prop(
            "amount",
            Value::object([(
                "specifiedAmount",
                Value::object([
                    ("units", Value::str(amount.to_string())),
                    ("currencyCode", Value::str(currency)),
                    ("nanos", Value::Int(0)),
                ]),
            )]),
        )
        .prop("billingAccount", settings.billing_account_id.as_str())
        .prop("displayName", display_name)
        .prop("budgetFilter", filter)
        .depends_on([budgets])
}

/// `resource` with a threshold rule per `budget_notification_thresholds` and, where
/// configured, every update sent to the Pub/Sub topic.
fn notifications(settings: &Settings, resource: Resource) -> Resource {
    let thresholds = settings
        .budget_notification_thresholds
        .iter()
        .map(|t| Value::object([("thresholdPercent", Value::Float(*t))]))
        .collect();
    let resource = resource.prop("thresholdRules", Value::List(thresholds));
    match &settings.budget_notification_pubsub {
        Some(topic) => resource.prop(
            "allUpdatesRule",
            Value::object([
                ("pubsubTopic", Value::str(topic)),
                ("schemaVersion", Value::str("1.0")),
            ]),
        ),
        None => resource,
    }
}
