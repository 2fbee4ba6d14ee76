//! The permission facts of every role this plugin can assign, and what they allow.
//!
//! `data/role-permissions.toml` lists each built-in role's `actions`, `notActions`,
//! `dataActions` and `notDataActions` as Microsoft publishes them (with the URL and
//! date); the custom roles (blob appender, blob mutator) are this crate's own
//! (`roles.rs`). [`builtin_capabilities`] and [`custom_capabilities`] map a role to the
//! cloud-neutral [`Capability`] vocabulary through [`RULES`]: a role has a capability
//! when one of the capability's operations is allowed by its actions (or data actions)
//! and not excluded by its not-actions (Azure's `*` wildcards, case-insensitive).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use cpg_infra_abstraction::capability::pattern_matches;
use cpg_infra_abstraction::{Capabilities, Capability, PermissionFacts, parsed_once};
use serde::Deserialize;

use crate::roles::CustomRole;

/// The committed facts.
const FACTS: &str = include_str!("../data/role-permissions.toml");

/// One built-in role's facts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleFacts {
    /// The role's name.
    pub name: String,
    /// Its definition GUID (the same in every tenant).
    pub id: String,
    /// Where the permissions were taken from.
    pub source: String,
    /// The copy they were read from.
    pub via: String,
    /// When.
    pub retrieved: String,
    /// Control-plane operations allowed.
    pub actions: Vec<String>,
    /// Control-plane operations excluded.
    pub not_actions: Vec<String>,
    /// Data operations allowed.
    pub data_actions: Vec<String>,
    /// Data operations excluded.
    pub not_data_actions: Vec<String>,
}

/// Every fact of the file.
pub type Facts = PermissionFacts<RoleFacts>;

/// The committed facts, parsed once (`Err`: the file does not parse, which a test
/// rules out; every role then has no facts).
pub fn facts() -> Result<&'static Facts, &'static str> {
    static PARSED: OnceLock<Result<Facts, String>> = OnceLock::new();
    parsed_once(&PARSED, || toml::from_str(FACTS).map_err(|e| e.to_string()))
}

/// The operations that give each capability (data operations marked `true`).
pub const RULES: &[(Capability, bool, &str)] = &[
    (
        Capability::List,
        false,
        "Microsoft.Storage/storageAccounts/blobServices/containers/read",
    ),
    (
        Capability::List,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    ),
    (
        Capability::Read,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    ),
    (
        Capability::Read,
        false,
        "Microsoft.ContainerRegistry/registries/pull/read",
    ),
    (
        Capability::Create,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
    ),
    (
        Capability::Create,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    ),
    (
        Capability::Create,
        false,
        "Microsoft.ContainerRegistry/registries/push/write",
    ),
    (
        Capability::DeleteObjects,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    ),
    (
        Capability::DeleteObjects,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
    ),
    (
        Capability::DeleteObjects,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
    ),
    (
        Capability::DeleteObjects,
        false,
        "Microsoft.ContainerRegistry/registries/artifacts/delete",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.Storage/storageAccounts/blobServices/containers/write",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.Storage/storageAccounts/delete",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.Storage/storageAccounts/write",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.Storage/storageAccounts/listKeys/action",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.Storage/storageAccounts/managementPolicies/write",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.KeyVault/vaults/delete",
    ),
    (
        Capability::ManageStorage,
        false,
        "Microsoft.KeyVault/vaults/write",
    ),
    (
        Capability::ChangeAccess,
        false,
        "Microsoft.Authorization/roleAssignments/write",
    ),
    (
        Capability::ChangeAccess,
        false,
        "Microsoft.Authorization/roleAssignments/delete",
    ),
    (
        Capability::ChangeAccess,
        false,
        "Microsoft.KeyVault/vaults/accessPolicies/write",
    ),
    (
        Capability::ChangeAccess,
        true,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/modifyPermissions/action",
    ),
    (
        Capability::ReadSecret,
        true,
        "Microsoft.KeyVault/vaults/secrets/getSecret/action",
    ),
    (
        Capability::WriteSecret,
        true,
        "Microsoft.KeyVault/vaults/secrets/setSecret/action",
    ),
    (
        Capability::WriteSecret,
        true,
        "Microsoft.KeyVault/vaults/secrets/delete",
    ),
    (
        Capability::View,
        false,
        "Microsoft.Resources/subscriptions/resourceGroups/read",
    ),
    (Capability::View, false, "Microsoft.Insights/metrics/read"),
    (
        Capability::View,
        false,
        "Microsoft.OperationalInsights/workspaces/query/read",
    ),
    (
        Capability::View,
        false,
        "Microsoft.Compute/virtualMachines/read",
    ),
    (
        Capability::RunCompute,
        false,
        "Microsoft.Batch/batchAccounts/jobs/write",
    ),
    (
        Capability::ManageCompute,
        false,
        "Microsoft.Compute/virtualMachines/write",
    ),
    (
        Capability::ManageCompute,
        false,
        "Microsoft.Compute/virtualMachines/delete",
    ),
    (
        Capability::ManageCompute,
        false,
        "Microsoft.Compute/virtualMachines/runCommand/action",
    ),
    (
        Capability::ActAs,
        false,
        "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
    ),
];

