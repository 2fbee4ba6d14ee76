//! Reads a dataset's entries, the same way for all three sources (stack files,
//! `PULUMI_CONFIG` and TOML): the value readers the key table (`dataset_keys.rs`) uses, the
//! keys outside it (`dataset`, TOML's `gcp_project` and `provider_config`, legacy keys),
//! and the checks on the entries as a whole (repeats, nulls, secrets, unknown keys).
//!
//! Stack files and `PULUMI_CONFIG` carry Pulumi-style values (strings such as `"true"`, `"365"`
//! or a JSON list inside a string, as well as plain YAML/JSON values); TOML values must have
//! their native type.

use std::collections::BTreeMap;
use std::num::NonZeroU64;

use crate::budgets::{Budget, Budgets};
use crate::component::Component;
use crate::dataset::DatasetConfig;
use crate::dataset_keys::{DATASET_KEYS, read_key};
use crate::deploy_locations::DeployLocations;
use crate::dropboxes::read_dropboxes;
use crate::error::{ConfigError, Pos, at, did_you_mean};
use crate::members::{GroupKind, MemberRef, Members};
use crate::names::{
    CloudName, DatasetName, Email, GcpProjectId, NameError, Region, UploadBucketName, UserKey,
    shown,
};
use crate::raw::{RawEntry, RawValue};
use crate::upload_config::{AdditionalUploadBucket, UploadConfig};
use crate::values::{Currency, Guid};

/// Keys only TOML dataset tables have (stack files use `gcp:project` and other namespaces).
pub(crate) const TOML_ONLY_KEYS: &[&str] = &["gcp_project", "provider_config"];

/// Keys that are accepted but ignored, with a warning.
pub(crate) const LEGACY_KEYS: &[&str] = &["customer_id"];

/// The value shown instead of a Pulumi secret.
pub const SECRET_PLACEHOLDER: &str = "[secret]";

/// How keys are spelled in the source being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// A Pulumi stack file: `datasets:archive_age`, Pulumi-style string values.
    Stack,
    /// `PULUMI_CONFIG`: like a stack file.
    Env,
    /// A `[datasets.<name>]` table of `cpg.toml`: `datasets.<name>.archive_age`.
    TomlTable,
    /// A `datasets/<name>.toml` file: `archive_age`.
    TomlFile,
}

/// Where the entries being interpreted come from.
pub(crate) struct Ctx<'a> {
    /// The file name (or `PULUMI_CONFIG`).
    pub origin: &'a str,
    /// How keys are spelled.
    pub style: Style,
    /// The dataset name as given by the file name / stack / table name.
    pub name: &'a str,
}

impl Ctx<'_> {
    /// The key path of dataset field `field` in this source.
    pub(crate) fn path(&self, field: &str) -> String {
        match self.style {
            Style::Stack | Style::Env => format!("datasets:{field}"),
            Style::TomlTable => format!("datasets.{}.{field}", self.name),
            Style::TomlFile => field.to_string(),
        }
    }

    fn pulumi_strings(&self) -> bool {
        matches!(self.style, Style::Stack | Style::Env)
    }

    fn err(&self, pos: Option<Pos>, field: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::key(self.origin, pos, self.path(field), message)
    }

    fn warn(&self, pos: Option<Pos>, key: &str, message: &str) -> String {
        let w = format!("{}: {key}: {message}", at(self.origin, pos));
        tracing::warn!("{w}");
        w
    }
}

fn name_err(e: &NameError) -> String {
    e.to_string()
}

fn got(v: &RawValue) -> String {
    match v {
        RawValue::Str(s) => format!("the string \"{}\"", shown(s)),
        RawValue::Int(i) => format!("{i}"),
        // Beyond 2^53 a number is not held exactly: show it as the reader saw it.
        RawValue::Float(f) if f.abs() >= 9.0e15 => format!("{f:e}"),
        RawValue::Float(f) => format!("{f}"),
        RawValue::Bool(b) => format!("{b}"),
        other => other.type_name().to_string(),
    }
}

