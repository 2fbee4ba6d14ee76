//! What the Pulumi engine will do to each resource of a dataset when the base
//! configuration is what is deployed: create, import, update, replace or delete, each
//! with its reason, and whether the step is blocked (the update would fail). Resources
//! the engine only reads (`get:` resources, stack references) take no step.
//!
//! The prediction rests on the engine's own rules (a new URN is created, a URN gone is
//! deleted, an alias keeps the URN, a change of an ignored property or of options only
//! is no step, a protected resource is never deleted or replaced) and on the provider
//! facts of each type ([`provider_facts`]): which properties replace the resource,
//! which values the provider compares loosely, and which deletes fail while storage
//! holds objects. It does not know the live cloud: a create of something that already
//! exists outside the state, or drift, is beyond it.
//!
//! `diff`, `plan --base` and `deploy --base` all take their steps from here, and `diff`'s
//! and `plan`'s reports render them with [`engine_line`], [`steps_text`] and [`json`].

use cpg_infra_abstraction::provider_facts::{self, TypeFacts};
use cpg_infra_abstraction::{Plan, Resource, STACK_REFERENCE, Value};

use super::diff::{DatasetDiff, Flag, FlagKind, PathChange};

/// What the engine does to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    /// A new resource is created.
    Create,
    /// An existing cloud resource is adopted (`options.import`).
    Import,
    /// The provider updates the resource in place.
    Update,
    /// The resource is deleted and created again.
    Replace,
    /// The resource is deleted.
    Delete,
}

impl Operation {
    /// The operation's name (`create`, ...), as `pulumi preview --json` names its steps.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Import => "import",
            Self::Update => "update",
            Self::Replace => "replace",
            Self::Delete => "delete",
        }
    }
}

/// The predicted step of one resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Prediction {
    /// Logical name.
    pub name: String,
    /// Type token (of the current plan; of the base for a delete).
    pub type_token: String,
    /// What the engine does.
    pub operation: Operation,
    /// Why, in words.
    pub reason: String,
    /// Why `pulumi up` would fail at this step, when it would.
    pub blocked: Option<String>,
}

/// The predicted steps of a dataset whose diff is `diff` (between `base` and `current`).
pub fn predict(base: Option<&Plan>, current: Option<&Plan>, diff: &DatasetDiff) -> Vec<Prediction> {
    let get = |plan: Option<&Plan>, name: &str| plan.and_then(|p| p.get(name)).cloned();
    let mut out = Vec::new();
    for entry in &diff.added {
        if let Some(resource) = get(current, &entry.name) {
            out.extend(created(&resource, "it is new"));
        }
    }
    for entry in &diff.removed {
        if let Some(resource) = get(base, &entry.name) {
            out.extend(deleted(&resource, "it is no longer planned"));
        }
    }
    for replaced in &diff.replaced {
        let (Some(old), Some(new)) = (
            get(base, &replaced.old.name),
            get(current, &replaced.new.name),
        ) else {
            continue;
        };
        let why = format!("its URN changes (was {} {})", old.type_token, old.name);
        out.extend(created(&new, &why));
        out.extend(deleted(&old, "its URN changes (the new one is created)"));
    }
    for changed in &diff.changed {
        if let (Some(old), Some(new)) = (get(base, &changed.name), get(current, &changed.name)) {
            out.extend(updated(&old, &new, &changed.paths));
        }
    }
    out.sort();
    out
}

/// A `blocked` flag for each blocked step.
pub fn blocked_flags(predictions: &[Prediction]) -> Vec<Flag> {
    predictions
        .iter()
        .filter_map(|p| {
            p.blocked.as_ref().map(|why| Flag {
                kind: FlagKind::Blocked,
                resource: p.name.clone(),
                reason: format!("{} of the {}: {why}", p.operation.as_str(), p.type_token),
            })
        })
        .collect()
}

/// The steps in words: `engine: 1 create, 2 update, 1 blocked` (`engine: no step`).
pub fn engine_line(predicted: &[Prediction]) -> String {
    let ops = [
        Operation::Create,
        Operation::Import,
        Operation::Update,
        Operation::Replace,
        Operation::Delete,
    ];
    let mut parts: Vec<String> = ops
        .iter()
        .filter_map(|op| {
            let n = predicted.iter().filter(|p| p.operation == *op).count();
            (n > 0).then(|| format!("{n} {}", op.as_str()))
        })
        .collect();
    if parts.is_empty() {
        parts.push("no step".to_owned());
    }
    let blocked = predicted.iter().filter(|p| p.blocked.is_some()).count();
    if blocked > 0 {
        parts.push(format!("{blocked} blocked"));
    }
    format!("engine: {}", parts.join(", "))
}

/// One line per step, indented by `indent`: `delete gcp:storage/bucket:Bucket egi-x: it is
/// no longer planned`, a blocked one followed by `  ! blocked: <why>`.
pub fn steps_text(predicted: &[Prediction], indent: &str) -> String {
    let mut out = String::new();
    for p in predicted {
        out.push_str(&format!(
            "{indent}{} {} {}: {}\n",
            p.operation.as_str(),
            p.type_token,
            p.name,
            p.reason
        ));
        if let Some(why) = &p.blocked {
            out.push_str(&format!("{indent}  ! blocked: {why}\n"));
        }
    }
    out
}

/// The steps as JSON: `[{"name", "type", "operation", "reason", "blocked"}]` (`blocked`:
/// null, or why `pulumi up` would fail).
pub fn json(predicted: &[Prediction]) -> serde_json::Value {
    predicted
        .iter()
        .map(|p| {
            serde_json::json!({
                "name": p.name, "type": p.type_token, "operation": p.operation.as_str(),
                "reason": p.reason, "blocked": p.blocked,
            })
        })
        .collect()
}

