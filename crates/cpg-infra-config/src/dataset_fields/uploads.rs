//! Reader of a dataset entry's `upload_config` (additional upload buckets and their
//! uploaders), every problem of the value at once.

use super::{Ctx, got, name_err};
use crate::dropboxes::read_dropboxes;
use crate::error::{ConfigError, did_you_mean};
use crate::names::{UploadBucketName, UserKey, shown};
use crate::raw::{RawEntry, RawValue};
use crate::upload_config::{AdditionalUploadBucket, UploadConfig};

impl Ctx<'_> {
    /// `upload_config` (see [`UploadConfig`]): every problem of the value at once.
    pub(crate) fn upload_config(
        &self,
        e: &RawEntry,
        field: &str,
    ) -> Result<Option<UploadConfig>, ConfigError> {
        let example = r#"{"default_bucket": {"uploaders": ["alex.smith"]}, "additional_buckets": [{"name": "partner", "uploaders": ["sam.jones"]}]}"#;
        let entries = self.structured_map(e, field, example, || {
            format!("be an object, e.g. '{example}'")
        })?;
        let mut problems = Vec::new();
        let mut out = UploadConfig::default();
        for (key, item) in entries.iter() {
            let path = format!("{field}.{key}");
            match key.as_str() {
                "default_bucket" => {
                    if let Some((_, uploaders)) =
                        self.uploaders_of(e, &path, item, false, &mut problems)
                    {
                        out.default_bucket.uploaders = uploaders;
                    }
                }
                "additional_buckets" => {
                    let RawValue::Seq(items) = item else {
                        problems.push(self.err(
                            e.pos,
                            &path,
                            format!(
                                "must be a list of {{\"name\": ..., \"uploaders\": [...]}}, got {}",
                                got(item)
                            ),
                        ));
                        continue;
                    };
                    for (i, bucket) in items.iter().enumerate() {
                        let path = format!("{path}[{i}]");
                        let Some((name, uploaders)) =
                            self.uploaders_of(e, &path, bucket, true, &mut problems)
                        else {
                            continue;
                        };
                        match name {
                            Some(name) => out
                                .additional_buckets
                                .push(AdditionalUploadBucket { name, uploaders }),
                            None => problems.push(self.err(
                                e.pos,
                                &format!("{path}.name"),
                                "is missing; give the bucket a name (it becomes `<prefix><dataset>-main-upload-<name>`)",
                            )),
                        }
                    }
                }
                "dropboxes" => {
                    let err = |path: &str, message: String| self.err(e.pos, path, message);
                    out.dropboxes = read_dropboxes(item, &path, &err, &mut problems);
                }
                other => {
                    let known = ["default_bucket", "additional_buckets", "dropboxes"];
                    let hint = did_you_mean(other, known, |c| format!("`{c}`"));
                    problems.push(self.err(
                        e.pos,
                        &path,
                        format!("unknown key `{}`{hint}", shown(other)),
                    ));
                }
            }
        }
        ConfigError::collect(problems)?;
        Ok(Some(out))
    }

    /// An object with `uploaders` (and, when `named`, the bucket's `name`); `None` when it
    /// has problems (recorded in `problems`).
    pub(super) fn uploaders_of(
        &self,
        e: &RawEntry,
        path: &str,
        value: &RawValue,
        named: bool,
        problems: &mut Vec<ConfigError>,
    ) -> Option<(Option<UploadBucketName>, Vec<UserKey>)> {
        let entries = self.object_with(e, path, value, "uploaders", problems)?;
        let before = problems.len();
        let mut name = None;
        let mut uploaders = Vec::new();
        for (key, item) in entries {
            let key_path = format!("{path}.{key}");
            match (key.as_str(), item) {
                ("uploaders", RawValue::Seq(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let parsed = match item {
                            RawValue::Str(s) => UserKey::parse(s).map_err(|err| name_err(&err)),
                            other => {
                                Err(format!("must be a user key (a string), got {}", got(other)))
                            }
                        };
                        match parsed {
                            Ok(key) => uploaders.push(key),
                            Err(message) => {
                                problems.push(self.err(
                                    e.pos,
                                    &format!("{key_path}[{i}]"),
                                    message,
                                ));
                            }
                        }
                    }
                }
                ("uploaders", other) => problems.push(self.err(
                    e.pos,
                    &key_path,
                    format!("must be a list of user keys, got {}", got(other)),
                )),
                ("name", RawValue::Str(s)) if named => match UploadBucketName::parse(s) {
                    Ok(parsed) => name = Some(parsed),
                    Err(err) => problems.push(self.err(e.pos, &key_path, name_err(&err))),
                },
                ("name", other) if named => problems.push(self.err(
                    e.pos,
                    &key_path,
                    format!("must be a string, got {}", got(other)),
                )),
                (other, _) => {
                    let known: &[&str] = if named {
                        &["uploaders", "name"]
                    } else {
                        &["uploaders"]
                    };
                    let hint = did_you_mean(other, known.iter().copied(), |c| format!("`{c}`"));
                    problems.push(self.err(
                        e.pos,
                        &key_path,
                        format!("unknown key `{}`{hint}", shown(other)),
                    ));
                }
            }
        }
        (problems.len() == before).then_some((name, uploaders))
    }
}
