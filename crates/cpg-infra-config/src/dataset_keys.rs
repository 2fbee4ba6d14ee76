//! The dataset keys: each one defined once, here. From this table come the fields of
//! [`DatasetConfig`] and their defaults, the key list behind "did you mean", the reading of
//! the key from TOML, stack files and `PULUMI_CONFIG` (one reader for all three), and the
//! key's entry in the JSON Schema of dataset files ([`crate::dataset_toml_schema`]).
//!
//! Keys outside the table: `dataset` (checked against the file / stack name), and in TOML
//! `gcp_project` and `provider_config` (stack files spell them `gcp:project` and other
//! namespaces) and the legacy `customer_id` (see `dataset_fields/mod.rs`).

use std::collections::BTreeMap;
use std::num::{NonZeroU32, NonZeroU64};

use serde::Serialize;

use crate::access_level::{AccessLevel, PerLevel, level_of_key};
use crate::budgets::Budgets;
use crate::component::Component;
use crate::dataset::{
    DEFAULT_ARCHIVE_AGE, DEFAULT_TMP_MAIN_READ_MAX_HOURS, MAX_TMP_MAIN_READ_HOURS,
};
use crate::dataset_fields::Ctx;
use crate::deploy_locations::DeployLocations;
use crate::error::ConfigError;
use crate::key_table::{Reader, dataset_keys, describe, level_doc};
use crate::members::Members;
use crate::names::{BucketName, CloudName, DatasetName, Email, GcpProjectId, Region};
use crate::raw::RawEntry;
use crate::upload_config::UploadConfig;
use crate::values::Guid;

