//! Members as code: the organisation's users registry (`[infrastructure.users.<key>]`, each
//! user's id per cloud), its organisation groups (`[[infrastructure.adhoc_groups]]`) and a
//! dataset's `members` (group kind -> users or organisation groups), with the rules that tie
//! them together: every key names a known user or group, a user has an id on every cloud
//! the groups it joins are created on, and organisation groups do not contain themselves.
//!
//! The shape of a cloud id (GCP e-mail, Azure GUID) is the cloud plugin's check.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::component::Component;
use crate::dataset::DatasetConfig;
use crate::error::{ConfigError, did_you_mean};
use crate::infrastructure::InfrastructureConfig;
use crate::names::{AdhocGroupName, CloudName, UserKey, shown};
use crate::values::UserId;

/// A user of the registry, `[infrastructure.users.<key>]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The user's id per cloud, `[infrastructure.users.<key>.clouds.<cloud>]`.
    #[serde(default)]
    pub clouds: BTreeMap<CloudName, UserCloud>,
}

/// A user's account on one cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCloud {
    /// The id: on GCP the account's e-mail, on Azure its Entra ID object id (a GUID).
    pub id: UserId,
}

/// An organisation group with its members, `[[infrastructure.adhoc_groups]]`. Its program
/// is the reference dataset's, on each cloud the reference dataset deploys to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdhocGroup {
    /// The group's name (its address is `<name>@<domain>` on GCP).
    pub name: AdhocGroupName,
    /// What the group is for.
    #[serde(default)]
    pub description: String,
    /// Its members: user keys, or `group:<name>` for another organisation group.
    #[serde(default)]
    pub members: Vec<MemberRef>,
}

/// A member of a group in `members` or `adhoc_groups`: a user of the registry by key, or
/// (written `group:<name>`) an organisation group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemberRef {
    /// `[infrastructure.users.<key>]`.
    User(UserKey),
    /// `[[infrastructure.adhoc_groups]]` of this name.
    Group(AdhocGroupName),
}

/// The prefix that makes a member an organisation group.
const GROUP_PREFIX: &str = "group:";

impl MemberRef {
    /// Parses `<user key>` or `group:<name>`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.strip_prefix(GROUP_PREFIX) {
            Some(group) => AdhocGroupName::parse(group)
                .map(MemberRef::Group)
                .map_err(|e| e.to_string()),
            None => UserKey::parse(s)
                .map(MemberRef::User)
                .map_err(|e| format!("{e} (an organisation group is written `group:<name>`)")),
        }
    }
}

impl fmt::Display for MemberRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberRef::User(key) => write!(f, "{key}"),
            MemberRef::Group(name) => write!(f, "{GROUP_PREFIX}{name}"),
        }
    }
}

impl Serialize for MemberRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MemberRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        MemberRef::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for MemberRef {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("MemberRef")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(group:[a-z][a-z0-9-]{0,58}[a-z0-9]|[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?)$",
            "description": "a user key of [infrastructure.users], or group:<name> of [[infrastructure.adhoc_groups]]",
        })
    }
}

/// A dataset group whose members `members` sets (the group's name is
/// `<dataset>-<kind>`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKind {
    /// `<dataset>-access`: the dataset's people.
    Access,
    /// `<dataset>-web-access`: who may read the web buckets through the web server.
    WebAccess,
    /// `<dataset>-release-access`: readers of the release bucket (needs `enable_release`).
    ReleaseAccess,
    /// `<dataset>-test`: the test access level.
    Test,
    /// `<dataset>-standard`: the standard access level.
    Standard,
    /// `<dataset>-full`: the full access level.
    Full,
    /// `<dataset>-sample-metadata-test-read` (needs the sample-metadata component).
    SampleMetadataTestRead,
    /// `<dataset>-sample-metadata-test-write` (needs the sample-metadata component).
    SampleMetadataTestWrite,
    /// `<dataset>-sample-metadata-main-read` (needs the sample-metadata component).
    SampleMetadataMainRead,
    /// `<dataset>-sample-metadata-main-write` (needs the sample-metadata component).
    SampleMetadataMainWrite,
    /// `<dataset>-tmp-main-read-access`: who may request temporary read access to the
    /// main bucket (members turn it on).
    TmpMainReadAccess,
}

