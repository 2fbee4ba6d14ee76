//! `check`'s report: the policies' findings on every selected dataset's plan, the
//! suppressions of `[[infrastructure.check.suppress]]` applied (a suppressed finding
//! stays listed, with the reason), suppressions that match nothing (stale), and the
//! report as text or JSON.

use cpg_infra_abstraction::render::diagnostics::{Unavailable, Warnings};
use cpg_infra_abstraction::render::text::count;
use cpg_infra_config::{InfrastructureConfig, Suppression};
use serde_json::{Value as Json, json};

use std::collections::{BTreeMap, BTreeSet};

use super::access;
use super::check::{Finding, Severity, findings, grant_findings};
use crate::error::DriverError;
use crate::workspace::Workspace;

/// A suppression that matched no finding of a run that could have matched it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// Its position among `[[infrastructure.check.suppress]]` (from 1).
    pub number: usize,
    /// The suppression.
    pub suppression: Suppression,
}

/// The findings of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// How many datasets were checked.
    pub datasets: usize,
    /// Every finding, suppressed ones included, sorted.
    pub findings: Vec<Finding>,
    /// Suppressions that matched nothing.
    pub stale: Vec<Stale>,
    /// The plans' own warnings ("not available" apart), grouped, for `validate`.
    pub plan_warnings: Warnings,
    /// The plans' "not available on `<cloud>`" warnings, each once with its count.
    pub unavailable: Unavailable,
}

/// Plans each selected dataset of `workspace` (on its forced clouds, else its own; one
/// plan at a time) and checks it. A dataset that does not plan is an error, every such
/// problem at once. `complete`: every configured dataset is selected, so a suppression
/// without a dataset can be judged stale; none is with forced clouds.
///
/// A suppression that would be stale and names a resource that no checked plan of its
/// dataset (of any dataset, without one) has is an error at its place in the
/// configuration's origin (the configuration file): it could never suppress anything.
pub fn check(workspace: &Workspace, complete: bool) -> Result<Report, DriverError> {
    let planner = workspace.planner();
    let (config, forced) = (planner.infrastructure, planner.forced);
    let (origin, datasets) = (workspace.inputs.origin.as_str(), &workspace.selected);
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut plan_warnings = Warnings::default();
    let mut unavailable = Unavailable::default();
    // Every planned resource's logical name, per dataset.
    let mut planned: Vec<(&str, Vec<String>)> = Vec::new();
    // Every plan's grants, for `person-admin` through memberships across datasets (a
    // dependant's groups inside a dependency's groups).
    let mut rows = Vec::new();
    let mut exported = BTreeMap::new();
    for dataset in datasets {
        match planner.plan(dataset) {
            Ok(plan) => {
                found.extend(findings(&plan, config));
                plan_warnings.add(&plan);
                unavailable.add(&plan);
                let names = plan.resources.iter().map(|r| r.name.clone()).collect();
                planned.push((dataset.dataset.as_str(), names));
                rows.extend(access::direct_rows(&plan));
                exported.extend(access::exported_names(&plan));
            }
            Err(error) => problems.push(error.to_string()),
        }
    }
    DriverError::all(problems)?;
    let across = access::expand(access::resolve_exports(rows, &exported));
    let known: BTreeSet<(String, String, String)> = found
        .iter()
        .map(|f| (f.dataset.clone(), f.resource.clone(), f.message.clone()))
        .collect();
    found.extend(
        grant_findings(&across).into_iter().filter(|f| {
            !known.contains(&(f.dataset.clone(), f.resource.clone(), f.message.clone()))
        }),
    );
    found.sort();
    found.dedup();
    let suppressions = &config.check.suppress;
    let mut used = vec![false; suppressions.len()];
    for finding in &mut found {
        if let Some(i) = suppressions.iter().position(|s| matches(s, finding)) {
            used[i] = true;
            finding.suppressed = Some(suppressions[i].reason.clone());
        }
    }
    let judged = |s: &Suppression| {
        forced.is_empty()
            && match &s.dataset {
                Some(name) => datasets.iter().any(|d| d.dataset == *name),
                None => complete,
            }
    };
    let stale: Vec<Stale> = suppressions
        .iter()
        .zip(&used)
        .enumerate()
        .filter(|(_, (s, used))| !**used && judged(s))
        .map(|(i, (s, _))| Stale {
            number: i + 1,
            suppression: s.clone(),
        })
        .collect();
    DriverError::all(
        stale
            .iter()
            .filter_map(|s| unknown_resource(s, origin, &planned))
            .collect::<Vec<_>>(),
    )?;
    Ok(Report {
        datasets: datasets.len(),
        findings: found,
        stale,
        plan_warnings,
        unavailable,
    })
}

