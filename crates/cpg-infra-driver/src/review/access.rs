//! Who can do what: one row per grant of a plan (principal, access level, the
//! cloud's role, the resource by its real name, and the program resource that
//! grants it), optionally expanded through the group memberships the plan itself
//! creates (`--effective`), in text, CSV, JSON or Markdown.

use std::collections::BTreeSet;

use cpg_infra_abstraction::render::text::count;
use cpg_infra_abstraction::{
    Access, Eligibility, Plan, PrincipalKind, ResourceKind, cloud_of_type,
};
use serde_json::Value as Json;

use super::diff::principal_kind;
use super::names::Reviewed;
use super::table;

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
    /// `Some` when the principal may request the access for a while instead of holding it.
    pub eligible: Option<Eligibility>,
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
                eligible: grant.eligible,
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
                    // Access through a membership one may request is itself requested.
                    all.insert(Row {
                        principal: member.principal.clone(),
                        principal_kind: member.principal_kind,
                        eligible: row.eligible.or(member.eligible),
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

/// The columns of the access matrix.
pub const HEADER: [&str; 9] = [
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

/// The cells of a row, in [`HEADER`] order.
pub fn cells(row: &Row) -> Vec<String> {
    vec![
        row.dataset.clone(),
        row.cloud.clone(),
        row.principal.clone(),
        row.principal_kind.as_str().to_owned(),
        access_cell(row),
        row.role.clone(),
        row.resource.clone(),
        row.resource_kind.as_str().to_owned(),
        row.via.clone(),
    ]
}

/// The access of a row: the level, or for access one may request
/// `eligible: read, up to 24 hours, with justification`.
fn access_cell(row: &Row) -> String {
    let Some(eligible) = row.eligible else {
        return row.access.as_str().to_owned();
    };
    let mut cell = format!("eligible: {}", row.access.as_str());
    match eligible.max_hours {
        Some(1) => cell.push_str(", up to 1 hour"),
        Some(hours) => cell.push_str(&format!(", up to {hours} hours")),
        None => cell.push_str(", for as long as the group's policy allows"),
    }
    if eligible.justification {
        cell.push_str(", with justification");
    }
    cell
}

fn all_cells(rows: &[Row]) -> Vec<Vec<String>> {
    rows.iter().map(cells).collect()
}

/// An aligned text table (with a closing count).
pub fn text(rows: &[Row]) -> String {
    table::text(&HEADER, &all_cells(rows), &count(rows.len(), "grant"))
}

/// CSV with a header line.
pub fn csv(rows: &[Row]) -> String {
    table::csv(&HEADER, &all_cells(rows))
}

/// JSON rows.
pub fn json(rows: &[Row]) -> Json {
    table::json(&HEADER, &all_cells(rows))
}

/// A Markdown table.
pub fn markdown(rows: &[Row]) -> String {
    table::markdown(&HEADER, &all_cells(rows))
}
