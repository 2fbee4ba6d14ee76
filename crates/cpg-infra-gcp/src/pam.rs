//! Temporary access on request: a Privileged Access Manager entitlement on the dataset
//! project whose eligible principals may, with a justification and without approval,
//! get a role for a while, the role bound under an IAM condition that scopes it to one
//! bucket and its objects. PAM needs its API and its (organisation-level) service agent
//! on the project. How long a grant may last is a committed fact with its sources
//! (`data/pam-limits.toml`).

use std::sync::LazyLock;

use cpg_infra_abstraction::{Output, Resource, Value};
use serde::Deserialize;

use crate::projects::ORGANIZATION;
use crate::settings::Settings;
use crate::tokens;

/// How long a grant of an entitlement may last, with where that is known from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PamLimits {
    /// The longest `maxRequestDuration` known to be accepted, in hours.
    pub max_request_hours: u32,
    /// When the sources were read.
    pub retrieved: String,
    /// Where it is known from.
    pub sources: Vec<String>,
}

/// The committed limits (a test parses them).
pub static LIMITS: LazyLock<PamLimits> = LazyLock::new(|| {
    toml::from_str(include_str!("../data/pam-limits.toml")).expect("data/pam-limits.toml parses")
});

/// The problem with `hours` as `tmp_main_read_max_hours` on gcp, if it is too long.
pub fn duration_problem(hours: u32) -> Option<String> {
    let limits = &*LIMITS;
    (hours > limits.max_request_hours).then(|| {
        format!(
            "datasets:tmp_main_read_max_hours: {hours} hours is longer than a GCP Privileged Access Manager grant may last on gcp (at most {} hours; {}); lower it to {} or less",
            limits.max_request_hours, limits.sources[0], limits.max_request_hours
        )
    })
}

/// The logical name of the PAM service agent's role on the dataset project.
pub const SERVICE_AGENT_BINDING: &str = "pam-service-agent-binding";

/// The role PAM's service agent needs on a project with entitlements.
const SERVICE_AGENT_ROLE: &str = "roles/privilegedaccessmanager.serviceAgent";

/// The organisation's PAM service agent gets its role on the dataset project (after the
/// API `service`).
pub fn service_agent_binding(settings: &Settings, service: &str) -> Resource {
    Resource::new(tokens::PROJECT_IAM_MEMBER, SERVICE_AGENT_BINDING)
        .prop("project", settings.project_id.as_str())
        .prop("role", SERVICE_AGENT_ROLE)
        .prop(
            "member",
            Value::Concat(vec![
                Value::str("serviceAccount:service-org-"),
                Output::invoke(ORGANIZATION, "orgId").into(),
                Value::str("@gcp-sa-pam.iam.gserviceaccount.com"),
            ]),
        )
        .depends_on([service])
}

/// The PAM broker's account id (the institute's name for it).
pub const BROKER_ACCOUNT_ID: &str = "pam-broker";

/// The role that lets the broker act as a notebook account: minting its tokens, with
/// which it requests the account's grants (PAM grants go to the requesting principal).
const BROKER_ROLE: &str = "roles/iam.serviceAccountTokenCreator";

/// The broker's machine account in `project` (`[infrastructure.gcp.pam_broker]`), under
/// the institute's logical name `<project>-pam-broker`.
pub fn broker_account(project: &str) -> Resource {
    Resource::new(
        tokens::SERVICE_ACCOUNT,
        &format!("{project}-{BROKER_ACCOUNT_ID}"),
    )
    .prop("accountId", BROKER_ACCOUNT_ID)
    .prop("project", project)
    .prop(
        "displayName",
        "PAM broker: requests temporary access for notebook accounts",
    )
}

/// The broker of `project` may act as the machine account with logical name `account`
/// (a notebook account) to request its temporary access.
pub fn broker_acts_as(key: &str, project: &str, account: &str) -> Resource {
    Resource::new(tokens::SERVICE_ACCOUNT_IAM_MEMBER, key)
        .prop("serviceAccountId", Output::resource(account, "name"))
        .prop("role", BROKER_ROLE)
        .prop(
            "member",
            format!("serviceAccount:{BROKER_ACCOUNT_ID}@{project}.iam.gserviceaccount.com"),
        )
}

/// The IAM condition that holds a role to the bucket named `bucket` and its objects.
pub fn bucket_condition(bucket: Value) -> Value {
    Value::Concat(vec![
        Value::str(
            "resource.service == \"storage.googleapis.com\" && (resource.name == \"projects/_/buckets/",
        ),
        bucket.clone(),
        Value::str("\" || resource.name.startsWith(\"projects/_/buckets/"),
        bucket,
        Value::str("/objects/\"))"),
    ])
}

/// What an entitlement grants.
pub struct Entitlement<'a> {
    /// Its logical name.
    pub key: &'a str,
    /// Its id in the project (`pam-<dataset>-<access>`).
    pub id: String,
    /// Who may request it (`group:<e-mail>`).
    pub principal: Value,
    /// The role it binds.
    pub role: Value,
    /// The bucket's name (the condition's scope).
    pub bucket: Value,
    /// The longest grant, in hours.
    pub max_hours: u32,
}

/// The entitlement on the dataset project, after the API `service` and the service
/// agent's role.
pub fn entitlement(settings: &Settings, entitlement: Entitlement, service: &str) -> Resource {
    let project = &settings.project_id;
    let seconds = u64::from(entitlement.max_hours) * 3600;
    Resource::new(tokens::PAM_ENTITLEMENT, entitlement.key)
        .prop("parent", format!("projects/{project}"))
        .prop("location", "global")
        .prop("entitlementId", entitlement.id)
        .prop("maxRequestDuration", format!("{seconds}s"))
        .prop(
            "requesterJustificationConfig",
            Value::object([("unstructured", Value::object::<&str>([]))]),
        )
        .prop(
            "eligibleUsers",
            Value::List(vec![Value::object([(
                "principals",
                Value::List(vec![entitlement.principal]),
            )])]),
        )
        .prop(
            "privilegedAccess",
            Value::object([(
                "gcpIamAccess",
                Value::object([
                    (
                        "resourceType",
                        Value::str("cloudresourcemanager.googleapis.com/Project"),
                    ),
                    (
                        "resource",
                        Value::str(format!(
                            "//cloudresourcemanager.googleapis.com/projects/{project}"
                        )),
                    ),
                    (
                        "roleBindings",
                        Value::List(vec![Value::object([
                            ("role", entitlement.role),
                            ("conditionExpression", bucket_condition(entitlement.bucket)),
                        ])]),
                    ),
                ]),
            )]),
        )
        .depends_on([service, SERVICE_AGENT_BINDING])
        // A replacement keeps the entitlement's id (see its provider facts).
        .delete_before_replace()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_parse_with_their_sources() {
        assert_eq!(LIMITS.max_request_hours, 168);
        assert!(!LIMITS.sources.is_empty() && !LIMITS.retrieved.is_empty());
        assert!(duration_problem(168).is_none());
        let problem = duration_problem(169).expect("too long");
        assert!(problem.contains("on gcp (at most 168 hours"), "{problem}");
    }
}