/// The blocked steps of `diffs`, one line each (`blocked <dataset> <resource>: ...`);
/// empty when none is blocked.
pub fn blocked_report(diffs: &[DatasetDiff]) -> String {
    let mut out = String::new();
    for d in diffs {
        for p in d.predicted.iter().filter(|p| p.blocked.is_some()) {
            out.push_str(&format!(
                "blocked {} {}: {} of the {} ({}): {}\n",
                d.dataset,
                p.name,
                p.operation.as_str(),
                p.type_token,
                p.reason,
                p.blocked.as_deref().unwrap_or_default()
            ));
        }
    }
    out
}

fn prediction(resource: &Resource, operation: Operation, reason: String) -> Prediction {
    Prediction {
        name: resource.name.clone(),
        type_token: resource.type_token.to_string(),
        operation,
        reason,
        blocked: None,
    }
}

/// Whether the engine only reads the resource (a `get:` resource, a stack reference):
/// no cloud step is made for it.
fn read_only(resource: &Resource) -> bool {
    resource.existing.is_some() || resource.type_token == STACK_REFERENCE
}

fn created(resource: &Resource, why: &str) -> Option<Prediction> {
    if read_only(resource) {
        return None;
    }
    Some(match &resource.options.import {
        Some(id) => prediction(
            resource,
            Operation::Import,
            format!(
                "{why}: adopts {id}, and the import's update sets every input the live resource has differently to the program's value: {}",
                resource
                    .properties
                    .keys()
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        None => prediction(resource, Operation::Create, why.to_owned()),
    })
}

fn deleted(resource: &Resource, why: &str) -> Option<Prediction> {
    if read_only(resource) {
        return None;
    }
    let mut p = prediction(resource, Operation::Delete, why.to_owned());
    if resource.options.retain_on_delete {
        p.reason
            .push_str(" (retainOnDelete: it stays in the cloud)");
        return Some(p);
    }
    p.blocked = delete_blocker(resource, "delete");
    Some(p)
}

/// Why deleting `old` (for a delete or a replacement) fails, if it does.
fn delete_blocker(old: &Resource, what: &str) -> Option<String> {
    if old.options.protect {
        return Some(format!(
            "it is protected: the engine refuses to {what} it (remove `protect` in a deployment of its own first)"
        ));
    }
    let facts = provider_facts::facts_of(&old.type_token)?;
    let contents = facts.delete_with_contents.as_ref().filter(|d| d.fails)?;
    let opted_in = contents
        .opt_in
        .as_deref()
        .is_some_and(|key| matches!(old.properties.get(key), Some(Value::Bool(true))));
    if opted_in {
        return None;
    }
    Some(format!(
        "the provider deletes it only when it is empty ({}): `pulumi up` fails if it holds objects",
        contents
            .opt_in
            .as_deref()
            .map_or_else(|| "no opt-in".to_owned(), |key| format!("{key} is not set"))
    ))
}

/// Whether a changed path is no change to the engine: an option (options are applied
/// without a provider step), an ignored property, or a value the provider compares loosely.
fn no_step(change: &PathChange, new: &Resource, facts: Option<&TypeFacts>) -> bool {
    if change.path.starts_with("options.") || change.path == "type" {
        return true;
    }
    let top = change.path.split(['.', '[']).next().unwrap_or_default();
    if new
        .options
        .ignore_changes
        .iter()
        .any(|ignored| ignored == top || change.path.starts_with(&format!("{ignored}.")))
    {
        return true;
    }
    match (facts, &change.old, &change.new) {
        (Some(f), Some(old), Some(new)) => f.equivalent(&change.path, old, new),
        _ => false,
    }
}

fn updated(old: &Resource, new: &Resource, paths: &[PathChange]) -> Option<Prediction> {
    if read_only(new) {
        return None;
    }
    let facts = provider_facts::facts_of(&new.type_token);
    let steps: Vec<&PathChange> = paths.iter().filter(|c| !no_step(c, new, facts)).collect();
    if steps.is_empty() {
        return None;
    }
    let replacing: Vec<&str> = steps
        .iter()
        .filter(|c| facts.is_some_and(|f| f.replacing(&c.path).is_some()))
        .map(|c| c.path.as_str())
        .collect();
    let changed: Vec<&str> = steps.iter().map(|c| c.path.as_str()).collect();
    if replacing.is_empty() {
        let only_opt_in = facts
            .and_then(crate::take_over::take_over_opt_in)
            .is_some_and(|key| changed.iter().all(|path| *path == key));
        let reason = if only_opt_in {
            format!(
                "{} changes (`take_over`): the provider's opt-in for a create of an existing resource; the update changes only Pulumi's state, nothing in the cloud",
                changed.join(", ")
            )
        } else {
            format!("{} changes", changed.join(", "))
        };
        return Some(prediction(new, Operation::Update, reason));
    }
    let mut p = prediction(
        new,
        Operation::Replace,
        format!(
            "{} changes, which the provider cannot change in place",
            replacing.join(", ")
        ),
    );
    if new.options.delete_before_replace {
        p.reason
            .push_str(" (deleteBeforeReplace: the old one is deleted first)");
    }
    p.blocked = delete_blocker(old, "replace").or_else(|| {
        facts
            .and_then(|f| f.delete_before_replace.as_deref())
            .filter(|_| !new.options.delete_before_replace)
            .map(|why| {
                format!("{why}: the engine creates the replacement before deleting the old one, so the create fails (the resource needs deleteBeforeReplace)")
            })
    });
    Some(p)
}
