//! Machine accounts: service accounts and their keys. A key is the credential
//! that other clouds store (a secret, decoded from base64 where it is used).

use cpg_infra_abstraction::{Exported, Output, Resource, Value};

use crate::tokens;

/// The service account `name` under logical name `key`, in `project` (`None`:
/// the provider's project, the dataset's), after the IAM service `iam`.
pub fn service_account(key: &str, name: &str, project: Option<Value>, iam: &str) -> Resource {
    Resource::new(tokens::SERVICE_ACCOUNT, key)
        .prop("accountId", name)
        .opt_prop("project", project)
        .depends_on([iam])
}

/// A key `key` of the service account with logical name `account`.
pub fn key(key: &str, account: &str) -> Resource {
    Resource::new(tokens::SERVICE_ACCOUNT_KEY, key)
        .prop("serviceAccountId", Output::resource(account, "email"))
}

/// The private key of the key `key` of `account`, as a secret for any cloud.
pub fn exported_key(cloud: &'static str, key: &str, account: &str) -> Exported {
    Exported {
        cloud,
        what: format!("key of service account {account}"),
        value: Value::Secret(Box::new(Value::FromBase64(Box::new(
            Output::resource(key, "privateKey").into(),
        )))),
    }
}
