//! Readers of a dataset entry's plain values: booleans, whole numbers, strings, emails,
//! GUIDs, lists, values given as JSON text inside a Pulumi string, and the maps built from
//! them (`adopt`, `components`).

use std::collections::BTreeMap;
use std::num::NonZeroU64;

use super::{Ctx, got, name_err};
use crate::component::Component;
use crate::error::ConfigError;
use crate::names::{CloudName, Email, NameError, shown};
use crate::raw::{RawEntry, RawValue};
use crate::values::Guid;

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
    pub(super) fn structured<'v>(
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

    /// The entries of the map `e` holds (a native map, or JSON text in a Pulumi string);
    /// any other value is an error worded "must {`shape`}, got <what it got>".
    pub(super) fn structured_map<'v>(
        &self,
        e: &'v RawEntry,
        field: &str,
        example: &str,
        shape: impl FnOnce() -> String,
    ) -> Result<std::borrow::Cow<'v, [(String, RawValue)]>, ConfigError> {
        match self.structured(e, field, example)? {
            std::borrow::Cow::Borrowed(RawValue::Map(entries)) => {
                Ok(std::borrow::Cow::Borrowed(entries))
            }
            std::borrow::Cow::Owned(RawValue::Map(entries)) => Ok(std::borrow::Cow::Owned(entries)),
            other => Err(self.err(
                e.pos,
                field,
                format!("must {}, got {}", shape(), got(other.as_ref())),
            )),
        }
    }

    /// The entries of `value` at `path`, an object with `key`; `None`, with the problem
    /// recorded, when it is anything else.
    pub(super) fn object_with<'v>(
        &self,
        e: &RawEntry,
        path: &str,
        value: &'v RawValue,
        key: &str,
        problems: &mut Vec<ConfigError>,
    ) -> Option<&'v [(String, RawValue)]> {
        let RawValue::Map(entries) = value else {
            problems.push(self.err(
                e.pos,
                path,
                format!("must be an object with `{key}`, got {}", got(value)),
            ));
            return None;
        };
        Some(entries)
    }

    pub(super) fn json_in_string(
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
    pub(super) fn string_list(
        &self,
        e: &RawEntry,
        field: &str,
    ) -> Result<Vec<String>, ConfigError> {
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
        let entries = self.structured_map(e, field, example, || {
            format!(
                "map logical resource names to the cloud ids of existing resources, e.g. '{example}'"
            )
        })?;
        let mut out = BTreeMap::new();
        for (name, id) in entries.iter() {
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
        let entries = self.structured_map(e, field, example, || {
            format!(
                "map each cloud to a list of components, e.g. {}",
                if self.pulumi_strings() {
                    format!("'{example}'")
                } else {
                    "{gcp = [\"storage\"]}".to_string()
                },
            )
        })?;
        let mut out = BTreeMap::new();
        for (cloud, list) in entries.iter() {
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
