//! The built-in organisation policies of `check` (and `validate`), evaluated on a
//! dataset's plan: each policy of [`super::policies::POLICIES`] (its id, severity,
//! sentence and rule) gives one [`Finding`] per resource or grant and reason.
//!
//! What a resource is (a bucket, a credential), who a grant is for (a person, the
//! public), how storage keeps data (versioning, soft delete, per-object access,
//! shared keys) and which properties hold secrets are the cloud plugins' answers
//! ([`cpg_infra_abstraction::review`]); which buckets hold data is the blueprint's
//! (recorded in the plan); `protect` and literal values are read from the plan
//! itself. Nothing here matches a cloud name or a type token.

use cpg_infra_abstraction::{Plan, Resource, cloud_of_type};
use cpg_infra_config::InfrastructureConfig;

use super::access::{self, Row};
use super::names::Reviewed;
use super::policies::storage::StorageGroups;
use super::policies::{POLICIES, PlanGrants, Policy, Rule, Subject};

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

/// One thing a policy found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The dataset.
    pub dataset: String,
    /// The policy.
    pub policy: &'static Policy,
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
        self.policy.severity
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
        for policy in POLICIES.iter().copied() {
            if let Rule::Resource(rule) = policy.rule {
                rule(&subject, &mut |message| {
                    found.push(Finding {
                        dataset: plan.dataset.clone(),
                        policy,
                        cloud: cloud.to_owned(),
                        resource: resource.name.clone(),
                        name: review.name.as_ref().map(|n| reviewed.readable(n)),
                        message,
                        suppressed: None,
                    });
                });
            }
        }
    }
    let direct = access::direct_rows(plan);
    let grants = PlanGrants {
        plan,
        reviewed: &reviewed,
        direct: &direct,
    };
    for policy in POLICIES.iter().copied() {
        if let Rule::Plan(rule) = policy.rule {
            rule(&grants, &mut |row, message| {
                found.push(Finding::of_row(policy, row, message));
            });
        }
    }
    found.extend(grant_findings(&access::expand(direct)));
    found.sort();
    found
}

/// The findings of the policies on access rows ([`Rule::Grants`]): those of one plan,
/// or of several with the memberships across datasets expanded.
pub fn grant_findings(rows: &[Row]) -> Vec<Finding> {
    let mut found = Vec::new();
    for policy in POLICIES.iter().copied() {
        if let Rule::Grants(rule) = policy.rule {
            rule(rows, &mut |row, message| {
                found.push(Finding::of_row(policy, row, message));
            });
        }
    }
    found
}

impl Finding {
    /// The finding of `policy` on the grant of an access row.
    fn of_row(policy: &'static Policy, row: &Row, message: String) -> Self {
        Finding {
            dataset: row.dataset.clone(),
            policy,
            cloud: row.cloud.clone(),
            resource: row.grant.clone(),
            name: None,
            message,
            suppressed: None,
        }
    }
}

/// The cloud whose plugin owns `resource`'s type (empty for Pulumi's own types).
pub(super) fn cloud_of(resource: &Resource) -> &'static str {
    cloud_of_type(&resource.type_token).map_or("", |cloud| cloud.name)
}
