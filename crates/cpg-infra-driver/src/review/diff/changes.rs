//! The property and option paths that differ between two versions of a resource,
//! shown readable (references by real name, secrets masked).

use std::collections::BTreeSet;

use cpg_infra_abstraction::{Alias, Resource, Value};

use super::PathChange;
use crate::review::names::Reviewed;

/// The property and option paths that differ between two versions of a resource.
pub(super) fn changes(
    old: &Resource,
    new: &Resource,
    a: &Reviewed,
    b: &Reviewed,
) -> Vec<PathChange> {
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
    option(
        "deleteBeforeReplace",
        o.delete_before_replace.to_string(),
        n.delete_before_replace.to_string(),
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
pub(super) fn values(
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
