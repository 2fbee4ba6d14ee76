//! Rules across a set of datasets: dependencies must exist and must not form a cycle
//! (counting every dataset's implicit dependency on the reference dataset), and a
//! deterministic order to deploy them in.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use crate::dataset::DatasetConfig;
use crate::error::{ConfigError, did_you_mean};
use crate::infrastructure::InfrastructureConfig;
use crate::names::{CloudName, DatasetName};

/// The datasets `ds` depends on: its `depends_on`, its `depends_on_readonly`, plus the
/// reference dataset (except for the reference dataset itself), each once, in that order.
/// Every dependency orders deployment, takes part in cycle detection and is read through
/// its stack's outputs.
pub fn dependencies_of(ds: &DatasetConfig, reference: &DatasetName) -> Vec<DatasetName> {
    let mut out: Vec<DatasetName> =
        Vec::with_capacity(ds.depends_on.len() + ds.depends_on_readonly.len() + 1);
    for d in ds.depends_on.iter().chain(&ds.depends_on_readonly) {
        if *d != ds.dataset && !out.contains(d) {
            out.push(d.clone());
        }
    }
    if ds.dataset != *reference && !out.contains(reference) {
        out.push(reference.clone());
    }
    out
}

/// Validates a set of datasets: each dataset's own rules ([`DatasetConfig::validate`]),
/// no dataset given twice, dependencies that exist, no dependency cycle, and no account
/// that two datasets own ([`crate::identities::owner_problems`]).
///
/// A `depends_on` entry (or the reference dataset) that is not in `datasets` is an error when
/// `complete` (the set is a whole stack directory) and a warning otherwise. Returns the warnings.
pub fn validate_dataset_set(
    datasets: &[DatasetConfig],
    infra: &InfrastructureConfig,
    complete: bool,
) -> Result<Vec<String>, ConfigError> {
    validate_dataset_set_beside(datasets, infra, complete, &[])
}

/// [`validate_dataset_set`] for a set read beside the `unloaded` datasets, whose files
/// exist but failed to load or are invalid (each with its own error): a dependency on one of them says
/// so, rather than calling it not configured.
pub fn validate_dataset_set_beside(
    datasets: &[DatasetConfig],
    infra: &InfrastructureConfig,
    complete: bool,
    unloaded: &[DatasetName],
) -> Result<Vec<String>, ConfigError> {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut names: BTreeSet<&DatasetName> = BTreeSet::new();
    for ds in datasets {
        if !names.insert(&ds.dataset) {
            errors.push(ConfigError::dataset(
                ds.dataset.as_str(),
                "is given twice in the set of datasets to validate; keep one",
            ));
        }
    }
    for ds in datasets {
        errors.extend(ds.problems(infra));
    }
    let reference = &infra.reference_dataset;
    for ds in datasets {
        for dep in dependencies_of(ds, reference) {
            if names.contains(&dep) {
                continue;
            }
            let suggestion = did_you_mean(dep.as_str(), names.iter().map(|n| n.as_str()), |c| {
                format!("`{c}`")
            });
            let err = if unloaded.contains(&dep) {
                ConfigError::dataset(
                    ds.dataset.as_str(),
                    format!(
                        "depends on `{dep}`, whose configuration failed to load or is invalid (its own error says why); fix that first"
                    ),
                )
            } else if dep == *reference && !ds.depends_on.contains(&dep) {
                ConfigError::dataset(
                    ds.dataset.as_str(),
                    format!(
                        "depends implicitly on the reference dataset `{dep}` (infrastructure.reference_dataset), which is not configured; add its stack file"
                    ),
                )
            } else {
                ConfigError::UnknownDependency {
                    dataset: ds.dataset.to_string(),
                    origin: None,
                    dependency: dep.to_string(),
                    suggestion,
                }
            };
            if complete {
                errors.push(err);
                continue;
            }
            let w = err.to_string();
            tracing::warn!("{w}");
            warnings.push(w);
        }
    }
    for ds in datasets {
        for dep in &ds.depends_on_readonly {
            if let Some(target) = datasets.iter().find(|d| d.dataset == *dep)
                && !target.main_read_group
            {
                errors.push(ConfigError::dataset(
                    ds.dataset.as_str(),
                    format!(
                        "datasets:depends_on_readonly: dataset `{dep}` has no main-read group to join; set datasets:main_read_group: \"true\" in its configuration (Pulumi.{dep}.yaml) and deploy it first"
                    ),
                ));
            }
        }
    }
    errors.extend(crate::identities::owner_problems(datasets));
    for ds in datasets {
        errors.extend(no_common_cloud(ds, datasets));
    }
    if let Err(cycle) = dependency_order(datasets, reference) {
        errors.push(cycle);
    }
    ConfigError::collect(errors)?;
    Ok(warnings)
}

