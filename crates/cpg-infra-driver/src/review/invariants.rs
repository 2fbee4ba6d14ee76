//! The access invariants of `check` (and `validate`, `plan`): what a plan's grants
//! allow, in capabilities computed from each role's permission facts, held against
//! what the design intends (the intent the blueprint recorded for each granting
//! resource, [`cpg_infra_abstraction::Plan::intent`]).
//!
//! - `access-intent`: a grant allows nothing beyond its intent (and its role has facts);
//! - `person-admin`: no person or external principal, directly or through the plans'
//!   group memberships (within a plan here, across datasets in `check_report`), can
//!   change access or manage storage (unless the intent's allowance, with its reason,
//!   covers it), or holds a grant the intent keeps for machine accounts (the access
//!   broker's);
//! - `cloud-parity`: the same grant (the blueprint's key) on several clouds allows
//!   the same capabilities on each, seeing and listing aside, unless a diagnostic of
//!   the plan for that grant or the intent's allowance says why.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Access, Capabilities, Capability, Plan, PrincipalKind};
use cpg_infra_config::PolicyId;

use super::access::{self, Row};
use super::check::Finding;
use super::names::Reviewed;

/// The policies that are access invariants (`plan` fails on them too).
pub const ACCESS_INVARIANTS: [PolicyId; 3] = [
    PolicyId::AccessIntent,
    PolicyId::PersonAdmin,
    PolicyId::CloudParity,
];

/// What only seeing things is: capabilities clouds may realise differently.
const SEEING: [Capability; 2] = [Capability::List, Capability::View];

/// What no person may hold.
const NEVER_FOR_PEOPLE: [Capability; 2] = [Capability::ChangeAccess, Capability::ManageStorage];

/// Every finding of the access invariants on `plan`.
pub fn findings(plan: &Plan, reviewed: &Reviewed) -> Vec<Finding> {
    let direct = access::direct_rows(plan);
    let mut found = Vec::new();
    let finding = |policy: PolicyId, row: &Row, message: String| Finding {
        dataset: plan.dataset.clone(),
        policy,
        cloud: row.cloud.clone(),
        resource: row.grant.clone(),
        name: None,
        message,
        suppressed: None,
    };
    for row in direct.iter().filter(|r| r.access != Access::Member) {
        if !row.has_facts {
            found.push(finding(
                PolicyId::AccessIntent,
                row,
                format!(
                    "grants `{}`, a role without permission facts, to `{}` on {}: add the role's permissions to the {} plugin's data/role-permissions.toml (with their source)",
                    row.role, row.principal, row.resource, row.cloud
                ),
            ));
            continue;
        }
        if let Some(intent) = plan.intent(&row.grant) {
            let beyond = row.capabilities.minus(intent.accepted());
            if !beyond.is_empty() {
                found.push(finding(
                    PolicyId::AccessIntent,
                    row,
                    format!(
                        "grants `{}` to `{}` on {}, which allows {beyond} beyond what the design intends ({}); use a role without them",
                        row.role, row.principal, row.resource, intent.capabilities
                    ),
                ));
            }
        } else {
            found.push(finding(
                PolicyId::AccessIntent,
                row,
                format!(
                    "grants `{}` to `{}` on {} outside every grant request of the design, so nothing states what it may allow: make it through a grant request whose intent the blueprint states",
                    row.role, row.principal, row.resource
                ),
            ));
        }
    }
    found.extend(person_admin(&access::expand(direct.clone())));
    found.extend(parity(plan, reviewed, &direct));
    found
}

/// `person-admin` on access rows (of one plan, or of several with the memberships
/// across datasets expanded): every person or external principal holding a capability
/// no person may hold, beyond the granting intent's allowance.
pub fn person_admin(rows: &[Row]) -> Vec<Finding> {
    let people =
        |kind: PrincipalKind| matches!(kind, PrincipalKind::User | PrincipalKind::External);
    let mut found = Vec::new();
    for row in rows
        .iter()
        .filter(|r| r.access != Access::Member && people(r.principal_kind))
    {
        if let Some(why) = row.machines_only {
            found.push(Finding {
                dataset: row.dataset.clone(),
                policy: PolicyId::PersonAdmin,
                cloud: row.cloud.clone(),
                resource: row.grant.clone(),
                name: None,
                message: format!(
                    "the {} `{}` holds `{}` on {} (through {}), which only machine accounts may: {why}",
                    row.principal_kind.as_str(),
                    row.principal,
                    row.role,
                    row.resource,
                    row.via
                ),
                suppressed: None,
            });
        }
        let all = row
            .capabilities
            .intersection(Capabilities::of(&NEVER_FOR_PEOPLE));
        let held = all.minus(row.allowance);
        // What only the design's allowance gives (the reference's deployed storage
        // administrator role): accepted, with its reason, but never silently.
        if held.is_empty() && !all.is_empty() {
            found.push(Finding {
                dataset: row.dataset.clone(),
                policy: PolicyId::PersonAdminAllowed,
                cloud: row.cloud.clone(),
                resource: row.grant.clone(),
                name: None,
                message: format!(
                    "the {} `{}` can {all} on {} ({} through {}), which the design allows: {}",
                    row.principal_kind.as_str(),
                    row.principal,
                    row.resource,
                    row.role,
                    row.via,
                    row.allowance_reason.unwrap_or("the design's allowance"),
                ),
                suppressed: None,
            });
        }
        if !held.is_empty() {
            found.push(Finding {
                dataset: row.dataset.clone(),
                policy: PolicyId::PersonAdmin,
                cloud: row.cloud.clone(),
                resource: row.grant.clone(),
                name: None,
                message: format!(
                    "the {} `{}` can {held} on {} ({} through {}); people get object-level roles only",
                    row.principal_kind.as_str(),
                    row.principal,
                    row.resource,
                    row.role,
                    row.via
                ),
                suppressed: None,
            });
        }
    }
    found
}

/// `cloud-parity` on a plan of several clouds.
fn parity(plan: &Plan, reviewed: &Reviewed, direct: &[Row]) -> Vec<Finding> {
    let [base_cloud, others @ ..] = plan.clouds.as_slice() else {
        return Vec::new();
    };
    let seeing = Capabilities::of(&SEEING);
    // (cloud, key) -> what the grants of that key allow, and one granting resource.
    let mut by_key: BTreeMap<(&str, String), (Capabilities, &Row)> = BTreeMap::new();
    for row in direct.iter().filter(|r| r.access != Access::Member) {
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
    let mut found = Vec::new();
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
            found.push(Finding {
                dataset: plan.dataset.clone(),
                policy: PolicyId::CloudParity,
                cloud: cloud.clone(),
                resource: row.grant.clone(),
                name: None,
                message: format!(
                    "`{key}` allows {other} on {cloud} ({}) but {base} on {base_cloud} ({}); the same access must allow the same on every cloud, or the plugin must say why",
                    row.role, base_row.role
                ),
                suppressed: None,
            });
        }
    }
    found
}
