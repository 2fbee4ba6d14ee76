//! What GCP resources mean to a reviewer: which hold data or cost money, which
//! lifecycle rules delete objects, the access each IAM member or group membership
//! grants (`allUsers` and `allAuthenticatedUsers` are the public), how a bucket keeps
//! data (versioning, soft delete, uniform access) and which input of a secret version
//! is secret (`cpg-infra-driver diff`, `access` and `check` ask through the registry).

use cpg_infra_abstraction::review::{field, flat_text, literal, split_prefixed};
use cpg_infra_abstraction::{
    Access, Capabilities, DeleteRule, Eligibility, Grant, PrincipalKind, Resource, ResourceKind,
    Review, StorageFacts, Value,
};

use crate::aliases::RENAMED_TYPES;
use crate::custom_roles;
use crate::permissions;
use crate::tokens;

/// What `resource` (of a `gcp:` type) means to a reviewer.
pub fn review(resource: &Resource) -> Review {
    let token = RENAMED_TYPES
        .iter()
        .find(|(old, _)| *old == resource.type_token)
        .map_or(&*resource.type_token, |(_, new)| *new);
    let prop = |key: &str| resource.property_or_empty(key);
    let grant = |target_key: &str, target_kind: ResourceKind| -> Review {
        let mut review = Review::of(ResourceKind::Grant);
        let role = flat_text(&prop("role"));
        let (principal, principal_kind) = member(&prop("member"));
        let capabilities = permissions::capabilities_of(&role);
        review.grants.push(Grant {
            eligible: None,
            principal,
            principal_kind,
            access: capabilities.unwrap_or_else(Capabilities::all).access(),
            capabilities,
            role,
            target: prop(target_key),
            target_kind: Some(target_kind),
        });
        review
    };
    match token {
        tokens::BUCKET => {
            let mut review = Review::of(ResourceKind::Bucket)
                .named(resource, "name")
                .billed(&[
                    "storageClass",
                    "requesterPays",
                    "location",
                    "lifecycleRules",
                    "autoclass",
                ]);
            review.delete_rules = delete_rules(resource.properties.get("lifecycleRules"));
            review.storage = bucket_facts(resource);
            // A soft-delete retention set (0: deleted objects are gone at once) is a rule
            // that deletes sooner than the default.
            if let Some(Value::Int(seconds)) = resource
                .properties
                .get("softDeletePolicy")
                .and_then(|policy| field(policy, "retentionDurationSeconds"))
            {
                review.delete_rules.push(DeleteRule {
                    scope: "softDeletePolicy (days deleted objects are kept)".to_owned(),
                    after_days: seconds / 86_400,
                });
                review.delete_rules.sort();
            }
            review
        }
        tokens::PAM_ENTITLEMENT => entitlement_review(resource),
        tokens::SECRET_VERSION => Review {
            secret_inputs: &["secretData"],
            ..Review::of(ResourceKind::Other)
        },
        tokens::PROJECT => Review::of(ResourceKind::Project)
            .named(resource, "projectId")
            .billed(&["billingAccount"]),
        tokens::SECRET => Review::of(ResourceKind::Secret)
            .named(resource, "secretId")
            .billed(&["replication"]),
        tokens::REPOSITORY => Review::of(ResourceKind::Registry)
            .named(resource, "repositoryId")
            .billed(&[]),
        tokens::GROUP => {
            let mut review = Review::of(ResourceKind::Group);
            review.name = resource
                .properties
                .get("groupKey")
                .and_then(|key| field(key, "id"))
                .cloned();
            review
        }
        tokens::SERVICE_ACCOUNT => {
            Review::of(ResourceKind::MachineAccount).named(resource, "accountId")
        }
        tokens::SERVICE_ACCOUNT_KEY => Review::of(ResourceKind::Credential),
        tokens::BUDGET => Review::of(ResourceKind::Budget).named(resource, "displayName"),
        tokens::BUCKET_IAM_MEMBER => {
            let mut review = grant("bucket", ResourceKind::Bucket);
            // A mutate grant with the mutator role is named with a suffix (the reference's):
            // its blueprint key is the name without it, so it pairs with other clouds.
            review.key = resource
                .name
                .strip_suffix(custom_roles::MUTATOR_GRANT_SUFFIX)
                .map(str::to_owned);
            review
        }
        tokens::PROJECT_IAM_MEMBER => grant("project", ResourceKind::Project),
        tokens::SECRET_IAM_MEMBER => grant("secretId", ResourceKind::Secret),
        tokens::SERVICE_ACCOUNT_IAM_MEMBER => {
            grant("serviceAccountId", ResourceKind::MachineAccount)
        }
        tokens::REPOSITORY_IAM_MEMBER => grant("repository", ResourceKind::Registry),
        tokens::CLOUD_RUN_IAM_MEMBER => grant("service", ResourceKind::Service),
        tokens::GROUP_MEMBERSHIP => {
            let mut review = Review::of(ResourceKind::Membership);
            let principal = resource
                .properties
                .get("preferredMemberKey")
                .and_then(|key| field(key, "id"))
                .cloned()
                .unwrap_or(Value::str(""));
            let principal_kind = match &principal {
                Value::Str(email) if email.ends_with(".gserviceaccount.com") => {
                    Some(PrincipalKind::MachineAccount)
                }
                Value::Str(_) => Some(PrincipalKind::User),
                _ => None,
            };
            let names: Vec<String> = match resource.properties.get("roles") {
                Some(Value::List(items)) => items
                    .iter()
                    .filter_map(|role| field(role, "name").map(flat_text))
                    .collect(),
                _ => vec!["MEMBER".to_owned()],
            };
            // What the membership allows on the group itself (a manager changes members).
            let capabilities = names.iter().try_fold(Capabilities::NONE, |all, name| {
                permissions::membership_capabilities(name).map(|c| all.union(c))
            });
            let roles = names.join(", ");
            review.grants.push(Grant {
                eligible: None,
                principal,
                principal_kind,
                access: Access::Member,
                capabilities,
                role: roles,
                target: prop("group"),
                target_kind: Some(ResourceKind::Group),
            });
            review
        }
        _ => Review::of(ResourceKind::Other),
    }
}

