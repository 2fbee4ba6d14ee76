//! `uniform-access`: bucket access is granted for the whole bucket only, never per
//! object.

use cpg_infra_abstraction::ResourceKind;

use super::{Policy, Report, Subject, Rule, Severity};


/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "uniform-access",
    severity: Severity::Error,
    sentence: "bucket access is granted for the whole bucket only, never per object",
    rule: Rule::Resource(check),
    access_invariant: false,
};

/// A bucket or container that allows per-object access, or whose plugin does not say.
fn check(subject: &Subject, add: &mut Report) {
    let review = subject.review;
    if !matches!(review.kind, ResourceKind::Bucket | ResourceKind::Container) {
        return;
    }
    match subject
        .storage
        .effective(&subject.resource.name, review.storage)
        .uniform_access
    {
        Some(true) => {}
        Some(false) => add("access can be granted per object (ACLs) beside the bucket's own grants; turn on uniform bucket-level access".to_owned(),
        ),
        None => add(format!(
                "the {} plugin does not say whether access can be granted per object, so it cannot be checked",
                subject.cloud
            ),
        ),
    }
}
