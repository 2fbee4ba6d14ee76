//! The Azure plugin of cpg-infra, registered as `azure`.
//!
//! It maps the cloud-agnostic [`Cloud`](cpg_infra_abstraction::Cloud) verbs to
//! resources of the `azure-native` and `azuread` Pulumi providers: a resource
//! group per dataset, one storage account with a container per bucket, Entra ID
//! groups, user-assigned managed identities, one Key Vault, role assignments
//! with deterministic names, and Cost Management budgets. What Azure has no
//! equivalent for becomes a diagnostic. `MAPPING.md` (next to `Cargo.toml`) is
//! the full table.
//!
//! - [`infra`]: the `Cloud` implementation and the logical-name scheme.
//! - [`grants`]: role assignments and group memberships.
//! - [`storage`], [`secrets`], [`credentials`], [`budget`]: resources per concern.
//! - [`organisation_settings`]: `[infrastructure.azure]`, the organisation's Azure settings
//!   (with [`storage_redundancy`], the storage accounts' SKU).
//! - [`members`]: principals and groups in Azure inputs.
//! - [`adopt`]: what adopting an Azure resource implies (its resource group, its subscription).
//! - [`existing`]: organisation resources read with `get:`, never managed.
//! - [`names`]: derived names and deterministic GUIDs; [`limits`]: their validation.
//! - [`providers`]: the explicit `azure-native` / `azuread` providers every resource names.
//! - [`review`]: what its resources mean to a reviewer (data, cost, grants).
//! - [`resource_ids`]: shapes of ids of existing resources (adopt, `get:`).
//! - [`roles`]: built-in role GUIDs; [`tokens`]: type tokens; [`settings`]: configuration.

pub mod adopt;
pub mod budget;
pub mod container_path;
pub mod credentials;
pub mod dataset_rules;
pub mod existing;
pub mod grants;
pub mod infra;
pub mod limits;
pub mod members;
pub mod names;
pub mod organisation_settings;
pub mod permissions;
pub mod pim;
pub mod providers;
pub mod resource_ids;
pub mod review;
pub mod roles;
pub mod secrets;
pub mod service_settings;
pub mod settings;
pub mod storage;
pub mod storage_redundancy;
pub mod tokens;
pub mod user_ids;

use cpg_infra_abstraction::{CloudPlugin, GroupOutputs, ProviderPackage, SettingsType};

/// The pinned version of the `azure-native` provider (the schema programs are checked against).
pub const AZURE_NATIVE_PROVIDER: ProviderPackage = ProviderPackage {
    name: "azure-native",
    version: "3.29.0",
};

/// The pinned version of the `azuread` provider.
pub const AZUREAD_PROVIDER: ProviderPackage = ProviderPackage {
    name: "azuread",
    version: "6.11.1",
};

/// Every provider package Azure programs use.
pub const PROVIDERS: &[ProviderPackage] = &[AZURE_NATIVE_PROVIDER, AZUREAD_PROVIDER];

inventory::submit! {
    CloudPlugin {
        name: "azure",
        description: "Microsoft Azure: resource groups, storage account containers, Entra ID groups, managed identities, Key Vault, budgets (pulumi-azure-native, pulumi-azuread)",
        providers: PROVIDERS,
        settings: SettingsType::of::<organisation_settings::AzureConfig>(),
        services: service_settings::SERVICES,
        dataset_rules: dataset_rules::check,
        dataset_keys: dataset_rules::DATASET_KEYS,
        ignored_provider_setting: dataset_rules::ignored_provider_setting,
        validate: limits::validate,
        check_resource_id: resource_ids::check_adopted,
        group_outputs: GroupOutputs { suffix: infra::OUTPUT_SUFFIX, id_property: "objectId" },
        create: infra::create,
        review: review::review,
        provider_facts: &[include_str!("../data/provider-facts.json"), include_str!("../data/provider-facts-azuread.json")],
    }
}
