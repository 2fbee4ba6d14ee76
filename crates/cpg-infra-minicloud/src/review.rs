//! What minicloud's resources mean to a reviewer, and its roles: a role is a name this
//! crate defines ([`bucket_role`], [`secret_role`]), so its permission facts are this code's
//! ([`capabilities_of`]).

use cpg_infra_abstraction::review::literal;
use cpg_infra_abstraction::{
    Access, BucketMembership, Capabilities, Capability, Grant, Resource, ResourceKind, Review,
    SecretMembership,
};

/// The role a bucket grant of `membership` binds.
pub fn bucket_role(membership: BucketMembership) -> &'static str {
    match membership {
        BucketMembership::List => "store.lister",
        BucketMembership::Read => "store.reader",
        BucketMembership::Append => "store.appender",
        BucketMembership::Mutate | BucketMembership::MutateObjects => "store.writer",
    }
}

/// The role a secret grant of `membership` binds.
pub fn secret_role(membership: SecretMembership) -> &'static str {
    match membership {
        SecretMembership::Accessor => "vault.reader",
        SecretMembership::Admin => "vault.writer",
    }
}

/// What each role allows.
fn capabilities_of(role: &str) -> Option<Capabilities> {
    use Capability as C;
    let caps: &[Capability] = match role {
        "store.lister" => &[C::List],
        "store.reader" => &[C::List, C::Read],
        "store.appender" => &[C::List, C::Read, C::Create],
        "store.writer" => &[C::List, C::Read, C::Create, C::DeleteObjects],
        "vault.reader" => &[C::ReadSecret],
        "vault.writer" => &[C::ReadSecret, C::WriteSecret],
        "impersonate" => &[C::ActAs],
        _ => return None,
    };
    Some(Capabilities::of(caps))
}

/// What a `minicloud:*` resource means to a reviewer.
pub fn review(resource: &Resource) -> Review {
    let input = |key: &str| resource.property_or_empty(key);
    match &*resource.type_token {
        "minicloud:org:Folder" => Review::of(ResourceKind::Project),
        "minicloud:org:Budget" => Review::of(ResourceKind::Budget),
        "minicloud:store:Bucket" => {
            let mut review = Review::of(ResourceKind::Bucket).billed(&[]);
            review.storage.uniform_access = Some(true);
            review.storage.versioned = Some(false);
            review
        }
        "minicloud:id:Group" => Review::of(ResourceKind::Group).named(resource, "displayName"),
        "minicloud:id:Account" => Review::of(ResourceKind::MachineAccount).named(resource, "email"),
        "minicloud:id:Key" => Review::of(ResourceKind::Credential),
        "minicloud:vault:Secret" => Review::of(ResourceKind::Secret),
        "minicloud:vault:Version" => Review::of(ResourceKind::Other),
        "minicloud:id:Member" => {
            let mut review = Review::of(ResourceKind::Membership);
            review.grants.push(Grant {
                eligible: None,
                principal: input("principal"),
                principal_kind: None,
                access: Access::Member,
                capabilities: Some(Capabilities::of(&[])),
                role: "member".to_owned(),
                target: input("group"),
                target_kind: Some(ResourceKind::Group),
            });
            review
        }
        "minicloud:iam:Binding" => {
            let role = literal(&input("role")).unwrap_or_default().to_owned();
            let capabilities = capabilities_of(&role);
            let target_kind = match role.split('.').next() {
                Some("store") => ResourceKind::Bucket,
                Some("vault") => ResourceKind::Secret,
                _ => ResourceKind::MachineAccount,
            };
            let mut review = Review::of(ResourceKind::Grant);
            review.grants.push(Grant {
                eligible: None,
                principal: input("principal"),
                principal_kind: None,
                access: capabilities.map_or(Access::Read, |c| c.access()),
                capabilities,
                role,
                target: input("target"),
                target_kind: Some(target_kind),
            });
            review
        }
        _ => Review::of(ResourceKind::Other),
    }
}
