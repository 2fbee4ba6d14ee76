//! The access flags of a change: every grant of each side, strongest access per
//! principal and target, compared (a principal that gains access widens, one that
//! loses it narrows).

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::{Access, Capabilities, PrincipalKind, ResourceKind};

use super::{Flag, FlagKind};
use crate::review::names::{Reviewed, principal_kind};

/// One principal's access on one target.
type GrantKey = (String, PrincipalKind, String, ResourceKind);

/// What one principal holds on one target: the strongest access, what the grants
/// allow together, the roles, and the resource of the strongest grant.
type Held = (Access, Capabilities, BTreeSet<String>, String);

/// Every grant of a plan, strongest access per principal and target, with what the
/// grants allow together, the roles and the resources that grant it.
pub(super) fn grants(reviewed: &Reviewed) -> BTreeMap<GrantKey, Held> {
    let mut found: BTreeMap<GrantKey, Held> = BTreeMap::new();
    for resource in &reviewed.plan.resources {
        if resource.existing.is_some() {
            continue;
        }
        for grant in reviewed.review(&resource.name).grants {
            let principal_kind = grant
                .principal_kind
                .or_else(|| principal_kind(reviewed.kind_of(&grant.principal)))
                .unwrap_or(PrincipalKind::External);
            let target_kind = grant
                .target_kind
                .or_else(|| reviewed.kind_of(&grant.target))
                .unwrap_or(ResourceKind::Other);
            let capabilities = grant.allows().on(target_kind);
            let key = (
                reviewed.readable(&grant.principal),
                principal_kind,
                reviewed.readable(&grant.target),
                target_kind,
            );
            let slot = found.entry(key).or_insert_with(|| {
                (
                    grant.access,
                    Capabilities::NONE,
                    BTreeSet::new(),
                    resource.name.clone(),
                )
            });
            if grant.access > slot.0 {
                slot.0 = grant.access;
                slot.3 = resource.name.clone();
            }
            slot.1 = slot.1.union(capabilities);
            slot.2.insert(grant.role);
        }
    }
    found
}

pub(super) fn describe_grant(key: &GrantKey, access: Access, roles: &BTreeSet<String>) -> String {
    let (principal, principal_kind, target, target_kind) = key;
    let roles = roles.iter().cloned().collect::<Vec<_>>().join(", ");
    if access == Access::Member {
        format!(
            "{} {principal} joins the group {target}",
            principal_kind.as_str()
        )
    } else {
        format!(
            "{} {principal} gets {} ({roles}) on the {} {target}",
            principal_kind.as_str(),
            access.as_str(),
            target_kind.as_str()
        )
    }
}

pub(super) fn flag_grants(old: &Reviewed, new: &Reviewed, flags: &mut Vec<Flag>) {
    let before = grants(old);
    let after = grants(new);
    for (key, (access, capabilities, roles, via)) in &after {
        let Some((was, had, old_roles, _)) = before.get(key) else {
            flags.push(Flag {
                kind: FlagKind::AccessWidening,
                resource: via.clone(),
                reason: describe_grant(key, *access, roles),
            });
            continue;
        };
        // What the roles allow decides, from their permission facts: the same level
        // can allow more (a role that also deletes the container).
        let gained = capabilities.minus(*had);
        let lost = had.minus(*capabilities);
        if !gained.is_empty() {
            let stronger = if access > was {
                format!("stronger than {} before; ", was.as_str())
            } else {
                String::new()
            };
            flags.push(Flag {
                kind: FlagKind::AccessWidening,
                resource: via.clone(),
                reason: format!(
                    "{} ({stronger}now also: {gained})",
                    describe_grant(key, *access, roles)
                ),
            });
        } else if !lost.is_empty() || access < was {
            flags.push(Flag {
                kind: FlagKind::AccessNarrowing,
                resource: via.clone(),
                reason: format!(
                    "{} (was {}: {}; no longer: {lost})",
                    describe_grant(key, *access, roles),
                    was.as_str(),
                    old_roles.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    for (key, (access, _, roles, via)) in &before {
        if !after.contains_key(key) {
            let (principal, principal_kind, target, target_kind) = key;
            let roles = roles.iter().cloned().collect::<Vec<_>>().join(", ");
            let reason = if *access == Access::Member {
                format!(
                    "{} {principal} leaves the group {target}",
                    principal_kind.as_str()
                )
            } else {
                format!(
                    "{} {principal} loses {} ({roles}) on the {} {target}",
                    principal_kind.as_str(),
                    access.as_str(),
                    target_kind.as_str()
                )
            };
            flags.push(Flag {
                kind: FlagKind::AccessNarrowing,
                resource: via.clone(),
                reason,
            });
        }
    }
}
