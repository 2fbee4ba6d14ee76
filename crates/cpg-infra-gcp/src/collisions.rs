//! Names a set of GCP plans would use twice: a bucket name (global on GCP) that two
//! owners would create, among the datasets of the run, their additional upload buckets
//! and the organisation's buckets in `cpg.toml`; a service account the blueprint
//! would create for a dataset with the e-mail of one of the organisation's accounts
//! ([`InfrastructureConfig::organisation_accounts`]); and a project two datasets use.
//!
//! Each problem names both owners.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{AccountProject, BucketName, PlannedDataset};
use cpg_infra_config::{CloudName, InfrastructureConfig};

/// Who would create (or owns) a name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owner {
    /// The dataset, or `None` for the organisation.
    dataset: Option<String>,
    /// What it is, e.g. "dataset alpha's `main` bucket".
    what: String,
}

/// Records who claims which name and the collisions found.
#[derive(Default)]
struct Claims {
    owners: BTreeMap<String, Owner>,
    problems: Vec<String>,
}

impl Claims {
    fn claim(&mut self, kind: &str, name: String, owner: Owner, advice: &str) {
        match self.owners.get(&name) {
            Some(first) if *first == owner => self.problems.push(format!(
                "{kind} `{name}` is listed twice as {}; keep it once",
                owner.what
            )),
            Some(first) => {
                let dataset = owner
                    .dataset
                    .as_ref()
                    .or(first.dataset.as_ref())
                    .map_or_else(String::new, |d| format!("dataset {d}: "));
                self.problems.push(format!(
                    "{dataset}{kind} `{name}` would be used twice: as {} and as {}; {advice}",
                    first.what, owner.what
                ));
            }
            None => {
                self.owners.insert(name, owner);
            }
        }
    }
}

fn organisation(what: String) -> Owner {
    Owner {
        dataset: None,
        what,
    }
}

fn of_dataset(dataset: &str, what: String) -> Owner {
    Owner {
        dataset: Some(dataset.to_owned()),
        what,
    }
}

