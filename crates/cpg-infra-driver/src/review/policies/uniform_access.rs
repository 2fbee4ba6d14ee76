//! `uniform-access`: bucket access is granted for the whole bucket only, never per
//! object.

use cpg_infra_abstraction::ResourceKind;
use cpg_infra_config::PolicyId;

use super::{Report, Subject};

/// A bucket or container that allows per-object access, or whose plugin does not say.
pub fn check(subject: &Subject, add: &mut Report) {
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
        Some(false) => add(
            PolicyId::UniformAccess,
            "access can be granted per object (ACLs) beside the bucket's own grants; turn on uniform bucket-level access".to_owned(),
        ),
        None => add(
            PolicyId::UniformAccess,
            format!(
                "the {} plugin does not say whether access can be granted per object, so it cannot be checked",
                subject.cloud
            ),
        ),
    }
}
