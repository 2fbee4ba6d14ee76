//! Explicit provider resources: every Azure resource of a program names the
//! `azure-native` or `azuread` provider built from `[infrastructure.azure]`,
//! so the configured subscription and tenant decide where resources go, never
//! the operator's ambient login (`az account set`, `ARM_SUBSCRIPTION_ID`).
//!
//! An explicit provider takes its configuration only from its inputs (not from
//! the stack's `azure-native:*` config); credentials still come from the
//! environment (Azure CLI login, managed identity, OIDC), which Pulumi never
//! writes into the program.

use cpg_infra_abstraction::{Plan, Resource, Value};

use crate::settings::Settings;
use crate::{AZURE_NATIVE_PROVIDER, AZUREAD_PROVIDER};

/// Logical name of the `azure-native` provider resource.
pub const NATIVE: &str = "azure-native-provider";
/// Logical name of the `azuread` provider resource.
pub const AD: &str = "azure-ad-provider";

/// The two provider resources: `azure-native` pinned to the configured
/// subscription, tenant and region; `azuread` pinned to the tenant.
pub fn resources(settings: &Settings) -> [Resource; 2] {
    [
        Resource::new(
            format!("pulumi:providers:{}", AZURE_NATIVE_PROVIDER.name),
            NATIVE,
        )
        .prop("subscriptionId", settings.subscription_id.as_str())
        .prop("tenantId", settings.tenant_id.as_str())
        .prop("location", settings.region.as_str()),
        Resource::new(format!("pulumi:providers:{}", AZUREAD_PROVIDER.name), AD)
            .prop("tenantId", Value::str(&settings.tenant_id)),
    ]
}

/// The provider resource that manages resources of type `token`, if the token
/// belongs to one of the Azure packages.
pub fn provider_of(token: &str) -> Option<&'static str> {
    match token.split(':').next() {
        Some(package) if package == AZURE_NATIVE_PROVIDER.name => Some(NATIVE),
        Some(package) if package == AZUREAD_PROVIDER.name => Some(AD),
        _ => None,
    }
}

/// Points every Azure resource of `plan` (managed or read with `get:`) at its
/// explicit provider.
pub fn apply(plan: &mut Plan) {
    for resource in &mut plan.resources {
        if let Some(provider) = provider_of(&resource.type_token) {
            resource.options.provider = Some(provider.to_owned());
        }
    }
}