impl GroupKind {
    /// Every kind, in canonical order.
    pub const ALL: [GroupKind; 11] = [
        GroupKind::Access,
        GroupKind::WebAccess,
        GroupKind::ReleaseAccess,
        GroupKind::Test,
        GroupKind::Standard,
        GroupKind::Full,
        GroupKind::SampleMetadataTestRead,
        GroupKind::SampleMetadataTestWrite,
        GroupKind::SampleMetadataMainRead,
        GroupKind::SampleMetadataMainWrite,
        GroupKind::TmpMainReadAccess,
    ];

    /// The key in `members`, also the group's name after `<dataset>-`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Access => "access",
            GroupKind::WebAccess => "web-access",
            GroupKind::ReleaseAccess => "release-access",
            GroupKind::Test => "test",
            GroupKind::Standard => "standard",
            GroupKind::Full => "full",
            GroupKind::SampleMetadataTestRead => "sample-metadata-test-read",
            GroupKind::SampleMetadataTestWrite => "sample-metadata-test-write",
            GroupKind::SampleMetadataMainRead => "sample-metadata-main-read",
            GroupKind::SampleMetadataMainWrite => "sample-metadata-main-write",
            GroupKind::TmpMainReadAccess => TMP_MAIN_READ_ACCESS_GROUP,
        }
    }

    /// The kind of key `s`.
    pub fn parse(s: &str) -> Option<GroupKind> {
        GroupKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The component without which the group does not exist.
    fn needs_component(self) -> Option<Component> {
        match self {
            GroupKind::SampleMetadataTestRead
            | GroupKind::SampleMetadataTestWrite
            | GroupKind::SampleMetadataMainRead
            | GroupKind::SampleMetadataMainWrite => Some(Component::SampleMetadata),
            _ => None,
        }
    }
}

impl fmt::Display for GroupKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for GroupKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl JsonSchema for GroupKind {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("GroupKind")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = GroupKind::ALL.iter().map(|k| k.as_str()).collect();
        json_schema!({ "type": "string", "enum": names })
    }
}

/// The name after `<dataset>-` of the group whose members may request temporary read
/// access to the main bucket.
pub const TMP_MAIN_READ_ACCESS_GROUP: &str = "tmp-main-read-access";

/// The name after `<dataset>-` of the group a dataset with `main_read_group` creates: read
/// on its main buckets, joined by the standard and full levels of its read-only dependants.
pub const MAIN_READ_GROUP: &str = "main-read";

/// The name after `<dataset>-` of the group a dataset with `main_read_group` and the test
/// namespace creates: read on its test buckets, joined by the access group and every level
/// of its read-only dependants.
pub const TEST_READ_GROUP: &str = "test-read";

/// The prefix of the organisation access groups (`organisation_access_groups`), which
/// no organisation group of `adhoc_groups` may start with.
pub const ORGANISATION_GROUP_PREFIX: &str = "org-";

/// The members of each dataset group: `datasets:members`.
pub type Members = BTreeMap<GroupKind, Vec<MemberRef>>;

fn org_error(origin: &str, key: String, message: String) -> ConfigError {
    ConfigError::key(origin, None, key, message)
}

/// The user `key` names, or the error for `path` (with a "did you mean").
pub(crate) fn known_user<'i>(
    infra: &'i InfrastructureConfig,
    key: &UserKey,
) -> Result<&'i User, String> {
    infra.users.get(key).ok_or_else(|| {
        let hint = did_you_mean(key.as_str(), infra.users.keys().map(UserKey::as_str), |c| {
            format!("`{c}`")
        });
        format!("unknown user `{key}`{hint}; add it as [infrastructure.users.{key}] in cpg.toml")
    })
}

fn known_group<'i>(
    infra: &'i InfrastructureConfig,
    name: &AdhocGroupName,
) -> Result<&'i AdhocGroup, String> {
    infra
        .adhoc_groups
        .iter()
        .find(|g| g.name == *name)
        .ok_or_else(|| {
            let hint = did_you_mean(
                name.as_str(),
                infra.adhoc_groups.iter().map(|g| g.name.as_str()),
                |c| format!("`group:{c}`"),
            );
            format!(
                "unknown organisation group `{name}`{hint}; add it as [[infrastructure.adhoc_groups]] in cpg.toml"
            )
        })
}

