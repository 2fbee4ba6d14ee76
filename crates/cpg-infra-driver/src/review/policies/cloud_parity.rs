//! `cloud-parity`: the same grant (the blueprint's key) on several clouds allows the
//! same capabilities on each, seeing and listing aside, unless a diagnostic of the plan
//! for that grant or the intent's allowance says why.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Access, Capabilities, Capability};

use super::{GrantReport, PlanGrants, Policy, Rule, Severity};
use crate::review::access::Row;

/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "cloud-parity",
    severity: Severity::Error,
    sentence: "a grant the design makes on several clouds allows the same capabilities on each (seeing and listing aside), or the plan says why",
    rule: Rule::Plan(check),
    access_invariant: true,
};

/// What only seeing things is: capabilities clouds may realise differently.
const SEEING: [Capability; 2] = [Capability::List, Capability::View];

/// Each grant key of a plan of several clouds whose capabilities differ between its
/// first cloud and another, unexplained.
fn check(grants: &PlanGrants, add: &mut GrantReport) {
    let (plan, reviewed) = (grants.plan, grants.reviewed);
    let [base_cloud, others @ ..] = plan.clouds.as_slice() else {
        return;
    };
    let seeing = Capabilities::of(&SEEING);
    // (cloud, key) -> what the grants of that key allow, and one granting resource.
    let mut by_key: BTreeMap<(&str, String), (Capabilities, &Row)> = BTreeMap::new();
    for row in grants.direct.iter().filter(|r| r.access != Access::Member) {
        let key = reviewed
            .review(&row.grant)
            .key
            .unwrap_or_else(|| row.grant.clone());
        let entry = by_key
            .entry((row.cloud.as_str(), key))
            .or_insert((Capabilities::NONE, row));
        entry.0 = entry.0.union(row.capabilities.minus(seeing));
    }
    let explained = |key: &str| plan.diagnostics.iter().any(|d| d.subject == key);
    for cloud in others {
        for ((_, key), (base, base_row)) in by_key.iter().filter(|((c, _), _)| c == base_cloud) {
            let Some((other, row)) = by_key.get(&(cloud.as_str(), key.clone())) else {
                continue;
            };
            let differ = base.minus(*other).union(other.minus(*base));
            if differ.is_empty() || explained(key) {
                continue;
            }
            if differ.minus(base_row.allowance).is_empty() {
                continue;
            }
            add(
                row,
                format!(
                    "`{key}` allows {} on {cloud} ({}) but {} on {base_cloud} ({}); the same access must allow the same on every cloud, or the plugin must say why{}",
                    shown(other),
                    row.role,
                    shown(base),
                    base_row.role,
                    [row, *base_row]
                        .iter()
                        .filter_map(|r| plan.stated_role(&r.role))
                        .map(|stated| format!(" (permissions as stated in {})", stated.source))
                        .collect::<String>()
                ),
            );
        }
    }
}

/// What a grant allows beyond seeing, as the finding says it.
fn shown(capabilities: &Capabilities) -> String {
    if capabilities.is_empty() {
        "nothing but seeing".to_owned()
    } else {
        capabilities.to_string()
    }
}
