//! What a change does to one dataset's program: resources added, removed,
//! changed (property paths, old -> new, secrets masked) and replaced (their URN
//! changes), with flags a reviewer must see (data loss, access widening or
//! narrowing, cost, replacement), each with a reason in words.
//!
//! Plans are compared, not rendered programs: a resource is identified by its type
//! token and logical name (its URN); a type alias keeps the URN.
//!
//! The comparison is here; what changed inside a resource is `diff/changes.rs`, the flags of a
//! resource kept or replaced (data loss, cost, replacement) `diff/flags.rs`, and the access
//! flags of the grants `diff/grants.rs`.

use std::collections::BTreeSet;

use cpg_infra_abstraction::{Alias, Plan, Resource, ResourceKind};

use super::names::Reviewed;
use super::predict::{Prediction, blocked_flags, predict};

mod changes;
mod flags;
mod grants;

use changes::changes;
use flags::{flag_changes, flag_replacement};
use grants::flag_grants;

/// A kind of flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlagKind {
    /// Data may be lost: a data-holding resource removed or replaced, `protect`
    /// removed, a delete rule shortened or added.
    DataLoss,
    /// A principal gains access: a new grant, a stronger role, a group membership, a
    /// new dependency.
    AccessWidening,
    /// A principal loses access (informational: never gates).
    AccessNarrowing,
    /// The bill changes: budgets, storage class, requester pays, new billable resources.
    Cost,
    /// A resource's URN changes: Pulumi deletes it and creates it again.
    Replace,
    /// `pulumi up` would fail at this resource: a protected resource deleted or
    /// replaced, storage the provider deletes only when empty.
    Blocked,
}

impl FlagKind {
    /// The flag's name (`data-loss`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DataLoss => "data-loss",
            Self::AccessWidening => "access-widening",
            Self::AccessNarrowing => "access-narrowing",
            Self::Cost => "cost",
            Self::Replace => "replace",
            Self::Blocked => "blocked",
        }
    }

    /// Whether the flag only informs (does not make `diff` exit 3).
    pub fn informational(self) -> bool {
        self == Self::AccessNarrowing
    }
}

/// A flag on a resource, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Flag {
    /// What kind of consequence.
    pub kind: FlagKind,
    /// The logical name of the resource it concerns.
    pub resource: String,
    /// Why, in words.
    pub reason: String,
}

/// A resource added or removed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Logical name.
    pub name: String,
    /// Type token.
    pub type_token: String,
}

/// One changed property path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PathChange {
    /// The path (`lifecycleRules[0].condition.age`, `options.protect`).
    pub path: String,
    /// The old value, readable (none when the path is new).
    pub old: Option<String>,
    /// The new value, readable (none when the path is gone).
    pub new: Option<String>,
}

/// A resource whose inputs or options change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Logical name.
    pub name: String,
    /// Type token.
    pub type_token: String,
    /// What changes.
    pub paths: Vec<PathChange>,
}

/// A resource whose URN changes (another type or logical name for the same thing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The old resource.
    pub old: Entry,
    /// The new resource.
    pub new: Entry,
}

/// The diff of one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetDiff {
    /// The dataset.
    pub dataset: String,
    /// Its clouds (of the current plan, else of the base).
    pub clouds: Vec<String>,
    /// Resources only in the current plan.
    pub added: Vec<Entry>,
    /// Resources only in the base plan.
    pub removed: Vec<Entry>,
    /// Resources in both whose inputs or options differ.
    pub changed: Vec<Changed>,
    /// Resources whose URN changes.
    pub replaced: Vec<Replaced>,
    /// What a reviewer must see.
    pub flags: Vec<Flag>,
    /// What the engine will do to each resource (see [`predict`](super::predict)).
    pub predicted: Vec<Prediction>,
}

impl DatasetDiff {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.replaced.is_empty()
    }

    /// Whether a flag that gates (anything but access narrowing) is raised.
    pub fn gates(&self) -> bool {
        self.flags.iter().any(|f| !f.kind.informational())
    }
}

fn entry(resource: &Resource) -> Entry {
    Entry {
        name: resource.name.clone(),
        type_token: resource.type_token.to_string(),
    }
}

/// Whether `new` keeps the URN of `old` (same type, or an alias with the old type).
fn same_urn(old: &Resource, new: &Resource) -> bool {
    old.name == new.name
        && (old.type_token == new.type_token
            || new
                .options
                .aliases
                .contains(&Alias::Type(old.type_token.to_string())))
}

