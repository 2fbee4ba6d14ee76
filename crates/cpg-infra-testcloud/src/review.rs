//! What testcloud resources mean to a reviewer (the test cloud's answer to the
//! registry's review question, so the review commands run on a third cloud too).

use cpg_infra_abstraction::review::literal;
use cpg_infra_abstraction::{
    Access, Capabilities, Capability, Eligibility, Grant, Resource, ResourceKind, Review, Value,
};

/// What a `testcloud:index:*` resource means to a reviewer.
pub fn review(resource: &Resource) -> Review {
    let kind = resource.type_token.rsplit(':').next().unwrap_or_default();
    let prop = |key: &str| resource.property_or_empty(key);
    let grant = |target: &str, target_kind: ResourceKind, access: Access| {
        let mut review = Review::of(ResourceKind::Grant);
        let capabilities = capabilities_of(kind, literal(&prop("membership")));
        review.grants.push(Grant {
            eligible: None,
            principal: prop("member"),
            principal_kind: None,
            access: match capabilities {
                Some(c) if access != Access::Member => c.access(),
                _ => access,
            },
            capabilities,
            role: literal(&prop("membership")).unwrap_or(kind).to_owned(),
            target: prop(target),
            target_kind: Some(target_kind),
        });
        review
    };
    match kind {
        "Project" => Review::of(ResourceKind::Project).billed(&[]),
        "Bucket" => {
            let mut review = Review::of(ResourceKind::Bucket).billed(&[]);
            // The test cloud has no per-object access, no versions, no soft delete.
            review.storage.uniform_access = Some(true);
            review.storage.versioned = Some(false);
            review
        }
        "Secret" => Review::of(ResourceKind::Secret),
        "Group" => Review::of(ResourceKind::Group).named(resource, "name"),
        "MachineAccount" => Review::of(ResourceKind::MachineAccount).named(resource, "name"),
        "Credential" => Review::of(ResourceKind::Credential),
        "Budget" => Review::of(ResourceKind::Budget),
        "BucketMember" => grant("bucket", ResourceKind::Bucket, Access::Read),
        "EligibleBucketMember" => {
            let mut review = grant("bucket", ResourceKind::Bucket, Access::Read);
            let max_hours = match prop("maxHours") {
                Value::Int(hours) => u32::try_from(hours).ok(),
                _ => None,
            };
            review.grants[0].eligible = Some(Eligibility {
                max_hours,
                justification: true,
            });
            review
        }
        "BucketLister" => grant("project", ResourceKind::Project, Access::List),
        "SecretMember" => grant("secret", ResourceKind::Secret, Access::Read),
        "RegistryMember" => grant("registry", ResourceKind::Registry, Access::Read),
        "AccountUser" => grant("account", ResourceKind::MachineAccount, Access::Write),
        "Invoker" => grant("service", ResourceKind::Service, Access::Read),
        "GroupMember" => {
            let mut review = grant("group", ResourceKind::Group, Access::Member);
            review.kind = ResourceKind::Membership;
            review.grants[0].access = Access::Member;
            review
        }
        _ => Review::of(ResourceKind::Other),
    }
}

/// What a test-cloud grant allows: its roles are the blueprint's requests themselves
/// (the resource type and the membership's name), so their facts are this code's.
fn capabilities_of(kind: &str, membership: Option<&str>) -> Option<Capabilities> {
    use Capability as C;
    let caps: &[Capability] = match (kind, membership) {
        ("BucketMember", Some("List")) => &[C::List],
        ("BucketMember", Some("Read")) => &[C::List, C::Read],
        ("BucketMember", Some("Append")) => &[C::List, C::Read, C::Create],
        ("BucketMember", Some("Mutate" | "MutateObjects")) => {
            &[C::List, C::Read, C::Create, C::DeleteObjects]
        }
        ("BucketLister", _) => &[C::List],
        ("SecretMember", Some("Accessor")) => &[C::ReadSecret],
        ("SecretMember", Some("Admin")) => &[C::ReadSecret, C::WriteSecret],
        ("RegistryMember", Some("Reader")) => &[C::List, C::Read],
        ("RegistryMember", Some("Append")) => &[C::List, C::Read, C::Create],
        ("AccountUser", _) => &[C::ActAs],
        ("Invoker", _) => &[C::UseService],
        ("GroupMember", _) => &[],
        _ => return None,
    };
    Some(Capabilities::of(caps))
}
