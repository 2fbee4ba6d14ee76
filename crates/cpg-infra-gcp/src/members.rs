//! How principals, groups and buckets are written in GCP inputs.
//!
//! Values that come from resources of the plan are references (`${sa.email}`),
//! never copies, so Pulumi creates the referenced resource first.

use cpg_infra_abstraction::{BucketRef, GroupRef, Member, Output, Value};
use cpg_infra_config::{CloudName, Email};

use crate::infra::CLOUD;

/// Why a member cannot be used on GCP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForeignMember {
    /// An account of another cloud.
    OtherCloud {
        /// The cloud it lives on.
        cloud: CloudName,
        /// Its id there.
        id: String,
    },
    /// A GCP account whose id is not an e-mail address.
    NotAnEmail {
        /// The id.
        id: String,
        /// Why it is not an e-mail address.
        reason: String,
    },
}

/// The external member for the GCP account `email`.
pub fn account<'b>(email: &Email) -> Member<'b> {
    Member::External {
        cloud: CloudName::gcp(),
        id: email.as_str().to_owned(),
    }
}

/// The e-mail address of an external account: only GCP's, and only an e-mail.
fn external_email(cloud: &CloudName, id: &str) -> Result<Email, ForeignMember> {
    if cloud.as_str() != CLOUD {
        return Err(ForeignMember::OtherCloud {
            cloud: cloud.clone(),
            id: id.to_owned(),
        });
    }
    Email::parse(id).map_err(|e| ForeignMember::NotAnEmail {
        id: id.to_owned(),
        reason: e.to_string(),
    })
}

/// The IAM `member` string: `group:<email>`, `serviceAccount:<email>` or `user:<email>`.
/// The e-mail keeps its case: the provider's IAM member resources compare members without
/// regard to case (`iamMemberCaseDiffSuppress` in terraform-provider-google's IAM
/// resources, which pulumi-gcp 10.2.0 bridges), and the reference wrote them as given.
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
        Member::External { cloud, id } => {
            let email = external_email(cloud, id)?;
            let kind = if email.is_service_account() {
                "serviceAccount"
            } else {
                "user"
            };
            Value::str(format!("{kind}:{}", email.as_str()))
        }
    })
}

/// The e-mail of `member` when it is an account outside `domain` that Google Groups
/// treats as external: a user (or group) e-mail of another domain. Service accounts are
/// not: the reference deployment adds them from other projects to its groups.
pub fn outside_domain(member: &Member, domain: &str) -> Option<String> {
    let Member::External { cloud, id } = member else {
        return None;
    };
    let email = external_email(cloud, id).ok()?;
    let (_, at) = email.as_str().rsplit_once('@')?;
    (!email.is_service_account() && !at.eq_ignore_ascii_case(domain))
        .then(|| email.as_str().to_owned())
}

/// The e-mail that Cloud Identity uses as a membership's preferred member key.
///
/// An external account's e-mail is lower-cased: Cloud Identity stores and returns
/// member keys in lower case (e-mail addresses are case-insensitive for Google
/// accounts), and `preferredMemberKey` forces a new membership when it changes
/// (`preferred_member_key` is `ForceNew` in the Terraform provider's
/// `google_cloud_identity_group_membership`, which pulumi-gcp 10.2.0 bridges), so a key
/// written in another case would replace the membership after a refresh.
pub fn preferred_member_key(member: &Member) -> Result<Value, ForeignMember> {
    Ok(match member {
        Member::Group(group) => Output::resource(group.resource(), "groupKey")
            .field("id")
            .into(),
        Member::MachineAccount(account) => Output::resource(account.resource(), "email").into(),
        Member::External { cloud, id } => {
            Value::str(external_email(cloud, id)?.as_str().to_ascii_lowercase())
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn external(cloud: CloudName, id: &str) -> Member<'static> {
        Member::External {
            cloud,
            id: id.to_owned(),
        }
    }

    #[test]
    fn gcp_accounts_are_users_or_service_accounts_by_their_e_mail() {
        let sa = external(CloudName::gcp(), "a@p.iam.gserviceaccount.com");
        assert_eq!(
            iam_member(&sa),
            Ok(Value::str("serviceAccount:a@p.iam.gserviceaccount.com"))
        );
        let user = external(CloudName::gcp(), "someone@example.org");
        assert_eq!(
            iam_member(&user),
            Ok(Value::str("user:someone@example.org"))
        );
        assert_eq!(
            preferred_member_key(&user),
            Ok(Value::str("someone@example.org"))
        );
    }

    #[test]
    fn member_keys_are_lower_case_and_external_members_are_named() {
        let mixed = external(CloudName::gcp(), "Some.One@Example.ORG");
        assert_eq!(
            preferred_member_key(&mixed),
            Ok(Value::str("some.one@example.org"))
        );
        assert_eq!(outside_domain(&mixed, "example.org"), None);
        assert_eq!(
            outside_domain(&mixed, "example-institute.org"),
            Some("Some.One@Example.ORG".to_owned())
        );
        let sa = external(CloudName::gcp(), "a@p.iam.gserviceaccount.com");
        assert_eq!(outside_domain(&sa, "example-institute.org"), None);
    }

    #[test]
    fn another_clouds_account_or_a_malformed_id_is_refused() {
        let azure = external(CloudName::azure(), "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f");
        assert!(matches!(
            iam_member(&azure),
            Err(ForeignMember::OtherCloud { cloud, .. }) if cloud == CloudName::azure()
        ));
        assert!(matches!(
            preferred_member_key(&azure),
            Err(ForeignMember::OtherCloud { .. })
        ));
        let malformed = external(CloudName::gcp(), "not-an-e-mail");
        assert!(matches!(
            iam_member(&malformed),
            Err(ForeignMember::NotAnEmail { id, .. }) if id == "not-an-e-mail"
        ));
    }
}