/// The diff of one dataset between `base` and `current` (either may be absent:
/// a dataset added or removed).
pub fn diff(base: Option<&Plan>, current: Option<&Plan>) -> DatasetDiff {
    let empty = Plan::default();
    let old = Reviewed::new(base.unwrap_or(&empty));
    let new = Reviewed::new(current.unwrap_or(&empty));
    let dataset = current
        .or(base)
        .map(|p| p.dataset.clone())
        .unwrap_or_default();
    let clouds = current
        .or(base)
        .map(|p| p.clouds.clone())
        .unwrap_or_default();
    let mut out = DatasetDiff {
        dataset,
        clouds,
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        replaced: Vec::new(),
        flags: Vec::new(),
        predicted: Vec::new(),
    };
    let mut removed: Vec<&Resource> = Vec::new();
    let mut added: Vec<&Resource> = Vec::new();
    for resource in &old.plan.resources {
        match new.plan.get(&resource.name) {
            Some(now) if same_urn(resource, now) => {
                let paths = changes(resource, now, &old, &new);
                if !paths.is_empty() {
                    flag_changes(resource, now, &paths, &old, &new, &mut out.flags);
                    out.changed.push(Changed {
                        name: now.name.clone(),
                        type_token: now.type_token.to_string(),
                        paths,
                    });
                }
            }
            Some(now) => {
                out.replaced.push(Replaced {
                    old: entry(resource),
                    new: entry(now),
                });
                flag_replacement(resource, now, &old, &mut out.flags);
            }
            None => removed.push(resource),
        }
    }
    for resource in &new.plan.resources {
        if old.plan.get(&resource.name).is_none() {
            added.push(resource);
        }
    }
    // A logical-name change of the same real thing (same kind and real name) is a
    // replacement, not an unrelated removal and addition.
    let identity = |reviewed: &Reviewed, r: &Resource| {
        let review = reviewed.review(&r.name);
        review
            .name
            .as_ref()
            .filter(|_| r.existing.is_none())
            .map(|name| (review.kind, reviewed.readable(name)))
    };
    let mut taken = BTreeSet::new();
    removed.retain(|gone| {
        let Some(id) = identity(&old, gone) else {
            return true;
        };
        let Some(now) = added
            .iter()
            .find(|a| !taken.contains(&a.name) && identity(&new, a).as_ref() == Some(&id))
        else {
            return true;
        };
        taken.insert(now.name.clone());
        out.replaced.push(Replaced {
            old: entry(gone),
            new: entry(now),
        });
        flag_replacement(gone, now, &old, &mut out.flags);
        false
    });
    added.retain(|a| !taken.contains(&a.name));
    for gone in &removed {
        let review = old.review(&gone.name);
        let mut flag = |kind, reason| {
            out.flags.push(Flag {
                kind,
                resource: gone.name.clone(),
                reason,
            })
        };
        if gone.existing.is_none() && review.kind.holds_data() {
            let protected = if gone.options.protect {
                " (it is protected: `pulumi up` fails until it is unprotected)"
            } else {
                ""
            };
            flag(
                FlagKind::DataLoss,
                format!(
                    "the {} {} is removed: Pulumi deletes it and what it holds{protected}",
                    review.kind.as_str(),
                    real_name(&old, gone)
                ),
            );
        }
        if review.kind == ResourceKind::Budget {
            flag(
                FlagKind::Cost,
                format!("the budget {} is removed", real_name(&old, gone)),
            );
        }
    }
    for now in &added {
        let review = new.review(&now.name);
        let mut flag = |kind, reason| {
            out.flags.push(Flag {
                kind,
                resource: now.name.clone(),
                reason,
            })
        };
        if now.existing.is_none() && review.billable {
            flag(
                FlagKind::Cost,
                format!(
                    "a new billable {} {}",
                    review.kind.as_str(),
                    real_name(&new, now)
                ),
            );
        }
        if review.kind == ResourceKind::StackReference {
            flag(
                FlagKind::AccessWidening,
                format!(
                    "a new dependency on stack {}: this program reads its outputs, and its groups take in this dataset's groups",
                    real_name(&new, now)
                ),
            );
        }
    }
    flag_grants(&old, &new, &mut out.flags);
    out.added = added.iter().map(|r| entry(r)).collect();
    out.removed = removed.iter().map(|r| entry(r)).collect();
    out.added.sort();
    out.removed.sort();
    out.changed.sort_by(|a, b| a.name.cmp(&b.name));
    out.replaced.sort_by(|a, b| a.new.name.cmp(&b.new.name));
    out.predicted = predict(base, current, &out);
    out.flags.extend(blocked_flags(&out.predicted));
    out.flags.sort();
    out.flags.dedup();
    out
}

/// The real name of a resource for reasons (`egi-alpha-study-main`), else its logical name.
fn real_name(reviewed: &Reviewed, resource: &Resource) -> String {
    match reviewed.review(&resource.name).name {
        Some(name) => {
            let readable = reviewed.readable(&name);
            if readable == resource.name {
                readable
            } else {
                format!("{readable} ({})", resource.name)
            }
        }
        None => resource.name.clone(),
    }
}
