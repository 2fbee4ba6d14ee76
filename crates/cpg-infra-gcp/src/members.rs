//! How principals, groups and buckets are written in GCP inputs.
//!
//! Values that come from resources of the plan are references (`${sa.email}`),
//! never copies, so Pulumi creates the referenced resource first.

use cpg_infra_abstraction::{BucketRef, GroupRef, Member, Output, Value};

/// Why a member cannot be used on GCP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignMember(pub String);

/// The IAM `member` string: `group:<email>`, `serviceAccount:<email>` or `user:<email>`.
pub fn iam_member(member: &Member) -> Result<Value, ForeignMember> {
    Ok(match member {
        Member::Group(group) => Value::prefixed(
            "group:",
            Output::resource(group.resource(), "groupKey")
                .field("id")
                .into(),
        ),
        Member::MachineAccount(account) => Value::prefixed(
            "serviceAccount:",
            Output::resource(account.resource(), "email").into(),
        ),
        Member::Email(email) if email.is_service_account() => {
            Value::str(format!("serviceAccount:{}", email.as_str()))
        }
        Member::Email(email) => Value::str(format!("user:{}", email.as_str())),
        Member::Principal(id) => return Err(ForeignMember(id.clone())),
    })
}

/// The e-mail that Cloud Identity uses as a membership's preferred member key.
pub fn preferred_member_key(member: &Member) -> Result<Value, ForeignMember> {
    Ok(match member {
        Member::Group(group) => Output::resource(group.resource(), "groupKey")
            .field("id")
            .into(),
        Member::MachineAccount(account) => Output::resource(account.resource(), "email").into(),
        Member::Email(email) => Value::str(email.as_str()),
        Member::Principal(id) => return Err(ForeignMember(id.clone())),
    })
}

/// The group id a membership is added to.
pub fn group_id(group: &GroupRef) -> Value {
    match group {
        GroupRef::Created(handle) => Output::resource(handle.resource(), "id").into(),
        GroupRef::Existing(id) => Value::str(id.clone()),
        GroupRef::StackOutput { stack, output } => Output::stack_output(stack, output).into(),
    }
}

/// The bucket name an IAM member is added to.
pub fn bucket_name(bucket: &BucketRef) -> Value {
    match bucket {
        BucketRef::Created(handle) => Output::resource(handle.resource(), "name").into(),
        BucketRef::Existing(name) => Value::str(name.clone()),
    }
}
