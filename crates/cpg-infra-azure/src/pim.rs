//! Temporary access on request with Entra Privileged Identity Management for groups: a
//! group that holds the access, whose membership the eligible group's members may
//! activate for a while with a justification and without approval (the group's
//! management policy), and the eligibility itself (permanent, so that only activations
//! expire).

use cpg_infra_abstraction::{Output, Resource, Value};

use crate::tokens;

/// The longest activation Entra PIM allows, in hours.
pub const MAX_ACTIVATION_HOURS: u32 = 24;

/// The PIM role of a group's members.
const MEMBER: &str = "member";

/// The policy of `holder` (logical name of the group that holds the access): activating
/// a membership needs a justification, no approval, and lasts at most `hours`.
pub fn activation_policy(key: &str, holder: &str, hours: u32) -> Resource {
    Resource::new(tokens::PIM_POLICY, key)
        .prop("groupId", Output::resource(holder, "objectId"))
        .prop("roleId", MEMBER)
        .prop(
            "activationRules",
            Value::object([
                ("maximumDuration", Value::str(format!("PT{hours}H"))),
                ("requireJustification", Value::Bool(true)),
                ("requireApproval", Value::Bool(false)),
            ]),
        )
}

/// The members of the group `eligible` (its logical name) may activate a membership of
/// `holder`, after the policy `policy` is in place.
pub fn eligibility(key: &str, holder: &str, eligible: &str, policy: &str) -> Resource {
    Resource::new(tokens::PIM_ELIGIBILITY, key)
        .prop("groupId", Output::resource(holder, "objectId"))
        .prop("principalId", Output::resource(eligible, "objectId"))
        .prop("assignmentType", MEMBER)
        .prop("permanentAssignment", true)
        .prop(
            "justification",
            "cpg-infra: temporary access on request, activated with a justification",
        )
        .depends_on([policy.to_owned()])
}
