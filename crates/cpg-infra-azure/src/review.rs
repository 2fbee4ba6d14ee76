//! What Azure resources mean to a reviewer: which hold data or cost money, which
//! management-policy rules delete blobs, the access each role assignment or group
//! member grants, how storage keeps data and who can reach it (public access and shared
//! keys on the account and containers, versioning and soft delete in the account's blob
//! settings, which every container is part of) and which input of a Key Vault secret is
//! secret (`cpg-infra-driver diff`, `access` and `check` ask through the registry).

use cpg_infra_abstraction::review::{field, flat_text, literal};
use cpg_infra_abstraction::{
    Access, Capabilities, DeleteRule, Eligibility, Grant, PrincipalKind, Resource, ResourceKind,
    Review, Source, StorageFacts, Value,
};

use crate::infra::PREFIX;
use crate::permissions;
use crate::roles::CustomRole;
use crate::tokens;

/// What `resource` (of an `azure-native:` or `azuread:` type) means to a reviewer; its
/// key is its logical name without this plugin's prefix.
pub fn review(resource: &Resource) -> Review {
    let mut review = classify(resource);
    review.key = resource.name.strip_prefix(PREFIX).map(str::to_owned);
    review
}

fn classify(resource: &Resource) -> Review {
    let prop = |key: &str| resource.properties.get(key).cloned();
    match &*resource.type_token {
        tokens::RESOURCE_GROUP => {
            Review::of(ResourceKind::ResourceGroup).named(resource, "resourceGroupName")
        }
        tokens::STORAGE_ACCOUNT => {
            let mut review = Review::of(ResourceKind::StorageAccount)
                .named(resource, "accountName")
                .billed(&["sku", "accessTier", "kind", "location"]);
            review.storage = StorageFacts {
                // Azure's defaults: no public blob access, shared keys allowed, no
                // hierarchical namespace (without one, access is never per blob).
                public_read: Some(is_true(prop("allowBlobPublicAccess").as_ref())),
                shared_key_access: Some(!is_false(prop("allowSharedKeyAccess").as_ref())),
                uniform_access: Some(!is_true(prop("isHnsEnabled").as_ref())),
                ..StorageFacts::default()
            };
            review
        }
        tokens::BLOB_CONTAINER => {
            let mut review = Review::of(ResourceKind::Container).named(resource, "containerName");
            // `None` (Azure's default) is the only level without anonymous reads.
            let public = prop("publicAccess");
            review.storage.public_read = Some(
                public
                    .as_ref()
                    .and_then(literal)
                    .is_some_and(|p| p != "None"),
            );
            review.part_of = prop("accountName");
            review
        }
        tokens::KEY_VAULT => Review::of(ResourceKind::Vault)
            .named(resource, "vaultName")
            .billed(&["properties"]),
        tokens::KEY_VAULT_SECRET => Review {
            // A secret without a version holds the placeholder, which is no secret (the
            // process that owns the secret writes its value outside Pulumi).
            secret_inputs: if resource
                .properties
                .get("properties")
                .and_then(|p| field(p, "value"))
                .and_then(literal)
                == Some(crate::secrets::PLACEHOLDER_VALUE)
            {
                &[]
            } else {
                &["properties.value"]
            },
            ..Review::of(ResourceKind::Secret)
                .named(resource, "secretName")
                .billed(&[])
        },
        tokens::CONTAINER_REGISTRY => Review::of(ResourceKind::Registry)
            .named(resource, "registryName")
            .billed(&["sku"]),
        tokens::GROUP => Review::of(ResourceKind::Group).named(resource, "displayName"),
        tokens::USER_ASSIGNED_IDENTITY => {
            Review::of(ResourceKind::MachineAccount).named(resource, "resourceName")
        }
        tokens::APPLICATION => {
            Review::of(ResourceKind::MachineAccount).named(resource, "displayName")
        }
        // Named by its application (a reference the driver resolves).
        tokens::SERVICE_PRINCIPAL => {
            Review::of(ResourceKind::MachineAccount).named(resource, "clientId")
        }
        tokens::APPLICATION_PASSWORD => Review::of(ResourceKind::Credential),
        tokens::BUDGET => Review::of(ResourceKind::Budget).named(resource, "budgetName"),
        tokens::MANAGEMENT_POLICY => {
            let mut review = Review::of(ResourceKind::Other);
            // Tiering and deletion rules change the bill.
            review.cost_properties = &["policy"];
            review.delete_rules = policy_delete_rules(resource.properties.get("policy"));
            review
        }
        tokens::BLOB_SERVICE_PROPERTIES => {
            let mut review = Review::of(ResourceKind::Other);
            // The account's blob settings: versioning, and soft delete of blobs.
            let retention = prop("deleteRetentionPolicy");
            review.storage = StorageFacts {
                versioned: Some(is_true(prop("isVersioningEnabled").as_ref())),
                soft_delete_days: retention.as_ref().map(|policy| {
                    match (field(policy, "enabled"), field(policy, "days")) {
                        (Some(Value::Bool(true)), Some(Value::Int(days))) => *days,
                        _ => 0,
                    }
                }),
                ..StorageFacts::default()
            };
            review.part_of = prop("accountName");
            for key in ["deleteRetentionPolicy", "containerDeleteRetentionPolicy"] {
                if let Some(Value::Int(days)) =
                    resource.properties.get(key).and_then(|p| field(p, "days"))
                {
                    review.delete_rules.push(DeleteRule {
                        scope: format!("{key} (deleted blobs kept)"),
                        after_days: *days,
                    });
                }
            }
            review
        }
        tokens::ROLE_ASSIGNMENT => {
            let mut review = Review::of(ResourceKind::Grant);
            let (capabilities, role) = role_of(
                prop("roleDefinitionId").as_ref(),
                &resource.options.depends_on,
            );
            let principal_kind = match prop("principalType").as_ref().and_then(literal) {
                Some("Group") => Some(PrincipalKind::Group),
                Some("ServicePrincipal") => Some(PrincipalKind::MachineAccount),
                Some("User") => Some(PrincipalKind::User),
                Some(_) => Some(PrincipalKind::External),
                // A principal given by id in the configuration: its type is not known.
                None => match prop("principalId") {
                    Some(Value::Str(_)) => Some(PrincipalKind::External),
                    _ => None,
                },
            };
            let target = prop("scope").unwrap_or(Value::str(""));
            let target_kind = literal(&target).map(scope_kind);
            review.grants.push(Grant {
                eligible: None,
                principal: prop("principalId").unwrap_or(Value::str("")),
                principal_kind,
                access: capabilities.unwrap_or_else(Capabilities::all).access(),
                capabilities,
                role,
                target,
                target_kind,
            });
            review
        }
        tokens::GROUP_MEMBER => {
            let mut review = Review::of(ResourceKind::Membership);
            let principal = prop("memberObjectId").unwrap_or(Value::str(""));
            let principal_kind =
                matches!(principal, Value::Str(_)).then_some(PrincipalKind::External);
            review.grants.push(Grant {
                eligible: None,
                principal,
                principal_kind,
                access: Access::Member,
                capabilities: permissions::membership_capabilities("member"),
                role: "member".to_owned(),
                target: prop("groupObjectId").unwrap_or(Value::str("")),
                target_kind: Some(ResourceKind::Group),
            });
            review
        }
        // Entra PIM for groups: the principal may activate a membership of the group (which
        // holds the access) for as long as the group's policy allows, with a reason.
        tokens::PIM_ELIGIBILITY => {
            let mut review = Review::of(ResourceKind::Membership);
            review.grants.push(Grant {
                eligible: Some(Eligibility {
                    max_hours: None,
                    justification: true,
                }),
                principal: prop("principalId").unwrap_or(Value::str("")),
                principal_kind: None,
                access: Access::Member,
                capabilities: permissions::membership_capabilities("member"),
                role: "member (eligible)".to_owned(),
                target: prop("groupId").unwrap_or(Value::str("")),
                target_kind: Some(ResourceKind::Group),
            });
            review
        }
        _ => Review::of(ResourceKind::Other),
    }
}

