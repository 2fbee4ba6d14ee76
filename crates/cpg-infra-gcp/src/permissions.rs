//! The permission facts of every role this plugin can grant, and what they allow.
//!
//! `data/role-permissions.toml` lists each predefined role's permissions as Google
//! publishes them (with the URL and date), and the organisation's custom roles the
//! reference grants (assumed from the predefined roles they are named after, marked
//! so); the storage mutator role's permissions are this crate's own
//! (`custom_roles::PERMISSIONS`). [`capabilities_of`] maps a role's permissions to
//! the cloud-neutral [`Capability`] vocabulary through [`RULES`], the one place that
//! says what a GCP permission lets its holder do.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use cpg_infra_abstraction::{Capabilities, Capability, PermissionFacts, parsed_once};
use serde::Deserialize;

use crate::custom_roles;

/// The committed facts.
const FACTS: &str = include_str!("../data/role-permissions.toml");

/// One role's facts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleFacts {
    /// `roles/<id>` for a predefined role; the role id for an organisation role.
    pub name: String,
    /// The role's title (predefined roles).
    #[serde(default)]
    pub title: Option<String>,
    /// Whether it is an organisation custom role (`<organisation>/roles/<name>`).
    #[serde(default)]
    pub organisation: bool,
    /// Whether the permissions are assumed (a role defined outside the code and not
    /// published).
    #[serde(default)]
    pub assumed: bool,
    /// Where the permissions were taken from.
    pub source: String,
    /// The copy they were read from.
    pub via: String,
    /// When.
    pub retrieved: String,
    /// The role's permissions.
    pub permissions: Vec<String>,
}

/// Every fact of the file.
pub type Facts = PermissionFacts<RoleFacts>;

/// The committed facts, parsed once (`Err`: the file does not parse, which a test
/// rules out; every role then has no facts).
pub fn facts() -> Result<&'static Facts, &'static str> {
    static PARSED: OnceLock<Result<Facts, String>> = OnceLock::new();
    parsed_once(&PARSED, || toml::from_str(FACTS).map_err(|e| e.to_string()))
}

/// What a permission (`service.resource.verb`) allows, first matching rule per
/// capability: `(capability, service or full prefix, verbs)`; a verb `*` is any verb.
/// Setting an IAM policy on data, secrets, identities, registries or the project is
/// changing access; on Dataproc or Compute resources it is managing compute.
pub const RULES: &[(Capability, &str, &[&str])] = &[
    (Capability::List, "storage.objects", &["list"]),
    (Capability::List, "storage.buckets", &["get", "list"]),
    (Capability::List, "artifactregistry.repositories", &["list"]),
    (Capability::Read, "storage.objects", &["get"]),
    (
        Capability::Read,
        "artifactregistry.repositories",
        &["downloadArtifacts"],
    ),
    (Capability::Create, "storage.objects", &["create"]),
    (
        Capability::Create,
        "artifactregistry.repositories",
        &["uploadArtifacts"],
    ),
    (Capability::DeleteObjects, "storage.objects", &["delete"]),
    (
        Capability::DeleteObjects,
        "artifactregistry.repositories",
        &["deleteArtifacts"],
    ),
    (
        Capability::DeleteObjects,
        "artifactregistry.tags",
        &["delete"],
    ),
    (
        Capability::DeleteObjects,
        "artifactregistry.versions",
        &["delete"],
    ),
    (
        Capability::ManageStorage,
        "storage.buckets",
        &["delete", "update", "setIpFilter"],
    ),
    (Capability::ManageStorage, "storage.hmacKeys", &["create"]),
    (
        Capability::ManageStorage,
        "artifactregistry.repositories",
        &["delete", "update"],
    ),
    (
        Capability::ManageStorage,
        "secretmanager.secrets",
        &["delete", "update"],
    ),
    (Capability::ChangeAccess, "storage", &["setIamPolicy"]),
    (
        Capability::ChangeAccess,
        "resourcemanager",
        &["setIamPolicy"],
    ),
    (Capability::ChangeAccess, "secretmanager", &["setIamPolicy"]),
    (Capability::ChangeAccess, "iam", &["setIamPolicy"]),
    (
        Capability::ChangeAccess,
        "artifactregistry",
        &["setIamPolicy"],
    ),
    (Capability::ChangeAccess, "run", &["setIamPolicy"]),
    (
        Capability::ReadSecret,
        "secretmanager.versions",
        &["access"],
    ),
    (
        Capability::WriteSecret,
        "secretmanager.versions",
        &["add", "destroy", "disable"],
    ),
    (Capability::View, "compute", &["get", "list"]),
    (Capability::View, "logging", &["get", "list"]),
    (Capability::View, "monitoring", &["get", "list"]),
    (Capability::View, "dataproc", &["get", "list"]),
    (Capability::UseService, "run.routes", &["invoke"]),
    (Capability::UseService, "run.jobs", &["run"]),
    (Capability::UseService, "serviceusage.services", &["use"]),
    (Capability::RunCompute, "lifesciences.workflows", &["run"]),
    (Capability::RunCompute, "dataproc.agents", &["create"]),
    (Capability::RunCompute, "dataproc.tasks", &["lease"]),
    (Capability::RunCompute, "dataproc.jobs", &["create"]),
    (
        Capability::ManageCompute,
        "dataproc.clusters",
        &["create", "delete", "update"],
    ),
    (Capability::ManageCompute, "dataproc", &["setIamPolicy"]),
    (
        Capability::ManageCompute,
        "compute.instances",
        &["create", "delete", "setMetadata"],
    ),
    (Capability::ManageCompute, "compute", &["setIamPolicy"]),
    (
        Capability::ActAs,
        "iam.serviceAccounts",
        &["actAs", "getAccessToken", "signBlob"],
    ),
    (Capability::ActAs, "iam.serviceAccountKeys", &["create"]),
];

