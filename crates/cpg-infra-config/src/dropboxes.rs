//! A dataset's upload dropboxes, `upload_config.dropboxes`: buckets
//! `<prefix><dataset>-main-upload-db-<id>` that the organisation's dropbox server receives
//! uploads into, for the uploaders it lists, and optionally moves them on to one of the
//! dataset's upload buckets (`move_to_bucket`). The server reads each dataset's dropboxes
//! from that dataset's own configuration secret (the blueprint's `dropboxes.rs`).

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::names::{DropboxId, UploadBucketName, UserKey};
use crate::raw::RawValue;
use crate::upload_config::UploadConfig;

/// The `move_to_bucket` value that names the default upload bucket.
pub const DEFAULT_UPLOAD_BUCKET: &str = "default";

/// One upload dropbox, e.g. `{"id": "partner", "name": "Partner uploads",
/// "allowed_filetypes": [".cram"], "uploaders": ["sam.jones"], "move_to_bucket":
/// "default"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadDropbox {
    /// The dropbox's bucket is `<prefix><dataset>-main-upload-db-<id>`; unique in the dataset.
    pub id: DropboxId,
    /// What the dropbox server shows uploaders.
    #[serde(deserialize_with = "non_empty")]
    pub name: String,
    /// The file types the server accepts (e.g. `.cram`), passed to it as given.
    pub allowed_filetypes: Vec<String>,
    /// Users (keys of `[infrastructure.users]`) the server lets upload; resolved to their
    /// ids in the server's configuration.
    pub uploaders: Vec<UserKey>,
    /// How many files one uploader may send at once (the server's default when absent).
    #[serde(default)]
    pub max_concurrent_files: Option<NonZeroU32>,
    /// A longer description for uploaders.
    #[serde(default)]
    pub description: Option<String>,
    /// The largest file the server accepts (e.g. `100GB`), passed to it as given.
    #[serde(default)]
    pub max_file_size: Option<String>,
    /// Where the server moves complete uploads: `default` (the default upload bucket) or
    /// the `name` of one of `upload_config.additional_buckets`; absent, they stay.
    #[serde(default)]
    pub move_to_bucket: Option<String>,
}

fn non_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let s = String::deserialize(deserializer)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom("must not be empty"));
    }
    Ok(s)
}

/// Reads `upload_config.dropboxes` (at `path`) from `value`: a list of dropboxes, every
/// problem of every entry reported (at `<path>[<i>]`).
pub(crate) fn read_dropboxes(
    value: &RawValue,
    path: &str,
    err: &dyn Fn(&str, String) -> ConfigError,
    problems: &mut Vec<ConfigError>,
) -> Vec<UploadDropbox> {
    let RawValue::Seq(items) = value else {
        problems.push(err(
            path,
            format!(
                "must be a list of {{\"id\": ..., \"name\": ..., \"allowed_filetypes\": [...], \"uploaders\": [...]}}, got {}",
                value.type_name()
            ),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match serde_json::from_value::<UploadDropbox>(item.to_json()) {
            Ok(dropbox) => out.push(dropbox),
            Err(e) => problems.push(err(&format!("{path}[{i}]"), e.to_string())),
        }
    }
    out
}

/// The rules of `upload_config.dropboxes` that need the rest of the upload config (every
/// problem): each id once, `move_to_bucket` one of the dataset's upload buckets. The
/// uploaders are checked with the other upload lists (`upload_config.rs`).
pub(crate) fn dropbox_problems(config: &UploadConfig) -> Vec<String> {
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    let buckets: Vec<&UploadBucketName> =
        config.additional_buckets.iter().map(|b| &b.name).collect();
    for (i, dropbox) in config.dropboxes.iter().enumerate() {
        let path = format!("datasets:upload_config.dropboxes[{i}]");
        if !ids.insert(&dropbox.id) {
            out.push(format!(
                "{path}.id: dropbox `{}` is given twice; give each dropbox its own id",
                dropbox.id
            ));
        }
        if let Some(target) = &dropbox.move_to_bucket
            && target != DEFAULT_UPLOAD_BUCKET
            && !buckets.iter().any(|b| b.as_str() == target)
        {
            let known: Vec<String> = std::iter::once(format!("`{DEFAULT_UPLOAD_BUCKET}`"))
                .chain(buckets.iter().map(|b| format!("`{b}`")))
                .collect();
            out.push(format!(
                "{path}.move_to_bucket: `{target}` is not an upload bucket of this dataset; use one of {} (the name of an upload_config.additional_buckets entry, or `{DEFAULT_UPLOAD_BUCKET}` for the default upload bucket)",
                known.join(", ")
            ));
        }
    }
    out
}
