//! What the design means a grant to allow, recorded in the plan beside what the cloud
//! realises: each grant the blueprint asks for is a [`GrantRequest`]; the blueprint's
//! intent table (`cpg-infra-blueprint/src/intent.rs`) answers it with an [`Intent`]
//! (the most its principal may do, in [`Capabilities`]), and the plugin API's `Infra` records
//! that intent for every resource the cloud creates for the request. `check` then
//! holds each grant's capabilities, computed from the role's permission facts,
//! against it.

use crate::capability::Capabilities;
use crate::requests::{
    BucketMembership, ContainerRegistryMembership, ProjectRole, SecretMembership,
};

/// A grant the blueprint asks a cloud for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantRequest {
    /// Access to a bucket.
    Bucket(BucketMembership),
    /// Listing a project's buckets.
    ListBuckets,
    /// Acting as a machine account.
    ActAs,
    /// Membership of a group (the group's own grants apply).
    Membership,
    /// Access to a secret.
    Secret(SecretMembership),
    /// Access to a container registry.
    Registry(ContainerRegistryMembership),
    /// A project-level role.
    Project(ProjectRole),
    /// Invoking a web service.
    Invoker,
    /// Access to a bucket that the members of a group may request for a while (and what
    /// the cloud needs to broker the requests).
    EligibleBucket(BucketMembership),
    /// The organisation's access broker acting as a machine account that may request
    /// eligible access, to request it for that account.
    AccessBroker,
}

impl GrantRequest {
    /// What it is, for the standard diagnostic when a cloud has no equivalent.
    pub fn describe(self) -> &'static str {
        match self {
            GrantRequest::Bucket(_) => "access to a bucket",
            GrantRequest::ListBuckets => "listing a project's buckets",
            GrantRequest::ActAs => "acting as a machine account",
            GrantRequest::Membership => "group membership",
            GrantRequest::Secret(_) => "access to a secret",
            GrantRequest::Registry(_) => "access to a container registry",
            GrantRequest::Project(role) => role.describe(),
            GrantRequest::Invoker => "invoking a web service",
            GrantRequest::EligibleBucket(_) => "temporary access on request",
            GrantRequest::AccessBroker => {
                "requesting temporary access for a machine account (an access broker)"
            }
        }
    }
}

/// What the design allows one grant: `capabilities`, and beyond them `allowance`
/// where the design knowingly allows more (the reference's deployed grants), with
/// the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intent {
    /// The most the grant's principal may do on its target.
    pub capabilities: Capabilities,
    /// More that is accepted, and why (shown by `access --compare-clouds` and `check`).
    pub allowance: Option<(Capabilities, &'static str)>,
    /// Why only machine accounts may hold the grant, when a person never may (the
    /// `person-admin` invariant holds every person who gets it, directly or through a
    /// group, as a finding).
    pub machines_only: Option<&'static str>,
}

impl Intent {
    /// An intent of exactly `capabilities`, nothing allowed beyond.
    pub fn exactly(capabilities: Capabilities) -> Self {
        Self {
            capabilities,
            allowance: None,
            machines_only: None,
        }
    }

    /// Everything the intent accepts (its capabilities and its allowance).
    pub fn accepted(self) -> Capabilities {
        self.allowance
            .map_or(self.capabilities, |(more, _)| self.capabilities.union(more))
    }
}

/// The blueprint's answer to a grant request.
pub type IntentOf = Box<dyn Fn(GrantRequest) -> Intent>;
