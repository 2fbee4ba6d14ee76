//! From validated configuration to plans and programs.

use cpg_infra_abstraction::{
    Plan, PlannedDataset, ProviderPackage, Severity, Value, cloud_of_type, find_cloud,
    registered_clouds, render::pulumi,
};
use cpg_infra_config::error::did_you_mean;
use cpg_infra_config::{
    CloudName, ConfigError, DatasetConfig, InfrastructureConfig, infrastructure_keys,
};
use serde_json::Value as Json;

use crate::error::DriverError;
pub use cpg_infra_blueprint::Deployments;
use cpg_infra_blueprint::{dataset_accounts, dataset_buckets, plan_dataset};

/// The registered clouds' names, comma-separated (for messages).
pub fn registered_names() -> String {
    registered_clouds()
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks that `cloud` is registered.
pub fn check_cloud(cloud: &CloudName, context: &str) -> Result<(), DriverError> {
    if find_cloud(cloud.as_str()).is_some() {
        Ok(())
    } else {
        Err(DriverError::UnknownCloud {
            name: cloud.to_string(),
            context: context.to_owned(),
            registered: registered_names(),
        })
    }
}

/// The problems of the clouds' own tables and the cloud names `config` uses as keys: a
/// table of `[infrastructure]` that no registered plugin reads (a misspelt key or cloud,
/// which would otherwise be a setting nothing reads), what the plugin that reads a table
/// finds wrong in it (said whatever the datasets deploy to), the same for the shared
/// services' tables of each cloud (`[infrastructure.<service>.<cloud>]`), and a user's id on a cloud
/// no plugin registers (`[infrastructure.users.<user>.clouds.<cloud>]`); one message each.
pub fn unknown_clouds_of(config: &InfrastructureConfig, origin: &str) -> Vec<ConfigError> {
    let mut problems = Vec::new();
    for (key, section) in &config.sections {
        match find_cloud(key) {
            Some(plugin) => problems.extend((plugin.settings.check)(section, key).err()),
            None => {
                let clouds = registered_clouds();
                let candidates = infrastructure_keys()
                    .iter()
                    .copied()
                    .chain(clouds.iter().map(|c| c.name));
                let hint = did_you_mean(key, candidates, |c| format!("`{c}`"));
                problems.push(ConfigError::key(
                    origin,
                    None,
                    format!("infrastructure.{key}"),
                    format!(
                        "unknown key: neither a setting of [infrastructure] nor the table of a registered cloud ({}){hint}",
                        registered_names()
                    ),
                ));
            }
        }
    }
    for (service, tables) in config.services() {
        for (cloud, table) in tables {
            let key = format!("{service}.{cloud}");
            let Some(plugin) = find_cloud(cloud.as_str()) else {
                problems.push(ConfigError::key(
                    origin,
                    None,
                    format!("infrastructure.{key}"),
                    format!(
                        "unknown cloud `{cloud}`; registered clouds: {}",
                        registered_names()
                    ),
                ));
                continue;
            };
            match plugin.services.iter().find(|s| s.service == service) {
                Some(declared) => {
                    problems.extend((declared.settings.check)(table, &key).err());
                }
                None => problems.push(ConfigError::key(
                    origin,
                    None,
                    format!("infrastructure.{key}"),
                    format!("{cloud} has no {service} service to configure: remove the table"),
                )),
            }
        }
    }
    let users = config.users.iter().flat_map(|(user, settings)| {
        settings.clouds.keys().map(move |cloud| {
            (
                cloud,
                format!("the section [infrastructure.users.{user}.clouds.{cloud}]"),
            )
        })
    });
    problems.extend(users.filter_map(|(cloud, place)| {
        check_cloud(cloud, &format!(" ({place} in cpg.toml)"))
            .err()
            .map(|error| ConfigError::syntax(origin, None, error.to_string()))
    }));
    problems
}

/// The problems of `dataset` on the clouds of its `deploy_locations`, as its plugins
/// see them: the settings table each needs ([`CloudPlugin::missing_settings`](cpg_infra_abstraction::CloudPlugin::missing_settings))
/// and its own dataset rules; an unregistered cloud of its `deploy_locations`; and the
/// settings that would have no effect ([`crate::ineffective`]).
pub fn cloud_rules(infra: &InfrastructureConfig, dataset: &DatasetConfig) -> Vec<ConfigError> {
    let name = dataset.dataset.as_str();
    let mut problems = Vec::new();
    for cloud in dataset.deploy_locations.iter() {
        let Some(plugin) = find_cloud(cloud.as_str()) else {
            // Said with the dataset's other problems, not only once they are fixed.
            problems.push(format!(
                "datasets:deploy_locations: unknown cloud `{cloud}`; registered clouds: {}",
                registered_names()
            ));
            continue;
        };
        match plugin.missing_settings(infra) {
            None => problems.extend((plugin.dataset_rules)(infra, dataset)),
            Some(missing) => problems.push(missing),
        }
    }
    // With an unknown cloud (a misspelt one?) the dataset's other settings may be meant
    // for it: that one problem is said alone.
    if dataset
        .deploy_locations
        .iter()
        .all(|c| find_cloud(c.as_str()).is_some())
    {
        problems.extend(crate::ineffective::problems(dataset));
    }
    problems
        .into_iter()
        .map(|message| ConfigError::dataset(name, message))
        .collect()
}

/// Every problem of `dataset` alone: the rules that are the same on every cloud
/// ([`DatasetConfig::problems`]) and those of its clouds ([`cloud_rules`]).
pub fn validate_dataset(
    infra: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<(), ConfigError> {
    let mut problems = dataset.problems(infra);
    problems.extend(cloud_rules(infra, dataset));
    ConfigError::collect(problems)
}

/// The clouds to plan `dataset` for: `forced` when given, else its deploy_locations.
pub fn clouds_for(dataset: &DatasetConfig, forced: &[CloudName]) -> Vec<CloudName> {
    if forced.is_empty() {
        dataset.deploy_locations.to_vec()
    } else {
        forced.to_vec()
    }
}

/// Cloud-specific validation of a set of datasets (each plugin checks the
/// datasets that deploy to it, with the buckets and machine accounts the blueprint
/// creates for them there): every problem, or nothing.
pub fn validate_for_clouds(
    config: &InfrastructureConfig,
    datasets: &[DatasetConfig],
    forced: &[CloudName],
) -> Result<(), DriverError> {
    let mut problems: Vec<String> = unknown_clouds_of(config, "cpg.toml")
        .iter()
        .map(ToString::to_string)
        .collect();
    for dataset in datasets {
        for cloud in clouds_for(dataset, forced) {
            if let Err(error) = check_cloud(&cloud, &format!(" (dataset {})", dataset.dataset)) {
                problems.push(error.to_string());
            }
        }
    }
    for plugin in registered_clouds() {
        // Each dataset that plans on this cloud, with what the blueprint creates there.
        let relevant: Vec<PlannedDataset<'_>> = datasets
            .iter()
            .filter_map(|d| {
                let cloud = clouds_for(d, forced)
                    .into_iter()
                    .find(|c| c.as_str() == plugin.name)?;
                Some(PlannedDataset {
                    dataset: d,
                    buckets: dataset_buckets(d, &cloud),
                    accounts: dataset_accounts(d, &cloud),
                })
            })
            .collect();
        if relevant.is_empty() {
            continue;
        }
        match plugin.missing_settings(config) {
            None => problems.extend((plugin.validate)(config, &relevant)),
            Some(missing) => problems.extend(
                relevant
                    .iter()
                    .map(|dataset| format!("dataset {}: {missing}", dataset.dataset.dataset)),
            ),
        }
    }
    DriverError::all(problems)
}

/// The plan of one dataset on `clouds`, merged into one (as one Pulumi program).
/// `deployments` says where its dependencies deploy (see [`Deployments`]).
pub fn plan(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    clouds: &[CloudName],
    deployments: &Deployments,
) -> Result<Plan, DriverError> {
    let mut plugins = Vec::with_capacity(clouds.len());
    for cloud in clouds {
        check_cloud(cloud, &format!(" (dataset {})", dataset.dataset))?;
        let plugin = find_cloud(cloud.as_str()).ok_or_else(|| DriverError::UnknownCloud {
            name: cloud.to_string(),
            context: String::new(),
            registered: registered_names(),
        })?;
        plugins.push((cloud.clone(), plugin));
    }
    let mut plans = plan_dataset(config, dataset, &plugins, deployments)?.into_iter();
    let mut plan = plans.next().unwrap_or_else(|| {
        let mut empty = Plan::default();
        empty.dataset = dataset.dataset.to_string();
        empty
    });
    for other in plans {
        plan.merge(other);
    }
    // Planning other clouds than the dataset's own (`--cloud`) leaves out the
    // resources of its other clouds, which adopt entries may name.
    let partial = clouds != dataset.deploy_locations.as_slice();
    adopt(&mut plan, dataset, partial)?;
    crate::take_over::apply(&mut plan, config.take_over);
    plan.finish().map_err(|problem| DriverError::Plan {
        dataset: dataset.dataset.to_string(),
        problem,
    })
}

/// The provider packages of `clouds` (every registered cloud when empty).
pub fn providers(clouds: &[CloudName]) -> Vec<ProviderPackage> {
    let mut packages: Vec<ProviderPackage> = registered_clouds()
        .into_iter()
        .filter(|c| clouds.is_empty() || clouds.iter().any(|n| n.as_str() == c.name))
        .flat_map(|c| c.providers.iter().copied())
        .collect();
    packages.sort_by_key(|p| p.name);
    packages.dedup();
    packages
}

/// The Pulumi program of a plan.
pub fn program(plan: &Plan) -> Json {
    let clouds: Vec<CloudName> = plan
        .clouds
        .iter()
        .filter_map(|c| CloudName::parse(c).ok())
        .collect();
    pulumi::program(plan, &providers(&clouds))
}

/// The Pulumi program of a plan as compact JSON text with a final newline, written
/// without an intermediate value tree (the fast path).
pub fn render_program(plan: &Plan) -> Vec<u8> {
    let clouds: Vec<CloudName> = plan
        .clouds
        .iter()
        .filter_map(|c| CloudName::parse(c).ok())
        .collect();
    let mut bytes = Vec::with_capacity(plan.resources.len() * 384);
    // Writing into a Vec cannot fail.
    let _ = pulumi::write_program(&mut bytes, plan, &providers(&clouds));
    bytes.push(b'\n');
    bytes
}

/// The program Pulumi's plugin discovery sees: every registered cloud's providers.
pub fn discovery_program() -> Json {
    pulumi::provider_discovery_program(&providers(&[]))
}

/// Marks the resources named in the dataset's `adopt` table for import: Pulumi
/// then takes over the existing cloud resource instead of creating a new one.
/// A name the blueprint does not create, a provider, stack reference or `get:`
/// resource (nothing to import), or an id of the wrong shape for the resource's
/// cloud, is an error (a note in a `partial` plan that leaves out
/// some of the dataset's clouds).
fn adopt(plan: &mut Plan, dataset: &DatasetConfig, partial: bool) -> Result<(), DriverError> {
    for (name, id) in &dataset.adopt {
        if partial && !plan.contains(name) {
            let clouds = plan.clouds.join(", ");
            plan.diagnose(
                Severity::Note,
                &clouds,
                name,
                "datasets:adopt names a resource that is not in this partial plan (other clouds than the dataset's deploy_locations)".to_owned(),
            );
            continue;
        }
        let Some(resource) = plan.get_mut(name) else {
            let suggestion = plan
                .resources
                .iter()
                .map(|r| (strsim::jaro_winkler(&r.name, name), &r.name))
                .filter(|(score, _)| *score > 0.85)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err(DriverError::Adopt {
                dataset: dataset.dataset.to_string(),
                name: name.clone(),
                message: format!(
                    "the plan has no resource called `{name}`{suggestion} (logical names are those `cpg-infra-driver plan` lists); remove it from datasets:adopt or correct it"
                ),
            });
        };
        if resource.type_token.starts_with("pulumi:") || resource.existing.is_some() {
            return Err(DriverError::Adopt {
                dataset: dataset.dataset.to_string(),
                name: name.clone(),
                message: format!(
                    "`{name}` is a {} that the program reads or configures, not a cloud resource it creates: nothing to adopt; remove it from datasets:adopt",
                    resource.type_token
                ),
            });
        }
        // The real name the plan gives it, when it is a literal (another dataset's or
        // account's id of the right type would adopt the wrong resource).
        let real_name = match cpg_infra_abstraction::review::review(resource).name {
            Some(Value::Str(name)) => Some(name),
            _ => None,
        };
        if let Some(problem) = cloud_of_type(&resource.type_token).and_then(|cloud| {
            (cloud.check_resource_id)(&resource.type_token, id, real_name.as_deref())
        }) {
            return Err(DriverError::Adopt {
                dataset: dataset.dataset.to_string(),
                name: name.clone(),
                message: format!("{problem} (for a {})", resource.type_token),
            });
        }
        resource.options.import = Some(id.clone());
        let inputs: Vec<&str> = resource.properties.keys().copied().collect();
        let cloud = cloud_of_type(&resource.type_token).map_or("", |c| c.name);
        plan.diagnose(
            Severity::Note,
            cloud,
            name,
            format!(
                "adopts the existing resource `{id}` (Pulumi imports it instead of creating it). The update that imports it also changes every one of these inputs the live resource has differently to the program's value: {} (`pulumi preview --diff` shows which; Pulumi CLIs older than pulumi/pulumi#19339 refuse such an import instead)",
                inputs.join(", ")
            ),
        );
    }
    Ok(())
}

/// Plans every dataset of `datasets` (on `forced` clouds, else its own; their
/// dependencies' clouds from `deployments`) and
/// writes its program to `out_dir/<dataset>.json`, using up to `threads`
/// threads. Returns the number of resources written. On an error nothing is left
/// behind: the files this call wrote are removed and every dataset's error (in
/// dataset order) is returned.
pub fn write_programs(
    config: &InfrastructureConfig,
    datasets: &[DatasetConfig],
    forced: &[CloudName],
    deployments: &Deployments,
    out_dir: &std::path::Path,
    threads: usize,
) -> Result<usize, DriverError> {
    std::fs::create_dir_all(out_dir).map_err(|e| DriverError::Io {
        path: out_dir.display().to_string(),
        message: format!("cannot create the folder: {e}"),
    })?;
    let threads = threads.clamp(1, datasets.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Vec<(usize, Result<usize, DriverError>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(dataset) = datasets.get(i) else {
                            break;
                        };
                        done.push((i, write_one(config, dataset, forced, deployments, out_dir)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut results: Vec<(usize, Result<usize, DriverError>)> =
        results.into_iter().flatten().collect();
    results.sort_by_key(|(i, _)| *i);
    let mut resources = 0;
    let mut errors = Vec::new();
    for (_, result) in results.iter_mut() {
        match std::mem::replace(result, Ok(0)) {
            Ok(n) => resources += n,
            Err(e) => errors.push(e.to_string()),
        }
    }
    if results.len() != datasets.len() && errors.is_empty() {
        errors.push(format!(
            "{}: a rendering thread stopped unexpectedly",
            out_dir.display()
        ));
    }
    if let Err(error) = DriverError::all(errors) {
        for dataset in datasets {
            let _ = std::fs::remove_file(program_path(out_dir, dataset));
        }
        return Err(error);
    }
    Ok(resources)
}

fn program_path(out_dir: &std::path::Path, dataset: &DatasetConfig) -> std::path::PathBuf {
    out_dir.join(format!("{}.json", dataset.dataset))
}

fn write_one(
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
    forced: &[CloudName],
    deployments: &Deployments,
    out_dir: &std::path::Path,
) -> Result<usize, DriverError> {
    let plan = plan(config, dataset, &clouds_for(dataset, forced), deployments)?;
    let path = program_path(out_dir, dataset);
    std::fs::write(&path, render_program(&plan)).map_err(|e| DriverError::Io {
        path: path.display().to_string(),
        message: format!("cannot write the program: {e}"),
    })?;
    Ok(plan.resources.len())
}