/// Buckets that would be created twice, or that are the organisation's.
fn bucket_problems(config: &InfrastructureConfig, datasets: &[PlannedDataset<'_>]) -> Vec<String> {
    let advice = "bucket names are global on GCP: rename or remove one";
    let mut claims = Claims::default();
    if let Some(gcp) = crate::organisation_settings::GcpConfig::written(config) {
        for (name, key) in [
            (&gcp.reference_bucket_name, "gcp.reference_bucket_name"),
            (&gcp.config_bucket_name, "gcp.config_bucket_name"),
        ] {
            claims.claim(
                "bucket",
                name.clone(),
                organisation(format!(
                    "the organisation's bucket (infrastructure.{key} in cpg.toml)"
                )),
                advice,
            );
        }
    }
    if let Some(hail) =
        crate::service_settings::service::<crate::service_settings::HailGcp>(config, "hail")
    {
        claims.claim(
            "bucket",
            hail.wheel_bucket_name.clone(),
            organisation(
                "the organisation's bucket (infrastructure.hail.gcp.wheel_bucket_name in cpg.toml)"
                    .to_owned(),
            ),
            advice,
        );
    }
    // Dataset buckets first, then additional upload buckets (named as given).
    for planned in datasets {
        let name = planned.dataset.dataset.as_str();
        for bucket in &planned.buckets {
            if let BucketName::Dataset(suffix) = bucket {
                claims.claim(
                    "bucket",
                    format!("{}{name}-{suffix}", config.dataset_storage_prefix),
                    of_dataset(name, format!("dataset {name}'s `{suffix}` bucket")),
                    advice,
                );
            }
        }
    }
    for planned in datasets {
        let name = planned.dataset.dataset.as_str();
        for bucket in &planned.buckets {
            if let BucketName::Unique(bucket) = bucket {
                claims.claim(
                    "bucket",
                    bucket.clone(),
                    of_dataset(
                        name,
                        format!("an additional upload bucket of dataset {name} (datasets:additional_upload_buckets)"),
                    ),
                    advice,
                );
            }
        }
    }
    claims.problems
}

/// The service accounts the blueprint creates for a dataset on GCP (as it lists them):
/// (e-mail, what). An account whose project is not configured is left out.
fn dataset_accounts(
    config: &InfrastructureConfig,
    planned: &PlannedDataset<'_>,
) -> Vec<(String, String)> {
    let dataset = planned.dataset.dataset.as_str();
    let project = planned.dataset.gcp_project.as_ref().map(|p| p.as_str());
    let notebooks = crate::service_settings::service::<crate::service_settings::NotebooksGcp>(
        config,
        "notebooks",
    )
    .map(|n| n.project);
    let notebooks = notebooks.as_deref();
    planned
        .accounts
        .iter()
        .filter_map(|account| {
            let id = &account.name;
            let (project, what) = match account.project {
                AccountProject::Dataset => (
                    project?.to_owned(),
                    format!("the service account `{id}` of dataset {dataset}"),
                ),
                AccountProject::Shared => (
                    format!("{}-shared", project?),
                    format!("the shared project's service account of dataset {dataset}"),
                ),
                AccountProject::Notebooks => (
                    notebooks?.to_owned(),
                    format!("the notebook service account of dataset {dataset}"),
                ),
            };
            Some((format!("{id}@{project}.iam.gserviceaccount.com"), what))
        })
        .collect()
}

/// Service accounts the blueprint would create with the e-mail of an organisation account
/// or of another dataset's, and a dataset's own account that another dataset creates.
fn account_problems(config: &InfrastructureConfig, datasets: &[PlannedDataset<'_>]) -> Vec<String> {
    let gcp = CloudName::gcp();
    let org = config
        .organisation_accounts()
        .into_iter()
        .filter(|account| account.cloud == gcp)
        .map(|account| (account.id.to_owned(), account.key));
    let mut claims = Claims::default();
    for (email, key) in org {
        // Organisation settings may name one account twice (e.g. one server for two roles).
        if !claims.owners.contains_key(&email) {
            claims.claim(
                "service account",
                email,
                organisation(format!(
                    "the organisation's account (infrastructure.{key} in cpg.toml)"
                )),
                "",
            );
        }
    }
    // A dataset whose project an earlier dataset already uses is that one error
    // ([`project_problems`]), not one more per account of the project.
    let mut projects = std::collections::BTreeSet::new();
    for planned in datasets {
        let shares_a_project = crate::machine_ids::dataset_projects(planned.dataset)
            .into_iter()
            .fold(false, |shared, (project, _)| {
                !projects.insert(project) || shared
            });
        if shares_a_project {
            continue;
        }
        for (email, what) in dataset_accounts(config, planned) {
            claims.claim(
                "service account",
                email,
                of_dataset(planned.dataset.dataset.as_str(), what),
                "use another gcp:project for the dataset, or another account in cpg.toml",
            );
        }
    }
    // A dataset's own account (a Hail or deployment account it names) that another
    // dataset's program creates: one identity, two owners.
    for planned in datasets {
        let name = planned.dataset.dataset.as_str();
        for slot in planned.dataset.machine_slots() {
            if !slot.owned || slot.cloud != gcp {
                continue;
            }
            if let Some(Owner {
                dataset: Some(owner),
                what,
            }) = claims.owners.get(&slot.id.to_lowercase())
                && owner != name
            {
                claims.problems.push(format!(
                    "dataset {name}: {}: `{}` is {what}, created by that dataset's program; an account joins the groups of the dataset that names it, so it would reach this dataset's data: give the dataset its own account",
                    slot.key, slot.id
                ));
            }
        }
    }
    claims.problems
}

/// Projects two datasets would both use (`gcp:project`, and the shared project
/// `<project>-shared`). The organisation's projects are each dataset's own rule
/// ([`crate::machine_ids::organisation_project_problems`]), where its file is known.
fn project_problems(datasets: &[PlannedDataset<'_>]) -> Vec<String> {
    let mut claims = Claims::default();
    for planned in datasets {
        let name = planned.dataset.dataset.as_str();
        for (project, what) in crate::machine_ids::dataset_projects(planned.dataset) {
            claims.claim(
                "project",
                project,
                of_dataset(name, format!("dataset {name}'s {what}")),
                "each dataset has its own project (its groups and accounts get roles in it and its machine accounts live there): give one dataset another gcp:project",
            );
        }
    }
    claims.problems
}

/// Every collision of names among `datasets` (those planned on GCP, with the buckets
/// the blueprint creates for them) and the organisation.
pub fn problems(config: &InfrastructureConfig, datasets: &[PlannedDataset<'_>]) -> Vec<String> {
    let mut out = bucket_problems(config, datasets);
    out.extend(account_problems(config, datasets));
    out.extend(project_problems(datasets));
    out
}
