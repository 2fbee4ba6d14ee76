//! Azure names derived from the configuration: resource groups, the storage
//! account, containers, the Key Vault, Key Vault secrets, lifecycle rules, and
//! the deterministic GUIDs of role assignments and role definitions.
//!
//! Every derivation is a pure function of the configuration, so the same
//! configuration always gives the same names (no random suffixes). Names that
//! Azure requires to be globally unique (storage accounts, key vaults) start
//! with `name_prefix`; [`crate::limits`] rejects names that do not fit and two
//! datasets that map to the same name.

use uuid::Uuid;

/// Shortest storage account name Azure accepts.
pub const STORAGE_ACCOUNT_MIN: usize = 3;
/// Longest storage account name Azure accepts.
pub const STORAGE_ACCOUNT_MAX: usize = 24;
/// Shortest Key Vault name Azure accepts.
pub const KEY_VAULT_MIN: usize = 3;
/// Longest Key Vault name Azure accepts.
pub const KEY_VAULT_MAX: usize = 24;
/// Shortest blob container name Azure accepts.
pub const CONTAINER_MIN: usize = 3;
/// Longest blob container name Azure accepts.
pub const CONTAINER_MAX: usize = 63;
/// Longest resource group name Azure accepts.
pub const RESOURCE_GROUP_MAX: usize = 90;
/// Longest Key Vault secret name Azure accepts.
pub const SECRET_MAX: usize = 127;

/// Namespace of every UUIDv5 this plugin derives (a fixed, random UUID: changing it
/// would rename every role assignment).
const NAMESPACE: Uuid = Uuid::from_u128(0x5c0f_1a7e_33b2_4d0e_9a61_c2d4_e8f0_7b15);

/// The dataset's resource group: `<dataset_storage_prefix><dataset>`.
pub fn resource_group(storage_prefix: &str, dataset: &str) -> String {
    format!("{storage_prefix}{dataset}")
}

/// The dataset's storage account: `name_prefix` followed by the dataset's letters and
/// digits (hyphens removed), e.g. `egi` + `tob-wgs` -> `egitobwgs`. Not checked here.
pub fn storage_account(name_prefix: &str, dataset: &str) -> String {
    let mut name = name_prefix.to_ascii_lowercase();
    name.extend(
        dataset
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase()),
    );
    name
}

/// Why a derived name cannot be used.
pub fn check_storage_account(name: &str) -> Result<(), String> {
    if !(STORAGE_ACCOUNT_MIN..=STORAGE_ACCOUNT_MAX).contains(&name.len()) {
        return Err(format!(
            "the storage account name `{name}` has {} characters; Azure allows {STORAGE_ACCOUNT_MIN} to {STORAGE_ACCOUNT_MAX} (name_prefix + the dataset's letters and digits)",
            name.len()
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Err(format!(
            "the storage account name `{name}` may only hold lowercase letters and digits"
        ));
    }
    Ok(())
}

/// The dataset's Key Vault: `<name_prefix>-<dataset>`, e.g. `egi-tob-wgs`. Not checked here.
pub fn key_vault(name_prefix: &str, dataset: &str) -> String {
    format!("{name_prefix}-{dataset}")
}

/// Why a Key Vault name cannot be used (3-24 characters, letters, digits and
/// hyphens, starting with a letter, ending with a letter or digit, no `--`).
pub fn check_key_vault(name: &str) -> Result<(), String> {
    if !(KEY_VAULT_MIN..=KEY_VAULT_MAX).contains(&name.len()) {
        return Err(format!(
            "the Key Vault name `{name}` has {} characters; Azure allows {KEY_VAULT_MIN} to {KEY_VAULT_MAX} (`<name_prefix>-<dataset>`)",
            name.len()
        ));
    }
    let valid_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let starts = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let ends = name
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid_chars || !starts || !ends || name.contains("--") {
        return Err(format!(
            "the Key Vault name `{name}` must hold only letters, digits and single hyphens, start with a letter and end with a letter or digit"
        ));
    }
    Ok(())
}

/// Why a blob container name cannot be used (3-63 lowercase letters, digits and
/// single hyphens, starting and ending with a letter or digit).
pub fn check_container(name: &str) -> Result<(), String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let edges = !name.starts_with('-') && !name.ends_with('-');
    if !(CONTAINER_MIN..=CONTAINER_MAX).contains(&name.len())
        || !valid_chars
        || !edges
        || name.contains("--")
    {
        return Err(format!(
            "the blob container name `{name}` must be {CONTAINER_MIN} to {CONTAINER_MAX} lowercase letters, digits and single hyphens, starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// A Key Vault secret name: every character outside `[0-9a-zA-Z-]` becomes `-`,
/// cut to 127 characters.
pub fn secret(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(SECRET_MAX)
        .collect()
}

/// A lifecycle rule name (Azure: alphanumeric, unique in the policy):
/// the container's letters and digits followed by the rule kind, e.g. `maintmpTemporary`.
pub fn lifecycle_rule(container: &str, kind: &str) -> String {
    let mut name: String = container
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    name.push_str(kind);
    name
}

/// The name (a GUID) of a role assignment.
///
/// Scopes and principals are often outputs unknown when the plan is made (a
/// container id, a group's object id), so the GUID is derived from stable strings
/// that identify them instead: the subscription, the dataset, a label of the scope
/// (`container:main`, `resource-group:egi-tob-wgs`, a literal resource id), a label of
/// the principal (`group:tob-wgs-full`, `identity:cromwell-test`, a literal object
/// id) and the role definition. The same grant always gets the same GUID, so a
/// re-run never replaces a role assignment; Azure allows one assignment per
/// (scope, principal, role), which is exactly what the GUID identifies.
pub fn role_assignment(
    subscription: &str,
    dataset: &str,
    scope: &str,
    principal: &str,
    role: &str,
) -> String {
    let seed = format!("role-assignment\n{subscription}\n{dataset}\n{scope}\n{principal}\n{role}");
    Uuid::new_v5(&NAMESPACE, seed.as_bytes()).to_string()
}

/// The GUID of a custom role definition of a dataset (`kind` e.g. `blob-appender`).
pub fn role_definition(subscription: &str, dataset: &str, kind: &str) -> String {
    let seed = format!("role-definition\n{subscription}\n{dataset}\n{kind}");
    Uuid::new_v5(&NAMESPACE, seed.as_bytes()).to_string()
}

/// The id of the role definition `guid` in the form Azure stores in role assignments
/// and returns on read: at subscription scope, whatever scope a custom role was created
/// at (<https://learn.microsoft.com/rest/api/authorization/role-assignments/create>,
/// `roleDefinitionId` in the examples; built-in roles are listed the same way).
pub fn role_definition_id(subscription: &str, guid: &str) -> String {
    format!(
        "/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
    )
}

/// The display name of a custom role of a dataset: `<name_prefix>-<dataset> <what>
/// (subscription <subscription id>)`. Azure requires custom role names to be unique in
/// the whole tenant, not per subscription
/// (<https://learn.microsoft.com/azure/role-based-access-control/custom-roles#custom-role-properties>,
/// `Name`), so two subscriptions of one tenant with the same `name_prefix` and dataset
/// would otherwise clash; the subscription id tells them apart.
pub fn custom_role_name(
    name_prefix: &str,
    dataset: &str,
    what: &str,
    subscription: &str,
) -> String {
    format!("{name_prefix}-{dataset} {what} (subscription {subscription})")
}
