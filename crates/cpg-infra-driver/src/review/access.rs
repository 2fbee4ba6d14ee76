//! Who can do what: one row per grant of a plan (principal, access level, the
//! cloud's role, the capabilities its permission facts give, the resource by its real
//! name, and the program resource that grants it), optionally expanded through the
//! group memberships the plans create (`--effective`: across datasets too, a
//! dependant's groups inside a dependency's groups, matched through the dependency's
//! stack outputs), in text, CSV, JSON or Markdown.

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::render::text::count;
use cpg_infra_abstraction::{
    Access, Capabilities, Capability, Eligibility, Plan, PrincipalKind, ResourceKind, cloud_of_type,
};
use serde_json::Value as Json;

use super::names::Reviewed;
use super::names::principal_kind;
use super::table;
use crate::error::DriverError;
use crate::workspace::Workspace;

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
    /// What the role allows (from its permission facts; every capability without).
    pub capabilities: Capabilities,
    /// Whether the role has permission facts.
    pub has_facts: bool,
    /// What the design's intent for the granting resource accepts beyond its
    /// capabilities (the reference's allowances, [`cpg_infra_abstraction::Intent`]).
    pub allowance: Capabilities,
    /// Why the design accepts `allowance`, when it does.
    pub allowance_reason: Option<&'static str>,
    /// Why no person may hold the grant, when the design says so
    /// ([`cpg_infra_abstraction::Intent::machines_only`]).
    pub machines_only: Option<&'static str>,
    /// On what, by its real name.
    pub resource: String,
    /// What the resource is.
    pub resource_kind: ResourceKind,
    /// The program resource that grants it, and the groups it goes through (`--effective`).
    pub via: String,
    /// The logical name of the program resource that grants it (in `dataset`'s plan).
    pub grant: String,
}

/// The access matrix of the selected datasets of `workspace`: every configured dataset
/// is planned (on the forced clouds, else its own), since its stack outputs name the groups other
/// datasets join and, with `effective`, its memberships count (a dependant's groups
/// join a selected dataset's groups; one that does not plan is left out with a
/// warning); only the selected datasets' grants are kept.
pub fn matrix(workspace: &Workspace, effective: bool) -> Result<Vec<Row>, DriverError> {
    let (all, selected) = (&workspace.inputs.datasets, &workspace.selected);
    let shown: BTreeSet<&str> = selected.iter().map(|d| d.dataset.as_str()).collect();
    let mut rows = Vec::new();
    let mut exported = BTreeMap::new();
    for dataset in all {
        let kept = shown.contains(dataset.dataset.as_str());
        let plan = match workspace.plan(dataset) {
            Ok(plan) => plan,
            Err(error) if kept => return Err(error),
            // Another dataset that does not plan (here, on these clouds) adds no members.
            Err(error) => {
                tracing::warn!(
                    "access: the memberships of {} are left out: {error}",
                    dataset.dataset
                );
                continue;
            }
        };
        exported.extend(exported_names(&plan));
        rows.extend(
            direct_rows(&plan)
                .into_iter()
                .filter(|row| kept || row.access == Access::Member),
        );
    }
    let mut rows = resolve_exports(rows, &exported);
    if effective {
        rows = expand(rows);
    }
    rows.retain(|row| shown.contains(row.dataset.as_str()));
    Ok(rows)
}

/// Every grant of `plan`; with `effective`, also each member of a group (as the plan
/// makes them members, transitively) for every grant to that group.
pub fn rows(plan: &Plan, effective: bool) -> Vec<Row> {
    let direct = direct_rows(plan);
    if effective { expand(direct) } else { direct }
}

/// Every grant of `plan`, a group membership as a grant of membership; a principal or
/// target that is another dataset's stack output is shown as `stack/output`.
pub fn direct_rows(plan: &Plan) -> Vec<Row> {
    let reviewed = Reviewed::new(plan);
    let mut direct = BTreeSet::new();
    for resource in &plan.resources {
        if resource.existing.is_some() {
            continue;
        }
        let cloud = cloud_of_type(&resource.type_token).map_or("", |c| c.name);
        // What the design knowingly allows beyond the intent, and why, and whether a
        // person may hold it (once per resource).
        let intent = plan.intent(&resource.name);
        let allowance = intent.and_then(|intent| intent.allowance);
        let machines_only = intent.and_then(|intent| intent.machines_only);
        for grant in reviewed.review(&resource.name).grants {
            let resource_kind = grant
                .target_kind
                .or_else(|| reviewed.kind_of(&grant.target))
                .unwrap_or(ResourceKind::Other);
            direct.insert(Row {
                dataset: plan.dataset.clone(),
                cloud: cloud.to_owned(),
                principal: reviewed.readable(&grant.principal),
                principal_kind: grant
                    .principal_kind
                    .or_else(|| principal_kind(reviewed.kind_of(&grant.principal)))
                    .unwrap_or(PrincipalKind::External),
                access: grant.access,
                capabilities: grant.allows().on(resource_kind),
                has_facts: grant.capabilities.is_some(),
                allowance: allowance.map_or(Capabilities::NONE, |(more, _)| more),
                allowance_reason: allowance.map(|(_, why)| why),
                machines_only,
                eligible: grant.eligible,
                role: grant.role,
                resource: reviewed.readable(&grant.target),
                resource_kind,
                via: resource.name.clone(),
                grant: resource.name.clone(),
            });
        }
    }
    direct.into_iter().collect()
}