/// A role's permissions, as Azure lists them.
#[derive(Debug, Clone, Copy)]
pub struct Permissions<'a> {
    /// Control-plane operations allowed.
    pub actions: &'a [&'a str],
    /// Control-plane operations excluded.
    pub not_actions: &'a [&'a str],
    /// Data operations allowed.
    pub data_actions: &'a [&'a str],
    /// Data operations excluded.
    pub not_data_actions: &'a [&'a str],
}

/// What permissions allow.
pub fn capabilities_of_permissions(permissions: Permissions) -> Capabilities {
    let allowed = |allow: &[&str], deny: &[&str], operation: &str| {
        allow.iter().any(|p| pattern_matches(p, operation))
            && !deny.iter().any(|p| pattern_matches(p, operation))
    };
    let mut found = Capabilities::NONE;
    for (capability, data, operation) in RULES {
        let yes = if *data {
            allowed(
                permissions.data_actions,
                permissions.not_data_actions,
                operation,
            )
        } else {
            allowed(permissions.actions, permissions.not_actions, operation)
        };
        if yes {
            found.insert(*capability);
        }
    }
    found
}

/// The facts of the built-in role with definition GUID `guid` (any built-in role with
/// facts, also one this plugin no longer assigns, for reviewing older plans).
pub fn builtin_facts(guid: &str) -> Option<&'static RoleFacts> {
    facts()
        .ok()?
        .role
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(guid))
}

/// What the built-in role with definition GUID `guid` allows, from its facts; `None`
/// without facts. Computed once per role (a plan assigns the same roles many times).
pub fn builtin_capabilities(guid: &str) -> Option<Capabilities> {
    static KNOWN: OnceLock<Mutex<HashMap<String, Option<Capabilities>>>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| Mutex::new(HashMap::new()));
    let key = guid.to_ascii_lowercase();
    if let Some(found) = known.lock().ok().and_then(|k| k.get(&key).copied()) {
        return found;
    }
    let found = builtin_facts(guid).map(|found| {
        let (a, na, d, nd) = (
            strs(&found.actions),
            strs(&found.not_actions),
            strs(&found.data_actions),
            strs(&found.not_data_actions),
        );
        capabilities_of_permissions(Permissions {
            actions: &a,
            not_actions: &na,
            data_actions: &d,
            not_data_actions: &nd,
        })
    });
    if let Ok(mut known) = known.lock() {
        known.insert(key, found);
    }
    found
}

/// The items as string slices.
fn strs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

/// What a custom role of this crate allows (its definition is the code's).
pub fn custom_capabilities(role: CustomRole) -> Capabilities {
    capabilities_of_permissions(Permissions {
        actions: role.actions(),
        not_actions: &[],
        data_actions: role.data_actions(),
        not_data_actions: &[],
    })
}

/// What a group membership allows on the group itself; `None` without facts.
pub fn membership_capabilities(name: &str) -> Option<Capabilities> {
    let found = facts().ok()?.membership.iter().find(|m| m.name == name)?;
    Some(found.capabilities())
}

#[cfg(test)]
mod tests {
    use super::{builtin_capabilities, custom_capabilities, facts};
    use crate::roles::{BuiltInRole, CustomRole};
    use cpg_infra_abstraction::{Access, Capability};

    #[test]
    fn every_built_in_role_has_facts_with_a_source() {
        let facts = facts().expect("role-permissions.toml parses");
        for role in BuiltInRole::ALL {
            let found = facts
                .role
                .iter()
                .find(|r| r.id == role.guid())
                .unwrap_or_else(|| panic!("no facts for {}", role.display_name()));
            assert_eq!(found.name, role.display_name());
            assert!(
                found.source.starts_with(
                    "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/"
                ),
                "{}",
                found.source
            );
            assert_eq!(found.retrieved.len(), 10);
        }
    }

    #[test]
    fn blob_data_contributor_deletes_containers_and_the_custom_mutator_does_not() {
        // Storage Blob Data Contributor, which mutate was before the custom role.
        let contributor =
            builtin_capabilities("ba92f5b4-2d11-453d-a403-e96b0029c9fe").expect("facts");
        assert!(contributor.contains(Capability::ManageStorage));
        let mutator = custom_capabilities(CustomRole::BlobMutator);
        assert!(mutator.contains(Capability::DeleteObjects));
        assert!(!mutator.contains(Capability::ManageStorage));
        assert!(!mutator.contains(Capability::ChangeAccess));
        assert_eq!(
            custom_capabilities(CustomRole::BlobAppender).access(),
            Access::Append
        );
        let reader =
            builtin_capabilities(BuiltInRole::StorageBlobDataReader.guid()).expect("facts");
        assert_eq!(reader.access(), Access::Read);
    }
}
