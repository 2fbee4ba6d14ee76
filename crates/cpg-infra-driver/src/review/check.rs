//! The built-in organisation policies of `check` (and `validate`), evaluated on a
//! dataset's plan: each policy has a stable id ([`PolicyId`], the list `cpg.toml`'s
//! suppressions are checked against), a severity and a sentence, and gives one
//! [`Finding`] per resource and reason.
//!
//! What a resource is (a bucket, a credential), who a grant is for (a person, the
//! public), how storage keeps data (versioning, soft delete, per-object access,
//! shared keys) and which properties hold secrets are the cloud plugins' answers
//! ([`cpg_infra_abstraction::review`]); which buckets hold data is the blueprint's
//! (recorded in the plan); `protect` and literal values are read from the plan
//! itself. Nothing here matches a cloud name or a type token.

use std::collections::BTreeMap;

use cpg_infra_abstraction::review::field;
use cpg_infra_abstraction::{
    Access, Plan, PrincipalKind, Resource, ResourceKind, Source, StorageFacts, Value, cloud_of_type,
};
use cpg_infra_config::{InfrastructureConfig, PolicyId};

use super::names::Reviewed;
use super::names::principal_kind;

/// How serious a finding of a policy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Breaks the organisation's policy: `check` and `validate` exit 1 unless suppressed.
    Error,
    /// Worth a reviewer's look; never changes the exit code.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// A policy's severity and the sentence that says what it requires.
pub fn policy(id: PolicyId) -> (Severity, &'static str) {
    match id {
        PolicyId::PublicAccess => (
            Severity::Error,
            "nothing is readable without signing in, and no storage accepts requests signed with its shared account keys",
        ),
        PolicyId::DataBucketProtected => (
            Severity::Error,
            "every bucket that holds data is protected from deletion and keeps earlier versions or deleted objects",
        ),
        PolicyId::UniformAccess => (
            Severity::Error,
            "bucket access is granted for the whole bucket only, never per object",
        ),
        PolicyId::ExternalMember => (
            Severity::Error,
            "people and groups outside the organisation's domain get access or membership only where allowed",
        ),
        PolicyId::LiteralSecret => (
            Severity::Error,
            "no secret value is written literally in a program",
        ),
        PolicyId::UnneededKey => (
            Severity::Warning,
            "a machine-account key exists only where another cloud, or a reader the design names outside the program, must act as the account",
        ),
        PolicyId::AccessIntent => (
            Severity::Error,
            "every grant allows at most what the design intends for it, in capabilities computed from its role's permission facts (a role without facts fails, as does a grant no grant request of the design made; eligible access counts)",
        ),
        PolicyId::PersonAdmin => (
            Severity::Error,
            "no person or external principal can change access or delete or reconfigure storage, directly or through the groups the plan makes it a member of",
        ),
        PolicyId::CloudParity => (
            Severity::Error,
            "a grant the design makes on several clouds allows the same capabilities on each (seeing and listing aside), or the plan says why",
        ),
    }
}

/// One thing a policy found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The dataset.
    pub dataset: String,
    /// The policy.
    pub policy: PolicyId,
    /// The cloud of the resource.
    pub cloud: String,
    /// The resource's logical name (the program's resource name).
    pub resource: String,
    /// The resource's real (cloud) name, when it has one.
    pub name: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
    /// The reason of the suppression that accepts it, if one does.
    pub suppressed: Option<String>,
}

impl Finding {
    /// The severity of its policy.
    pub fn severity(&self) -> Severity {
        policy(self.policy).0
    }
}

