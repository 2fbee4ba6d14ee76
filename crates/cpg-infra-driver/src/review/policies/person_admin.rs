//! `person-admin`: no person or external principal can change access or manage
//! storage, directly or through the group memberships of the plans (within a plan, and
//! across datasets in `check_report`), beyond what the granting intent's allowance
//! covers; nor holds a grant the intent keeps for machine accounts.

use super::{GrantReport, Policy, Rule, Severity, granted_to_people, held_by_people};
use crate::review::access::Row;

/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "person-admin",
    severity: Severity::Error,
    sentence: "no person or external principal can change access or delete or reconfigure storage, directly or through the groups the plan makes it a member of",
    rule: Rule::Grants(check),
    access_invariant: true,
};

/// A person holding what no person may hold, beyond the allowance, or a grant the
/// intent keeps for machine accounts (the access broker's).
fn check(rows: &[Row], add: &mut GrantReport) {
    for row in granted_to_people(rows) {
        if let Some(why) = row.machines_only {
            add(
                row,
                format!(
                    "the {} `{}` holds `{}` on {} (through {}), which only machine accounts may: {why}",
                    row.principal_kind.as_str(),
                    row.principal,
                    row.role,
                    row.resource,
                    row.via
                ),
            );
        }
    }
    for (row, held) in held_by_people(rows) {
        let beyond = held.minus(row.allowance);
        if !beyond.is_empty() {
            add(
                row,
                format!(
                    "the {} `{}` can {beyond} on {} ({} through {}); people get object-level roles only",
                    row.principal_kind.as_str(),
                    row.principal,
                    row.resource,
                    row.role,
                    row.via
                ),
            );
        }
    }
}