/// Whether a flag is set to `true`.
fn is_true(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Bool(true)))
}

/// Whether a flag is set to `false`.
fn is_false(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Bool(false)))
}

/// What a role definition id allows and its readable name: a built-in role's full
/// id (its facts, by GUID), or one of this plugin's custom roles (their definition is the
/// code's), which assignments name by their literal id and depend on (`depends_on`);
/// `None` for a role without facts.
fn role_of(definition: Option<&Value>, depends_on: &[String]) -> (Option<Capabilities>, String) {
    if let Some(role) = CustomRole::ALL
        .into_iter()
        .find(|role| depends_on.iter().any(|d| d == role.key()))
    {
        return (
            Some(permissions::custom_capabilities(role)),
            format!("{} (custom role)", role.title()),
        );
    }
    match definition {
        Some(Value::Str(id)) => {
            let guid = id.rsplit('/').next().unwrap_or(id);
            match permissions::builtin_facts(guid) {
                Some(facts) => (permissions::builtin_capabilities(guid), facts.name.clone()),
                None => (None, id.clone()),
            }
        }
        Some(Value::Output(output)) => {
            let custom = CustomRole::ALL.into_iter().find(
                |role| matches!(&output.source, Source::Resource(name) if name == role.key()),
            );
            match custom {
                Some(role) => (
                    Some(permissions::custom_capabilities(role)),
                    format!("{} (custom role)", role.title()),
                ),
                None => (None, flat_text(&Value::Output(output.clone()))),
            }
        }
        Some(other) => (None, flat_text(other)),
        None => (None, String::new()),
    }
}

/// The kind of resource a literal Azure resource id names.
fn scope_kind(id: &str) -> ResourceKind {
    let segments: Vec<&str> = id.trim_end_matches('/').split('/').collect();
    let parent = segments
        .len()
        .checked_sub(2)
        .map(|i| segments[i].to_ascii_lowercase());
    match parent.as_deref() {
        Some("containers") => ResourceKind::Container,
        Some("storageaccounts") => ResourceKind::StorageAccount,
        Some("vaults") => ResourceKind::Vault,
        Some("secrets") => ResourceKind::Secret,
        Some("registries") => ResourceKind::Registry,
        Some("resourcegroups") => ResourceKind::ResourceGroup,
        Some("userassignedidentities") => ResourceKind::MachineAccount,
        _ => ResourceKind::Other,
    }
}

/// The delete actions of a management policy: one per rule, blob kind and day count.
fn policy_delete_rules(policy: Option<&Value>) -> Vec<DeleteRule> {
    let Some(Value::List(rules)) = policy.and_then(|p| field(p, "rules")) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for rule in rules {
        let name = field(rule, "name").map(flat_text).unwrap_or_default();
        let Some(Value::Object(actions)) =
            field(rule, "definition").and_then(|d| field(d, "actions"))
        else {
            continue;
        };
        for (blob_kind, action) in actions {
            let Some(Value::Object(delete)) = field(action, "delete") else {
                continue;
            };
            for (condition, days) in delete {
                if let Value::Int(days) = days {
                    found.push(DeleteRule {
                        scope: format!("{name} {blob_kind} {condition}"),
                        after_days: *days,
                    });
                }
            }
        }
    }
    found.sort();
    found
}
