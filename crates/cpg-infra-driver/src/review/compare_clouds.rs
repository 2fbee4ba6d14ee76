//! `access --compare-clouds`: for a dataset on several clouds, every grant whose
//! access differs between its first cloud (the base, GCP for the example's
//! gamma-bridge) and another: stronger, weaker, missing or only on the other
//! cloud, with the reason the plan gives (the plugin's diagnostic for that grant,
//! or the two roles).

use std::collections::BTreeMap;

use cpg_infra_abstraction::Plan;
use cpg_infra_abstraction::render::text::count;
use cpg_infra_abstraction::review::review;

use super::access::{Row, rows};
use super::table;

/// The columns of the comparison.
pub const HEADER: [&str; 11] = [
    "dataset",
    "grant",
    "principal",
    "base_cloud",
    "base_access",
    "base_role",
    "cloud",
    "access",
    "role",
    "difference",
    "reason",
];

/// One grant whose access differs between two clouds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The dataset.
    pub dataset: String,
    /// The blueprint's key of the grant (the same on every cloud).
    pub grant: String,
    /// The principal, as the base cloud names it (else the other cloud).
    pub principal: String,
    /// The base cloud.
    pub base_cloud: String,
    /// Access and role on the base cloud (empty when missing there).
    pub base: Option<(String, String)>,
    /// The other cloud.
    pub cloud: String,
    /// Access and role on the other cloud (empty when missing there).
    pub other: Option<(String, String)>,
    /// `stronger`, `weaker`, `missing` or `only here` (on the other cloud).
    pub difference: &'static str,
    /// Why, from the plan's diagnostics for the grant or the two roles.
    pub reason: String,
}

/// Every difference of one plan (nothing for a plan on one cloud).
pub fn differences(plan: &Plan) -> Vec<Difference> {
    let [base_cloud, others @ ..] = plan.clouds.as_slice() else {
        return Vec::new();
    };
    // The blueprint key of each granting resource.
    let key_of: BTreeMap<&str, String> = plan
        .resources
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                review(r).key.unwrap_or_else(|| r.name.clone()),
            )
        })
        .collect();
    let mut by_cloud: BTreeMap<(&str, String), Vec<Row>> = BTreeMap::new();
    let all = rows(plan, false);
    for row in &all {
        let key = key_of.get(row.via.as_str()).cloned().unwrap_or_default();
        by_cloud
            .entry((row.cloud.as_str(), key))
            .or_default()
            .push(row.clone());
    }
    let strongest = |rows: &[Row]| {
        rows.iter()
            .max_by_key(|r| r.access)
            .map(|r| (r.access, r.role.clone(), r.principal.clone()))
    };
    let diagnostics = |cloud: &str, key: &str| {
        plan.diagnostics
            .iter()
            .filter(|d| d.cloud == cloud && d.subject == key)
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = Vec::new();
    for cloud in others {
        let keys: std::collections::BTreeSet<&String> = by_cloud
            .keys()
            .filter(|(c, _)| c == base_cloud || c == cloud)
            .map(|(_, k)| k)
            .collect();
        for key in keys {
            let base = by_cloud
                .get(&(base_cloud.as_str(), key.clone()))
                .and_then(|r| strongest(r));
            let other = by_cloud
                .get(&(cloud.as_str(), key.clone()))
                .and_then(|r| strongest(r));
            let (difference, principal) = match (&base, &other) {
                (Some(b), Some(o)) if o.0 > b.0 => ("stronger", b.2.clone()),
                (Some(b), Some(o)) if o.0 < b.0 => ("weaker", b.2.clone()),
                (Some(_), Some(_)) => continue,
                (Some(b), None) => ("missing", b.2.clone()),
                (None, Some(o)) => ("only here", o.2.clone()),
                (None, None) => continue,
            };
            let said = diagnostics(cloud, key);
            let reason = if !said.is_empty() {
                said
            } else {
                match (&base, &other) {
                    (Some(b), Some(o)) => format!(
                        "{cloud} grants {} ({}) where {base_cloud} grants {} ({})",
                        o.1,
                        o.0.as_str(),
                        b.1,
                        b.0.as_str()
                    ),
                    (Some(_), None) => {
                        format!("{cloud} has no grant for this key and says nothing about it")
                    }
                    _ => format!("{cloud} adds this grant ({base_cloud} has none)"),
                }
            };
            out.push(Difference {
                dataset: plan.dataset.clone(),
                grant: key.clone(),
                principal,
                base_cloud: base_cloud.clone(),
                base: base.map(|(a, r, _)| (a.as_str().to_owned(), r)),
                cloud: cloud.clone(),
                other: other.map(|(a, r, _)| (a.as_str().to_owned(), r)),
                difference,
                reason,
            });
        }
    }
    out
}

fn cells(d: &Difference) -> Vec<String> {
    let (base_access, base_role) = d.base.clone().unwrap_or_default();
    let (access, role) = d.other.clone().unwrap_or_default();
    vec![
        d.dataset.clone(),
        d.grant.clone(),
        d.principal.clone(),
        d.base_cloud.clone(),
        base_access,
        base_role,
        d.cloud.clone(),
        access,
        role,
        d.difference.to_owned(),
        d.reason.clone(),
    ]
}

/// The comparison in `format` (`text`, `csv`, `json`, `md`).
pub fn render(differences: &[Difference], format: &str) -> String {
    let rows: Vec<Vec<String>> = differences.iter().map(cells).collect();
    match format {
        "csv" => table::csv(&HEADER, &rows),
        "json" => format!(
            "{}\n",
            serde_json::to_string_pretty(&table::json(&HEADER, &rows)).unwrap_or_default()
        ),
        "md" => table::markdown(&HEADER, &rows),
        _ => table::text(&HEADER, &rows, &count(rows.len(), "difference")),
    }
}
