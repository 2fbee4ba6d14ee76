//! `unneeded-key`: a machine-account key exists only where another cloud, or a reader
//! the design names outside the program, must act as the account.

use cpg_infra_abstraction::{Resource, ResourceKind};

use super::{Policy, Report, Subject, reads, Rule, Severity};
use crate::review::check::cloud_of;


/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "unneeded-key",
    severity: Severity::Warning,
    sentence: "a machine-account key exists only where another cloud, or a reader the design names outside the program, must act as the account",
    rule: Rule::Resource(check),
    access_invariant: false,
};

/// A key that nothing reads, or that only its own cloud reads.
fn check(subject: &Subject, add: &mut Report) {
    if subject.review.kind != ResourceKind::Credential {
        return;
    }
    let (plan, resource, cloud) = (subject.plan, subject.resource, subject.cloud);
    let readers: Vec<&Resource> = plan
        .resources
        .iter()
        .filter(|other| reads(other, &resource.name))
        .collect();
    // A key read at home only is unneeded unless the design names who reads it
    // outside the program; one that nothing reads always is.
    let needed_outside = !readers.is_empty() && plan.outside_reader(&resource.name).is_some();
    if readers.iter().all(|reader| cloud_of(reader) == cloud) && !needed_outside {
        let message = if readers.is_empty() {
            "is a machine-account key that nothing in the program reads; remove it".to_owned()
        } else {
            let names: Vec<&str> = readers.iter().map(|r| r.name.as_str()).collect();
            format!(
                "is a machine-account key read only on {cloud} (by {}); a key is needed where another cloud must act as the account, and on its own cloud the account can be used without one",
                names.join(", ")
            )
        };
        add(message);
    }
}
