//! `data-bucket-protected`: every bucket that holds data is protected from deletion and
//! keeps earlier versions or deleted objects.


use super::{Policy, Report, Subject, Rule, Severity};


/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "data-bucket-protected",
    severity: Severity::Error,
    sentence: "every bucket that holds data is protected from deletion and keeps earlier versions or deleted objects",
    rule: Rule::Resource(check),
    access_invariant: false,
};

/// A data-holding bucket without `protect`, or without versions or soft delete.
fn check(subject: &Subject, add: &mut Report) {
    let resource = subject.resource;
    if !subject.plan.holds_data(&resource.name) {
        return;
    }
    if !resource.options.protect {
        add("holds data but is not protected: removing it from the program, or `pulumi destroy`, deletes it (set protect_data_buckets = true)".to_owned(),
        );
    }
    let facts = subject
        .storage
        .effective(&resource.name, subject.review.storage);
    let versioned = facts.versioned == Some(true);
    let soft_deleted = facts.soft_delete_days.is_some_and(|days| days > 0);
    if !versioned && !soft_deleted {
        add("holds data but keeps neither earlier versions nor deleted objects: an overwrite or a deletion cannot be undone".to_owned(),
        );
    }
}