impl Ctx<'_> {
    pub(crate) fn bool(&self, e: &RawEntry, field: &str) -> Result<bool, ConfigError> {
        match &e.value {
            RawValue::Bool(b) => Ok(*b),
            RawValue::Str(s) if self.pulumi_strings() && s.eq_ignore_ascii_case("true") => Ok(true),
            RawValue::Str(s) if self.pulumi_strings() && s.eq_ignore_ascii_case("false") => {
                Ok(false)
            }
            other => Err(self.err(
                e.pos,
                field,
                format!("must be true or false, got {}", got(other)),
            )),
        }
    }

    pub(crate) fn whole(
        &self,
        e: &RawEntry,
        field: &str,
        what: &str,
        max: u64,
    ) -> Result<NonZeroU64, ConfigError> {
        let n: Option<i128> = match &e.value {
            RawValue::Int(i) => Some(*i),
            RawValue::Str(s)
                if self.pulumi_strings()
                    && !s.is_empty()
                    && s.len() <= 30
                    && s.chars().all(|c| c.is_ascii_digit() || c == '-') =>
            {
                s.parse::<i128>().ok()
            }
            _ => None,
        };
        match n {
            Some(n) if n > 0 && n <= i128::from(max) => Ok(u64::try_from(n)
                .ok()
                .and_then(NonZeroU64::new)
                .unwrap_or(NonZeroU64::MAX)),
            Some(n) if n > 0 => Err(self.err(
                e.pos,
                field,
                format!("must be a whole number of {what} > 0 and at most {max}, got {n}"),
            )),
            _ => Err(self.err(
                e.pos,
                field,
                format!(
                    "must be a whole number of {what} > 0, got {}",
                    got(&e.value)
                ),
            )),
        }
    }

    pub(crate) fn string<'v>(&self, e: &'v RawEntry, field: &str) -> Result<&'v str, ConfigError> {
        match &e.value {
            RawValue::Str(s) => Ok(s),
            other => Err(self.err(
                e.pos,
                field,
                format!("must be a string, got {}", got(other)),
            )),
        }
    }

    pub(crate) fn email(&self, e: &RawEntry, field: &str) -> Result<Email, ConfigError> {
        let s = self.string(e, field)?;
        Email::parse(s).map_err(|err| self.err(e.pos, field, name_err(&err)))
    }

    /// An Entra ID object id (a GUID).
    pub(crate) fn guid(&self, e: &RawEntry, field: &str) -> Result<Guid, ConfigError> {
        let s = self.string(e, field)?;
        Guid::parse(s).map_err(|_| {
            self.err(
                e.pos,
                field,
                format!(
                    "must be an Entra ID object id (a GUID such as `0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f`), got `{}`",
                    shown(s)
                ),
            )
        })
    }

    /// Reads a JSON document stored in a Pulumi string value.
    /// The value of `e`, with a Pulumi-style JSON-in-a-string (`'["a", "b"]'`) parsed
    /// into its structure; `example` shows the expected shape in messages.
    fn structured<'v>(
        &self,
        e: &'v RawEntry,
        field: &str,
        example: &str,
    ) -> Result<std::borrow::Cow<'v, RawValue>, ConfigError> {
        Ok(match &e.value {
            RawValue::Str(s) if self.pulumi_strings() => {
                std::borrow::Cow::Owned(self.json_in_string(e, field, s, example)?)
            }
            other => std::borrow::Cow::Borrowed(other),
        })
    }

    fn json_in_string(
        &self,
        e: &RawEntry,
        field: &str,
        s: &str,
        example: &str,
    ) -> Result<RawValue, ConfigError> {
        let mut de = serde_json::Deserializer::from_str(s);
        let parsed = serde::Deserialize::deserialize(&mut de).and_then(|v: RawValue| {
            de.end()?;
            Ok(v)
        });
        parsed.map_err(|err| {
            let mut msg = err.to_string();
            if let Some(i) = msg.rfind(" at line ") {
                msg.truncate(i);
            }
            let msg = crate::messages::humanize(&msg);
            self.err(
                e.pos,
                field,
                format!(
                    "is not valid JSON (column {} of the value: {msg}); write it as JSON, e.g. '{example}'",
                    err.column().max(1)
                ),
            )
        })
    }

    /// A list of strings: a list, or (Pulumi sources) a JSON list inside a string.
    fn string_list(&self, e: &RawEntry, field: &str) -> Result<Vec<String>, ConfigError> {
        let example = r#"["alpha-study", "beta-cohort"]"#;
        let value = self.structured(e, field, example)?;
        let value = value.as_ref();
        match value {
            RawValue::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    RawValue::Str(s) => Ok(s.clone()),
                    other => Err(self.err(
                        e.pos,
                        field,
                        format!("item {i} must be a string, got {}", got(other)),
                    )),
                })
                .collect(),
            other => Err(self.err(
                e.pos,
                field,
                format!(
                    "must be a list of strings, e.g. {}, got {}",
                    if self.pulumi_strings() {
                        format!("'{example}'")
                    } else {
                        example.to_string()
                    },
                    got(other)
                ),
            )),
        }
    }

    pub(crate) fn parsed_list<T>(
        &self,
        e: &RawEntry,
        field: &str,
        parse: impl Fn(&str) -> Result<T, NameError>,
    ) -> Result<Vec<T>, ConfigError> {
        self.string_list(e, field)?
            .iter()
            .map(|s| parse(s).map_err(|err| self.err(e.pos, field, name_err(&err))))
            .collect()
    }

    /// A map of logical resource names to cloud ids (`adopt`).
    pub(crate) fn adopt_map(
        &self,
        e: &RawEntry,
        field: &str,
    ) -> Result<BTreeMap<String, String>, ConfigError> {
        let example = r#"{"cpg-alpha-main": "alpha-5530/cpg-alpha-main"}"#;
        let value = self.structured(e, field, example)?;
        let value = value.as_ref();
        let RawValue::Map(entries) = value else {
            return Err(self.err(
                e.pos,
                field,
                format!(
                    "must map logical resource names to the cloud ids of existing resources, e.g. '{example}', got {}",
                    got(value)
                ),
            ));
        };
        let mut out = BTreeMap::new();
        for (name, id) in entries {
            let RawValue::Str(id) = id else {
                return Err(self.err(
                    e.pos,
                    &format!("{field}.\"{name}\""),
                    format!(
                        "must be the cloud id of the existing resource (a string), got {}",
                        got(id)
                    ),
                ));
            };
            if name.trim().is_empty() || id.trim().is_empty() || id.chars().any(char::is_whitespace)
            {
                return Err(self.err(
                    e.pos,
                    &format!("{field}.\"{name}\""),
                    format!(
                        "needs a logical resource name and a cloud id without whitespace, got \"{}\" = \"{}\"",
                        shown(name),
                        shown(id)
                    ),
                ));
            }
            out.insert(name.clone(), id.clone());
        }
        Ok(out)
    }

    pub(crate) fn components(
        &self,
        e: &RawEntry,
        field: &str,
    ) -> Result<BTreeMap<CloudName, Vec<Component>>, ConfigError> {
        let example = r#"{"gcp": ["storage", "hail-accounts"]}"#;
        let value = self.structured(e, field, example)?;
        let value = value.as_ref();
        let RawValue::Map(entries) = value else {
            return Err(self.err(
                e.pos,
                field,
                format!(
                    "must map each cloud to a list of components, e.g. {}, got {}",
                    if self.pulumi_strings() {
                        format!("'{example}'")
                    } else {
                        "{gcp = [\"storage\"]}".to_string()
                    },
                    got(value)
                ),
            ));
        };
        let mut out = BTreeMap::new();
        for (cloud, list) in entries {
            let cloud_name = CloudName::parse(cloud)
                .map_err(|err| self.err(e.pos, field, format!("cloud key: {}", name_err(&err))))?;
            let RawValue::Seq(items) = list else {
                return Err(self.err(
                    e.pos,
                    field,
                    format!(
                        "the value for `{cloud}` must be a list of components, got {}",
                        got(list)
                    ),
                ));
            };
            let mut comps = Vec::with_capacity(items.len());
            for item in items {
                let comp = match item {
                    RawValue::Str(s) => Component::parse(s).ok_or_else(|| {
                        self.err(
                            e.pos,
                            field,
                            format!(
                                "unknown component `{}` for `{cloud}`; valid components: {}",
                                shown(s),
                                Component::valid_names()
                            ),
                        )
                    })?,
                    other => {
                        return Err(self.err(
                            e.pos,
                            field,
                            format!(
                                "components of `{cloud}` must be strings, got {}",
                                got(other)
                            ),
                        ));
                    }
                };
                comps.push(comp);
            }
            if out.insert(cloud_name, comps).is_some() {
                return Err(self.err(e.pos, field, format!("cloud `{cloud}` is listed twice")));
            }
        }
        Ok(out)
    }
}

