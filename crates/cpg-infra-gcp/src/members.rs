//! How principals, groups and buckets are written in GCP inputs.
//!
//! Values that come from resources of the plan are references (`${sa.email}`),
//! never copies, so Pulumi creates the referenced resource first.

use cpg_infra_abstraction::{BucketRef, GroupRef, Member, Output, Value};
use cpg_infra_config::{CloudName, Email};

/// The external member for the GCP account `email`.
pub fn account<'b>(email: &Email) -> Member<'b> {
    Member::External {
        cloud: CloudName::gcp(),
        id: email.as_str().to_owned(),
    }
}

/// The id of a GCP account outside the plan as its resources name it (the e-mail as
/// written), or why `id` is not one (the session's member guard asks, before any grant).
pub fn parse_account(id: &str) -> Result<String, String> {
    match Email::parse(id) {
        Ok(email) => Ok(email.as_str().to_owned()),
        Err(reason) => Err(format!(
            "principal `{id}` is not a GCP account: {reason}; a GCP account is named by its e-mail address"
        )),
    }
}

/// Whether the GCP account `email` is a service account.
fn is_service_account(email: &str) -> bool {
    email.ends_with(".iam.gserviceaccount.com")
}

/// The IAM `member` string: `group:<email>`, `serviceAccount:<email>` or `user:<email>`.
/// The e-mail keeps its case: the provider's IAM member resources compare members without
/// regard to case (`iamMemberCaseDiffSuppress` in terraform-provider-google's IAM
/// resources, which pulumi-gcp 10.2.0 bridges), and the reference wrote them as given.
///
/// An external member's id is one [`parse_account`] accepted: the session's member guard
/// keeps every other from the grant verbs.
pub fn iam_member(member: &Member) -> Value {
    match member {
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
        Member::External { id, .. } => {
            let kind = if is_service_account(id) {
                "serviceAccount"
            } else {
                "user"
            };
            Value::str(format!("{kind}:{id}"))
        }
    }
}

/// The e-mail of `member` when it is an account outside `domain` that Google Groups
/// treats as external: a user (or group) e-mail of another domain. Service accounts are
/// not: the reference deployment adds them from other projects to its groups.
pub fn outside_domain(member: &Member, domain: &str) -> Option<String> {
    let Member::External { id, .. } = member else {
        return None;
    };
    let (_, at) = id.rsplit_once('@')?;
    (!is_service_account(id) && !at.eq_ignore_ascii_case(domain)).then(|| id.clone())
}

/// The e-mail that Cloud Identity uses as a membership's preferred member key.
///
/// An external account's e-mail is lower-cased: Cloud Identity stores and returns
/// member keys in lower case (e-mail addresses are case-insensitive for Google
/// accounts), and `preferredMemberKey` forces a new membership when it changes
/// (`preferred_member_key` is `ForceNew` in the Terraform provider's
/// `google_cloud_identity_group_membership`, which pulumi-gcp 10.2.0 bridges), so a key
/// written in another case would replace the membership after a refresh.
pub fn preferred_member_key(member: &Member) -> Value {
    match member {
        Member::Group(group) => Output::resource(group.resource(), "groupKey")
            .field("id")
            .into(),
        Member::MachineAccount(account) => Output::resource(account.resource(), "email").into(),
        Member::External { id, .. } => Value::str(id.to_ascii_lowercase()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn external(id: &str) -> Member<'static> {
        Member::External {
            cloud: CloudName::gcp(),
            id: id.to_owned(),
        }
    }

    #[test]
    fn gcp_accounts_are_users_or_service_accounts_by_their_e_mail() {
        let sa = external("a@p.iam.gserviceaccount.com");
        assert_eq!(
            iam_member(&sa),
            Value::str("serviceAccount:a@p.iam.gserviceaccount.com")
        );
        let user = external("someone@example.org");
        assert_eq!(iam_member(&user), Value::str("user:someone@example.org"));
        assert_eq!(
            preferred_member_key(&user),
            Value::str("someone@example.org")
        );
    }

    #[test]
    fn member_keys_are_lower_case_and_external_members_are_named() {
        let mixed = external("Some.One@Example.ORG");
        assert_eq!(
            preferred_member_key(&mixed),
            Value::str("some.one@example.org")
        );
        assert_eq!(outside_domain(&mixed, "example.org"), None);
        assert_eq!(
            outside_domain(&mixed, "example-institute.org"),
            Some("Some.One@Example.ORG".to_owned())
        );
        let sa = external("a@p.iam.gserviceaccount.com");
        assert_eq!(outside_domain(&sa, "example-institute.org"), None);
    }

    #[test]
    fn an_id_that_is_no_e_mail_is_refused_and_an_e_mail_kept_as_written() {
        assert_eq!(
            parse_account("Some.One@Example.ORG"),
            Ok("Some.One@Example.ORG".to_owned())
        );
        let refused = parse_account("not-an-e-mail").expect_err("not an e-mail");
        assert!(refused.starts_with("principal `not-an-e-mail` is not a GCP account: "));
    }
}
