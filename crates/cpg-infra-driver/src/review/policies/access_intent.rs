//! `access-intent`: every grant allows at most what the design intends for it, in
//! capabilities computed from its role's permission facts (the intent the blueprint
//! recorded for each granting resource, [`cpg_infra_abstraction::Plan::intent`]).

use cpg_infra_abstraction::Access;

use super::{GrantReport, PlanGrants, Policy, Rule, Severity};

/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "access-intent",
    severity: Severity::Error,
    sentence: "every grant allows at most what the design intends for it, in capabilities computed from its role's permission facts (a role without facts fails, as does a grant no grant request of the design made; eligible access counts)",
    rule: Rule::Plan(check),
    access_invariant: true,
};

/// A grant whose role has no facts, that allows more than its intent, or that no grant
/// request made (so nothing states what it may allow).
fn check(grants: &PlanGrants, add: &mut GrantReport) {
    for row in grants.direct.iter().filter(|r| r.access != Access::Member) {
        if !row.has_facts {
            add(
                row,
                format!(
                    "grants `{}`, a role without permission facts, to `{}` on {}: add the role's permissions to the {} plugin's data/role-permissions.toml (with their source)",
                    row.role, row.principal, row.resource, row.cloud
                ),
            );
            continue;
        }
        if let Some(intent) = grants.plan.intent(&row.grant) {
            let beyond = row.capabilities.minus(intent.accepted());
            if !beyond.is_empty() {
                let remedy = match grants.plan.stated_role(&row.role) {
                    Some(stated) => format!(
                        "the role's permissions as stated in {}: take those permissions out of the organisation's role",
                        stated.source
                    ),
                    None => "use a role without them".to_owned(),
                };
                add(
                    row,
                    format!(
                        "grants `{}` to `{}` on {}, which allows {beyond} beyond what the design intends ({}); {remedy}",
                        row.role, row.principal, row.resource, intent.capabilities
                    ),
                );
            }
        } else {
            add(
                row,
                format!(
                    "grants `{}` to `{}` on {} outside every grant request of the design, so nothing states what it may allow: make it through a grant request whose intent the blueprint states",
                    row.role, row.principal, row.resource
                ),
            );
        }
    }
}