impl Ctx<'_> {
    /// `members`: group kind -> list of user keys or `group:<name>`.
    pub(crate) fn members(&self, e: &RawEntry, field: &str) -> Result<Members, ConfigError> {
        let example = r#"{"access": ["alex.smith"], "web-access": ["group:data-managers"]}"#;
        let value = self.structured(e, field, example)?;
        let value = value.as_ref();
        let RawValue::Map(entries) = value else {
            return Err(self.err(
                e.pos,
                field,
                format!(
                    "must map group kinds to lists of user keys, e.g. '{example}', got {}",
                    got(value)
                ),
            ));
        };
        let mut out = Members::new();
        let mut problems = Vec::new();
        for (kind, list) in entries {
            let path = format!("{field}.{kind}");
            let Some(group) = GroupKind::parse(kind) else {
                let hint = did_you_mean(kind, GroupKind::ALL.iter().map(|k| k.as_str()), |c| {
                    format!("`{c}`")
                });
                problems.push(self.err(
                    e.pos,
                    &path,
                    format!("unknown group kind `{}`{hint}", shown(kind)),
                ));
                continue;
            };
            let RawValue::Seq(items) = list else {
                problems.push(self.err(
                    e.pos,
                    &path,
                    format!("must be a list of user keys, got {}", got(list)),
                ));
                continue;
            };
            let mut members = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let parsed = match item {
                    RawValue::Str(s) => MemberRef::parse(s),
                    other => Err(format!("must be a string, got {}", got(other))),
                };
                match parsed {
                    Ok(member) => members.push(member),
                    Err(message) => {
                        problems.push(self.err(e.pos, &format!("{path}[{i}]"), message));
                    }
                }
            }
            out.insert(group, members);
        }
        ConfigError::collect(problems)?;
        Ok(out)
    }

    /// `deploy_locations`: a non-empty list of clouds without repeats.
    pub(crate) fn deploy_locations(&self, e: &RawEntry) -> Result<DeployLocations, ConfigError> {
        let field = e.key.as_str();
        let clouds = self.parsed_list(e, field, CloudName::parse)?;
        DeployLocations::new(clouds).map_err(|message| self.err(e.pos, field, message))
    }

    /// `depends_on`: datasets other than `name`; a repeat is dropped with a warning.
    pub(crate) fn depends_on(
        &self,
        e: &RawEntry,
        name: &DatasetName,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<DatasetName>, ConfigError> {
        let field = e.key.as_str();
        let deps = self.parsed_list(e, field, DatasetName::parse)?;
        let mut unique: Vec<DatasetName> = Vec::with_capacity(deps.len());
        for d in deps {
            if d == *name {
                return Err(self.err(
                    e.pos,
                    field,
                    format!("dataset `{name}` cannot depend on itself; remove it from the list"),
                ));
            }
            if unique.contains(&d) {
                warnings.push(self.warn(
                    e.pos,
                    &self.path(field),
                    &format!("`{d}` is listed twice; the repeat is ignored"),
                ));
            } else {
                unique.push(d);
            }
        }
        Ok(unique)
    }
}

