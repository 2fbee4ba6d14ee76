//! `Infra`: what the dataset blueprint calls, one cloud's session and verbs.
//!
//! It opens a registered cloud inside a [`Session`], forwards the blueprint's
//! calls to the cloud's [`Cloud`] verbs, and applies what is the same on every
//! cloud: `disable_group_memberships` (memberships are skipped and counted), the
//! guard of every grant against accounts of other clouds and ids of the wrong form
//! ([`Cloud::parse_member_id`]), the stack outputs that publish a dataset's groups and
//! their lookup by other datasets ([`GroupOutputs`]), and the one standard diagnostic
//! for what a cloud does not have ([`Session::unavailable`]).

use cpg_infra_config::{DatasetConfig, DatasetName, InfrastructureConfig};

use crate::cloud::{Cloud, Opened};
use crate::handles::{
    Brand, Bucket, BucketRef, Exported, Group, GroupRef, Handle, MachineAccount, Member, Project,
    ProjectRef, RegistryRef, Secret, ServiceRef,
};
use crate::intent::{GrantRequest, IntentOf};
use crate::organisation::{Organisation, OrganisationResource};
use crate::plan::Plan;
use crate::registry::{CloudError, CloudPlugin};
use crate::requests::{
    BucketFeature, BucketMembership, BucketSpec, BudgetSpec, ContainerRegistryMembership,
    DatasetAccounts, EligibleAccess, GrantTarget, GroupOutputs, ProjectRole, SecretMembership,
};
use crate::session::Session;
use crate::value::Output;

/// One cloud's session of one dataset, as the blueprint sees it (branded `'b`).
pub struct Infra<'b> {
    session: Session<'b>,
    cloud: Box<dyn Cloud<'b> + 'b>,
    organisation: Organisation<'b>,
    accounts: DatasetAccounts<'b>,
    group_outputs: GroupOutputs,
    intent_of: Option<IntentOf>,
}

impl<'b> Infra<'b> {
    /// Opens `plugin` for `dataset`, branded `brand`.
    pub fn open(
        plugin: &CloudPlugin,
        brand: Brand<'b>,
        config: &InfrastructureConfig,
        dataset: &DatasetConfig,
    ) -> Result<Self, CloudError> {
        let error = |message: String| CloudError {
            cloud: plugin.name,
            dataset: dataset.dataset.to_string(),
            message,
        };
        if let Some(missing) = plugin.missing_settings(config) {
            return Err(error(missing));
        }
        let mut session = Session::new(brand, plugin.name, dataset.dataset.as_str(), config);
        let Opened {
            cloud,
            organisation,
            accounts,
        } = (plugin.create)(&mut session, config, dataset).map_err(error)?;
        Ok(Self {
            session,
            cloud,
            organisation,
            accounts,
            group_outputs: plugin.group_outputs,
            intent_of: None,
        })
    }

    /// Sets the design's answer to what each grant may allow: from then on, every
    /// resource a grant request creates records that intent in the plan.
    pub fn set_intent(&mut self, intent_of: IntentOf) {
        self.intent_of = Some(intent_of);
    }

    /// Runs `grant` (one grant request) and records the request's intent for every
    /// resource it added to the plan.
    fn granting(&mut self, request: GrantRequest, grant: impl FnOnce(&mut Self)) {
        let before = self.session.plan().resources.len();
        grant(self);
        let Some(intent_of) = &self.intent_of else {
            return;
        };
        let intent = intent_of(request);
        let added: Vec<String> = self.session.plan().resources[before..]
            .iter()
            .map(|r| r.name.clone())
            .collect();
        for name in added {
            self.session.plan_mut().intend(&name, intent);
        }
    }

    /// Whether the cloud has an equivalent of `request`; if not, records the standard
    /// warning that `what` is not available.
    fn available(&mut self, key: &str, request: GrantRequest, what: &str) -> bool {
        let answer = self.cloud.grant_available(request);
        if let Err(why) = answer {
            self.session.unavailable(key, what, why);
            return false;
        }
        true
    }

