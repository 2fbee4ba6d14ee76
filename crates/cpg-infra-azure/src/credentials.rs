//! Credentials of machine accounts.
//!
//! A user-assigned managed identity has no secret that could be stored: only
//! Azure compute it is attached to can act as it. Where the blueprint needs a
//! storable credential (Cromwell keys), the identity gets a companion Entra ID
//! application with a service principal and a client secret; the secret value
//! is the JSON `{"tenantId", "clientId", "clientSecret"}` that Azure SDKs read.
//! The service principal receives every grant of the identity (see `grants`),
//! so the credential can do exactly what the identity can.

use cpg_infra_abstraction::{Output, Resource, Value};

use crate::tokens;

/// The key of `rotateWhenChanged` that carries `credential_rotation`.
pub const ROTATION_KEY: &str = "credential_rotation";

/// A lifetime in days as the Go duration `endDateRelative` takes (`8760h`).
pub fn lifetime(days: u32) -> String {
    format!("{}h", u64::from(days) * 24)
}

/// The logical names of the three resources of a credential with key `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialKeys {
    /// The application.
    pub application: String,
    /// Its service principal.
    pub service_principal: String,
    /// Its client secret.
    pub password: String,
}

impl CredentialKeys {
    /// The names for the logical key `key` (already prefixed).
    pub fn new(key: &str) -> Self {
        Self {
            application: format!("{key}-application"),
            service_principal: format!("{key}-service-principal"),
            password: key.to_owned(),
        }
    }
}

/// The application, service principal and client secret, in creation order. The
/// secret is valid for `lifetime_days` from its creation (`endDateRelative`; Graph's
/// default would be two years) and is replaced when `rotation` changes
/// (`rotateWhenChanged`).
pub fn resources(
    keys: &CredentialKeys,
    display_name: &str,
    lifetime_days: u32,
    rotation: &str,
) -> [Resource; 3] {
    [
        Resource::new(tokens::APPLICATION, &keys.application)
            .prop("displayName", display_name)
            .prop("signInAudience", "AzureADMyOrg")
            .prop("preventDuplicateNames", true),
        Resource::new(tokens::SERVICE_PRINCIPAL, &keys.service_principal)
            .prop("clientId", Output::resource(&keys.application, "clientId")),
        Resource::new(tokens::APPLICATION_PASSWORD, &keys.password)
            .prop("applicationId", Output::resource(&keys.application, "id"))
            .prop("displayName", "cpg-infra")
            .prop("endDateRelative", lifetime(lifetime_days))
            .prop(
                "rotateWhenChanged",
                Value::object([(ROTATION_KEY, Value::str(rotation))]),
            ),
    ]
}

/// The credential as a secret value: `{"tenantId":..,"clientId":..,"clientSecret":..}`.
/// Entra ID client secrets only use letters, digits and `~._-`, so no JSON escaping is needed.
pub fn value(keys: &CredentialKeys, tenant_id: &str) -> Value {
    Value::Secret(Box::new(Value::Concat(vec![
        Value::str(format!("{{\"tenantId\":\"{tenant_id}\",\"clientId\":\"")),
        Output::resource(&keys.application, "clientId").into(),
        Value::str("\",\"clientSecret\":\""),
        Output::resource(&keys.password, "value").into(),
        Value::str("\"}"),
    ])))
}
