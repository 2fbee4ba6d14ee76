//! What a change does to one dataset's program: resources added, removed,
//! changed (property paths, old -> new, secrets masked) and replaced (their URN
//! changes), with flags a reviewer must see (data loss, access widening or
//! narrowing, cost, replacement), each with a reason in words.
//!
//! Plans are compared, not rendered programs: a resource is identified by its type
//! token and logical name (its URN); a type alias keeps the URN.

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::provider_facts;
use cpg_infra_abstraction::{
    Access, Alias, Capabilities, Plan, PrincipalKind, Resource, ResourceKind, Value,
};

use super::names::Reviewed;
use super::predict::{Prediction, blocked_flags, predict};

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
        if gone.existing.is_none() && review.kind.holds_data() {
            let protected = if gone.options.protect {
                " (it is protected: `pulumi up` fails until it is unprotected)"
            } else {
                ""
            };
            out.flags.push(Flag {
                kind: FlagKind::DataLoss,
                resource: gone.name.clone(),
                reason: format!(
                    "the {} {} is removed: Pulumi deletes it and what it holds{protected}",
                    review.kind.as_str(),
                    real_name(&old, gone)
                ),
            });
        }
        if review.kind == ResourceKind::Budget {
            out.flags.push(Flag {
                kind: FlagKind::Cost,
                resource: gone.name.clone(),
                reason: format!("the budget {} is removed", real_name(&old, gone)),
            });
        }
    }
    for now in &added {
        let review = new.review(&now.name);
        if now.existing.is_none() && review.billable {
            out.flags.push(Flag {
                kind: FlagKind::Cost,
                resource: now.name.clone(),
                reason: format!(
                    "a new billable {} {}",
                    review.kind.as_str(),
                    real_name(&new, now)
                ),
            });
        }
        if review.kind == ResourceKind::StackReference {
            out.flags.push(Flag {
                kind: FlagKind::AccessWidening,
                resource: now.name.clone(),
                reason: format!(
                    "a new dependency on stack {}: this program reads its outputs, and its groups take in this dataset's groups",
                    real_name(&new, now)
                ),
            });
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

fn flag_replacement(old: &Resource, new: &Resource, reviewed: &Reviewed, flags: &mut Vec<Flag>) {
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
fn flag_changes(
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

/// One principal's access on one target.
type GrantKey = (String, PrincipalKind, String, ResourceKind);

/// What one principal holds on one target: the strongest access, what the grants
/// allow together, the roles, and the resource of the strongest grant.
type Held = (Access, Capabilities, BTreeSet<String>, String);

/// Every grant of a plan, strongest access per principal and target, with what the
/// grants allow together, the roles and the resources that grant it.
fn grants(reviewed: &Reviewed) -> BTreeMap<GrantKey, Held> {
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

/// The principal kind of a referenced resource's kind.
pub fn principal_kind(kind: Option<ResourceKind>) -> Option<PrincipalKind> {
    match kind? {
        ResourceKind::Group => Some(PrincipalKind::Group),
        ResourceKind::MachineAccount => Some(PrincipalKind::MachineAccount),
        _ => None,
    }
}

fn describe_grant(key: &GrantKey, access: Access, roles: &BTreeSet<String>) -> String {
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

fn flag_grants(old: &Reviewed, new: &Reviewed, flags: &mut Vec<Flag>) {
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

/// The property and option paths that differ between two versions of a resource.
fn changes(old: &Resource, new: &Resource, a: &Reviewed, b: &Reviewed) -> Vec<PathChange> {
    let mut out = Vec::new();
    if old.type_token != new.type_token {
        out.push(PathChange {
            path: "type".to_owned(),
            old: Some(old.type_token.to_string()),
            new: Some(format!("{} (an alias keeps the URN)", new.type_token)),
        });
    }
    let keys: BTreeSet<&str> = old
        .properties
        .keys()
        .chain(new.properties.keys())
        .copied()
        .collect();
    for key in keys {
        values(
            key.to_owned(),
            old.properties.get(key),
            new.properties.get(key),
            a,
            b,
            &mut out,
        );
    }
    let mut option = |path: &str, before: String, after: String, unset: &str| {
        if before != after {
            out.push(PathChange {
                path: format!("options.{path}"),
                old: (before != unset).then_some(before),
                new: (after != unset).then_some(after),
            });
        }
    };
    let (o, n) = (&old.options, &new.options);
    option("protect", o.protect.to_string(), n.protect.to_string(), "");
    option(
        "retainOnDelete",
        o.retain_on_delete.to_string(),
        n.retain_on_delete.to_string(),
        "",
    );
    let sorted = |items: &[String]| {
        let mut items = items.to_vec();
        items.sort();
        items.join(", ")
    };
    option(
        "dependsOn",
        sorted(&o.depends_on),
        sorted(&n.depends_on),
        "",
    );
    option(
        "ignoreChanges",
        sorted(&o.ignore_changes),
        sorted(&n.ignore_changes),
        "",
    );
    let aliases = |a: &[Alias]| {
        a.iter()
            .map(|Alias::Type(t)| t.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    option("aliases", aliases(&o.aliases), aliases(&n.aliases), "");
    option(
        "import",
        o.import.clone().unwrap_or_default(),
        n.import.clone().unwrap_or_default(),
        "",
    );
    option(
        "get.id",
        old.existing
            .as_ref()
            .map(|e| e.id.clone())
            .unwrap_or_default(),
        new.existing
            .as_ref()
            .map(|e| e.id.clone())
            .unwrap_or_default(),
        "",
    );
    out
}

/// The differences between two values at `path`, into `out` (objects key by key,
/// lists item by item; secrets never shown).
fn values(
    path: String,
    old: Option<&Value>,
    new: Option<&Value>,
    a: &Reviewed,
    b: &Reviewed,
    out: &mut Vec<PathChange>,
) {
    match (old, new) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: BTreeSet<&str> = x.keys().chain(y.keys()).map(|k| &**k).collect();
            for key in keys {
                values(format!("{path}.{key}"), x.get(key), y.get(key), a, b, out);
            }
        }
        (Some(Value::List(x)), Some(Value::List(y))) => {
            for i in 0..x.len().max(y.len()) {
                values(format!("{path}[{i}]"), x.get(i), y.get(i), a, b, out);
            }
        }
        (x, y) if x == y => {}
        (x, y) => {
            let old = x.map(|v| a.readable(v));
            let mut new = y.map(|v| b.readable(v));
            // Two different secrets read the same when masked: say that it changed.
            if old.is_some() && old == new {
                new = new.map(|n| format!("{n} (changed)"));
            }
            out.push(PathChange { path, old, new });
        }
    }
}
