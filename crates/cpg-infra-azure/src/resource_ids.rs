//! The shapes of Azure resource ids, checked before an existing resource is
//! adopted (`options.import`) or read (`get:`).
//!
//! `azure-native` resources are identified by their Azure Resource Manager id
//! (`/subscriptions/<guid>/resourceGroups/<group>/providers/...`); `azuread`
//! objects by their object id, optionally with the collection (`/groups/<guid>`).
//! An adopted resource's id must also be of its type and name the planned resource.

use crate::tokens;

/// Why `id` is not an id of a `type_token` resource (`None` when it is).
pub fn check(type_token: &str, id: &str) -> Option<String> {
    if id.is_empty() || id.trim() != id || id.chars().any(char::is_control) {
        return Some(format!(
            "`{id}` is not a resource id: ids are non-empty, without surrounding spaces or control characters"
        ));
    }
    if type_token.starts_with("azure-native:") {
        let segments: Vec<&str> = id.split('/').collect();
        let ok = segments.len() >= 3
            && segments[0].is_empty()
            && segments[1].eq_ignore_ascii_case("subscriptions")
            && is_guid(segments[2])
            && segments[1..].iter().all(|s| !s.is_empty());
        return (!ok).then(|| {
            format!("`{id}` is not an Azure resource id: use `/subscriptions/<subscription id>/resourceGroups/<group>/providers/...` (the resource's `id` in the portal's JSON view)")
        });
    }
    if type_token.starts_with("azuread:") {
        let object_id = id.rsplit('/').next().unwrap_or(id);
        let ok = is_guid(object_id) && (id == object_id || id.starts_with('/'));
        return (!ok).then(|| {
            format!("`{id}` is not an Entra ID object id: use the object id (a GUID), e.g. `/groups/<object id>`")
        });
    }
    None
}

/// Why `id` cannot be the id of the `type_token` resource named `name` (its real name in
/// the plan, when known) that a plan adopts: [`check`]'s shape; for `azure-native`, the
/// resource type the id names (Azure Resource Manager ids are
/// `/subscriptions/<sub>/resourceGroups/<group>/providers/<namespace>/<type>/<name>[/<type>/<name>...]`,
/// <https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules>;
/// the namespace of module `<m>` of azure-native is `Microsoft.<m>`), and its last name,
/// which is the resource's (names compared without case, as Azure does). Entra ID
/// object ids carry no name.
pub fn check_adopted(type_token: &str, id: &str, name: Option<&str>) -> Option<String> {
    if let Some(problem) = check(type_token, id) {
        return Some(problem);
    }
    if !type_token.starts_with("azure-native:") {
        return None;
    }
    if let Some(problem) = resource_type_problem(type_token, id) {
        return Some(problem);
    }
    let name = name?;
    let last = id.rsplit('/').next().unwrap_or(id);
    (!last.eq_ignore_ascii_case(name)).then(|| {
        format!(
            "`{id}` names `{last}`, but the plan's resource is `{name}`: it is the id of another resource; give the id of `{name}`"
        )
    })
}

/// Why the Resource Manager `id` is not of an azure-native `type_token` resource.
fn resource_type_problem(type_token: &str, id: &str) -> Option<String> {
    let mut parts = type_token.split(':').skip(1);
    let (module, kind) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let segments: Vec<&str> = id.split('/').collect();
    if type_token == tokens::RESOURCE_GROUP {
        let ok = segments.len() == 5 && segments[3].eq_ignore_ascii_case("resourceGroups");
        return (!ok).then(|| {
            format!("`{id}` is not a resource group's id: use `/subscriptions/<subscription id>/resourceGroups/<group>`")
        });
    }
    let namespace = format!("Microsoft.{module}");
    let wrong = || {
        format!(
            "`{id}` is the id of another type of resource: it must name a resource of the `{namespace}` resource provider (any case), of type `{kind}` (the `id` in the resource's JSON view in the portal)"
        )
    };
    let Some(at) = segments
        .iter()
        .rposition(|s| s.eq_ignore_ascii_case("providers"))
    else {
        return Some(wrong());
    };
    let rest = &segments[at + 1..];
    // `<namespace>` then (type, name) pairs.
    if rest.len() < 3 || rest.len().is_multiple_of(2) || !rest[0].eq_ignore_ascii_case(&namespace) {
        return Some(wrong());
    }
    let last_type = rest[rest.len() - 2].to_ascii_lowercase();
    let singular = last_type
        .strip_suffix("ies")
        .map(|stem| format!("{stem}y"))
        .or_else(|| last_type.strip_suffix('s').map(str::to_owned))
        .unwrap_or(last_type);
    (!kind.to_ascii_lowercase().contains(&singular)).then(wrong)
}

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_resource_manager_and_object_ids() {
        let sub = "/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f";
        for (token, id) in [
            (
                "azure-native:storage:StorageAccount",
                format!(
                    "{sub}/resourceGroups/egi-a/providers/Microsoft.Storage/storageAccounts/egia"
                ),
            ),
            (
                "azure-native:resources:ResourceGroup",
                format!("{sub}/resourceGroups/egi-notebooks"),
            ),
            (
                "azuread:index/group:Group",
                "/groups/3f2a6c1e-7b4d-4e8a-9c21-5d6f7a8b9c0d".to_owned(),
            ),
            (
                "azuread:index/group:Group",
                "3f2a6c1e-7b4d-4e8a-9c21-5d6f7a8b9c0d".to_owned(),
            ),
        ] {
            assert_eq!(check(token, &id), None, "{token} {id}");
        }
    }

    #[test]
    fn an_adopted_id_is_of_the_resource_type_and_names_the_planned_resource() {
        use super::check_adopted;
        use crate::tokens;
        let group = "/subscriptions/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/resourceGroups/egi-a";
        let account = format!("{group}/providers/Microsoft.Storage/storageAccounts/egia");
        let vault = format!("{group}/providers/Microsoft.KeyVault/vaults/egi-a-vault");
        let container = format!("{account}/blobServices/default/containers/main");
        let identity =
            format!("{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/upload");
        for (token, id, name) in [
            (tokens::STORAGE_ACCOUNT, account.as_str(), Some("egia")),
            (tokens::KEY_VAULT, vault.as_str(), Some("EGI-A-VAULT")),
            (tokens::BLOB_CONTAINER, container.as_str(), Some("main")),
            (tokens::USER_ASSIGNED_IDENTITY, identity.as_str(), None),
            (tokens::RESOURCE_GROUP, group, Some("egi-a")),
        ] {
            assert_eq!(check_adopted(token, id, name), None, "{token} {id}");
        }
        let err = check_adopted(tokens::KEY_VAULT, &account, None).expect("another type");
        assert!(
            err.contains("another type") && err.contains("Microsoft.keyvault"),
            "{err}"
        );
        assert!(check_adopted(tokens::RESOURCE_GROUP, &account, None).is_some());
        assert!(check_adopted(tokens::STORAGE_ACCOUNT, group, None).is_some());
        let err = check_adopted(tokens::STORAGE_ACCOUNT, &account, Some("egib")).expect("other");
        assert!(err.contains("names `egia`"), "{err}");
    }

    #[test]
    fn rejects_other_shapes() {
        for (token, id) in [
            ("azure-native:storage:StorageAccount", "egia"),
            (
                "azure-native:storage:StorageAccount",
                "/subscriptions/not-a-guid/resourceGroups/x",
            ),
            ("azuread:index/group:Group", "egi-access"),
            ("azure-native:storage:StorageAccount", ""),
        ] {
            assert!(check(token, id).is_some(), "{token} {id:?} accepted");
        }
    }
}