/// Where a suppression is written: `<origin>:<line>:<column>` when known.
fn place(suppression: &Suppression, origin: &str) -> String {
    match suppression.at {
        Some(at) => format!("{origin}:{}:{}", at.line, at.column),
        None => origin.to_owned(),
    }
}

/// The error for the stale suppression `stale` when its resource is in none of the
/// `planned` resource names of the datasets it covers.
fn unknown_resource(
    stale: &Stale,
    origin: &str,
    planned: &[(&str, Vec<String>)],
) -> Option<String> {
    let s = &stale.suppression;
    let resource = s.resource.as_deref()?;
    let covered: Vec<&Vec<String>> = planned
        .iter()
        .filter(|(dataset, _)| s.dataset.as_ref().is_none_or(|d| d.as_str() == *dataset))
        .map(|(_, names)| names)
        .collect();
    if covered
        .iter()
        .any(|names| names.iter().any(|n| n == resource))
    {
        return None;
    }
    let suggestion = cpg_infra_config::error::did_you_mean(
        resource,
        covered
            .iter()
            .flat_map(|names| names.iter().map(String::as_str)),
        |n| format!("`{n}`"),
    );
    let whose = match &s.dataset {
        Some(dataset) => format!("dataset {dataset}'s plan"),
        None => "any dataset's plan".to_owned(),
    };
    Some(format!(
        "{}: [[infrastructure.check.suppress]] #{}: resource `{resource}` is not in {whose}, so it suppresses nothing{suggestion} (logical names are those `check` and `plan` print); correct or remove it",
        place(s, origin),
        stale.number
    ))
}

/// The suppressions of `config` whose `dataset` is not one of `known` (the configured
/// datasets, those whose files failed to load included), one message each at its place
/// in `origin`: such a suppression suppresses nothing.
pub fn unknown_datasets(
    config: &InfrastructureConfig,
    origin: &str,
    known: &[&cpg_infra_config::DatasetName],
) -> Vec<cpg_infra_config::ConfigError> {
    config
        .check
        .suppress
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let dataset = s.dataset.as_ref()?;
            if known.contains(&dataset) {
                return None;
            }
            let suggestion = cpg_infra_config::error::did_you_mean(
                dataset.as_str(),
                known.iter().map(|k| k.as_str()),
                |k| format!("`{k}`"),
            );
            Some(cpg_infra_config::ConfigError::Syntax {
                origin: origin.to_owned(),
                pos: s.at,
                message: format!(
                    "[[infrastructure.check.suppress]] #{}: dataset `{dataset}` is not a configured dataset, so it suppresses nothing{suggestion}; correct or remove it",
                    i + 1
                ),
            })
        })
        .collect()
}

/// Whether `suppression` accepts `finding`.
fn matches(suppression: &Suppression, finding: &Finding) -> bool {
    suppression.policy.as_str() == finding.policy.id
        && suppression
            .dataset
            .as_ref()
            .is_none_or(|d| d.as_str() == finding.dataset)
        && suppression
            .resource
            .as_ref()
            .is_none_or(|r| *r == finding.resource)
}