/// The dependencies `ds` lists (`depends_on`, `depends_on_readonly`) that share no cloud
/// with it: a dependency's groups exist only on its own clouds, so such a dependency
/// grants nothing anywhere. The reference dataset, which every dataset depends on without
/// listing it, is left to the plan's diagnostics.
fn no_common_cloud(ds: &DatasetConfig, datasets: &[DatasetConfig]) -> Vec<ConfigError> {
    let listed = |clouds: &crate::DeployLocations| {
        clouds
            .iter()
            .map(CloudName::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    for (key, deps) in [
        ("depends_on", &ds.depends_on),
        ("depends_on_readonly", &ds.depends_on_readonly),
    ] {
        for dep in deps {
            let Some(target) = datasets.iter().find(|d| d.dataset == *dep) else {
                continue;
            };
            if target
                .deploy_locations
                .iter()
                .any(|c| ds.deploy_locations.iter().any(|own| own == c))
            {
                continue;
            }
            out.push(ConfigError::dataset(
                ds.dataset.as_str(),
                format!(
                    "datasets:{key}: dataset `{dep}` deploys to [{}] and this dataset to [{}]: with no cloud in common the dependency grants nothing on any cloud; add a cloud of one to the other's datasets:deploy_locations, or remove `{dep}` from datasets:{key}",
                    listed(&target.deploy_locations),
                    listed(&ds.deploy_locations)
                ),
            ));
        }
    }
    out
}

/// The dependency graph restricted to the given datasets.
fn graph<'a>(
    datasets: &'a [DatasetConfig],
    reference: &DatasetName,
) -> BTreeMap<&'a DatasetName, Vec<DatasetName>> {
    let known: BTreeSet<&DatasetName> = datasets.iter().map(|d| &d.dataset).collect();
    datasets
        .iter()
        .map(|ds| {
            let deps = dependencies_of(ds, reference)
                .into_iter()
                .filter(|d| known.contains(d))
                .collect();
            (&ds.dataset, deps)
        })
        .collect()
}

/// Finds a cycle (depth-first, in name order) and renders it as `a -> b -> a`.
fn find_cycle(graph: &BTreeMap<&DatasetName, Vec<DatasetName>>) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut marks: BTreeMap<&DatasetName, Mark> = graph.keys().map(|k| (*k, Mark::New)).collect();
    for start in graph.keys() {
        if marks.get(start) != Some(&Mark::New) {
            continue;
        }
        // Iterative DFS: stack of (node, index of next edge).
        let mut stack: Vec<(&DatasetName, usize)> = vec![(*start, 0)];
        marks.insert(start, Mark::Active);
        while let Some((node, next)) = stack.last().copied() {
            let edges = graph.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(dep) = edges.get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                let Some((dep_key, mark)) = graph
                    .get_key_value(dep)
                    .map(|(k, _)| (*k, marks.get(dep).copied()))
                else {
                    continue;
                };
                match mark {
                    Some(Mark::Active) => {
                        let from = stack.iter().position(|(n, _)| *n == dep_key).unwrap_or(0);
                        let mut path: Vec<&str> =
                            stack[from..].iter().map(|(n, _)| n.as_str()).collect();
                        path.push(dep_key.as_str());
                        return Some(path.join(" -> "));
                    }
                    Some(Mark::New) => {
                        marks.insert(dep_key, Mark::Active);
                        stack.push((dep_key, 0));
                    }
                    _ => {}
                }
            } else {
                marks.insert(node, Mark::Done);
                stack.pop();
            }
        }
    }
    None
}

