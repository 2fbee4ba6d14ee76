//! The session of one cloud for one dataset: what every cloud plugin shares.
//!
//! A [`Session`] owns the cloud's [`Plan`], the blueprint component that new
//! resources belong to, the session's [`Brand`] (the only way to mint its
//! handles), its diagnostics, and the policies that are the same on every cloud
//! (`disable_group_memberships`, `protect_data_buckets`). Plugins get it in each
//! verb and record into it; they keep only what is their own.

use cpg_infra_config::InfrastructureConfig;

use crate::handles::{Brand, GroupRef, Handle};
use crate::plan::{Plan, Severity};
use crate::requests::BucketSpec;
use crate::resource::{Resource, STACK_REFERENCE};

/// The subject of the diagnostic that counts skipped group memberships.
pub const SKIPPED_MEMBERSHIPS_SUBJECT: &str = "group memberships";

/// Why a cloud cannot do what it was asked (a verb or an option it has no
/// equivalent for). The session words the diagnostic; the cloud gives the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// Why, in the cloud's words (e.g. `Azure has no Dataproc`).
    pub reason: String,
}

impl Unavailable {
    /// Unavailable for `reason`.
    pub fn because(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

/// The policies of the configuration that apply the same way on every cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Policies {
    /// `disable_group_memberships`: group memberships are skipped (and counted).
    disable_group_memberships: bool,
    /// `protect_data_buckets`: buckets that hold data are protected.
    protect_data_buckets: bool,
}

/// One cloud's session for one dataset, branded `'b`.
#[derive(Debug)]
pub struct Session<'b> {
    brand: Brand<'b>,
    cloud: &'static str,
    plan: Plan,
    component: &'static str,
    policies: Policies,
    skipped_memberships: usize,
}

impl<'b> Session<'b> {
    /// The session of `cloud` for `dataset`, branded `brand`, with the policies of `config`.
    pub fn new(
        brand: Brand<'b>,
        cloud: &'static str,
        dataset: &str,
        config: &InfrastructureConfig,
    ) -> Self {
        Self {
            brand,
            cloud,
            plan: Plan::new(dataset, cloud),
            component: "project",
            policies: Policies {
                disable_group_memberships: config.disable_group_memberships,
                protect_data_buckets: config.protect_data_buckets,
            },
            skipped_memberships: 0,
        }
    }

    /// The registered name of the cloud (`gcp`, `azure`).
    pub fn cloud(&self) -> &'static str {
        self.cloud
    }

    /// A handle of this session to the resource with logical name `resource`.
    pub fn handle<K>(&self, resource: impl Into<String>) -> Handle<'b, K> {
        self.brand.handle(self.cloud, resource)
    }

    /// Sets the blueprint component that following resources belong to.
    pub fn set_component(&mut self, component: &'static str) {
        self.component = component;
    }

    /// Adds `resource` to the plan, in the current component.
    pub fn add(&mut self, mut resource: Resource) {
        resource.component = self.component;
        self.plan.add(resource);
    }

    /// The plan so far.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The plan so far, mutably (for resources outside any component, invokes,
    /// outputs and changes to planned resources).
    pub fn plan_mut(&mut self) -> &mut Plan {
        &mut self.plan
    }

    /// The group that the stack of dataset `stack` exports as `output`; the
    /// stack reference (logical name: the stack's name) is planned once, and
    /// the clouds of one program share it.
    pub(crate) fn stack_output_group(&mut self, stack: &str, output: String) -> GroupRef<'b> {
        if !self.plan.contains(stack) {
            self.add(Resource::new(STACK_REFERENCE, stack).prop("name", stack));
        }
        GroupRef::StackOutput {
            stack: stack.to_owned(),
            output,
        }
    }

    /// Records a diagnostic of `severity` about `subject`.
    pub fn diagnose_as(&mut self, severity: Severity, subject: &str, message: String) {
        self.plan.diagnose(severity, self.cloud, subject, message);
    }

    /// Records a warning about `subject`.
    pub fn diagnose(&mut self, subject: &str, message: String) {
        self.diagnose_as(Severity::Warning, subject, message);
    }

    /// Records an error about `subject`: what the cloud was asked cannot be planned, and
    /// planning the dataset fails with `message`.
    pub fn error(&mut self, subject: &str, message: String) {
        self.diagnose_as(Severity::Error, subject, message);
    }

    /// Records a note about `subject`.
    pub fn note(&mut self, subject: &str, message: String) {
        self.diagnose_as(Severity::Note, subject, message);
    }

    /// Records the standard warning that `what` is not available on this cloud.
    pub fn unavailable(&mut self, subject: &str, what: &str, why: Unavailable) {
        let message = format!("{what} is not available on {}: {}", self.cloud, why.reason);
        self.plan.diagnose_unavailable(self.cloud, subject, message);
    }

    /// Records the region this cloud places the dataset's data in (shown in the plan's
    /// summary, so a default region is never a surprise).
    pub fn place_data_in(&mut self, region: &str) {
        self.plan.place(self.cloud, region);
    }

    /// Whether a bucket of `spec` is protected (it holds data and
    /// `protect_data_buckets` is set).
    pub fn protects(&self, spec: &BucketSpec) -> bool {
        spec.holds_data && self.policies.protect_data_buckets
    }

    /// Whether group memberships are skipped (`disable_group_memberships`);
    /// a skipped one is counted for the plan's diagnostic.
    pub(crate) fn skips_group_membership(&mut self) -> bool {
        if self.policies.disable_group_memberships {
            self.skipped_memberships += 1;
        }
        self.policies.disable_group_memberships
    }

    /// The finished plan, with the count of skipped group memberships.
    pub(crate) fn into_plan(mut self) -> Plan {
        let message = match self.skipped_memberships {
            0 => None,
            1 => Some("1 group membership is not created".to_owned()),
            n => Some(format!("{n} group memberships are not created")),
        };
        if let Some(message) = message {
            self.diagnose(
                SKIPPED_MEMBERSHIPS_SUBJECT,
                format!(
                    "disable_group_memberships is set: {message} (set it back to false to re-add them)"
                ),
            );
        }
        self.plan
    }
}
