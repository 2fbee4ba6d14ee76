//! Taking over a live organisation (`[infrastructure] take_over = true`): the clouds
//! already hold some of what the plans create (memberships added by hand, service
//! accounts made before cpg-infra), and a create of an existing resource fails with
//! most providers. Where the provider offers an opt-in that takes the existing resource
//! over instead (the provider facts' `createOptIn` of a type whose create fails when
//! the resource exists), every resource of that type in the plan sets it.
//!
//! The opt-in is an explicit organisation decision, never a default: on a stack that
//! is already deployed, setting it is an update of each such resource (the provider's
//! field defaults to false) that changes only Pulumi's state, and the reference
//! deployment's stacks must migrate with no step at all.

use cpg_infra_abstraction::provider_facts::{self, CreateIfExists, TypeFacts};
use cpg_infra_abstraction::{Plan, Value};

/// The opt-in of a type that makes a create of an existing resource take it over
/// (not an opt-in that makes the create fail instead, such as `preventDuplicateNames`).
pub fn take_over_opt_in(facts: &TypeFacts) -> Option<&str> {
    (facts.create_if_exists == CreateIfExists::Fails && !facts.create_opt_in_fails)
        .then_some(facts.create_opt_in.as_deref())
        .flatten()
}

/// Sets the take-over opt-in on every resource of `plan` whose type has one, when
/// `take_over` is on; the resources the engine only reads are left alone.
pub fn apply(plan: &mut Plan, take_over: bool) {
    if !take_over {
        return;
    }
    for resource in &mut plan.resources {
        if resource.existing.is_some() {
            continue;
        }
        if let Some(key) = provider_facts::facts_of(&resource.type_token).and_then(take_over_opt_in)
        {
            resource.properties.insert(key, Value::Bool(true));
        }
    }
}
