//! The rules of the built-in policies of `check`, one module per policy, each a
//! function of one planned resource (its [`Subject`]) that reports what it finds; the
//! plan-wide access invariants are [`super::invariants`]. A new policy is its id in
//! `PolicyId` (config crate), its severity and sentence in [`super::check::policy`], and
//! its module here, listed in [`RULES`].

mod data_bucket_protected;
mod external_member;
mod literal_secret;
mod public_access;
pub mod storage;
mod uniform_access;
mod unneeded_key;

use cpg_infra_abstraction::{Access, Grant, Plan, PrincipalKind, Resource, Review, Source};
use cpg_infra_config::{InfrastructureConfig, PolicyId};

use super::names::{Reviewed, principal_kind};
use storage::StorageGroups;

/// One managed resource of a plan, with everything a rule may ask about it.
pub struct Subject<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The plan's reviews and readable names.
    pub reviewed: &'a Reviewed<'a>,
    /// The storage facts joined over each storage.
    pub storage: &'a StorageGroups<'a>,
    /// The organisation's configuration.
    pub config: &'a InfrastructureConfig,
    /// The resource.
    pub resource: &'a Resource,
    /// What the resource means (from its plugin).
    pub review: &'a Review,
    /// The cloud of the resource (empty for Pulumi's own types).
    pub cloud: &'static str,
}

/// Where a rule reports a finding: its policy and what is wrong and what to do.
pub type Report<'r> = dyn FnMut(PolicyId, String) + 'r;

/// A policy's rule on one resource.
pub type Rule = fn(&Subject, &mut Report);

/// Every per-resource rule, in policy order.
pub const RULES: &[Rule] = &[
    public_access::check,
    data_bucket_protected::check,
    uniform_access::check,
    external_member::check,
    literal_secret::check,
    unneeded_key::check,
];

/// Who a grant is for and what it gives, readable: the principal's kind, its name and
/// `read (role) on target` (or `membership of target`).
fn parties(subject: &Subject, grant: &Grant) -> (PrincipalKind, String, String) {
    let reviewed = subject.reviewed;
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
    (kind, principal, what)
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
