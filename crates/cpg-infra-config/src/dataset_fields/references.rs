//! Readers of a dataset entry's values that name other things: members (users and
//! groups), the clouds a dataset deploys to, and the datasets it depends on.

use super::{Ctx, got};
use crate::deploy_locations::DeployLocations;
use crate::error::{ConfigError, did_you_mean};
use crate::members::{GroupKind, MemberRef, Members};
use crate::names::{CloudName, DatasetName, shown};
use crate::raw::{RawEntry, RawValue};

impl Ctx<'_> {
    /// `members`: group kind -> list of user keys or `group:<name>`.
    pub(crate) fn members(&self, e: &RawEntry, field: &str) -> Result<Members, ConfigError> {
        let example = r#"{"access": ["alex.smith"], "web-access": ["group:data-managers"]}"#;
        let entries = self.structured_map(e, field, example, || {
            format!("map group kinds to lists of user keys, e.g. '{example}'")
        })?;
        let mut out = Members::new();
        let mut problems = Vec::new();
        for (kind, list) in entries.iter() {
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
