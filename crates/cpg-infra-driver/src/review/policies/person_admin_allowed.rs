//! `person-admin-allowed`: what only the design's allowance gives a person (the
//! reference's deployed storage administrator role) is accepted, with its reason, but
//! never silently.

use super::{GrantReport, Policy, Rule, Severity, held_by_people};
use crate::review::access::Row;

/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "person-admin-allowed",
    severity: Severity::Warning,
    sentence: "a person who can change access or delete or reconfigure storage only through an allowance the design states (the reference's storage administrator role on mutate grants while mutator_role is off) is reported with the allowance's reason",
    rule: Rule::Grants(check),
    access_invariant: false,
};

/// A person holding what no person may hold, all of it within the allowance.
fn check(rows: &[Row], add: &mut GrantReport) {
    for (row, held) in held_by_people(rows) {
        if held.minus(row.allowance).is_empty() {
            add(
                row,
                format!(
                    "the {} `{}` can {held} on {} ({} through {}), which the design allows: {}",
                    row.principal_kind.as_str(),
                    row.principal,
                    row.resource,
                    row.role,
                    row.via,
                    row.allowance_reason.unwrap_or("the design's allowance"),
                ),
            );
        }
    }
}