/// Every finding of every policy on `plan`, sorted (policy order, then cloud and
/// resource), none suppressed yet.
pub fn findings(plan: &Plan, config: &InfrastructureConfig) -> Vec<Finding> {
    let reviewed = Reviewed::new(plan);
    let storage = StorageGroups::new(&reviewed);
    let mut found = Vec::new();
    for resource in &plan.resources {
        // `get:` resources are read, never managed: not this program's to fix.
        if resource.existing.is_some() {
            continue;
        }
        let review = reviewed.review(&resource.name);
        let cloud = cloud_of(resource);
        let mut add = |policy: PolicyId, message: String| {
            found.push(Finding {
                dataset: plan.dataset.clone(),
                policy,
                cloud: cloud.to_owned(),
                resource: resource.name.clone(),
                name: review.name.as_ref().map(|n| reviewed.readable(n)),
                message,
                suppressed: None,
            });
        };

        // public-access
        if review.storage.public_read == Some(true) {
            add(
                PolicyId::PublicAccess,
                "anyone may read its contents without signing in (public access is allowed); turn public access off".to_owned(),
            );
        }
        if review.storage.shared_key_access == Some(true) {
            add(
                PolicyId::PublicAccess,
                "requests signed with the storage's shared account keys are accepted (whoever holds a key bypasses every role assignment); turn shared-key access off".to_owned(),
            );
        }

        // data-bucket-protected
        if plan.holds_data(&resource.name) {
            if !resource.options.protect {
                add(
                    PolicyId::DataBucketProtected,
                    "holds data but is not protected: removing it from the program, or `pulumi destroy`, deletes it (set protect_data_buckets = true)".to_owned(),
                );
            }
            let facts = storage.effective(&resource.name, review.storage);
            let versioned = facts.versioned == Some(true);
            let soft_deleted = facts.soft_delete_days.is_some_and(|days| days > 0);
            if !versioned && !soft_deleted {
                add(
                    PolicyId::DataBucketProtected,
                    "holds data but keeps neither earlier versions nor deleted objects: an overwrite or a deletion cannot be undone".to_owned(),
                );
            }
        }

        // uniform-access
        if matches!(review.kind, ResourceKind::Bucket | ResourceKind::Container) {
            match storage
                .effective(&resource.name, review.storage)
                .uniform_access
            {
                Some(true) => {}
                Some(false) => add(
                    PolicyId::UniformAccess,
                    "access can be granted per object (ACLs) beside the bucket's own grants; turn on uniform bucket-level access".to_owned(),
                ),
                None => add(
                    PolicyId::UniformAccess,
                    format!("the {cloud} plugin does not say whether access can be granted per object, so it cannot be checked"),
                ),
            }
        }

        // public-access and external-member: who the resource's grants are for.
        for grant in &review.grants {
            let kind = grant
                .principal_kind
                .or_else(|| principal_kind(reviewed.kind_of(&grant.principal)))
                .unwrap_or(PrincipalKind::External);
            let principal = reviewed.readable(&grant.principal);
            let target = reviewed.readable(&grant.target);
            let what = match grant.access {
                Access::Member => format!("membership of {target}"),
                access => format!("{} ({}) on {target}", access.as_str(), grant.role),
            };
            match kind {
                PrincipalKind::Public => add(
                    PolicyId::PublicAccess,
                    format!(
                        "gives {what} to `{principal}`: anyone, without an account of the organisation; remove the grant"
                    ),
                ),
                PrincipalKind::User | PrincipalKind::Group => {
                    if let Some((_, domain)) = principal.rsplit_once('@')
                        && !inside(domain, config.domain.as_str())
                        && !config
                            .check
                            .allowed_external_members
                            .iter()
                            .any(|allowed| allowed.allows(&principal))
                    {
                        add(
                            PolicyId::ExternalMember,
                            format!(
                                "gives {what} to the {} `{principal}`, outside {}: add it (or `@{domain}`) to [infrastructure.check] allowed_external_members, or remove it",
                                kind.as_str(),
                                config.domain
                            ),
                        );
                    }
                }
                PrincipalKind::MachineAccount | PrincipalKind::External => {}
            }
        }

        // literal-secret: not for configuration the blueprint keeps in a secret store only
        // to reach its reader (the secret itself, or a version reading it).
        let configuration = plan.holds_configuration(&resource.name)
            || plan
                .resources
                .iter()
                .any(|other| plan.holds_configuration(&other.name) && reads(resource, &other.name));
        for path in review.secret_inputs.iter().filter(|_| !configuration) {
            if let Some(value) = at_path(resource, path)
                && value.outputs().is_empty()
                && !is_blank(value)
            {
                add(
                    PolicyId::LiteralSecret,
                    format!(
                        "`{path}` is written literally in the program (so in the repository and the stack's history); take the value from another resource's output"
                    ),
                );
            }
        }

        // unneeded-key
        if review.kind == ResourceKind::Credential {
            let readers: Vec<&Resource> = plan
                .resources
                .iter()
                .filter(|other| reads(other, &resource.name))
                .collect();
            // A key read at home only is unneeded unless the design names who reads it
            // outside the program; one that nothing reads always is.
            let needed_outside =
                !readers.is_empty() && plan.outside_reader(&resource.name).is_some();
            if readers.iter().all(|reader| cloud_of(reader) == cloud) && !needed_outside {
                let message = if readers.is_empty() {
                    "is a machine-account key that nothing in the program reads; remove it"
                        .to_owned()
                } else {
                    let names: Vec<&str> = readers.iter().map(|r| r.name.as_str()).collect();
                    format!(
                        "is a machine-account key read only on {cloud} (by {}); a key is needed where another cloud must act as the account, and on its own cloud the account can be used without one",
                        names.join(", ")
                    )
                };
                add(PolicyId::UnneededKey, message);
            }
        }
    }
    found.extend(super::invariants::findings(plan, &reviewed));
    found.sort();
    found
}

