//! Adopting existing Azure resources (`datasets:adopt`): what Azure needs beyond
//! setting `options.import` on the named resource.
//!
//! - A resource inside a resource group this plan creates (the dataset's group,
//!   or a created project's) proves the group exists, and azure-native refuses to
//!   create a resource that already exists. So the group is adopted too (its
//!   `options.import` is set, with a Note), unless `datasets:adopt` names it itself.
//! - Adopting the storage account adopts the containers and the management policy the
//!   plan creates in it (their ids are the account's with the child's path), since an
//!   account in use holds them, and azure-native refuses to create a child that exists
//!   (the provider facts: `createIfExists` fails for both). Each
//!   is said in a Note: a child the live account lacks fails the import, and is then
//!   created by hand or left out of the plan. Blob service properties exist in every
//!   account and their create takes them over, so they need no import.
//! - Every Azure resource is created and read through the explicit provider of
//!   the configured subscription, so an id in another subscription cannot be
//!   imported: that is a validation error.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Output, Plan, Severity, Value};
use cpg_infra_config::DatasetConfig;

use crate::infra::CLOUD;
use crate::{storage, tokens};

/// The subscription and resource group named by an Azure Resource Manager id
/// (`/subscriptions/<sub>/resourceGroups/<group>/...`), when it has them.
pub fn subscription_and_group(id: &str) -> (Option<&str>, Option<&str>) {
    let mut segments = id.split('/');
    let (Some(""), Some(kind), Some(subscription)) =
        (segments.next(), segments.next(), segments.next())
    else {
        return (None, None);
    };
    if !kind.eq_ignore_ascii_case("subscriptions") {
        return (None, None);
    }
    let group = match (segments.next(), segments.next()) {
        (Some(kind), Some(group)) if kind.eq_ignore_ascii_case("resourceGroups") => Some(group),
        _ => None,
    };
    (Some(subscription), group)
}

/// The `datasets:adopt` entries of `dataset` whose Azure ids name another
/// subscription than `subscription_id`: one message per entry.
pub fn foreign_subscriptions(subscription_id: &str, dataset: &DatasetConfig) -> Vec<String> {
    dataset
        .adopt
        .iter()
        .filter_map(|(name, id)| {
            let (Some(subscription), _) = subscription_and_group(id) else {
                return None;
            };
            (!subscription.eq_ignore_ascii_case(subscription_id)).then(|| {
                format!(
                    "dataset {}: datasets:adopt: `{name}`: `{id}` is in subscription {subscription}, but every Azure resource of this program is managed in [infrastructure.azure] subscription_id {subscription_id} (the explicit provider cannot import from another subscription); move the resource or correct the id",
                    dataset.dataset
                )
            })
        })
        .collect()
}

/// Adopts every resource group of `plan` that contains a resource `adopt`
/// names, unless `adopt` names the group itself.
pub fn containing_groups(plan: &mut Plan, adopt: &BTreeMap<String, String>) {
    let mut notes = Vec::new();
    for group in &mut plan.resources {
        if group.type_token != tokens::RESOURCE_GROUP
            || group.existing.is_some()
            || adopt.contains_key(&group.name)
        {
            continue;
        }
        let Some(Value::Str(group_name)) = group.properties.get("resourceGroupName") else {
            continue;
        };
        let inside: Vec<(&String, &str)> = adopt
            .iter()
            .filter_map(|(name, id)| match subscription_and_group(id) {
                (Some(subscription), Some(found)) if found.eq_ignore_ascii_case(group_name) => {
                    Some((name, subscription))
                }
                _ => None,
            })
            .collect();
        let Some((_, subscription)) = inside.first() else {
            continue;
        };
        let id = format!("/subscriptions/{subscription}/resourceGroups/{group_name}");
        let names: Vec<&str> = inside.iter().map(|(name, _)| name.as_str()).collect();
        notes.push((
            group.name.clone(),
            format!(
                "adopts the existing resource group `{id}` too: datasets:adopt names {} inside it, so the group exists, and azure-native refuses to create a resource that exists. The update that imports it also sets the group's inputs to the program's (location {}, no tags: `pulumi preview --diff` shows any difference; a different location would mean replacing the group, which protect refuses); from then on Pulumi manages the group (protected)",
                names.join(", "),
                match group.properties.get("location") {
                    Some(Value::Str(location)) => location.as_str(),
                    _ => "(as planned)",
                }
            ),
        ));
        group.options.import = Some(id);
    }
    for (subject, message) in notes {
        plan.diagnose(Severity::Note, CLOUD, &subject, message);
    }
}

/// The path of a child of a storage account under the account's id, for the child types
/// whose create fails when the child exists.
fn child_path(child: &cpg_infra_abstraction::Resource) -> Option<String> {
    let name = |key: &str| match child.properties.get(key) {
        Some(Value::Str(name)) => Some(name.clone()),
        _ => None,
    };
    match &*child.type_token {
        tokens::BLOB_CONTAINER => Some(format!(
            "/blobServices/default/containers/{}",
            name("containerName")?
        )),
        tokens::MANAGEMENT_POLICY => Some(format!(
            "/managementPolicies/{}",
            name("managementPolicyName")?
        )),
        _ => None,
    }
}

/// Adopts the containers and the management policy of `plan` in the storage account
/// when `adopt` names the account, unless `adopt` names the child itself.
pub fn storage_children(plan: &mut Plan, adopt: &BTreeMap<String, String>) {
    let Some(account_id) = adopt.get(storage::STORAGE_ACCOUNT) else {
        return;
    };
    let account_id = account_id.trim_end_matches('/');
    let in_account = Value::from(Output::resource(storage::STORAGE_ACCOUNT, "name"));
    let mut adopted = Vec::new();
    for child in &mut plan.resources {
        if adopt.contains_key(&child.name)
            || child.existing.is_some()
            || child.properties.get("accountName") != Some(&in_account)
        {
            continue;
        }
        let Some(path) = child_path(child) else {
            continue;
        };
        let id = format!("{account_id}{path}");
        child.options.import = Some(id.clone());
        adopted.push((child.name.clone(), id));
    }
    for (subject, id) in adopted {
        plan.diagnose(
            Severity::Note,
            CLOUD,
            &subject,
            format!(
                "adopts `{id}` too: datasets:adopt names the storage account `{}`, an account in use holds its containers and lifecycle policy, and azure-native refuses to create one that exists. The update that imports it also sets its inputs to the program's (`pulumi preview --diff` shows which); if the live account lacks it, the import fails at `pulumi up`: create it first (empty), or name it in datasets:adopt with its id",
                storage::STORAGE_ACCOUNT
            ),
        );
    }
}
