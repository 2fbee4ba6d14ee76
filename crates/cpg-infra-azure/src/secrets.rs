//! Secrets: one Key Vault per dataset with Azure RBAC authorisation, and one Key
//! Vault secret per secret of the blueprint.
//!
//! A Key Vault secret is one resource whose `value` is its current version, so a
//! secret version of the blueprint is not a resource of its own: `add_secret_version`
//! sets the value of the secret resource (Key Vault keeps earlier values as
//! versions). A secret without a version in the plan (the group caches, which a
//! process outside Pulumi fills) is created with [`PLACEHOLDER_VALUE`] and Pulumi never
//! updates it
//! afterwards: with `ignoreChanges` on only its value, any other change (tags, a
//! content type) would make azure-native PUT the whole secret again with the old
//! input value, a new current version that hides what the process wrote. So
//! every updatable input is ignored (`properties`, `tags`); only a rename or a
//! move replaces it.

use cpg_infra_abstraction::{Output, Resource, Value};

use crate::settings::Settings;
use crate::storage::resource_group_name;
use crate::tokens;

/// Logical name of the dataset's Key Vault.
pub const KEY_VAULT: &str = "azure-key-vault";
/// Days a deleted vault or secret stays recoverable (Azure's maximum and default).
pub const SOFT_DELETE_DAYS: i64 = 90;
/// The value a secret without a version is created with. Not empty: the ARM resource
/// rejects a secret without `value`
/// (<https://github.com/Azure/azure-quickstart-templates/issues/6235>) and Azure's
/// documentation shows no empty value as accepted
/// (<https://learn.microsoft.com/rest/api/keyvault/keyvault/secrets/create-or-update>), so
/// the first version says what it is until the process that owns the secret writes it.
pub const PLACEHOLDER_VALUE: &str =
    "placeholder: written by the process that owns this secret, never by cpg-infra";
/// The inputs of a secret without a version that Pulumi ignores: all it could update.
pub const UNVERSIONED_IGNORED: [&str; 2] = ["properties", "tags"];

/// The dataset's Key Vault. Purge protection is left off (absent: Azure refuses
/// `false` and cannot turn it off once on) so that a torn-down dataset's vault can be
/// purged and its name reused; public network access is enabled, and said so, because
/// the consumers (Hail Batch, Cromwell, notebooks) reach the vault from outside any
/// virtual network (MAPPING.md, "Hardening defaults").
pub fn key_vault(settings: &Settings) -> Resource {
    Resource::new(tokens::KEY_VAULT, KEY_VAULT)
        .prop("vaultName", settings.key_vault.as_str())
        .prop("resourceGroupName", resource_group_name())
        .prop("location", settings.region.as_str())
        .prop(
            "properties",
            Value::object([
                ("tenantId", Value::str(&settings.tenant_id)),
                (
                    "sku",
                    Value::object([
                        ("family", Value::str("A")),
                        ("name", Value::str("standard")),
                    ]),
                ),
                ("enableRbacAuthorization", Value::Bool(true)),
                ("enableSoftDelete", Value::Bool(true)),
                ("softDeleteRetentionInDays", Value::Int(SOFT_DELETE_DAYS)),
                ("publicNetworkAccess", Value::str("Enabled")),
            ]),
        )
}

/// The secret `name` (a valid Key Vault secret name) under logical name `key`, holding
/// [`PLACEHOLDER_VALUE`] until a version is added.
pub fn secret(key: &str, name: &str) -> Resource {
    let mut resource = Resource::new(tokens::KEY_VAULT_SECRET, key)
        .prop("vaultName", Output::resource(KEY_VAULT, "name"))
        .prop("resourceGroupName", resource_group_name())
        .prop("secretName", name)
        .prop(
            "properties",
            Value::object([("value", Value::str(PLACEHOLDER_VALUE))]),
        );
    resource
        .options
        .ignore_changes
        .extend(UNVERSIONED_IGNORED.map(str::to_owned));
    resource
}

/// Sets the value of a planned secret: it becomes managed by Pulumi.
pub fn set_value(secret: &mut Resource, contents: Value) {
    secret
        .properties
        .insert("properties", Value::object([("value", contents)]));
    secret
        .options
        .ignore_changes
        .retain(|p| !UNVERSIONED_IGNORED.contains(&p.as_str()));
}