    /// Grants `member` the access `target` describes ([`Cloud::grant`]) when the cloud has
    /// an equivalent and accepts the member, and records the request's intent for what it
    /// added. An account of another cloud gets the cloud's warning and nothing; an id of
    /// the wrong form is an error of the plan.
    fn grant(&mut self, key: &str, member: &Member<'b>, target: GrantTarget<'_, 'b>) {
        let request = target.request();
        let what = match target {
            GrantTarget::Invoker { service } => {
                format!("invoking {}/{}", service.scope, service.name)
            }
            _ => request.describe().to_owned(),
        };
        if !self.available(key, request, &what) {
            return;
        }
        let member = match member {
            Member::External { cloud, id } if cloud.as_str() != self.session.cloud() => {
                let warning = self.cloud.foreign_member(cloud, id);
                return self.session.diagnose(key, warning);
            }
            Member::External { cloud, id } => match self.cloud.parse_member_id(id) {
                Ok(id) => Member::External {
                    cloud: cloud.clone(),
                    id,
                },
                Err(message) => return self.session.error(key, message),
            },
            other => other.clone(),
        };
        self.granting(request, |infra| {
            infra.cloud.grant(&mut infra.session, key, &member, target);
        });
    }

    /// The registered name of this cloud (`gcp`, `azure`).
    pub fn cloud(&self) -> &'static str {
        self.session.cloud()
    }

    /// Sets the blueprint component that following resources belong to.
    pub fn set_component(&mut self, component: &'static str) {
        self.session.set_component(component);
    }

    /// Records a warning about `subject` (used by the blueprint when it cannot do something).
    pub fn diagnose(&mut self, subject: &str, message: String) {
        self.session.diagnose(subject, message);
    }

    /// Records why this cloud has no resource of the key `key` that another cloud of the
    /// dataset may have (shown by `access --compare-clouds`, accepted by `cloud-parity`).
    pub fn explain_absence(&mut self, key: &str, reason: String) {
        let cloud = self.session.cloud();
        self.session.plan_mut().explain_absence(cloud, key, reason);
    }

    /// The organisation's shared resources on this cloud.
    pub fn organisation(&self) -> &Organisation<'b> {
        &self.organisation
    }

    /// Records that `subject` is not created because this cloud lacks the organisation's
    /// `resource`: a warning naming the `cpg.toml` key that would provide it, or the
    /// standard "not available" warning when the cloud has no such resource.
    pub fn missing_organisation_resource(&mut self, subject: &str, resource: OrganisationResource) {
        match self.cloud.organisation_key(resource) {
            Ok(key) => self
                .session
                .diagnose(subject, format!("not created: needs {key} in cpg.toml")),
            Err(why) => self.session.unavailable(subject, resource.describe(), why),
        }
    }

    /// Records a note about `subject` (what the blueprint did differently, and why).
    pub fn note(&mut self, subject: &str, message: String) {
        self.session.note(subject, message);
    }

    /// The dataset's external accounts on this cloud.
    pub fn dataset_accounts(&self) -> DatasetAccounts<'b> {
        self.accounts.clone()
    }

    /// Finishes the session and returns its plan.
    pub fn finish(mut self) -> Plan {
        self.cloud.finish(&mut self.session);
        self.session.into_plan()
    }

    /// [`Cloud::create_project`] on this session's cloud.
    pub fn create_project(&mut self, suffix: &str) -> Handle<'b, Project> {
        self.cloud.create_project(&mut self.session, suffix)
    }

    /// [`Cloud::create_budget`] on this session's cloud.
    pub fn create_budget(&mut self, key: &str, budget: BudgetSpec<'_, 'b>) {
        self.cloud.create_budget(&mut self.session, key, budget);
    }

    /// [`Cloud::create_bucket`]; each [`BucketFeature`] the spec asks for that the cloud
    /// lacks is a diagnostic. A bucket that holds data is recorded as such in the plan
    /// (for the policy checks).
    pub fn create_bucket(&mut self, spec: &BucketSpec) -> Handle<'b, Bucket> {
        let bucket = self.cloud.create_bucket(&mut self.session, spec);
        if spec.holds_data {
            self.session.plan_mut().hold_data(bucket.resource());
        }
        for feature in BucketFeature::of(spec) {
            if let Err(why) = self.cloud.bucket_feature(feature) {
                self.session
                    .unavailable(bucket.resource(), feature.describe(), why);
            }
        }
        bucket
    }

    /// [`Cloud::create_storage_mutator_role`], or records why the cloud needs none.
    pub fn create_storage_mutator_role(&mut self) {
        if let Err(why) = self.cloud.create_storage_mutator_role(&mut self.session) {
            self.session
                .unavailable("storage-mutator-role", "a storage mutator role", why);
        }
    }

    /// [`Cloud::grant`] of `membership` on `bucket` to `member`.
    pub fn add_member_to_bucket(
        &mut self,
        key: &str,
        bucket: &BucketRef<'b>,
        member: &Member<'b>,
        membership: BucketMembership,
    ) {
        self.grant(key, member, GrantTarget::Bucket { bucket, membership });
    }

    /// [`Cloud::grant`] letting `member` list the buckets of `project`.
    pub fn give_member_ability_to_list_buckets(
        &mut self,
        key: &str,
        member: &Member<'b>,
        project: &ProjectRef<'b>,
    ) {
        self.grant(key, member, GrantTarget::ListBuckets { project });
    }

    /// [`Cloud::create_machine_account`] on this session's cloud.
    pub fn create_machine_account(
        &mut self,
        name: &str,
        project: &ProjectRef<'b>,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount> {
        self.cloud
            .create_machine_account(&mut self.session, name, project, key)
    }

    /// [`Cloud::grant`] letting `member` act as `account`.
    pub fn add_member_to_machine_account_access(
        &mut self,
        key: &str,
        account: &Handle<'b, MachineAccount>,
        member: &Member<'b>,
    ) {
        self.grant(key, member, GrantTarget::ActAs { account });
    }

    /// [`Cloud::machine_account_credentials`] on this session's cloud.
    pub fn machine_account_credentials(
        &mut self,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        self.cloud
            .machine_account_credentials(&mut self.session, key, account)
    }

    /// Records that `credentials` are read outside the program by `reader` (a service
    /// the design grants the secret that holds them), so the policy checks know why
    /// the key exists where no other cloud reads it.
    pub fn read_outside(&mut self, credentials: &Exported, reader: &str) {
        for output in credentials.value.outputs() {
            if let crate::value::Source::Resource(name) = &output.source {
                self.session.plan_mut().read_outside(name, reader);
            }
        }
    }

    /// [`Cloud::create_group`] on this session's cloud.
    pub fn create_group(&mut self, name: &str, description: Option<&str>) -> Handle<'b, Group> {
        self.cloud
            .create_group(&mut self.session, name, description)
    }

    /// [`Cloud::grant`] of membership of `group` to `member`, unless
    /// `disable_group_memberships` is set (then it is counted in one diagnostic).
    pub fn add_group_member(&mut self, key: &str, group: &GroupRef<'b>, member: &Member<'b>) {
        if !self.session.skips_group_membership() {
            self.grant(key, member, GrantTarget::Membership { group });
        }
    }

    /// Publishes the id of `dataset`'s group of `kind` as a stack output, for the datasets
    /// that depend on it ([`Self::dependency_group`]).
    pub fn export_group(&mut self, dataset: &DatasetName, kind: &str, group: &Handle<'b, Group>) {
        let outputs = self.group_outputs;
        self.session.plan_mut().export(
            &outputs.name(dataset.as_str(), kind),
            Output::resource(group.resource(), outputs.id_property).into(),
        );
    }

    /// The group of `kind` that the dataset `dependency` publishes ([`Self::export_group`]),
    /// read from its stack.
    pub fn dependency_group(&mut self, dependency: &DatasetName, kind: &str) -> GroupRef<'b> {
        let stack = dependency.as_str();
        let output = self.group_outputs.name(stack, kind);
        self.session.stack_output_group(stack, output)
    }

    /// [`Cloud::create_secret`] on this session's cloud.
    pub fn create_secret(&mut self, name: &str, project: &ProjectRef<'b>) -> Handle<'b, Secret> {
        self.cloud.create_secret(&mut self.session, name, project)
    }

    /// [`Cloud::grant`] of `membership` on `secret` to `member`.
    pub fn add_secret_member(
        &mut self,
        key: &str,
        secret: &Handle<'b, Secret>,
        member: &Member<'b>,
        membership: SecretMembership,
    ) {
        self.grant(key, member, GrantTarget::Secret { secret, membership });
    }

    /// [`Cloud::add_secret_version`]. Contents that are no secret (configuration for a reader
    /// of the secret) are recorded as such in the plan (for the policy checks).
    pub fn add_secret_version(
        &mut self,
        key: &str,
        secret: &Handle<'b, Secret>,
        contents: &Exported,
    ) {
        if !contents.is_secret() {
            self.session
                .plan_mut()
                .hold_configuration(secret.resource());
        }
        self.cloud
            .add_secret_version(&mut self.session, key, secret, contents);
    }

    /// [`Cloud::grant`] of `membership` on an organisation registry to `member`.
    pub fn add_member_to_container_registry(
        &mut self,
        key: &str,
        registry: &RegistryRef,
        member: &Member<'b>,
        membership: ContainerRegistryMembership,
    ) {
        self.grant(
            key,
            member,
            GrantTarget::Registry {
                registry,
                membership,
            },
        );
    }

    /// [`Cloud::grant`] of a project-level `role` in `project` to `member`, or records that
    /// the cloud has no equivalent.
    pub fn add_project_role(
        &mut self,
        key: &str,
        member: &Member<'b>,
        role: ProjectRole,
        project: &ProjectRef<'b>,
    ) {
        self.grant(key, member, GrantTarget::Project { role, project });
    }

    /// Lets the members of `group` request `eligible` access to `bucket` (a grant of
    /// [`GrantTarget::EligibleBucket`] to the group), or records why the cloud cannot.
    pub fn add_eligible_bucket_access(
        &mut self,
        key: &str,
        bucket: &Handle<'b, Bucket>,
        group: &Handle<'b, Group>,
        eligible: EligibleAccess,
    ) {
        let member = Member::Group(group.clone());
        self.grant(
            key,
            &member,
            GrantTarget::EligibleBucket { bucket, eligible },
        );
    }

    /// [`Cloud::create_access_broker`] on this session's cloud.
    pub fn create_access_broker(&mut self) {
        self.cloud.create_access_broker(&mut self.session);
    }

    /// [`Cloud::add_access_broker_for`], or records why the cloud has no broker.
    pub fn add_access_broker_for(&mut self, key: &str, account: &Handle<'b, MachineAccount>) {
        let mut answer = Ok(());
        self.granting(GrantRequest::AccessBroker, |infra| {
            answer = infra
                .cloud
                .add_access_broker_for(&mut infra.session, key, account);
        });
        if let Err(why) = answer {
            self.session.unavailable(
                key,
                "requesting temporary access for a machine account (an access broker)",
                why,
            );
        }
    }

    /// [`Cloud::grant`] letting `member` invoke an organisation web service, or records
    /// that the cloud has no equivalent.
    pub fn add_service_invoker(&mut self, key: &str, service: &ServiceRef, member: &Member<'b>) {
        self.grant(key, member, GrantTarget::Invoker { service });
    }
}
