//! The shapes of Azure resource ids, checked before an existing resource is
//! adopted (`options.import`) or read (`get:`).
//!
//! `azure-native` resources are identified by their Azure Resource Manager id
//! (`/subscriptions/<guid>/resourceGroups/<group>/providers/...`); `azuread`
//! objects by their object id, optionally with the collection (`/groups/<guid>`).

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