/// A PAM entitlement: its eligible principals may request its role for a while, on the
/// bucket its condition names (the bucket's name is the condition's first reference).
fn entitlement_review(resource: &Resource) -> Review {
    let mut review = Review::of(ResourceKind::Grant);
    let Some(access) = resource.properties.get("privilegedAccess") else {
        return review;
    };
    let max_hours = match resource
        .properties
        .get("maxRequestDuration")
        .and_then(literal)
    {
        Some(duration) => duration
            .strip_suffix('s')
            .and_then(|s| s.parse::<u32>().ok())
            .map(|seconds| seconds / 3600),
        None => None,
    };
    let justification = resource
        .properties
        .get("requesterJustificationConfig")
        .and_then(|config| field(config, "unstructured"))
        .is_some();
    let principals: Vec<Value> = match resource.properties.get("eligibleUsers") {
        Some(Value::List(users)) => users
            .iter()
            .filter_map(|user| match field(user, "principals") {
                Some(Value::List(principals)) => Some(principals.clone()),
                _ => None,
            })
            .flatten()
            .collect(),
        _ => Vec::new(),
    };
    let bindings = match field(access, "gcpIamAccess").and_then(|a| field(a, "roleBindings")) {
        Some(Value::List(bindings)) => bindings.clone(),
        _ => Vec::new(),
    };
    for binding in &bindings {
        let role = field(binding, "role").map(flat_text).unwrap_or_default();
        let target = match field(binding, "conditionExpression") {
            Some(Value::Concat(parts)) => parts
                .iter()
                .find(|part| matches!(part, Value::Output(_)))
                .cloned(),
            _ => None,
        };
        let (target, target_kind) = match target {
            Some(bucket) => (bucket, ResourceKind::Bucket),
            None => (
                field(access, "gcpIamAccess")
                    .and_then(|a| field(a, "resource"))
                    .cloned()
                    .unwrap_or(Value::str("")),
                ResourceKind::Project,
            ),
        };
        let capabilities = permissions::capabilities_of(&role);
        for principal in &principals {
            let (principal, principal_kind) = member(principal);
            review.grants.push(Grant {
                eligible: Some(Eligibility {
                    max_hours,
                    justification,
                }),
                principal,
                principal_kind,
                access: capabilities.unwrap_or_else(Capabilities::all).access(),
                capabilities,
                role: role.clone(),
                target: target.clone(),
                target_kind: Some(target_kind),
            });
        }
    }
    review
}