/// A deterministic deployment order: every dataset after the datasets it depends on
/// (dependencies outside `datasets` are ignored), the reference dataset first, ties broken by
/// name. A dependency cycle is an error that shows the cycle.
pub fn dependency_order(
    datasets: &[DatasetConfig],
    reference: &DatasetName,
) -> Result<Vec<DatasetName>, ConfigError> {
    let graph = graph(datasets, reference);
    if let Some(cycle) = find_cycle(&graph) {
        return Err(ConfigError::Cycle { cycle });
    }
    let mut remaining: BTreeMap<&DatasetName, usize> =
        graph.iter().map(|(k, deps)| (*k, deps.len())).collect();
    let mut dependants: BTreeMap<&DatasetName, Vec<&DatasetName>> = BTreeMap::new();
    for (node, deps) in &graph {
        for d in deps {
            if let Some((key, _)) = graph.get_key_value(d) {
                dependants.entry(*key).or_default().push(*node);
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<(bool, &DatasetName)>> = remaining
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| Reverse((*k != reference, *k)))
        .collect();
    let mut order = Vec::with_capacity(graph.len());
    while let Some(Reverse((_, node))) = ready.pop() {
        order.push(node.clone());
        for dependant in dependants.get(node).map_or(&[][..], Vec::as_slice) {
            if let Some(n) = remaining.get_mut(dependant) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    ready.push(Reverse((*dependant != reference, *dependant)));
                }
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(name: &str, deps: &[&str]) -> DatasetConfig {
        let mut d = DatasetConfig::new(DatasetName::parse(name).unwrap());
        d.depends_on = deps
            .iter()
            .map(|s| DatasetName::parse(s).unwrap())
            .collect();
        d
    }

    #[test]
    fn order_and_cycles() {
        let reference = DatasetName::parse("reference").unwrap();
        let set = [
            ds("zeta", &[]),
            ds("alpha-study", &["zeta"]),
            ds("reference", &[]),
            ds("beta-cohort", &[]),
        ];
        let order: Vec<String> = dependency_order(&set, &reference)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(order, ["reference", "beta-cohort", "zeta", "alpha-study"]);

        let cyclic = [
            ds("alpha-study", &["beta-cohort"]),
            ds("beta-cohort", &["alpha-study"]),
        ];
        let err = dependency_order(&cyclic, &reference)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("alpha-study -> beta-cohort -> alpha-study"),
            "{err}"
        );

        let via_reference = [ds("reference", &["alpha-study"]), ds("alpha-study", &[])];
        let err = dependency_order(&via_reference, &reference)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("alpha-study -> reference -> alpha-study"),
            "{err}"
        );
    }

    #[test]
    fn read_only_dependencies_order_deployment() {
        let reference = DatasetName::parse("reference").unwrap();
        let mut reader = ds("alpha-study", &[]);
        reader.depends_on_readonly = vec![DatasetName::parse("zeta").unwrap()];
        let set = [reader, ds("zeta", &[]), ds("reference", &[])];
        let order: Vec<String> = dependency_order(&set, &reference)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(order, ["reference", "zeta", "alpha-study"]);
        assert_eq!(
            dependencies_of(&set[0], &reference)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["zeta", "reference"]
        );
    }

    #[test]
    fn dependencies_include_reference_once() {
        let reference = DatasetName::parse("reference").unwrap();
        let d = ds("alpha-study", &["reference", "beta-cohort"]);
        let deps: Vec<String> = dependencies_of(&d, &reference)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(deps, ["reference", "beta-cohort"]);
        assert!(dependencies_of(&ds("reference", &[]), &reference).is_empty());
    }
}
