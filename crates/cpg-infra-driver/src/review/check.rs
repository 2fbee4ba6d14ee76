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

use cpg_infra_abstraction::{Plan, Resource, cloud_of_type};
use cpg_infra_config::{InfrastructureConfig, PolicyId};

use super::names::Reviewed;
use super::policies::storage::StorageGroups;
use super::policies::{RULES, Subject};

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
        PolicyId::PersonAdminAllowed => (
            Severity::Warning,
            "a person who can change access or delete or reconfigure storage only through an allowance the design states (the reference's storage administrator role on mutate grants while mutator_role is off) is reported with the allowance's reason",
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
        let subject = Subject {
            plan,
            reviewed: &reviewed,
            storage: &storage,
            config,
            resource,
            review: &review,
            cloud,
        };
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
        for rule in RULES {
            rule(&subject, &mut add);
        }
    }
    found.extend(super::invariants::findings(plan, &reviewed));
    found.sort();
    found
}

/// The cloud whose plugin owns `resource`'s type (empty for Pulumi's own types).
pub(super) fn cloud_of(resource: &Resource) -> &'static str {
    cloud_of_type(&resource.type_token).map_or("", |cloud| cloud.name)
}