/// What a bucket's inputs say about how it keeps data: versioning (off unless
/// enabled), soft delete (when set), uniform bucket-level access (off unless set; the
/// program never relies on an organisation policy). Public access is an IAM member
/// (`allUsers`), and shared (HMAC) keys are resources of their own: neither is the
/// bucket's to say.
fn bucket_facts(resource: &Resource) -> StorageFacts {
    let enabled = |value: Option<&Value>| matches!(value, Some(Value::Bool(true)));
    let versioning = resource.properties.get("versioning");
    let soft_delete = resource
        .properties
        .get("softDeletePolicy")
        .and_then(|policy| field(policy, "retentionDurationSeconds"));
    StorageFacts {
        versioned: Some(enabled(versioning.and_then(|v| field(v, "enabled")))),
        soft_delete_days: match soft_delete {
            Some(Value::Int(seconds)) => Some(seconds / 86_400),
            _ => None,
        },
        uniform_access: Some(enabled(resource.properties.get("uniformBucketLevelAccess"))),
        public_read: None,
        shared_key_access: None,
    }
}

/// The principal of an IAM `member` (`group:`, `serviceAccount:`, `user:`, ...) and its kind.
fn member(value: &Value) -> (Value, Option<PrincipalKind>) {
    if let Some("allUsers" | "allAuthenticatedUsers") = literal(value) {
        return (value.clone(), Some(PrincipalKind::Public));
    }
    match split_prefixed(value) {
        Some((prefix, rest)) => {
            let kind = match prefix {
                "group" => PrincipalKind::Group,
                "serviceAccount" => PrincipalKind::MachineAccount,
                "user" => PrincipalKind::User,
                _ => PrincipalKind::External,
            };
            // Public and domain-wide members keep their prefix: it is the principal.
            let principal = match kind {
                PrincipalKind::External => value.clone(),
                _ => rest,
            };
            (principal, Some(kind))
        }
        None => (value.clone(), Some(PrincipalKind::External)),
    }
}

/// The delete rules of a bucket's `lifecycleRules`: one per numeric condition of a
/// `Delete` action, scoped by the condition's other fields.
fn delete_rules(rules: Option<&Value>) -> Vec<DeleteRule> {
    let Some(Value::List(rules)) = rules else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for rule in rules {
        let deletes = field(rule, "action")
            .and_then(|action| field(action, "type"))
            .and_then(literal)
            == Some("Delete");
        let Some(Value::Object(condition)) = field(rule, "condition") else {
            continue;
        };
        if !deletes {
            continue;
        }
        let others: Vec<String> = condition
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Int(_)))
            .map(|(k, v)| format!("{k}={}", flat_text(v)))
            .collect();
        for (key, value) in condition {
            if let Value::Int(days) = value {
                let scope = if others.is_empty() {
                    key.to_string()
                } else {
                    format!("{key} ({})", others.join(", "))
                };
                found.push(DeleteRule {
                    scope,
                    after_days: *days,
                });
            }
        }
    }
    found.sort();
    found
}
