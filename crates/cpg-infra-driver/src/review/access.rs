//! Who can do what: one row per grant of a plan (principal, access level, the
//! cloud's role, the resource by its real name, and the program resource that
//! grants it), optionally expanded through the group memberships the plan itself
//! creates (`--effective`), in text, CSV, JSON or Markdown.

use std::collections::BTreeSet;
use std::fmt::Write;

use cpg_infra_abstraction::{Access, Plan, PrincipalKind, ResourceKind, cloud_of_type};
use serde_json::{Value as Json, json};

use super::diff::principal_kind;
use super::names::Reviewed;

/// One grant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// The dataset.
    pub dataset: String,
    /// The cloud of the granting resource.
    pub cloud: String,
    /// Who: a group's name or e-mail, a machine account, a user, an external id.
    pub principal: String,
    /// What the principal is.
    pub principal_kind: PrincipalKind,
    /// The access level.
    pub access: Access,
    /// The cloud's role.
    pub role: String,
    /// On what, by its real name.
    pub resource: String,
    /// What the resource is.
    pub resource_kind: ResourceKind,
    /// The program resource that grants it, and the groups it goes through (`--effective`).
    pub via: String,
}

/// Every grant of `plan`; with `effective`, also each member of a group (as the plan
/// makes them members, transitively) for every grant to that group.
pub fn rows(plan: &Plan, effective: bool) -> Vec<Row> {
    let reviewed = Reviewed::new(plan);
    let mut direct = Vec::new();
    for resource in &plan.resources {
        if resource.existing.is_some() {
            continue;
        }
        let cloud = cloud_of_type(&resource.type_token).map_or("", |c| c.name);
        for grant in reviewed.review(&resource.name).grants {
            direct.push(Row {
                dataset: plan.dataset.clone(),
                cloud: cloud.to_owned(),
                principal: reviewed.readable(&grant.principal),
                principal_kind: grant
                    .principal_kind
                    .or_else(|| principal_kind(reviewed.kind_of(&grant.principal)))
                    .unwrap_or(PrincipalKind::External),
                access: grant.access,
                role: grant.role,
                resource: reviewed.readable(&grant.target),
                resource_kind: grant
                    .target_kind
                    .or_else(|| reviewed.kind_of(&grant.target))
                    .unwrap_or(ResourceKind::Other),
                via: resource.name.clone(),
            });
        }
    }
    let mut all: BTreeSet<Row> = direct.iter().cloned().collect();
    if effective {
        let memberships: Vec<&Row> = direct
            .iter()
            .filter(|r| r.access == Access::Member)
            .collect();
        for row in &direct {
            if row.principal_kind != PrincipalKind::Group {
                continue;
            }
            // Members of the row's group, through any depth of groups (each once).
            let mut stack = vec![(row.principal.clone(), row.cloud.clone(), String::new())];
            let mut seen = BTreeSet::new();
            while let Some((group, cloud, path)) = stack.pop() {
                if !seen.insert((group.clone(), cloud.clone())) {
                    continue;
                }
                for member in memberships
                    .iter()
                    .filter(|m| m.resource == group && m.cloud == cloud)
                {
                    let path = format!("{path} through {group}");
                    all.insert(Row {
                        principal: member.principal.clone(),
                        principal_kind: member.principal_kind,
                        via: format!("{}{path}", row.via),
                        ..row.clone()
                    });
                    if member.principal_kind == PrincipalKind::Group {
                        stack.push((member.principal.clone(), cloud.clone(), path));
                    }
                }
            }
        }
    }
    all.into_iter().collect()
}

/// Keeps the rows whose principal contains `text` (case-insensitive).
pub fn filter_principal(rows: Vec<Row>, text: &str) -> Vec<Row> {
    let text = text.to_lowercase();
    rows.into_iter()
        .filter(|r| r.principal.to_lowercase().contains(&text))
        .collect()
}

const HEADER: [&str; 9] = [
    "dataset",
    "cloud",
    "principal",
    "principal_kind",
    "access",
    "role",
    "resource",
    "resource_kind",
    "via",
];

fn cells(row: &Row) -> [&str; 9] {
    [
        &row.dataset,
        &row.cloud,
        &row.principal,
        row.principal_kind.as_str(),
        row.access.as_str(),
        &row.role,
        &row.resource,
        row.resource_kind.as_str(),
        &row.via,
    ]
}

/// An aligned text table (with a closing count).
pub fn text(rows: &[Row]) -> String {
    let mut widths = HEADER.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(cells(row)) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 9]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<w$}  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(HEADER);
    for row in rows {
        line(cells(row));
    }
    let _ = writeln!(
        out,
        "{}",
        cpg_infra_abstraction::render::text::count(rows.len(), "grant")
    );
    out
}

/// CSV (RFC 4180 quoting) with a header line.
pub fn csv(rows: &[Row]) -> String {
    let quote = |cell: &str| {
        if cell.contains([',', '"', '\n']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell.to_owned()
        }
    };
    let mut out = String::new();
    for cells in std::iter::once(HEADER).chain(rows.iter().map(cells)) {
        let line: Vec<String> = cells.iter().map(|c| quote(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// JSON rows.
pub fn json(rows: &[Row]) -> Json {
    Json::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "dataset": r.dataset,
                    "cloud": r.cloud,
                    "principal": r.principal,
                    "principal_kind": r.principal_kind.as_str(),
                    "access": r.access.as_str(),
                    "role": r.role,
                    "resource": r.resource,
                    "resource_kind": r.resource_kind.as_str(),
                    "via": r.via,
                })
            })
            .collect(),
    )
}

/// A Markdown table.
pub fn markdown(rows: &[Row]) -> String {
    let escape = |cell: &str| {
        cell.replace('|', "\\|")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = format!(
        "| {} |\n|{}\n",
        HEADER.join(" | "),
        " --- |".repeat(HEADER.len())
    );
    for row in rows {
        let line: Vec<String> = cells(row).iter().map(|c| escape(c)).collect();
        let _ = writeln!(out, "| {} |", line.join(" | "));
    }
    out
}
