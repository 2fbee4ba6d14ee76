//! A dataset's `upload_config`: who may upload to the default upload
//! bucket, and additional upload buckets (`<prefix><dataset>-main-upload-<name>`) with their
//! own uploaders. Uploaders are user keys of the registry (`[infrastructure.users]`).
//! Upload dropboxes are `dropboxes.rs`.
//! The replacement of the legacy `additional_upload_buckets` list: a dataset sets one or
//! the other.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::Serialize;

use crate::dataset::DatasetConfig;
use crate::dropboxes::{UploadDropbox, dropbox_problems};
use crate::infrastructure::InfrastructureConfig;
use crate::members::known_user;
use crate::names::{UploadBucketName, UserKey};

/// `upload_config`: the default upload bucket's uploaders and the additional upload
/// buckets, e.g. `{"default_bucket": {"uploaders": ["alex.smith"]}, "additional_buckets":
/// [{"name": "partner", "uploaders": ["sam.jones"]}]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadConfig {
    /// The default upload bucket, `<prefix><dataset>-main-upload`.
    #[serde(default)]
    pub default_bucket: UploadBucket,
    /// More upload buckets, each `<prefix><dataset>-main-upload-<name>`, with the default
    /// bucket's settings and grants plus their own uploaders.
    #[serde(default)]
    pub additional_buckets: Vec<AdditionalUploadBucket>,
    /// Upload dropboxes, each `<prefix><dataset>-main-upload-db-<id>`, served by the
    /// organisation's dropbox server (`[infrastructure.data_dropbox]`).
    #[serde(default)]
    pub dropboxes: Vec<UploadDropbox>,
}

/// The uploaders of an upload bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadBucket {
    /// Users (keys of `[infrastructure.users]`) who may write and delete objects in it.
    #[serde(default)]
    pub uploaders: Vec<UserKey>,
}

/// An additional upload bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdditionalUploadBucket {
    /// The bucket is `<prefix><dataset>-main-upload-<name>`.
    pub name: UploadBucketName,
    /// Users (keys of `[infrastructure.users]`) who may write and delete objects in it.
    #[serde(default)]
    pub uploaders: Vec<UserKey>,
}

impl UploadConfig {
    /// The bucket suffix (after `<prefix><dataset>-`) of each upload bucket with its
    /// uploaders: `main-upload` first, then the additional buckets in order.
    pub fn buckets(&self) -> Vec<(String, &[UserKey])> {
        let mut out = vec![(
            "main-upload".to_owned(),
            self.default_bucket.uploaders.as_slice(),
        )];
        out.extend(
            self.additional_buckets
                .iter()
                .map(|bucket| (bucket.suffix(), bucket.uploaders.as_slice())),
        );
        out
    }
}

impl AdditionalUploadBucket {
    /// The bucket's name after `<prefix><dataset>-`: `main-upload-<name>`.
    pub fn suffix(&self) -> String {
        format!("main-upload-{}", self.name)
    }
}

/// The rules of `upload_config` (every problem): not with `additional_upload_buckets`,
/// each additional bucket named once, each uploader a known user, listed once per
/// bucket, with an id on every cloud the dataset deploys to.
pub(crate) fn upload_problems(ds: &DatasetConfig, infra: &InfrastructureConfig) -> Vec<String> {
    let Some(config) = &ds.upload_config else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if !ds.additional_upload_buckets.is_empty() {
        out.push(
            "datasets:upload_config and datasets:additional_upload_buckets are both set; move the legacy buckets into upload_config.additional_buckets (named `<prefix><dataset>-main-upload-<name>`) or keep the legacy list alone".to_string(),
        );
    }
    out.extend(dropbox_problems(config));
    let mut names = BTreeSet::new();
    for (i, bucket) in config.additional_buckets.iter().enumerate() {
        if !names.insert(&bucket.name) {
            out.push(format!(
                "datasets:upload_config.additional_buckets[{i}].name: `{}` is given twice; name each bucket once",
                bucket.name
            ));
        }
    }
    let lists = std::iter::once((
        "default_bucket".to_owned(),
        &config.default_bucket.uploaders,
    ))
    .chain(
        config
            .additional_buckets
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("additional_buckets[{i}]"), &b.uploaders)),
    )
    .chain(
        config
            .dropboxes
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("dropboxes[{i}]"), &d.uploaders)),
    );
    for (path, uploaders) in lists {
        let mut listed = BTreeSet::new();
        for (j, key) in uploaders.iter().enumerate() {
            let context = format!("datasets:upload_config.{path}.uploaders[{j}]");
            if !listed.insert(key) {
                out.push(format!("{context}: `{key}` is listed twice; keep one"));
                continue;
            }
            match known_user(infra, key) {
                Ok(user) => {
                    for cloud in ds.deploy_locations.iter() {
                        if !user.clouds.contains_key(cloud) {
                            out.push(format!(
                                "{context}: user `{key}` has no id on {cloud}, which this dataset deploys to; add [infrastructure.users.{key}.clouds.{cloud}] id = \"...\" to cpg.toml, or remove the uploader"
                            ));
                        }
                    }
                }
                Err(message) => out.push(format!("{context}: {message}")),
            }
        }
    }
    out
}