impl Report {
    /// Unsuppressed findings of `severity`.
    fn open(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.suppressed.is_none() && f.severity() == severity)
    }

    /// Whether an unsuppressed error was found (the run exits 1).
    pub fn fails(&self) -> bool {
        self.open(Severity::Error).next().is_some()
    }

    /// The unsuppressed findings and the stale suppressions, one line each without a
    /// severity prefix, for `validate`'s stderr: `(severity, line)`.
    pub fn problems(&self) -> Vec<(Severity, String)> {
        let mut lines: Vec<(Severity, String)> = self
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .map(|f| (f.severity(), line(f)))
            .collect();
        lines.extend(
            self.stale
                .iter()
                .map(|s| (Severity::Warning, stale_line(s))),
        );
        lines
    }

    /// The summary: datasets, errors, warnings, suppressed, stale suppressions.
    fn summary(&self) -> String {
        let errors = self.open(Severity::Error).count();
        let warnings = self.open(Severity::Warning).count();
        let suppressed = self
            .findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count();
        format!(
            "{} checked: {}, {}, {suppressed} suppressed, {}\n",
            count(self.datasets, "dataset"),
            count(errors, "error"),
            count(warnings, "warning"),
            count(self.stale.len(), "stale suppression")
        )
    }

    /// One line per finding (`<severity> [<policy>] <dataset> (<cloud>) <resource>:
    /// <message>`; suppressed ones start with `suppressed` and end with the reason),
    /// one per stale suppression, and the summary.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            match &finding.suppressed {
                None => out.push_str(&format!(
                    "{} {}\n",
                    finding.severity().as_str(),
                    line(finding)
                )),
                Some(reason) => out.push_str(&format!(
                    "suppressed {} {} (reason: {reason})\n",
                    finding.severity().as_str(),
                    line(finding)
                )),
            }
        }
        for stale in &self.stale {
            out.push_str(&format!("warning {}\n", stale_line(stale)));
        }
        out.push_str(&self.summary());
        out
    }

    /// `{"findings": [...], "stale_suppressions": [...], "summary": {...}}`.
    pub fn json(&self) -> Json {
        let findings: Vec<Json> = self
            .findings
            .iter()
            .map(|f| {
                json!({
                    "policy": f.policy.id,
                    "severity": f.severity().as_str(),
                    "dataset": f.dataset,
                    "cloud": f.cloud,
                    "resource": f.resource,
                    "name": f.name,
                    "message": f.message,
                    "suppressed": f.suppressed,
                })
            })
            .collect();
        let stale: Vec<Json> = self
            .stale
            .iter()
            .map(|s| {
                json!({
                    "number": s.number,
                    "policy": s.suppression.policy.as_str(),
                    "dataset": s.suppression.dataset.as_ref().map(|d| d.as_str()),
                    "resource": s.suppression.resource,
                    "reason": s.suppression.reason,
                })
            })
            .collect();
        json!({
            "findings": findings,
            "stale_suppressions": stale,
            "summary": {
                "datasets": self.datasets,
                "errors": self.open(Severity::Error).count(),
                "warnings": self.open(Severity::Warning).count(),
                "suppressed": self.findings.iter().filter(|f| f.suppressed.is_some()).count(),
                "stale_suppressions": self.stale.len(),
            },
        })
    }
}

/// `[<policy>] <dataset> (<cloud>) <resource> (<real name>): <message>`.
pub fn line(finding: &Finding) -> String {
    let name = match &finding.name {
        Some(name) if *name != finding.resource => format!(" ({name})"),
        _ => String::new(),
    };
    format!(
        "[{}] {} ({}) {}{name}: {}",
        finding.policy, finding.dataset, finding.cloud, finding.resource, finding.message
    )
}

/// `[<policy>] suppression <n> of [[infrastructure.check.suppress]] (...) matches no finding; ...`.
fn stale_line(stale: &Stale) -> String {
    let s = &stale.suppression;
    let mut scope = Vec::new();
    if let Some(dataset) = &s.dataset {
        scope.push(format!("dataset {dataset}"));
    }
    if let Some(resource) = &s.resource {
        scope.push(format!("resource {resource}"));
    }
    let scope = if scope.is_empty() {
        "every dataset and resource".to_owned()
    } else {
        scope.join(", ")
    };
    format!(
        "[{}] suppression {} of [[infrastructure.check.suppress]] ({scope}) matches no finding: remove it, or correct its dataset or resource",
        s.policy, stale.number
    )
}