dataset_keys! {
    per_level {
        gcp_hail_service_account: Email, what "Hail Batch service account",
            schema Email, read |ctx, e, _, _| ctx.email(e, &e.key);
        deployment_service_account: Email, what "Deployment (e.g. CI) service account",
            schema Email, read |ctx, e, _, _| ctx.email(e, &e.key);
        azure_hail_principal: Guid,
            what "Azure: the Entra ID object id (a GUID) of the Hail Batch account",
            schema Guid, read |ctx, e, _, _| ctx.guid(e, &e.key);
        azure_deployment_principal: Guid,
            what "Azure: the Entra ID object id (a GUID) of the deployment account",
            schema Guid, read |ctx, e, _, _| ctx.guid(e, &e.key);
    }
    keys {
        /// The clouds to deploy to; `["gcp"]` by default; non-empty, no repeats.
        deploy_locations: DeployLocations = DeployLocations::one(CloudName::gcp()),
            schema DeployLocations,
            read |ctx, e, _, _| ctx.deploy_locations(e);
        /// Create a requester-pays release bucket (default false).
        enable_release: bool = false, schema bool, read |ctx, e, _, _| ctx.bool(e, &e.key);
        /// Create a shared project (default false; needs `enable_release` and
        /// `shared_project_budget`).
        enable_shared_project: bool = false, schema bool, read |ctx, e, _, _| ctx.bool(e, &e.key);
        /// Monthly budget of the shared project, in the infrastructure's currency (> 0).
        shared_project_budget: Option<NonZeroU64> = None, schema NonZeroU64,
            read |ctx, e, _, _| ctx.whole(e, &e.key, "currency units", u64::MAX).map(Some);
        /// Datasets this dataset's groups get access to (a repeat is ignored with a warning;
        /// never the dataset itself).
        depends_on: Vec<DatasetName> = Vec::new(), schema Vec<DatasetName>,
            read |ctx, e, name, warnings| ctx.depends_on(e, name, warnings);
        /// Extra buckets collaborators may upload to.
        additional_upload_buckets: Vec<BucketName> = Vec::new(), schema Vec<BucketName>,
            read |ctx, e, _, _| ctx.parsed_list(e, &e.key, BucketName::parse);
        /// Extra service accounts with read-only sample-metadata access.
        sm_read_only_sas: Vec<Email> = Vec::new(), schema Vec<Email>,
            read |ctx, e, _, _| ctx.parsed_list(e, &e.key, Email::parse);
        /// Extra service accounts with read-write sample-metadata access.
        sm_read_write_sas: Vec<Email> = Vec::new(), schema Vec<Email>,
            read |ctx, e, _, _| ctx.parsed_list(e, &e.key, Email::parse);
        /// Components per cloud, e.g. `{gcp = ["storage", "hail-accounts"]}`; a cloud without
        /// an entry gets every component.
        components: BTreeMap<CloudName, Vec<Component>> = BTreeMap::new(),
            schema BTreeMap<CloudName, Vec<Component>>,
            read |ctx, e, _, _| ctx.components(e, &e.key);
        /// Days before objects move to archive storage (> 0; 30 by default).
        archive_age: NonZeroU32 = DEFAULT_ARCHIVE_AGE, schema NonZeroU32,
            read |ctx, e, _, _| {
                let days = ctx.whole(e, &e.key, "days", u64::from(u32::MAX))?;
                Ok(NonZeroU32::try_from(days).unwrap_or(NonZeroU32::MAX))
            };
        /// When the dataset deploys to more than one cloud, store each cloud's
        /// workflow-engine credentials as secrets on the others (default true).
        cross_cloud_secrets: bool = true, schema bool, read |ctx, e, _, _| ctx.bool(e, &e.key);
        /// Existing resources to bring under management: logical resource name (as
        /// the plan names it) -> the cloud id to import (Pulumi `import`).
        adopt: BTreeMap<String, String> = BTreeMap::new(), schema BTreeMap<String, String>,
            read |ctx, e, _, _| ctx.adopt_map(e, &e.key);
        // ---- members as code, read-only dependencies ----
        /// Members of the dataset's groups: group kind (`access`, `web-access`,
        /// `release-access`, `test`, `standard`, `full`, `sample-metadata-main-read`, ...)
        /// -> user keys of `[infrastructure.users]` or `group:<name>` of
        /// `[[infrastructure.adhoc_groups]]`, e.g. `{"access": ["alex.smith"]}`.
        members: Members = Members::new(), schema Members,
            read |ctx, e, _, _| ctx.members(e, &e.key);
        /// Datasets whose data this dataset's groups may read, never write, each level at
        /// most what it reads under `depends_on`: the standard and full levels join each
        /// one's `main-read` group, the access group and every level its `test-read` group
        /// (which it creates with `main_read_group`). Not a dataset of `depends_on`, nor the
        /// reference dataset (already a full dependency).
        depends_on_readonly: Vec<DatasetName> = Vec::new(), schema Vec<DatasetName>,
            read |ctx, e, name, warnings| ctx.depends_on(e, name, warnings);
        /// Create the groups `<dataset>-main-read` (read on the main, main-tmp,
        /// main-analysis, main-web and upload buckets) and, with the test namespace,
        /// `<dataset>-test-read` (read on the test buckets), and export them, so other
        /// datasets can list this one in `depends_on_readonly` (default false).
        main_read_group: bool = false, schema bool, read |ctx, e, _, _| ctx.bool(e, &e.key);
        // ---- temporary read access on request ----
        /// Let the dataset's notebook account request temporary read access to the main
        /// bucket: it joins `<dataset>-tmp-main-read-access` (needs the notebooks
        /// component; default false). Members of that group (`members`, kind
        /// `tmp-main-read-access`) turn the feature on as well.
        allow_notebook_tmp_main_read: bool = false, schema bool,
            read |ctx, e, _, _| ctx.bool(e, &e.key);
        /// The longest temporary read access one request may ask for, in whole hours (24
        /// by default). Each cloud the dataset deploys to has its own limit, and the value
        /// must satisfy every one of them (gcp: Privileged Access Manager's, azure: Entra
        /// PIM for Groups'; the plugins' data/*-limits.toml, with their sources).
        tmp_main_read_max_hours: NonZeroU32 = DEFAULT_TMP_MAIN_READ_MAX_HOURS,
            schema NonZeroU32 { "maximum": MAX_TMP_MAIN_READ_HOURS },
            read |ctx, e, _, _| {
                let hours = ctx.whole(e, &e.key, "hours", MAX_TMP_MAIN_READ_HOURS.into())?;
                Ok(NonZeroU32::try_from(hours).unwrap_or(DEFAULT_TMP_MAIN_READ_MAX_HOURS))
            };
        // Opt-in storage features (optional test namespace, upload config, budgets,
        // storage policy).
        /// Create the test namespace: the test buckets, the `test` access level's group and
        /// machine accounts, the test sample-metadata groups and their grants (default true;
        /// false leaves them out and the plan notes what was left out).
        setup_test: bool = true, schema bool, read |ctx, e, _, _| ctx.bool(e, &e.key);
        /// Upload buckets and their uploaders, e.g. `{"default_bucket": {"uploaders":
        /// ["alex.smith"]}, "additional_buckets": [{"name": "partner", "uploaders":
        /// ["sam.jones"]}]}`: the default bucket's uploaders, and more buckets
        /// `<prefix><dataset>-main-upload-<name>` (the default bucket's settings and grants)
        /// with their own. Uploaders are user keys of `[infrastructure.users]` and may write
        /// and delete objects. Not with `additional_upload_buckets`.
        upload_config: Option<UploadConfig> = None, schema UploadConfig,
            read |ctx, e, _, _| ctx.upload_config(e, &e.key);
        /// Budgets per cloud, e.g. `{"gcp": {"monthly_budget": 500}, "azure":
        /// {"monthly_budget": 300}}`: a monthly budget of the dataset's project (GCP) or
        /// resource group (Azure), notifying at the organisation's
        /// `budget_notification_thresholds`; optional `shared_total_budget` (the shared
        /// project's budget on that cloud, instead of `shared_project_budget`) and
        /// `currency` (instead of `budget_currency`). Each cloud one of `deploy_locations`.
        budgets: Budgets = Budgets::new(), schema Budgets,
            read |ctx, e, _, _| ctx.budgets(e, &e.key);
        /// Turn on GCP Autoclass (objects move between storage classes by access) on the
        /// buckets the blueprint allows it for (not archive or temporary buckets; default
        /// false; clouds without it say so in the plan).
        autoclass: bool = false, schema bool, read |ctx, e, _, _| ctx.bool(e, &e.key);
        /// The region of this dataset's storage per cloud, instead of the organisation's,
        /// e.g. `{"gcp": "australia-southeast2"}`: GCP bucket locations; Azure's resource
        /// group and storage account location. Each cloud one of `deploy_locations`.
        /// Changing it replaces existing buckets (`diff` flags data-loss).
        region: BTreeMap<CloudName, Region> = BTreeMap::new(),
            schema BTreeMap<CloudName, Region>,
            read |ctx, e, _, _| ctx.regions(e, &e.key);
    }
}
