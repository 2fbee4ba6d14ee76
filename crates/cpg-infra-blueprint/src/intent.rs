//! The design's intent as data: for every kind of grant the blueprint asks for (bucket
//! rows' memberships, machine-account use, components' secrets, registry and project
//! roles, uploaders, group memberships of access groups, dependencies and organisation
//! groups), the most its principal may do on its target, in capabilities.
//!
//! Every cloud must realise at most this (checked by `check`'s `access-intent`
//! policy, from the role's permission facts). Where the deployed reference grants more
//! on purpose, the intent says so as an allowance with its reason instead of the
//! check being weakened: with the storage policy's mutator role off (the default),
//! a "mutate" grant keeps the reference's storage administrator role on clouds whose
//! deployed datasets have it, so it may also manage the bucket and its access. A
//! grant meant for people (uploaders: [`BucketMembership::MutateObjects`]) never has
//! that allowance. A grant no person may hold (the access broker's) says why
//! ([`Intent::machines_only`]).

use cpg_infra_abstraction::{
    BucketMembership, Capabilities, Capability, ContainerRegistryMembership, GrantRequest, Intent,
    IntentOf, ProjectRole, SecretMembership,
};
use cpg_infra_config::InfrastructureConfig;

/// Why a mutate grant may manage the bucket while the mutator role is off.
pub const REFERENCE_MUTATE: &str = "mutate grants keep the deployed reference's storage administrator role while [infrastructure.storage_policy] mutator_role is off, so existing datasets are not changed; turn mutator_role on to grant object changes only";

/// Why a compute administrator may manage storage in the compute's project.
pub const COMPUTE_ADMIN_STORAGE: &str = "administering the notebook machines includes their disks and the storage of their project (a cloud's machine-administrator role may read that storage's keys); no dataset's data is kept in the notebooks project";

/// Why a viewer of a project may read there.
pub const VIEWER_READS: &str = "a cloud's read-everything viewer role also pulls container images kept in the project; the dataset's project keeps none (the organisation's registries are elsewhere)";

/// Why listing buckets may read.
pub const LISTER_READS: &str = "a cloud whose only role that lists containers is its read-everything viewer role grants it on the storage, where its reading of container images applies to none";

/// Why eligible access may change access: the cloud's service that grants requested
/// access and takes it back must be able to.
pub const ACCESS_BROKER: &str = "temporary access on request needs the cloud's access broker (GCP Privileged Access Manager's service agent) to grant the requested role and revoke it when the request ends, which is changing the project's access";

/// Why only machine accounts may act for the access broker: acting as an account that
/// may request access is requesting it in that account's name.
pub const BROKER_MACHINES_ONLY: &str = "the access broker acts as machine accounts to request their temporary read access; a person holding it could request any of those accounts' access in their name, so only the broker's machine account may (its use is a CI workflow's, through workload identity)";

/// The intent of every grant, under `config`'s storage policy.
pub fn intent_of(config: &InfrastructureConfig) -> IntentOf {
    let mutator_role = config.storage_policy.mutator_role;
    Box::new(move |request| intended(request, mutator_role))
}

/// What `request` may allow (`mutator_role`: the storage policy's switch).
pub fn intended(request: GrantRequest, mutator_role: bool) -> Intent {
    use Capability as C;
    // Seeing settings, logs and metrics (no data) is part of every grant but a membership.
    let of = |caps: &[Capability]| {
        let mut all = Capabilities::of(caps);
        if !caps.is_empty() {
            all.insert(C::View);
        }
        Intent::exactly(all)
    };
    match request {
        GrantRequest::Bucket(BucketMembership::List) => of(&[C::List]),
        GrantRequest::Bucket(BucketMembership::Read) => of(&[C::List, C::Read]),
        GrantRequest::Bucket(BucketMembership::Append) => of(&[C::List, C::Read, C::Create]),
        GrantRequest::Bucket(BucketMembership::MutateObjects) => {
            of(&[C::List, C::Read, C::Create, C::DeleteObjects])
        }
        GrantRequest::Bucket(BucketMembership::Mutate) => Intent {
            allowance: (!mutator_role).then_some((
                Capabilities::of(&[C::ManageStorage, C::ChangeAccess]),
                REFERENCE_MUTATE,
            )),
            ..of(&[C::List, C::Read, C::Create, C::DeleteObjects])
        },
        // Seeing the buckets (and their settings) of a project.
        GrantRequest::ListBuckets => Intent {
            allowance: Some((Capabilities::of(&[C::Read]), LISTER_READS)),
            ..of(&[C::List])
        },
        GrantRequest::ActAs => of(&[C::ActAs, C::View]),
        GrantRequest::Membership => of(&[]),
        GrantRequest::Secret(SecretMembership::Accessor) => of(&[C::ReadSecret, C::View]),
        GrantRequest::Secret(SecretMembership::Admin) => {
            of(&[C::ReadSecret, C::WriteSecret, C::View])
        }
        GrantRequest::Registry(ContainerRegistryMembership::Reader) => {
            of(&[C::List, C::Read, C::View])
        }
        GrantRequest::Registry(ContainerRegistryMembership::Append) => {
            of(&[C::List, C::Read, C::Create, C::View])
        }
        GrantRequest::Project(role) => Intent {
            allowance: match role {
                ProjectRole::ComputeAdmin => Some((
                    Capabilities::of(&[C::ManageStorage, C::Read]),
                    COMPUTE_ADMIN_STORAGE,
                )),
                ProjectRole::ComputeViewer
                | ProjectRole::LoggingViewer
                | ProjectRole::MonitoringViewer
                | ProjectRole::DataprocViewer => Some((Capabilities::of(&[C::Read]), VIEWER_READS)),
                _ => None,
            },
            ..of(project_role(role))
        },
        GrantRequest::Invoker => of(&[C::UseService]),
        // The broker may act as the account (mint its tokens) to request the access the
        // account itself may request, nothing else; never a person.
        GrantRequest::AccessBroker => Intent {
            machines_only: Some(BROKER_MACHINES_ONLY),
            ..of(&[C::ActAs, C::View])
        },
        // What may be requested is what a standing grant of the same membership allows
        // (never the reference's storage administration); the cloud's broker of the
        // requests may change access on the project to grant and revoke them.
        GrantRequest::EligibleBucket(membership) => Intent {
            allowance: Some((Capabilities::of(&[C::ChangeAccess]), ACCESS_BROKER)),
            ..intended(
                GrantRequest::Bucket(match membership {
                    BucketMembership::Mutate => BucketMembership::MutateObjects,
                    other => other,
                }),
                true,
            )
        },
    }
}

/// What a project-level role may allow. Viewing a project's resources includes seeing
/// its storage's containers (list).
fn project_role(role: ProjectRole) -> &'static [Capability] {
    use Capability as C;
    match role {
        ProjectRole::ComputeViewer
        | ProjectRole::LoggingViewer
        | ProjectRole::MonitoringViewer
        | ProjectRole::DataprocViewer => &[C::View, C::List],
        ProjectRole::ServiceUsageConsumer => &[C::UseService],
        // Notebooks: manage the notebook machines, run on them, and see the project.
        ProjectRole::ComputeAdmin => &[C::ManageCompute, C::RunCompute, C::View, C::List],
        ProjectRole::DataprocAdmin => &[C::ManageCompute, C::RunCompute, C::View, C::List],
        ProjectRole::DataprocWorker => &[C::RunCompute, C::View, C::List],
        ProjectRole::WorkflowsRunner => &[C::RunCompute, C::View],
        // Seeing the project itself, none of its resources or data.
        ProjectRole::Browser => &[C::View],
    }
}
