//! Reads a dataset's entries, the same way for all three sources (stack files,
//! `PULUMI_CONFIG` and TOML): the value readers the key table (`dataset_keys.rs`) uses, the
//! keys outside it (`dataset`, TOML's `gcp_project` and `provider_config`, legacy keys),
//! and the checks on the entries as a whole (repeats, nulls, secrets, unknown keys).
//!
//! Stack files and `PULUMI_CONFIG` carry Pulumi-style values (strings such as `"true"`, `"365"`
//! or a JSON list inside a string, as well as plain YAML/JSON values); TOML values must have
//! their native type.

mod per_cloud;
mod references;
mod scalars;
mod uploads;

use std::collections::BTreeMap;

use crate::dataset::DatasetConfig;
use crate::dataset_keys::{DATASET_KEYS, read_key};
use crate::error::{ConfigError, Pos, at, did_you_mean};
use crate::names::{DatasetName, GcpProjectId, NameError, shown};
use crate::raw::{RawEntry, RawValue};

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