/// What one permission allows.
pub fn capabilities_of_permission(permission: &str) -> Capabilities {
    let Some((resource, verb)) = permission.rsplit_once('.') else {
        return Capabilities::NONE;
    };
    let mut found = Capabilities::NONE;
    for (capability, prefix, verbs) in RULES {
        let under = resource
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'));
        if under && verbs.iter().any(|v| *v == "*" || *v == verb) {
            found.insert(*capability);
        }
    }
    found
}

/// The id of an organisation role as a grant names it (`<organisation>/roles/<id>`);
/// `None` for a predefined role (`roles/...`) or a text that names no role.
pub fn organisation_role_id(role: &str) -> Option<&str> {
    if role.starts_with("roles/") {
        return None;
    }
    role.rsplit_once("/roles/").map(|(_, id)| id)
}

/// What a set of permissions allows.
pub fn capabilities_of_permissions(permissions: &[String]) -> Capabilities {
    permissions.iter().fold(Capabilities::NONE, |all, p| {
        all.union(capabilities_of_permission(p))
    })
}

/// The permissions of a role as a grant names it (`roles/storage.admin`, or
/// `<organisation>/roles/<id>` for the organisation's roles); `None` without facts.
pub fn permissions_of(role: &str) -> Option<Vec<String>> {
    let (organisation, id) = match role.strip_prefix("roles/") {
        Some(_) => (false, role),
        None => (true, organisation_role_id(role)?),
    };
    if organisation && id == custom_roles::MUTATOR_ROLE_ID {
        return Some(
            custom_roles::PERMISSIONS
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
        );
    }
    facts()
        .ok()?
        .role
        .iter()
        .find(|r| r.organisation == organisation && r.name == id)
        .map(|r| r.permissions.clone())
}

/// What a role allows, from its permission facts; `None` without facts. Computed once
/// per role (a role such as `roles/compute.admin` has over a thousand permissions, and
/// a plan grants the same roles many times).
pub fn capabilities_of(role: &str) -> Option<Capabilities> {
    static KNOWN: OnceLock<Mutex<HashMap<String, Option<Capabilities>>>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = known.lock().ok().and_then(|k| k.get(role).copied()) {
        return found;
    }
    let found = permissions_of(role).map(|permissions| capabilities_of_permissions(&permissions));
    if let Ok(mut known) = known.lock() {
        known.insert(role.to_owned(), found);
    }
    found
}

/// What a group membership role allows on the group itself (`MEMBER`: nothing; the
/// group's grants apply to the member); `None` without facts.
pub fn membership_capabilities(role: &str) -> Option<Capabilities> {
    let found = facts().ok()?.membership.iter().find(|m| m.name == role)?;
    Some(found.capabilities())
}

#[cfg(test)]
mod tests {
    use super::{capabilities_of, facts, membership_capabilities};
    use crate::grants;
    use cpg_infra_abstraction::review::flat_text;
    use cpg_infra_abstraction::{
        Access, BucketMembership, Capability, ContainerRegistryMembership, ProjectRole,
        SecretMembership,
    };

    #[test]
    fn every_role_the_plugin_can_grant_has_facts() {
        let mut roles = vec![
            grants::ACCOUNT_USER_ROLE.to_owned(),
            grants::INVOKER_ROLE.to_owned(),
        ];
        for membership in BucketMembership::ALL {
            for mutator in [false, true] {
                roles.push(flat_text(&grants::bucket_role(membership, mutator)));
            }
        }
        for role in ProjectRole::ALL {
            roles.push(flat_text(&grants::project_role(role).0));
        }
        for membership in [SecretMembership::Accessor, SecretMembership::Admin] {
            roles.push(grants::secret_role(membership).to_owned());
        }
        for membership in [
            ContainerRegistryMembership::Reader,
            ContainerRegistryMembership::Append,
        ] {
            roles.push(grants::registry_role(membership).to_owned());
        }
        for role in roles {
            assert!(capabilities_of(&role).is_some(), "no facts for {role}");
        }
        assert!(membership_capabilities("MEMBER").is_some_and(|c| c.is_empty()));
    }

    #[test]
    fn facts_parse_and_every_role_names_its_source() {
        let facts = facts().expect("role-permissions.toml parses");
        assert!(!facts.role.is_empty());
        for role in &facts.role {
            assert!(
                role.source.starts_with("https://cloud.google.com/")
                    || (role.assumed && role.source.contains("cpg-infrastructure")),
                "{}: {}",
                role.name,
                role.source
            );
            assert!(!role.permissions.is_empty(), "{}", role.name);
            assert_eq!(role.retrieved.len(), 10, "{}", role.name);
        }
    }

    #[test]
    fn storage_admin_manages_buckets_and_access_and_the_mutator_role_does_not() {
        let admin = capabilities_of("roles/storage.admin").expect("facts");
        assert!(admin.contains(Capability::ManageStorage));
        assert!(admin.contains(Capability::ChangeAccess));
        let mutator = capabilities_of("<org>/roles/StorageObjectAndBucketMutator").expect("facts");
        assert!(mutator.contains(Capability::DeleteObjects));
        assert!(!mutator.contains(Capability::ManageStorage));
        assert!(!mutator.contains(Capability::ChangeAccess));
        let user = capabilities_of("roles/storage.objectUser").expect("facts");
        assert!(user.contains(Capability::DeleteObjects));
        assert!(!user.contains(Capability::ChangeAccess));
        assert_eq!(
            capabilities_of("<org>/roles/StorageViewerAndCreator")
                .expect("facts")
                .access(),
            Access::Append
        );
        assert_eq!(capabilities_of("roles/unknown.role"), None);
    }
}
