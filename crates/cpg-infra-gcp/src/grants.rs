//! IAM grants: the `*IAMMember` resources that give a member a role on a bucket,
//! project, service account, secret, registry or Cloud Run service, and the roles
//! each kind of access maps to (predefined roles, or the organisation's custom
//! roles the reference created).

use cpg_infra_abstraction::{
    BucketMembership, ContainerRegistryMembership, Output, ProjectRole, RegistryRef, Resource,
    SecretMembership, ServiceRef, Value,
};

use crate::projects::ORGANIZATION;
use crate::services::Service;
use crate::settings::Settings;
use crate::tokens;

/// A custom role of the organisation: `<organisation id>/roles/<role>`.
fn org_role(role: &str) -> Value {
    Value::Concat(vec![
        Output::invoke(ORGANIZATION, "id").into(),
        Value::str(format!("/roles/{role}")),
    ])
}

/// The role of a bucket membership; with `mutator`, mutate and mutate-objects are the
/// organisation's storage mutator role (`custom_roles`).
pub fn bucket_role(membership: BucketMembership, mutator: bool) -> Value {
    match membership {
        BucketMembership::Mutate | BucketMembership::MutateObjects if mutator => {
            org_role(crate::custom_roles::MUTATOR_ROLE_ID)
        }
        BucketMembership::Mutate => Value::str("roles/storage.admin"),
        // Objects only, never the bucket or its IAM (no `setIamPolicy`, unlike objectAdmin).
        BucketMembership::MutateObjects => Value::str("roles/storage.objectUser"),
        BucketMembership::Append => org_role("StorageViewerAndCreator"),
        BucketMembership::Read => org_role("StorageObjectAndBucketViewer"),
        BucketMembership::List => org_role("StorageLister"),
    }
}

/// The role that lets a member act as a service account.
pub const ACCOUNT_USER_ROLE: &str = "roles/iam.serviceAccountUser";

/// The role that lets a member invoke a Cloud Run service.
pub const INVOKER_ROLE: &str = "roles/run.invoker";

/// The role of a secret membership.
pub fn secret_role(membership: SecretMembership) -> &'static str {
    match membership {
        SecretMembership::Admin => "roles/secretmanager.secretVersionManager",
        SecretMembership::Accessor => "roles/secretmanager.secretAccessor",
    }
}

/// The role of a registry membership.
pub fn registry_role(membership: ContainerRegistryMembership) -> &'static str {
    match membership {
        ContainerRegistryMembership::Reader => "roles/artifactregistry.reader",
        ContainerRegistryMembership::Append => "roles/artifactregistry.writer",
    }
}

/// The role of a project role, and the service it needs enabled first.
pub fn project_role(role: ProjectRole) -> (Value, Option<Service>) {
    match role {
        ProjectRole::ComputeViewer => (Value::str("roles/compute.viewer"), None),
        ProjectRole::LoggingViewer => (Value::str("roles/logging.viewer"), None),
        ProjectRole::MonitoringViewer => (Value::str("roles/monitoring.viewer"), None),
        ProjectRole::ServiceUsageConsumer => {
            (Value::str("roles/serviceusage.serviceUsageConsumer"), None)
        }
        ProjectRole::ComputeAdmin => (Value::str("roles/compute.admin"), None),
        ProjectRole::DataprocViewer => (Value::str("roles/dataproc.viewer"), None),
        ProjectRole::DataprocAdmin => (Value::str("roles/dataproc.admin"), Some(Service::Dataproc)),
        ProjectRole::DataprocWorker => (
            org_role("DataprocWorkerWithoutStorageAccess"),
            Some(Service::Dataproc),
        ),
        ProjectRole::WorkflowsRunner => (
            Value::str("roles/lifesciences.workflowsRunner"),
            Some(Service::LifeSciences),
        ),
        ProjectRole::Browser => (Value::str("roles/browser"), None),
    }
}

/// `member` gets `role` on the bucket `bucket` (a name).
pub fn bucket_member(
    key: &str,
    bucket: Value,
    member: Value,
    role: Value,
    identity: &str,
) -> Resource {
    Resource::new(tokens::BUCKET_IAM_MEMBER, key)
        .prop("bucket", bucket)
        .prop("member", member)
        .prop("role", role)
        .depends_on([identity])
}

/// `member` gets `role` in `project`, after the services `dependencies`.
pub fn project_member(
    key: &str,
    project: Value,
    role: Value,
    member: Value,
    dependencies: impl IntoIterator<Item = &'static str>,
) -> Resource {
    Resource::new(tokens::PROJECT_IAM_MEMBER, key)
        .prop("role", role)
        .prop("member", member)
        .prop("project", project)
        .depends_on(dependencies)
}

/// `member` may act as the service account with logical name `account`.
pub fn account_user(key: &str, account: &str, member: Value, services: [&str; 2]) -> Resource {
    Resource::new(tokens::SERVICE_ACCOUNT_IAM_MEMBER, key)
        .prop("serviceAccountId", Output::resource(account, "name"))
        .prop("role", ACCOUNT_USER_ROLE)
        .prop("member", member)
        .depends_on(services)
}

/// `member` gets `membership` on the secret with logical name `secret` in `project`.
pub fn secret_member(
    key: &str,
    secret: &str,
    project: Option<Value>,
    member: Value,
    membership: SecretMembership,
) -> Resource {
    let role = secret_role(membership);
    Resource::new(tokens::SECRET_IAM_MEMBER, key)
        .opt_prop("project", project)
        .prop("secretId", Output::resource(secret, "id"))
        .prop("role", role)
        .prop("member", member)
}

/// `member` gets `membership` on the Artifact Registry repository `registry`.
pub fn registry_member(
    settings: &Settings,
    key: &str,
    registry: &RegistryRef,
    member: Value,
    membership: ContainerRegistryMembership,
) -> Resource {
    let role = registry_role(membership);
    let (project, location, repository): (Value, Value, Value) = match &registry.existing {
        Some(existing) => (
            Output::resource(existing, "project").into(),
            Output::resource(existing, "location").into(),
            Output::resource(existing, "name").into(),
        ),
        None => (
            Value::str(&registry.scope),
            Value::str(&settings.region),
            Value::str(&registry.name),
        ),
    };
    Resource::new(tokens::REPOSITORY_IAM_MEMBER, key)
        .prop("project", project)
        .prop("location", location)
        .prop("repository", repository)
        .prop("role", role)
        .prop("member", member)
}

/// `member` may invoke the Cloud Run service `service`.
pub fn invoker(settings: &Settings, key: &str, service: &ServiceRef, member: Value) -> Resource {
    Resource::new(tokens::CLOUD_RUN_IAM_MEMBER, key)
        .prop("location", settings.region.as_str())
        .prop("project", service.scope.as_str())
        .prop("service", service.name.as_str())
        .prop("role", INVOKER_ROLE)
        .prop("member", member)
}