// ---- opt-in storage features: readers ----
impl Ctx<'_> {
    /// A map from cloud names to values of one shape (`region`, `budgets`): the value as
    /// JSON text (or a native map), each cloud key a valid cloud name, each value read by
    /// `item` (which records its own problems and returns `None` on one); every problem of
    /// the value at once. `what` completes "must map each cloud to ...".
    fn per_cloud<T>(
        &self,
        e: &RawEntry,
        field: &str,
        example: &str,
        what: &str,
        mut item: impl FnMut(&str, &RawValue, &mut Vec<ConfigError>) -> Option<T>,
    ) -> Result<BTreeMap<CloudName, T>, ConfigError> {
        let value = self.structured(e, field, example)?;
        let value = value.as_ref();
        let RawValue::Map(entries) = value else {
            return Err(self.err(
                e.pos,
                field,
                format!(
                    "must map each cloud to {what}, e.g. '{example}', got {}",
                    got(value)
                ),
            ));
        };
        let mut problems = Vec::new();
        let mut out = BTreeMap::new();
        for (cloud, value) in entries {
            let path = format!("{field}.{cloud}");
            match CloudName::parse(cloud) {
                Ok(cloud) => {
                    if let Some(parsed) = item(&path, value, &mut problems) {
                        out.insert(cloud, parsed);
                    }
                }
                Err(err) => {
                    problems.push(self.err(e.pos, &path, format!("cloud key: {}", name_err(&err))))
                }
            }
        }
        ConfigError::collect(problems)?;
        Ok(out)
    }

    /// `region`: cloud -> region.
    pub(crate) fn regions(
        &self,
        e: &RawEntry,
        field: &str,
    ) -> Result<BTreeMap<CloudName, Region>, ConfigError> {
        let example = r#"{"gcp": "australia-southeast2"}"#;
        self.per_cloud(e, field, example, "a region", |path, item, problems| {
            let parsed = match item {
                RawValue::Str(s) => Region::parse(s).map_err(|err| name_err(&err)),
                other => Err(format!("must be a region (a string), got {}", got(other))),
            };
            parsed
                .map_err(|message| problems.push(self.err(e.pos, path, message)))
                .ok()
        })
    }

    /// `budgets` (see [`Budget`]): cloud -> `{"monthly_budget": ..., "shared_total_budget":
    /// ..., "currency": ...}`; every problem of the value at once.
    pub(crate) fn budgets(&self, e: &RawEntry, field: &str) -> Result<Budgets, ConfigError> {
        let example = r#"{"gcp": {"monthly_budget": 500}, "azure": {"monthly_budget": 300, "currency": "AUD"}}"#;
        self.per_cloud(e, field, example, "its budgets", |path, item, problems| {
            self.budget(e, path, item, problems)
        })
    }

    /// One cloud's entry of `budgets` at `path`; `None`, with the problems recorded, when it
    /// has any.
    fn budget(
        &self,
        e: &RawEntry,
        path: &str,
        item: &RawValue,
        problems: &mut Vec<ConfigError>,
    ) -> Option<Budget> {
        let RawValue::Map(settings) = item else {
            problems.push(self.err(
                e.pos,
                path,
                format!("must be an object with `monthly_budget`, got {}", got(item)),
            ));
            return None;
        };
        let before = problems.len();
        let (mut monthly, mut shared, mut currency) = (None, None, None);
        for (key, v) in settings {
            let key_path = format!("{path}.{key}");
            match key.as_str() {
                "monthly_budget" => monthly = self.amount(e, &key_path, v, problems),
                "shared_total_budget" => shared = self.amount(e, &key_path, v, problems),
                "currency" => match v {
                    RawValue::Str(s) => match Currency::parse(s) {
                        Ok(c) => currency = Some(c),
                        Err(err) => problems.push(self.err(e.pos, &key_path, err.to_string())),
                    },
                    other => problems.push(self.err(
                        e.pos,
                        &key_path,
                        format!(
                            "must be a currency code such as \"AUD\", got {}",
                            got(other)
                        ),
                    )),
                },
                other => {
                    let hint = did_you_mean(
                        other,
                        ["monthly_budget", "shared_total_budget", "currency"],
                        |c| format!("`{c}`"),
                    );
                    problems.push(self.err(
                        e.pos,
                        &key_path,
                        format!("unknown key `{}`{hint}", shown(other)),
                    ));
                }
            }
        }
        if problems.len() != before {
            return None;
        }
        let Some(monthly_budget) = monthly else {
            problems.push(self.err(
                e.pos,
                &format!("{path}.monthly_budget"),
                "is missing; give the monthly budget in whole currency units (> 0)",
            ));
            return None;
        };
        Some(Budget {
            monthly_budget,
            shared_total_budget: shared,
            currency,
        })
    }

    /// A whole amount of currency units > 0 (`None`, with the problem recorded, otherwise).
    fn amount(
        &self,
        e: &RawEntry,
        path: &str,
        value: &RawValue,
        problems: &mut Vec<ConfigError>,
    ) -> Option<NonZeroU64> {
        let amount = match value {
            RawValue::Int(i) => u64::try_from(*i).ok().and_then(NonZeroU64::new),
            _ => None,
        };
        if amount.is_none() {
            problems.push(self.err(
                e.pos,
                path,
                format!(
                    "must be a whole number of currency units > 0 (at most {}), got {}",
                    u64::MAX,
                    got(value)
                ),
            ));
        }
        amount
    }
}