/// The organisation's member rules (every problem): group names given once, members that
/// exist, no group listed twice in one group, and no group containing itself (directly
/// or through other groups). Errors name `origin` (the `cpg.toml` file) and key paths
/// `infrastructure.adhoc_groups[<i>]...`.
pub fn organisation_member_problems(
    infra: &InfrastructureConfig,
    origin: &str,
) -> Vec<ConfigError> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<&AdhocGroupName, usize> = BTreeMap::new();
    for (i, group) in infra.adhoc_groups.iter().enumerate() {
        if group.name.as_str().starts_with(ORGANISATION_GROUP_PREFIX) {
            out.push(org_error(
                origin,
                format!("infrastructure.adhoc_groups[{i}].name"),
                format!(
                    "`{}`: names starting with `{ORGANISATION_GROUP_PREFIX}` are the organisation access groups'; choose another name",
                    group.name
                ),
            ));
        }
        if let Some(first) = seen.insert(&group.name, i) {
            out.push(org_error(
                origin,
                format!("infrastructure.adhoc_groups[{i}].name"),
                format!(
                    "group `{}` is also infrastructure.adhoc_groups[{first}]; give each group once",
                    group.name
                ),
            ));
        }
        let mut listed = BTreeSet::new();
        for (j, member) in group.members.iter().enumerate() {
            let path = format!("infrastructure.adhoc_groups[{i}].members[{j}]");
            if !listed.insert(member) {
                out.push(org_error(
                    origin,
                    path,
                    format!("`{member}` is listed twice; keep one"),
                ));
                continue;
            }
            let known = match member {
                MemberRef::User(key) => known_user(infra, key).map(|_| ()),
                MemberRef::Group(name) => known_group(infra, name).map(|_| ()),
            };
            if let Err(message) = known {
                out.push(org_error(origin, path, message));
            }
        }
    }
    if let Err(cycle) = adhoc_order(infra) {
        out.push(org_error(
                origin,
            "infrastructure.adhoc_groups".to_string(),
            format!(
                "the groups contain each other in a cycle ({cycle}); remove one of these `group:` members"
            ),
        ));
    }
    out
}

/// The organisation groups in the order they resolve: every group after the groups it
/// contains, ties in the order of `cpg.toml`. A cycle is an error showing it
/// (`a -> b -> a`). Unknown group members are ignored (they are reported by
/// [`organisation_member_problems`]).
pub fn adhoc_order(infra: &InfrastructureConfig) -> Result<Vec<&AdhocGroup>, String> {
    fn visit<'i>(
        infra: &'i InfrastructureConfig,
        group: &'i AdhocGroup,
        path: &mut Vec<&'i AdhocGroupName>,
        done: &mut BTreeSet<&'i AdhocGroupName>,
        order: &mut Vec<&'i AdhocGroup>,
    ) -> Result<(), String> {
        if done.contains(&group.name) {
            return Ok(());
        }
        if let Some(from) = path.iter().position(|n| **n == group.name) {
            let mut names: Vec<&str> = path[from..].iter().map(|n| n.as_str()).collect();
            names.push(group.name.as_str());
            return Err(names.join(" -> "));
        }
        path.push(&group.name);
        for member in &group.members {
            if let MemberRef::Group(name) = member
                && let Ok(inner) = known_group(infra, name)
            {
                visit(infra, inner, path, done, order)?;
            }
        }
        path.pop();
        done.insert(&group.name);
        order.push(group);
        Ok(())
    }
    let mut order = Vec::with_capacity(infra.adhoc_groups.len());
    let mut done = BTreeSet::new();
    for group in &infra.adhoc_groups {
        visit(infra, group, &mut Vec::new(), &mut done, &mut order)?;
    }
    Ok(order)
}

