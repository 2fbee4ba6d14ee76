//! GCP name limits that names derived from a dataset must fit.
//!
//! A dataset name is valid for GCP when every name the blueprint derives from
//! it fits: service-account ids (6-30 characters, `notebook-<dataset>` is the
//! longest, which is what limits every dataset name to
//! [`DatasetName::MAX_LEN`] characters), bucket names (at most 63 characters; the
//! longest of the dataset buckets the blueprint lists is checked) and the
//! shared project id (at most 30 characters, `<project>-shared`).

use cpg_infra_abstraction::{BucketName, PlannedDataset};
use cpg_infra_config::{CloudName, DatasetName, InfrastructureConfig};

/// Longest service-account id GCP accepts.
pub const SERVICE_ACCOUNT_ID_MAX: usize = 30;
/// Longest bucket name GCP accepts (without dots).
pub const BUCKET_NAME_MAX: usize = 63;
/// Longest project id GCP accepts.
pub const PROJECT_ID_MAX: usize = 30;
/// The prefix of the longest service-account id derived from a dataset name.
const NOTEBOOK_ACCOUNT_PREFIX: &str = "notebook-";

// The dataset-name rule is derived from this limit: the longest name fills it exactly.
const _: () =
    assert!(NOTEBOOK_ACCOUNT_PREFIX.len() + DatasetName::MAX_LEN == SERVICE_ACCOUNT_ID_MAX);

/// Checks every dataset that deploys to GCP, and the names the datasets planned on GCP
/// would use twice ([`crate::collisions`]); one message per problem.
pub fn validate(config: &InfrastructureConfig, datasets: &[PlannedDataset<'_>]) -> Vec<String> {
    let gcp = CloudName::parse("gcp").ok();
    let mut problems = crate::collisions::problems(config, datasets);
    for planned in datasets {
        let dataset = planned.dataset;
        if gcp
            .as_ref()
            .is_some_and(|gcp| !dataset.deploy_locations.contains(gcp))
        {
            continue;
        }
        let name = dataset.dataset.as_str();
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
