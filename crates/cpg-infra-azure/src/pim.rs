//! Temporary access on request with Entra Privileged Identity Management for groups: a
//! group that holds the access, whose membership the eligible group's members may
//! activate for a while with a justification and without approval (the group's
//! management policy), and the eligibility itself (permanent, so that only activations
//! expire). How long an activation may last, and how the provider wants it written,
//! are committed facts with their sources (`data/pim-limits.toml`).

use std::sync::LazyLock;

use serde::Deserialize;

use cpg_infra_abstraction::{
    Bucket, BucketRef, Cloud, EligibleAccess, GrantRequest, Group, Handle, Member, Output,
    Resource, Session, Unavailable, Value,
};

use crate::infra::AzureInfra;
use crate::members;
use crate::tokens;

/// How long an activation may last, with where that is known from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PimLimits {
    /// The longest activation, in hours.
    pub max_activation_hours: u32,
    /// When the sources were read.
    pub retrieved: String,
    /// Where it is known from.
    pub sources: Vec<String>,
    /// Every `maximumDuration` the provider accepts.
    pub durations: Vec<String>,
}

/// The committed limits (a test parses them).
pub static LIMITS: LazyLock<PimLimits> = LazyLock::new(|| {
    toml::from_str(include_str!("../data/pim-limits.toml")).expect("data/pim-limits.toml parses")
});

/// The problem with `hours` as `tmp_main_read_max_hours` on azure, if it is too long.
pub fn duration_problem(hours: u32) -> Option<String> {
    let limits = &*LIMITS;
    (hours > limits.max_activation_hours).then(|| {
        format!(
            "datasets:tmp_main_read_max_hours: {hours} hours is longer than an Entra PIM for Groups activation may last on azure (at most {} hours; {}); lower it to {} or less, or deploy the dataset to gcp only",
            limits.max_activation_hours, limits.sources[0], limits.max_activation_hours
        )
    })
}

/// `hours` as the provider accepts an activation's `maximumDuration` (`PT12H`; a whole
/// day is `P1D`), or `None` when it accepts no such duration.
pub fn activation_duration(hours: u32) -> Option<String> {
    let text = if hours.is_multiple_of(24) {
        format!("P{}D", hours / 24)
    } else {
        format!("PT{hours}H")
    };
    LIMITS.durations.contains(&text).then_some(text)
}

/// Why Azure has no access broker.
pub fn no_broker() -> Unavailable {
    Unavailable::because(
        "Entra PIM for Groups activates an eligible membership at the request of the eligible principal itself (a self-activation); another identity can only assign memberships by administering the group's assignments, far beyond requesting one account's access, so no machine identity requests activations for the notebook account (it requests its own)",
    )
}

/// Why Azure grants no project browser role.
pub fn no_browser() -> Unavailable {
    Unavailable::because(
        "eligible members activate in the Entra admin centre or My Access, which needs no role on the resource group, and Azure's only role that shows a resource group (Reader) also reads the settings of everything in it",
    )
}

/// The PIM role of a group's members.
const MEMBER: &str = "member";

/// The policy of `holder` (logical name of the group that holds the access): activating
/// a membership needs a justification, no approval, and lasts at most `hours`.
pub fn activation_policy(key: &str, holder: &str, duration: String) -> Resource {
    Resource::new(tokens::PIM_POLICY, key)
        .prop("groupId", Output::resource(holder, "objectId"))
        .prop("roleId", MEMBER)
        .prop(
            "activationRules",
            Value::object([
                ("maximumDuration", Value::str(duration)),
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
    /// `GrantTarget::EligibleBucket` on Azure: the holder group, its read grant,
    /// its PIM policy and the eligibility (see the module doc).
    pub(crate) fn eligible_bucket_access(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        bucket: &Handle<'b, Bucket>,
        group: &Handle<'b, Group>,
        eligible: EligibleAccess,
    ) {
        // The licence is `grant_available`'s answer. Validation refuses a longer duration
        // (dataset_rules.rs); a plan made without it gets no eligibility rather than a
        // longer or shorter one than configured.
        let Some(duration) = activation_duration(eligible.max_hours) else {
            return session.unavailable(
                key,
                GrantRequest::EligibleBucket(eligible.access).describe(),
                Unavailable::because(format!(
                    "Entra PIM for Groups activations last at most {} hours, not the {} of tmp_main_read_max_hours",
                    LIMITS.max_activation_hours, eligible.max_hours
                )),
            );
        };
        let raw = key;
        let key = self.logical(key);
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
        session.add(activation_policy(&policy, holder.resource(), duration));
        session.add(eligibility(
            &key,
            holder.resource(),
            group.resource(),
            &policy,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_parse_with_their_sources_and_the_longest_duration_is_accepted() {
        assert!(!LIMITS.sources.is_empty() && !LIMITS.retrieved.is_empty());
        // Every whole number of hours up to the limit is written as the provider wants.
        for hours in 1..=LIMITS.max_activation_hours {
            let written = activation_duration(hours).expect("accepted");
            assert!(LIMITS.durations.contains(&written), "{hours}: {written}");
        }
        assert_eq!(activation_duration(12).as_deref(), Some("PT12H"));
        assert_eq!(activation_duration(24).as_deref(), Some("P1D"));
        assert_eq!(activation_duration(25), None);
        assert!(duration_problem(24).is_none());
        let problem = duration_problem(25).expect("too long");
        assert!(problem.contains("on azure (at most 24 hours"), "{problem}");
    }
}