impl Ctx<'_> {
    /// `upload_config` (see [`UploadConfig`]): every problem of the value at once.
    pub(crate) fn upload_config(
        &self,
        e: &RawEntry,
        field: &str,
    ) -> Result<Option<UploadConfig>, ConfigError> {
        let example = r#"{"default_bucket": {"uploaders": ["alex.smith"]}, "additional_buckets": [{"name": "partner", "uploaders": ["sam.jones"]}]}"#;
        let value = self.structured(e, field, example)?;
        let value = value.as_ref();
        let RawValue::Map(entries) = value else {
            return Err(self.err(
                e.pos,
                field,
                format!("must be an object, e.g. '{example}', got {}", got(value)),
            ));
        };
        let mut problems = Vec::new();
        let mut out = UploadConfig::default();
        for (key, item) in entries {
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
    fn uploaders_of(
        &self,
        e: &RawEntry,
        path: &str,
        value: &RawValue,
        named: bool,
        problems: &mut Vec<ConfigError>,
    ) -> Option<(Option<UploadBucketName>, Vec<UserKey>)> {
        let RawValue::Map(entries) = value else {
            problems.push(self.err(
                e.pos,
                path,
                format!("must be an object with `uploaders`, got {}", got(value)),
            ));
            return None;
        };
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

/// A provider-config entry (any key outside the `datasets:` namespace).
pub(crate) struct ProviderEntry {
    /// The key, e.g. `gcp:project`.
    pub key: String,
    /// The value.
    pub value: RawValue,
    /// Where the key is.
    pub pos: Option<Pos>,
}

/// Builds a dataset configuration from its dataset entries (keys without namespace) and its
/// provider-config entries. Returns the configuration and the warnings, or every problem
/// (`errors` holds those found before, e.g. in the keys' namespaces).
pub(crate) fn build(
    ctx: &Ctx<'_>,
    fields: &[RawEntry],
    provider: &[ProviderEntry],
    mut errors: Vec<ConfigError>,
) -> Result<(DatasetConfig, Vec<String>), ConfigError> {
    let name = match DatasetName::parse(ctx.name) {
        Ok(name) => name,
        Err(err) => {
            let error = ConfigError::key(ctx.origin, None, "dataset name", name_err(&err));
            return Err(error.with_others(errors));
        }
    };
    let mut cfg = DatasetConfig::new(name.clone());
    let mut warnings = Vec::new();
    let toml = !ctx.pulumi_strings();
    let mut seen: BTreeMap<&str, Option<Pos>> = BTreeMap::new();
    let mut components_pos = None;

    for e in fields {
        let field = e.key.as_str();
        if let Some(prev) = seen.insert(field, e.pos) {
            errors.push(ctx.err(
                e.pos,
                field,
                format!(
                    "given twice (first at {}); keep only one",
                    at(ctx.origin, prev)
                ),
            ));
            continue;
        }
        if matches!(e.value, RawValue::Null) {
            errors.push(ctx.err(e.pos, field, "has no value; give a value or remove the key"));
            continue;
        }
        if e.value.is_secure() {
            errors.push(ctx.err(
                e.pos,
                field,
                "dataset settings cannot be Pulumi secrets; store the plain value",
            ));
            continue;
        }
        if field == "components" {
            components_pos = Some(e.pos);
        }
        if let Err(error) = apply(ctx, e, &name, &mut cfg, &mut warnings) {
            errors.push(error);
        }
    }

    // Provider config (stack files and PULUMI_CONFIG).
    for p in provider {
        let value = if p.value.is_secure() {
            SECRET_PLACEHOLDER.to_string()
        } else {
            p.value.to_config_string()
        };
        if p.key == "gcp:project" {
            match GcpProjectId::parse(&value) {
                Ok(project) => cfg.gcp_project = Some(project),
                Err(err) => errors.push(ConfigError::key(
                    ctx.origin,
                    p.pos,
                    p.key.clone(),
                    name_err(&err),
                )),
            }
        }
        cfg.provider_config.insert(p.key.clone(), value);
    }

    // In TOML, `gcp_project` and `provider_config."gcp:project"` are the same setting.
    if toml {
        let in_table = cfg.provider_config.get("gcp:project").cloned();
        match (&cfg.gcp_project, in_table) {
            (Some(p), Some(t)) if p.as_str() != t => {
                errors.push(ctx.err(
                    seen.get("gcp_project").copied().flatten(),
                    "gcp_project",
                    format!(
                        "is `{p}` but provider_config sets gcp:project to `{}`; keep one of them",
                        shown(&t)
                    ),
                ));
            }
            (Some(p), None) => {
                cfg.provider_config
                    .insert("gcp:project".to_string(), p.to_string());
            }
            (None, Some(t)) => match GcpProjectId::parse(&t) {
                Ok(project) => cfg.gcp_project = Some(project),
                Err(err) => errors.push(ctx.err(
                    seen.get("provider_config").copied().flatten(),
                    "provider_config.\"gcp:project\"",
                    name_err(&err),
                )),
            },
            _ => {}
        }
    }

    if let Some(pos) = components_pos {
        for cloud in cfg.components.keys() {
            if !cfg.deploy_locations.contains(cloud) {
                errors.push(ctx.err(
                    pos,
                    "components",
                    format!(
                        "lists cloud `{cloud}`, which is not in {}, so its list has no effect; remove it or add the cloud to {}",
                        ctx.path("deploy_locations"),
                        ctx.path("deploy_locations")
                    ),
                ));
            }
        }
    }

    ConfigError::collect(errors)?;
    Ok((cfg, warnings))
}

/// Interprets one dataset entry `e` into `cfg` (its key is not repeated, its value is
/// neither null nor a secret).
fn apply(
    ctx: &Ctx<'_>,
    e: &RawEntry,
    name: &DatasetName,
    cfg: &mut DatasetConfig,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let field = e.key.as_str();
    let toml = !ctx.pulumi_strings();
    match field {
        "dataset" => {
            let s = ctx.string(e, field)?;
            if s != name.as_str() {
                return Err(ctx.err(
                    e.pos,
                    field,
                    format!(
                        "says `{}` but this configuration is for dataset `{name}`; make them agree (or remove the key)",
                        shown(s)
                    ),
                ));
            }
        }
        "gcp_project" if toml => {
            let s = ctx.string(e, field)?;
            cfg.gcp_project =
                Some(GcpProjectId::parse(s).map_err(|err| ctx.err(e.pos, field, name_err(&err)))?);
        }
        "provider_config" if toml => {
            let RawValue::Map(entries) = &e.value else {
                return Err(ctx.err(
                    e.pos,
                    field,
                    format!(
                        "must be a table of strings, e.g. {{\"gcp:user_project_override\" = \"true\"}}, got {}",
                        got(&e.value)
                    ),
                ));
            };
            let mut problems = Vec::new();
            for (k, v) in entries {
                let key = format!("{field}.\"{k}\"");
                let RawValue::Str(s) = v else {
                    problems.push(ctx.err(
                        e.pos,
                        &key,
                        format!("must be a string, got {}", got(v)),
                    ));
                    continue;
                };
                let Some((ns, setting)) = k
                    .split_once(':')
                    .filter(|(n, s)| !n.is_empty() && !s.is_empty())
                else {
                    problems.push(ctx.err(
                        e.pos,
                        &key,
                        "provider config keys look like `namespace:key`, e.g. `gcp:project`",
                    ));
                    continue;
                };
                if ns == crate::provider_keys::DATASETS_NAMESPACE {
                    problems.push(ctx.err(
                        e.pos,
                        &key,
                        format!("dataset settings are keys of the file itself: write `{setting} = ...` instead"),
                    ));
                    continue;
                }
                if let Err(message) = crate::provider_keys::check(ns, setting, DATASET_KEYS) {
                    problems.push(ctx.err(e.pos, &key, message));
                    continue;
                }
                cfg.provider_config.insert(k.clone(), s.clone());
            }
            ConfigError::collect(problems)?;
        }
        legacy if LEGACY_KEYS.contains(&legacy) => {
            warnings.push(ctx.warn(
                e.pos,
                &ctx.path(field),
                "legacy key, ignored (the reference never read it); you can remove it",
            ));
        }
        _ if let Some(read) = read_key(ctx, e, name, cfg, warnings) => read?,
        _ => {
            let mut candidates: Vec<&str> = DATASET_KEYS.to_vec();
            if toml {
                candidates.extend_from_slice(TOML_ONLY_KEYS);
            }
            let hint = match field.split_once(':') {
                _ if !toml && field == "gcp_project" => {
                    "; the GCP project is set with the key gcp:project".to_string()
                }
                // A stack file's spelling in a TOML table.
                Some((crate::provider_keys::DATASETS_NAMESPACE, key)) if toml => {
                    if candidates.contains(&key) {
                        format!(
                            "; in a TOML dataset table keys have no `datasets:` prefix: write `{key}`"
                        )
                    } else {
                        let close = did_you_mean(key, candidates, |c| format!("`{c}`"));
                        format!(
                            "; in a TOML dataset table keys have no `datasets:` prefix{close}"
                        )
                    }
                }
                Some(("gcp", "project")) if toml => {
                    "; in a TOML dataset table the GCP project is `gcp_project`".to_string()
                }
                Some(_) if toml => {
                    "; in a TOML dataset table provider settings go in the [provider_config] table (`gcp:project` is `gcp_project`)".to_string()
                }
                _ => did_you_mean(field, candidates, |c| ctx.path(c)),
            };
            return Err(ctx.err(e.pos, field, format!("unknown key{hint}")));
        }
    }
    Ok(())
}
