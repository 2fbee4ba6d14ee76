//! GCP name limits that names derived from a dataset must fit.
//!
//! A dataset name is valid for GCP when every name the blueprint derives from
//! it fits: the ids of the service accounts the blueprint lists (at most 30
//! characters; [`DatasetName::MAX_LEN`] is chosen so that its longest,
//! `notebook-<dataset>`, fits), bucket names (at most 63 characters; the
//! longest of the dataset buckets the blueprint lists is checked) and the
//! shared project id (at most 30 characters, `<project>-shared`). No bucket name may
//! look like Google's ([`crate::bucket_names`]).
//!
//! [`DatasetName::MAX_LEN`]: cpg_infra_config::DatasetName::MAX_LEN

use cpg_infra_abstraction::{BucketName, PlannedDataset};
use cpg_infra_config::{CloudName, InfrastructureConfig};

/// Longest service-account id GCP accepts.
pub const SERVICE_ACCOUNT_ID_MAX: usize = 30;
/// Longest bucket name GCP accepts (without dots).
pub const BUCKET_NAME_MAX: usize = 63;
/// Longest project id GCP accepts.
pub const PROJECT_ID_MAX: usize = 30;
/// Checks every dataset that deploys to GCP, and the names the datasets planned on GCP
/// would use twice ([`crate::collisions`]); one message per problem.
pub fn validate(config: &InfrastructureConfig, datasets: &[PlannedDataset<'_>]) -> Vec<String> {
    let gcp = CloudName::parse("gcp").ok();
    let mut problems = crate::collisions::problems(config, datasets);
    let on_gcp = datasets.iter().any(|planned| {
        gcp.as_ref()
            .is_some_and(|gcp| planned.dataset.deploy_locations.contains(gcp))
    });
    if on_gcp
        && let Some(section) = crate::organisation_settings::GcpConfig::written(config)
        && let Some(problem) =
            crate::locations::region_problem("[infrastructure.gcp] region", &section.region)
    {
        problems.push(problem);
    }
    problems.extend(crate::user_ids::problems(config));
    problems.extend(crate::machine_ids::organisation_problems(config));
    problems.extend(crate::organisation_roles::problems(config));
    for planned in datasets {
        let dataset = planned.dataset;
        if gcp
            .as_ref()
            .is_some_and(|gcp| !dataset.deploy_locations.contains(gcp))
        {
            continue;
        }
        let name = dataset.dataset.as_str();
        for account in &planned.accounts {
            if account.name.len() > SERVICE_ACCOUNT_ID_MAX {
                problems.push(format!(
                    "dataset {name}: the service account id `{}` has {} characters; GCP allows at most {SERVICE_ACCOUNT_ID_MAX} (service account id limit)",
                    account.name,
                    account.name.len()
                ));
            }
        }
        for bucket in &planned.buckets {
            let bucket = match bucket {
                BucketName::Dataset(suffix) => {
                    format!("{}{name}-{suffix}", config.dataset_storage_prefix)
                }
                BucketName::Unique(bucket) => bucket.clone(),
            };
            if let Some(problem) = crate::bucket_names::google_problem(&bucket) {
                problems.push(format!("dataset {name}: {problem}"));
            }
        }
        let longest = planned
            .buckets
            .iter()
            .filter_map(|bucket| match bucket {
                BucketName::Dataset(suffix) => {
                    Some(format!("{}{name}-{suffix}", config.dataset_storage_prefix))
                }
                BucketName::Unique(_) => None,
            })
            .max_by_key(String::len);
        if let Some(bucket) = longest
            && bucket.len() > BUCKET_NAME_MAX
        {
            problems.push(format!(
                "dataset {name}: the bucket name `{bucket}` has {} characters; GCP allows at most {BUCKET_NAME_MAX} (bucket name limit)",
                bucket.len()
            ));
        }
        if dataset.enable_shared_project
            && let Some(project) = &dataset.gcp_project
        {
            let shared = format!("{}-shared", project.as_str());
            if shared.len() > PROJECT_ID_MAX {
                problems.push(format!(
                    "dataset {name}: the shared project id `{shared}` has {} characters; GCP allows at most {PROJECT_ID_MAX} (project id limit): disable enable_shared_project or use a shorter gcp:project",
                    shared.len()
                ));
            }
        }
    }
    problems
}
