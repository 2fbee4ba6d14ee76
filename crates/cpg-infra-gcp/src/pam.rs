//! Temporary access on request: a Privileged Access Manager entitlement on the dataset
//! project whose eligible principals may, with a justification and without approval,
//! get a role for a while, the role bound under an IAM condition that scopes it to one
//! bucket and its objects. PAM needs its API and its (organisation-level) service agent
//! on the project.

use cpg_infra_abstraction::{Output, Resource, Value};

use crate::projects::ORGANIZATION;
use crate::settings::Settings;
use crate::tokens;

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