/// The real name of each stack output of `plan` (`<dataset>/<output>` -> the group's
/// e-mail or name), so that another dataset's reference to it names the same group.
pub fn exported_names(plan: &Plan) -> BTreeMap<String, String> {
    let reviewed = Reviewed::new(plan);
    plan.outputs
        .iter()
        .map(|(key, value)| (format!("{}/{key}", plan.dataset), reviewed.readable(value)))
        .collect()
}

/// `rows` with every `stack/output` principal or resource that `exported` knows (by
/// the stack's last segment, the dataset) replaced by the real name.
pub fn resolve_exports(rows: Vec<Row>, exported: &BTreeMap<String, String>) -> Vec<Row> {
    let resolve = |text: &str| -> Option<String> {
        let (stack, key) = text.rsplit_once('/')?;
        let dataset = stack.rsplit('/').next()?;
        exported.get(&format!("{dataset}/{key}")).cloned()
    };
    rows.into_iter()
        .map(|mut row| {
            if let Some(name) = resolve(&row.principal) {
                row.principal = name;
            }
            if let Some(name) = resolve(&row.resource) {
                row.resource = name;
            }
            row
        })
        .collect()
}

/// `direct` rows (of one or several plans) and, for every grant to a group, each
/// member of the group through any depth of groups (each once), on the same cloud.
pub fn expand(direct: Vec<Row>) -> Vec<Row> {
    let mut all: BTreeSet<Row> = direct.iter().cloned().collect();
    let mut members: BTreeMap<(&str, &str), Vec<&Row>> = BTreeMap::new();
    for row in direct.iter().filter(|r| r.access == Access::Member) {
        members
            .entry((row.resource.as_str(), row.cloud.as_str()))
            .or_default()
            .push(row);
    }
    for row in &direct {
        if row.principal_kind != PrincipalKind::Group {
            continue;
        }
        let mut stack = vec![(row.principal.clone(), String::new())];
        let mut seen = BTreeSet::new();
        while let Some((group, path)) = stack.pop() {
            if !seen.insert(group.clone()) {
                continue;
            }
            let path = format!("{path} through {group}");
            for member in members
                .get(&(group.as_str(), row.cloud.as_str()))
                .into_iter()
                .flatten()
            {
                let via = if member.dataset == row.dataset {
                    format!("{}{path}", row.via)
                } else {
                    format!("{}{path} ({}: {})", row.via, member.dataset, member.via)
                };
                // Access through a membership one may request is itself requested.
                all.insert(Row {
                    principal: member.principal.clone(),
                    principal_kind: member.principal_kind,
                    eligible: row.eligible.or(member.eligible),
                    via,
                    ..row.clone()
                });
                if member.principal_kind == PrincipalKind::Group {
                    stack.push((member.principal.clone(), path.clone()));
                }
            }
        }
    }
    all.into_iter().collect()
}

/// Keeps the rows whose capabilities include `capability`.
pub fn filter_capability(rows: Vec<Row>, capability: Capability) -> Vec<Row> {
    rows.into_iter()
        .filter(|r| r.access != Access::Member && r.capabilities.contains(capability))
        .collect()
}

/// Keeps the rows whose principal contains `text` (case-insensitive).
pub fn filter_principal(rows: Vec<Row>, text: &str) -> Vec<Row> {
    let text = text.to_lowercase();
    rows.into_iter()
        .filter(|r| r.principal.to_lowercase().contains(&text))
        .collect()
}

/// The columns of the access matrix.
pub const HEADER: [&str; 10] = [
    "dataset",
    "cloud",
    "principal",
    "principal_kind",
    "access",
    "role",
    "capabilities",
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
        if row.has_facts {
            row.capabilities.to_string()
        } else {
            "(no permission facts: taken as every capability)".to_owned()
        },
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