/// The users of organisation group `name` and of the groups it contains, each once, sorted
/// by key (empty for an unknown group).
pub fn resolved_users<'i>(
    infra: &'i InfrastructureConfig,
    name: &AdhocGroupName,
) -> Vec<&'i UserKey> {
    fn walk<'i>(
        infra: &'i InfrastructureConfig,
        name: &AdhocGroupName,
        seen: &mut BTreeSet<AdhocGroupName>,
        out: &mut BTreeSet<&'i UserKey>,
    ) {
        if !seen.insert(name.clone()) {
            return;
        }
        let Ok(group) = known_group(infra, name) else {
            return;
        };
        for member in &group.members {
            match member {
                MemberRef::User(key) => {
                    out.insert(key);
                }
                MemberRef::Group(inner) => walk(infra, inner, seen, out),
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(infra, name, &mut BTreeSet::new(), &mut out);
    out.into_iter().collect()
}

/// The member rules of one dataset (every problem): `members` names known users and
/// organisation groups, each user has an id on every cloud the dataset deploys to, and
/// the group exists (`release-access` needs `enable_release`, the sample-metadata groups
/// the component). For the reference dataset, which owns the organisation groups, every
/// user of an organisation group needs an id on each of its clouds too.
pub(crate) fn dataset_member_problems(
    ds: &DatasetConfig,
    infra: &InfrastructureConfig,
) -> Vec<String> {
    let mut out = Vec::new();
    let clouds: Vec<&CloudName> = ds.deploy_locations.iter().collect();
    let needs_ids = |key: &UserKey, user: &User, context: &str, out: &mut Vec<String>| {
        for cloud in &clouds {
            if !user.clouds.contains_key(*cloud) {
                out.push(format!(
                    "{context}: user `{key}` has no id on {cloud}, which this dataset deploys to; add [infrastructure.users.{key}.clouds.{cloud}] id = \"...\" to cpg.toml, or remove the user"
                ));
            }
        }
    };
    for (kind, list) in &ds.members {
        let context = format!("datasets:members.{kind}");
        if *kind == GroupKind::ReleaseAccess && !ds.enable_release {
            out.push(format!(
                "{context}: the release-access group exists only with datasets:enable_release; set it to true or remove the key"
            ));
        }
        if let Some(component) = kind.needs_component() {
            for cloud in &clouds {
                if !ds.components_for(cloud).contains(&component) {
                    out.push(format!(
                        "{context}: the group exists only with the {component} component, which is not deployed on {cloud}; add it to datasets:components or remove the key"
                    ));
                }
            }
        }
        let mut listed = BTreeSet::new();
        for member in list {
            if !listed.insert(member) {
                out.push(format!(
                    "{context}: `{}` is listed twice; keep one",
                    shown(&member.to_string())
                ));
                continue;
            }
            match member {
                MemberRef::User(key) => match known_user(infra, key) {
                    Ok(user) => needs_ids(key, user, &context, &mut out),
                    Err(message) => out.push(format!("{context}: {message}")),
                },
                MemberRef::Group(name) => {
                    if let Err(message) = known_group(infra, name) {
                        out.push(format!("{context}: {message}"));
                    }
                }
            }
        }
    }
    for group in &infra.adhoc_groups {
        let taken = GroupKind::ALL
            .iter()
            .map(|k| k.as_str())
            .chain([MAIN_READ_GROUP, TEST_READ_GROUP])
            .any(|suffix| group.name.as_str() == format!("{}-{suffix}", ds.dataset));
        if taken {
            out.push(format!(
                "infrastructure.adhoc_groups: the group name `{}` is one of this dataset's groups; choose another name",
                group.name
            ));
        }
    }
    if ds.dataset == infra.reference_dataset {
        for group in &infra.adhoc_groups {
            for member in &group.members {
                if let MemberRef::User(key) = member
                    && let Ok(user) = known_user(infra, key)
                {
                    let context = format!(
                        "infrastructure.adhoc_groups `{}` (created by the reference dataset's program)",
                        group.name
                    );
                    needs_ids(key, user, &context, &mut out);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_refs() {
        assert_eq!(
            MemberRef::parse("alex.smith"),
            Ok(MemberRef::User(UserKey::parse("alex.smith").unwrap()))
        );
        assert_eq!(
            MemberRef::parse("group:data-managers"),
            Ok(MemberRef::Group(
                AdhocGroupName::parse("data-managers").unwrap()
            ))
        );
        assert!(MemberRef::parse("group:").is_err());
        assert!(MemberRef::parse("Alex").is_err());
        assert_eq!(
            MemberRef::parse("group:ab").unwrap().to_string(),
            "group:ab"
        );
    }

    #[test]
    fn group_kinds_round_trip() {
        for kind in GroupKind::ALL {
            assert_eq!(GroupKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(GroupKind::parse("analysis"), None);
    }
}
