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
use cpg_infra_config::CalendarDate;

use crate::tokens;

/// The key of `rotateWhenChanged` that carries `credential_rotation`.
pub const ROTATION_KEY: &str = "credential_rotation";

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
/// secret ends on `end_date` (an absolute `endDate`: without one Graph sets two years; the
/// relative `endDateRelative` is deprecated and no longer passed on by azuread 6), which
/// the configuration fixes so the program is the same on every run, and is replaced when
/// `rotation` changes (`rotateWhenChanged`) or the end date moves (`endDate` forces a new
/// password: there is no update of a password in Microsoft Graph).
pub fn resources(
    keys: &CredentialKeys,
    display_name: &str,
    end_date: CalendarDate,
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
            .prop("endDate", end_date.rfc3339_midnight_utc())
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