/// The cloud whose plugin owns `resource`'s type (empty for Pulumi's own types).
fn cloud_of(resource: &Resource) -> &'static str {
    cloud_of_type(&resource.type_token).map_or("", |cloud| cloud.name)
}

/// Whether `domain` is the organisation's domain or one of its subdomains.
fn inside(domain: &str, organisation: &str) -> bool {
    domain.eq_ignore_ascii_case(organisation)
        || domain
            .to_ascii_lowercase()
            .ends_with(&format!(".{}", organisation.to_ascii_lowercase()))
}

/// The value at a dotted property path of `resource`.
fn at_path<'r>(resource: &'r Resource, path: &str) -> Option<&'r Value> {
    let mut parts = path.split('.');
    let mut value = resource.properties.get(parts.next()?)?;
    for part in parts {
        value = field(value, part)?;
    }
    Some(value)
}

/// Whether a value is an empty placeholder (no secret in it: e.g. a secret whose
/// value another process writes).
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Str(s) => s.is_empty(),
        Value::Secret(inner) => is_blank(inner),
        _ => false,
    }
}

/// Whether a property of `reader` refers to the resource `name`.
fn reads(reader: &Resource, name: &str) -> bool {
    reader.properties.values().any(|value| {
        value
            .outputs()
            .iter()
            .any(|output| matches!(&output.source, Source::Resource(n) if n == name))
    })
}

/// The storage facts of each storage resource, joined over the resources that are
/// part of the same storage ([`cpg_infra_abstraction::Review::part_of`]): a container
/// takes what it leaves open from its account's blob settings and from the account.
struct StorageGroups<'p> {
    /// The storage each resource belongs to (the resource `part_of` names, else itself).
    group: BTreeMap<&'p str, String>,
    /// The facts of each group's members, in plan order.
    members: BTreeMap<String, Vec<(&'p str, StorageFacts)>>,
}

impl<'p> StorageGroups<'p> {
    fn new(reviewed: &Reviewed<'p>) -> Self {
        let mut group = BTreeMap::new();
        let mut members: BTreeMap<String, Vec<(&'p str, StorageFacts)>> = BTreeMap::new();
        for resource in &reviewed.plan.resources {
            let review = reviewed.review(&resource.name);
            let owner = review
                .part_of
                .as_ref()
                .and_then(|value| match value {
                    Value::Output(output) => match &output.source {
                        Source::Resource(owner) => Some(owner.clone()),
                        Source::Invoke(_) => None,
                    },
                    _ => None,
                })
                .unwrap_or_else(|| resource.name.clone());
            if review.storage != StorageFacts::default() {
                members
                    .entry(owner.clone())
                    .or_default()
                    .push((resource.name.as_str(), review.storage));
            }
            group.insert(resource.name.as_str(), owner);
        }
        Self { group, members }
    }

    /// `own` facts of the resource `name`, with what they leave open taken from the
    /// other resources of its storage.
    fn effective(&self, name: &str, own: StorageFacts) -> StorageFacts {
        let Some(owner) = self.group.get(name) else {
            return own;
        };
        self.members
            .get(owner)
            .into_iter()
            .flatten()
            .filter(|(member, _)| *member != name)
            .fold(own, |facts, (_, other)| facts.or(*other))
    }
}

#[cfg(test)]
mod tests {
    use super::inside;

    #[test]
    fn subdomains_are_inside_the_organisation() {
        assert!(inside("example.org", "example.org"));
        assert!(inside("Lab.Example.org", "example.org"));
        assert!(!inside("notexample.org", "example.org"));
        assert!(!inside("example.org.evil.com", "example.org"));
    }
}
