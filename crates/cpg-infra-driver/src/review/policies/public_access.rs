//! `public-access`: nothing is readable without signing in, and no storage accepts
//! requests signed with its shared account keys.

use cpg_infra_abstraction::PrincipalKind;
use cpg_infra_config::PolicyId;

use super::{Report, Subject, parties};

/// Storage open to anyone or to shared keys, and grants to everyone.
pub fn check(subject: &Subject, add: &mut Report) {
    let review = subject.review;
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
    for grant in &review.grants {
        let (kind, principal, what) = parties(subject, grant);
        if kind == PrincipalKind::Public {
            add(
                PolicyId::PublicAccess,
                format!(
                    "gives {what} to `{principal}`: anyone, without an account of the organisation; remove the grant"
                ),
            );
        }
    }
}
