//! Temporary access on request with Entra Privileged Identity Management for groups: a
//! group that holds the access, whose membership the eligible group's members may
//! activate for a while with a justification and without approval (the group's
//! management policy), and the eligibility itself (permanent, so that only activations
//! expire).

use cpg_infra_abstraction::{
    Bucket, BucketRef, Cloud, EligibleAccess, Group, Handle, Member, Output, Resource, Session,
    Value,
};

use crate::infra::AzureInfra;
use crate::members;
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

impl<'b> AzureInfra {
    /// `Cloud::add_eligible_bucket_access` on Azure: the holder group, its read grant,
    /// its PIM policy and the eligibility (see the module doc).
    pub(crate) fn eligible_bucket_access(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        bucket: &Handle<'b, Bucket>,
        group: &Handle<'b, Group>,
        eligible: EligibleAccess,
    ) {
        let hours = eligible.max_hours.min(MAX_ACTIVATION_HOURS);
        let raw = key;
        let key = self.logical(key);
        if hours < eligible.max_hours {
            session.diagnose(
                &key,
                format!(
                    "Entra PIM activations last at most {} hours: a request on azure lasts up to {hours} hours, not the {} of tmp_main_read_max_hours",
                    MAX_ACTIVATION_HOURS,
                    eligible.max_hours
                ),
            );
        }
        // The group that holds the access; eligible principals activate its membership.
        let holder = self.create_group(
            session,
            &format!("{}-tmp-main-read", self.settings.dataset),
            None,
        );
        self.bucket_grant(
            session,
            &format!("{raw}-holder"),
            &BucketRef::Created(bucket.clone()),
            members::principal(&Member::Group(holder.clone())),
            eligible.access,
        );
        let policy = format!("{key}-policy");
        session.add(activation_policy(&policy, holder.resource(), hours));
        session.add(eligibility(
            &key,
            holder.resource(),
            group.resource(),
            &policy,
        ));
    }
}
