//! Permission facts of the organisation's own custom roles,
//! `[infrastructure.gcp.organisation_roles.<role id>]`: roles the organisation defined
//! outside this tool (`organizations/<id>/roles/<role id>`) and the design grants. Only
//! the organisation can say what they allow (`gcloud iam roles describe <role id>
//! --organization <id>`), so what it states here, with where it read it, replaces the
//! facts the cloud plugin committed for them; the access invariants then hold the grants
//! against what the live roles really allow. Which role ids may be stated is the
//! plugin's (it knows the roles it grants).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// One organisation role's permissions, as the organisation states them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationRoleFacts {
    /// The role's permissions (`includedPermissions`), e.g. `storage.objects.list`:
    /// at least one, each `service.resource.verb`.
    #[serde(deserialize_with = "de_permissions")]
    #[schemars(length(min = 1))]
    pub permissions: Vec<String>,
    /// Where they were read, e.g. `gcloud iam roles describe StorageLister
    /// --organization 123456789012, 2026-12-01` (required: facts keep their source).
    #[serde(deserialize_with = "de_source")]
    pub source: String,
}

/// Whether `permission` has the shape of a permission name: three or more dot-separated
/// parts of ASCII letters and digits, starting with a lower-case service name.
fn is_permission(permission: &str) -> bool {
    let parts: Vec<&str> = permission.split('.').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && parts[0].starts_with(|c: char| c.is_ascii_lowercase())
}

fn de_permissions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let permissions = Vec::<String>::deserialize(deserializer)?;
    if permissions.is_empty() {
        return Err(serde::de::Error::custom(
            "must list at least one permission (the role's includedPermissions)",
        ));
    }
    if let Some(bad) = permissions.iter().find(|p| !is_permission(p)) {
        return Err(serde::de::Error::custom(format!(
            "`{bad}` is not a permission name (service.resource.verb, e.g. storage.objects.list)"
        )));
    }
    let mut sorted = permissions.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != permissions.len() {
        return Err(serde::de::Error::custom("lists a permission twice"));
    }
    Ok(permissions)
}

fn de_source<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let source = String::deserialize(deserializer)?;
    if source.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "must say where the permissions were read (e.g. `gcloud iam roles describe <role> --organization <id>, <date>`)",
        ));
    }
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::is_permission;

    #[test]
    fn permission_names_have_three_parts() {
        assert!(is_permission("storage.objects.list"));
        assert!(is_permission("resourcemanager.projects.getIamPolicy"));
        assert!(!is_permission("storage.objects"));
        assert!(!is_permission("roles/storage.admin"));
        assert!(!is_permission("storage..list"));
        assert!(!is_permission("Storage.objects.list"));
    }
}
