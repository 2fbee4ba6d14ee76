//! `public-access`: nothing is readable without signing in, and no storage accepts
//! requests signed with its shared account keys.

use cpg_infra_abstraction::PrincipalKind;

use super::{Policy, Report, Subject, parties, Rule, Severity};


/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "public-access",
    severity: Severity::Error,
    sentence: "nothing is readable without signing in, and no storage accepts requests signed with its shared account keys",
    rule: Rule::Resource(check),
    access_invariant: false,
};

/// Storage open to anyone or to shared keys, and grants to everyone.
fn check(subject: &Subject, add: &mut Report) {
    let review = subject.review;
    if review.storage.public_read == Some(true) {
        add("anyone may read its contents without signing in (public access is allowed); turn public access off".to_owned(),
        );
    }
    if review.storage.shared_key_access == Some(true) {
        add("requests signed with the storage's shared account keys are accepted (whoever holds a key bypasses every role assignment); turn shared-key access off".to_owned(),
        );
    }
    for grant in &review.grants {
        let (kind, principal, what) = parties(subject, grant);
        if kind == PrincipalKind::Public {
            add(format!(
                    "gives {what} to `{principal}`: anyone, without an account of the organisation; remove the grant"
                ),
            );
        }
    }
}
