//! The flags of a resource that stays or is replaced: data loss (protect removed, a
//! delete rule shortened or added, data-holding storage replaced), cost (budgets,
//! storage class, requester pays) and replacement.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Resource, ResourceKind, provider_facts};

use super::{Flag, FlagKind, PathChange, real_name};
use crate::review::names::Reviewed;

pub(super) fn flag_replacement(
    old: &Resource,
    new: &Resource,
    reviewed: &Reviewed,
    flags: &mut Vec<Flag>,
) {
    let what = if old.name == new.name {
        format!(
            "its type changes from {} to {}",
            old.type_token, new.type_token
        )
    } else {
        format!("its logical name changes from {} to {}", old.name, new.name)
    };
    flags.push(Flag {
        kind: FlagKind::Replace,
        resource: new.name.clone(),
        reason: format!("{what}: Pulumi deletes the old resource and creates a new one"),
    });
    let review = reviewed.review(&old.name);
    if old.existing.is_none() && review.kind.holds_data() {
        flags.push(Flag {
            kind: FlagKind::DataLoss,
            resource: new.name.clone(),
            reason: format!(
                "the {} {} is replaced: what it holds is deleted with the old one",
                review.kind.as_str(),
                real_name(reviewed, old)
            ),
        });
    }
}

/// Flags of a resource present on both sides: protect removed, delete rules
/// shortened or added, cost properties and budgets.
pub(super) fn flag_changes(
    old: &Resource,
    new: &Resource,
    paths: &[PathChange],
    old_reviewed: &Reviewed,
    new_reviewed: &Reviewed,
    flags: &mut Vec<Flag>,
) {
    let before = old_reviewed.review(&old.name);
    let after = new_reviewed.review(&new.name);
    let name = real_name(new_reviewed, new);
    if old.options.protect && !new.options.protect && new.existing.is_none() {
        flags.push(Flag {
            kind: FlagKind::DataLoss,
            resource: new.name.clone(),
            reason: format!(
                "protect is removed from the {} {name}: Pulumi may delete it",
                after.kind.as_str()
            ),
        });
    }
    let old_rules: BTreeMap<&str, i64> = before
        .delete_rules
        .iter()
        .map(|r| (r.scope.as_str(), r.after_days))
        .collect();
    for rule in &after.delete_rules {
        match old_rules.get(rule.scope.as_str()) {
            Some(&days) if rule.after_days < days => flags.push(Flag {
                kind: FlagKind::DataLoss,
                resource: new.name.clone(),
                reason: format!(
                    "a delete rule of {name} is shortened: {} from {days} to {} days",
                    rule.scope, rule.after_days
                ),
            }),
            Some(_) => {}
            None => flags.push(Flag {
                kind: FlagKind::DataLoss,
                resource: new.name.clone(),
                reason: format!(
                    "a new delete rule on {name}: {} after {} days",
                    rule.scope, rule.after_days
                ),
            }),
        }
    }
    let facts = provider_facts::facts_of(&new.type_token);
    for change in paths {
        let top = change.path.split(['.', '[']).next().unwrap_or_default();
        if !change.path.starts_with("options.")
            && facts.is_some_and(|f| f.replacing(&change.path).is_some())
        {
            flags.push(Flag {
                kind: FlagKind::Replace,
                resource: new.name.clone(),
                reason: format!(
                    "{} changes ({} -> {}), which the cloud cannot change in place: Pulumi deletes the {} {name} and creates it again",
                    change.path,
                    change.old.as_deref().unwrap_or("(unset)"),
                    change.new.as_deref().unwrap_or("(unset)"),
                    after.kind.as_str()
                ),
            });
            if new.existing.is_none() && after.kind.holds_data() {
                flags.push(Flag {
                    kind: FlagKind::DataLoss,
                    resource: new.name.clone(),
                    reason: format!(
                        "the {} {name} is replaced ({} changes): what it holds is deleted with the old one",
                        after.kind.as_str(),
                        change.path
                    ),
                });
            }
        }
        let costly = after.cost_properties.contains(&top);
        if costly || after.kind == ResourceKind::Budget {
            flags.push(Flag {
                kind: FlagKind::Cost,
                resource: new.name.clone(),
                reason: format!(
                    "{} {name}: {} changes: {} -> {}",
                    match after.kind {
                        ResourceKind::Other => "resource",
                        kind => kind.as_str(),
                    },
                    change.path,
                    change.old.as_deref().unwrap_or("(unset)"),
                    change.new.as_deref().unwrap_or("(unset)")
                ),
            });
        }
    }
}
