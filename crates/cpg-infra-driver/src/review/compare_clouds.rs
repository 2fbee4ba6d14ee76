//! `access --compare-clouds`: for a dataset on several clouds, every grant whose
//! capabilities (seeing and listing aside) differ between its first cloud (the base,
//! GCP for the example's gamma-bridge) and another: stronger, weaker, different,
//! missing or only on the other cloud, with each side's role and capabilities and the
//! reason the plan gives (the plugin's diagnostic for that grant, the design's intent
//! allowance that covers the difference, or the two roles).

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::render::text::count;
use cpg_infra_abstraction::review::review;
use cpg_infra_abstraction::{Capabilities, Capability, Plan};

use super::access::{Row, rows};
use super::table;

/// The columns of the comparison.
pub const HEADER: [&str; 13] = [
    "dataset",
    "grant",
    "principal",
    "base_cloud",
    "base_access",
    "base_role",
    "base_capabilities",
    "cloud",
    "access",
    "role",
    "capabilities",
    "difference",
    "reason",
];

/// One side of a compared grant: access, role and capabilities.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Side {
    /// The access level.
    pub access: String,
    /// The cloud's role.
    pub role: String,
    /// What the role allows.
    pub capabilities: String,
}

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
    /// Access, role and capabilities on the base cloud (empty when missing there).
    pub base: Option<Side>,
    /// The other cloud.
    pub cloud: String,
    /// Access, role and capabilities on the other cloud (empty when missing there).
    pub other: Option<Side>,
    /// `stronger`, `weaker`, `different`, `missing` or `only here` (on the other cloud).
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
    // The strongest row of a key, and what all its rows allow together.
    let summed = |rows: &[Row]| {
        let strongest = rows.iter().max_by_key(|r| r.access)?;
        let capabilities = rows
            .iter()
            .fold(Capabilities::NONE, |all, r| all.union(r.capabilities));
        Some((strongest.clone(), capabilities))
    };
    let seeing = Capabilities::of(&[Capability::List, Capability::View]);
    let diagnostics = |cloud: &str, key: &str| {
        plan.diagnostics
            .iter()
            .filter(|d| d.cloud == cloud && d.subject == key)
            .map(|d| d.message.clone())
            .chain(plan.absence(cloud, key).map(str::to_owned))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let side = |(row, capabilities): &(Row, Capabilities)| Side {
        access: row.access.as_str().to_owned(),
        role: row.role.clone(),
        capabilities: capabilities.to_string(),
    };
    let mut out = Vec::new();
    for cloud in others {
        let keys: BTreeSet<&String> = by_cloud
            .keys()
            .filter(|(c, _)| c == base_cloud || c == cloud)
            .map(|(_, k)| k)
            .collect();
        for key in keys {
            let base = by_cloud
                .get(&(base_cloud.as_str(), key.clone()))
                .and_then(|r| summed(r));
            let other = by_cloud
                .get(&(cloud.as_str(), key.clone()))
                .and_then(|r| summed(r));
            let (difference, principal) = match (&base, &other) {
                (Some((b, bc)), Some((o, oc))) => {
                    if bc.minus(seeing) == oc.minus(seeing) {
                        continue;
                    }
                    let word = match o.access.cmp(&b.access) {
                        std::cmp::Ordering::Greater => "stronger",
                        std::cmp::Ordering::Less => "weaker",
                        std::cmp::Ordering::Equal => "different",
                    };
                    (word, b.principal.clone())
                }
                (Some((b, _)), None) => ("missing", b.principal.clone()),
                (None, Some((o, _))) => ("only here", o.principal.clone()),
                (None, None) => continue,
            };
            let said = [diagnostics(cloud, key), diagnostics(base_cloud, key)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let reason = if !said.is_empty() {
                said
            } else {
                match (&base, &other) {
                    (Some((b, bc)), Some((o, oc))) => {
                        let differ = bc.minus(*oc).union(oc.minus(*bc)).minus(seeing);
                        match plan
                            .intent(&b.grant)
                            .and_then(|i| i.allowance.map(|a| (i, a)))
                        {
                            Some((intent, (more, why))) if differ.minus(more).is_empty() => {
                                format!(
                                    "the design's intent allows {more} beyond {}: {why}",
                                    intent.capabilities
                                )
                            }
                            _ => format!(
                                "{cloud} grants {} ({}) where {base_cloud} grants {} ({})",
                                o.role, oc, b.role, bc
                            ),
                        }
                    }
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
                base: base.as_ref().map(side),
                cloud: cloud.clone(),
                other: other.as_ref().map(side),
                difference,
                reason,
            });
        }
    }
    out
}

fn cells(d: &Difference) -> Vec<String> {
    let empty = || Side {
        access: String::new(),
        role: String::new(),
        capabilities: String::new(),
    };
    let base = d.base.clone().unwrap_or_else(empty);
    let other = d.other.clone().unwrap_or_else(empty);
    vec![
        d.dataset.clone(),
        d.grant.clone(),
        d.principal.clone(),
        d.base_cloud.clone(),
        base.access,
        base.role,
        base.capabilities,
        d.cloud.clone(),
        other.access,
        other.role,
        other.capabilities,
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
