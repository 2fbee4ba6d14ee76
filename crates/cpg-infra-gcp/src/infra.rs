//! The GCP implementation of [`Cloud`]: the plugin's constructor, the project
//! services resources depend on, how members and projects are resolved, and the
//! verbs, which build their resources with the modules of each concern
//! ([`storage`], [`grants`], [`groups`], [`accounts`], [`secrets`], [`budget`],
//! [`projects`]).

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::{
    Bucket, BucketFeature, BucketMembership, BucketRef, BucketSpec, BudgetSpec, Cloud,
    ContainerRegistryMembership, EligibleAccess, Exported, GrantRequest, GrantTarget, Group,
    GroupRef, Handle, MachineAccount, Member, Opened, OrganisationResource, Output, Project,
    ProjectRef, ProjectRole, RegistryRef, Resource, Secret, SecretMembership, ServiceRef, Session,
    StatedRole, Unavailable, Value, settings_of,
};
use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};

use crate::custom_roles;
use crate::members::{self, bucket_name, iam_member, preferred_member_key};
use crate::organisation_settings::GcpConfig;
use crate::services::{ALWAYS, Service};
use crate::settings::{self, Settings};
use crate::{
    accounts, aliases, budget, existing, grants, groups, organisation_roles, pam, projects,
    secrets, storage, tokens,
};

/// The registered name of this cloud.
pub const CLOUD: &str = "gcp";

/// This cloud's name as a configuration key (`[infrastructure.existing.gcp]`).
pub fn cloud_name() -> CloudName {
    CloudName::parse(CLOUD).expect("`gcp` is a cloud name")
}

/// The GCP cloud of one dataset.
pub struct GcpInfra {
    settings: Settings,
    services: BTreeSet<Service>,
    /// Whether mutate grants use the organisation's storage mutator role.
    mutator_role: bool,
    /// Whether this program created that role (the reference dataset's does).
    created_mutator_role: bool,
    /// The organisation's own roles as its configuration states them, by role id.
    stated_roles: BTreeMap<String, StatedRole>,
    /// Whether the organisation is being taken over (`take_over`) and the dataset does
    /// not adopt the role: it may exist already, and GCP refuses to create it again.
    mutator_role_may_exist: bool,
}

/// Opens GCP for `dataset` in `session` (the plugin's constructor): the
/// organisation lookup, the existing resources and the services every project has.
pub fn create<'b>(
    session: &mut Session<'b>,
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<Opened<'b>, String> {
    let gcp: GcpConfig = settings_of(config, CLOUD)?;
    let gcp = &gcp;
    let project_id = dataset.gcp_project.as_ref().ok_or_else(|| {
        "deploying to GCP needs `gcp:project` (the dataset's project id) in its stack config"
            .to_owned()
    })?;
    let mut organisation = settings::organisation(config);
    let mut accounts = settings::dataset_accounts(dataset);
    let existing = config.existing.get(&cloud_name());
    if let Some(existing) = existing {
        existing::apply(existing, session, &mut organisation, &mut accounts)?;
    }
    let notebooks_project = existing
        .and_then(|e| e.notebooks_project.as_ref())
        .map(|_| Output::resource(existing::NOTEBOOKS_PROJECT, "projectId").into());
    let mut infra = GcpInfra {
        settings: Settings::new(config, gcp, dataset, project_id.as_str(), notebooks_project),
        services: BTreeSet::new(),
        mutator_role: config.storage_policy.mutator_role,
        created_mutator_role: false,
        stated_roles: organisation_roles::stated(config),
        mutator_role_may_exist: config.take_over
            && !dataset.adopt.contains_key(custom_roles::MUTATOR_ROLE_KEY),
    };
    session.place_data_in(&infra.settings.bucket_region);
    session
        .plan_mut()
        .add_invoke(projects::organisation_lookup(config.domain.as_str()));
    for service in ALWAYS {
        infra.service(session, service);
    }
    Ok(Opened {
        cloud: Box::new(infra),
        organisation,
        accounts,
    })
}

impl GcpInfra {
    /// `member` may request `eligible` access to `bucket`: a PAM entitlement (with the
    /// service agent's binding the entitlements of a project share).
    fn eligible_bucket_access<'b>(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        member: &Member<'b>,
        bucket: &Handle<'b, Bucket>,
        eligible: EligibleAccess,
    ) {
        // Validation refuses a longer duration (dataset_rules.rs); a plan made without it
        // gets no entitlement rather than one the API may refuse.
        if let Some(problem) = pam::duration_problem(eligible.max_hours) {
            return session.unavailable(
                key,
                GrantRequest::EligibleBucket(eligible.access).describe(),
                Unavailable::because(problem),
            );
        }
        let principal = iam_member(member);
        let service = self.service(session, Service::PrivilegedAccessManager);
        if session
            .plan_mut()
            .get_mut(pam::SERVICE_AGENT_BINDING)
            .is_none()
        {
            session.add(pam::service_agent_binding(&self.settings, service));
        }
        let access = match eligible.access {
            BucketMembership::List => "list",
            BucketMembership::Read => "read",
            BucketMembership::Append => "append",
            BucketMembership::Mutate | BucketMembership::MutateObjects => "write",
        };
        let entitlement = pam::Entitlement {
            key,
            id: format!("pam-{}-{access}", self.settings.dataset),
            principal,
            role: grants::bucket_role(eligible.access, false),
            bucket: bucket_name(&BucketRef::Created(bucket.clone())),
            max_hours: eligible.max_hours,
        };
        session.add(pam::entitlement(&self.settings, entitlement, service));
    }

    /// Enables `service` (once) and returns its logical name.
    fn service(&mut self, session: &mut Session, service: Service) -> &'static str {
        let name = service.resource_name();
        if self.services.insert(service) {
            let dependency = service.depends_on().map(|d| self.service(session, d));
            let mut resource = Resource::new(tokens::PROJECT_SERVICE, name)
                .prop("service", service.api())
                .prop("disableOnDestroy", false)
                .depends_on(dependency);
            if service.sets_project() {
                resource = resource.prop("project", self.settings.project_id.as_str());
            }
            session.add(resource);
        }
        name
    }

    /// The project id of `project`, or a diagnostic when it is not configured.
    fn project_or_diagnose(
        &self,
        session: &mut Session,
        key: &str,
        project: &ProjectRef,
    ) -> Option<Value> {
        let value = self.settings.project(project);
        if let (None, ProjectRef::Organisation(project)) = (&value, project) {
            let name = project.name();
            session.diagnose(
                key,
                format!("not created: the organisation's {name} project needs [infrastructure.{name}.gcp] project in cpg.toml"),
            );
        }
        value
    }
}

impl<'b> Cloud<'b> for GcpInfra {
    fn finish(self: Box<Self>, session: &mut Session<'b>) {
        aliases::apply(session.plan_mut());
        organisation_roles::record(&self.stated_roles, session.plan_mut());
    }

    fn create_project(&mut self, session: &mut Session<'b>, suffix: &str) -> Handle<'b, Project> {
        let billing = self.service(session, Service::CloudBilling);
        let resource = projects::project(&self.settings, suffix, billing);
        let key = resource.name.clone();
        session.add(resource);
        session.handle(key)
    }

    fn create_budget(&mut self, session: &mut Session<'b>, key: &str, budget: BudgetSpec<'_, 'b>) {
        let BudgetSpec {
            project,
            amount,
            period,
            currency,
        } = budget;
        let covered = match project {
            ProjectRef::Created(handle) => budget::Covered::Resource(handle.resource().to_owned()),
            other => {
                let Some(id) = self.project_or_diagnose(session, key, other) else {
                    return;
                };
                let variable = match other {
                    ProjectRef::Dataset => "dataset-project".to_owned(),
                    _ => format!("{key}-project"),
                };
                let lookup = budget::project_lookup(&variable, id);
                session.plan_mut().add_invoke(lookup.clone());
                budget::Covered::Lookup(lookup)
            }
        };
        let budgets = self.service(session, Service::BillingBudgets);
        let resource = budget::budget(
            &self.settings,
            key,
            &covered,
            amount,
            period,
            currency,
            budgets,
        );
        session.add(resource);
    }

    fn parse_member_id(&self, id: &str) -> Result<String, String> {
        members::parse_account(id)
    }

    fn foreign_member(&self, cloud: &CloudName, id: &str) -> String {
        format!(
            "principal `{id}` is an account on {cloud}, not a GCP account: grant not created on gcp"
        )
    }

    fn grant_available(&self, _request: GrantRequest) -> Result<(), Unavailable> {
        Ok(())
    }

    fn bucket_feature(&self, _feature: BucketFeature) -> Result<(), Unavailable> {
        Ok(())
    }

    fn create_storage_mutator_role(
        &mut self,
        session: &mut Session<'b>,
    ) -> Result<(), Unavailable> {
        session.add(custom_roles::mutator_role());
        self.created_mutator_role = true;
        if self.mutator_role_may_exist {
            session.diagnose(
                custom_roles::MUTATOR_ROLE_KEY,
                custom_roles::take_over_warning(),
            );
        }
        Ok(())
    }

    fn create_bucket(
        &mut self,
        session: &mut Session<'b>,
        spec: &BucketSpec,
    ) -> Handle<'b, Bucket> {
        let name = storage::bucket_name(&self.settings, spec);
        let resource = storage::bucket(&self.settings, &name, spec, session.protects(spec));
        session.add(resource);
        session.handle(name)
    }

    fn organisation_key(
        &self,
        resource: OrganisationResource,
    ) -> Result<&'static str, Unavailable> {
        Ok(settings::organisation_key(resource))
    }

    fn grant(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        member: &Member<'b>,
        target: GrantTarget<'_, 'b>,
    ) {
        match target {
            GrantTarget::Bucket { bucket, membership } => {
                self.bucket_grant(session, key, bucket, iam_member(member), membership);
            }
            GrantTarget::ListBuckets { project } => {
                self.list_buckets_grant(session, key, iam_member(member), project);
            }
            GrantTarget::ActAs { account } => {
                self.act_as_grant(session, key, account, iam_member(member));
            }
            GrantTarget::Membership { group } => self.group_membership(session, key, group, member),
            GrantTarget::Secret { secret, membership } => {
                self.secret_grant(session, key, secret, iam_member(member), membership);
            }
            GrantTarget::Registry {
                registry,
                membership,
            } => self.registry_grant(session, key, registry, iam_member(member), membership),
            GrantTarget::Project { role, project } => {
                self.project_grant(session, key, iam_member(member), role, project);
            }
            GrantTarget::Invoker { service } => {
                self.invoker_grant(session, key, service, iam_member(member));
            }
            GrantTarget::EligibleBucket { bucket, eligible } => {
                self.eligible_bucket_access(session, key, member, bucket, eligible);
            }
        }
    }

    fn create_access_broker(&mut self, session: &mut Session<'b>) {
        if let Some(project) = &self.settings.pam_broker_project {
            session.add(pam::broker_account(project));
        }
    }

    fn add_access_broker_for(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Result<(), Unavailable> {
        let Some(project) = &self.settings.pam_broker_project else {
            return Err(Unavailable::because(
                "the organisation declares no PAM broker ([infrastructure.gcp.pam_broker] project_id): no CI workflow can request the notebook account's temporary access for it; declare one, or members request their own",
            ));
        };
        session.add(pam::broker_acts_as(key, project, account.resource()));
        Ok(())
    }

    fn create_machine_account(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount> {
        let key = key.map_or_else(|| format!("service-account-{name}"), str::to_owned);
        let project = match project {
            ProjectRef::Dataset => None,
            ProjectRef::Created(handle) => {
                Some(Output::resource(handle.resource(), "projectId").into())
            }
            other => self.project_or_diagnose(session, &key, other),
        };
        let iam = self.service(session, Service::Iam);
        session.add(accounts::service_account(&key, name, project, iam));
        session.handle(key)
    }

    fn machine_account_credentials(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        session.add(accounts::key(key, account.resource()));
        accounts::exported_key(CLOUD, key, account.resource())
    }

    fn create_group(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        description: Option<&str>,
    ) -> Handle<'b, Group> {
        let identity = self.service(session, Service::CloudIdentity);
        session.add(groups::group(&self.settings, name, description, identity));
        session.handle(name)
    }

    fn create_secret(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef,
    ) -> Handle<'b, Secret> {
        let project = self.project_or_diagnose(session, name, project);
        let manager = self.service(session, Service::SecretManager);
        session.add(secrets::secret(&self.settings, name, project, manager));
        session.handle(name)
    }

    fn add_secret_version(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        secret: &Handle<'b, Secret>,
        contents: &Exported,
    ) {
        if contents.cloud != CLOUD {
            session.note(
                key,
                format!(
                    "{} from {} is stored in secret {}",
                    contents.what,
                    contents.cloud,
                    secret.resource()
                ),
            );
        }
        session.add(secrets::version(key, secret.resource(), contents));
    }
}

impl GcpInfra {
    /// `membership` on `bucket`: the bucket role (the organisation's mutator role where the storage policy says so).
    fn bucket_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        bucket: &BucketRef,
        member: Value,
        membership: BucketMembership,
    ) {
        let mutator = self.mutator_role
            && matches!(
                membership,
                BucketMembership::Mutate | BucketMembership::MutateObjects
            );
        let role = grants::bucket_role(membership, mutator);
        let identity = self.service(session, Service::CloudIdentity);
        let key = if mutator {
            format!("{key}{}", custom_roles::MUTATOR_GRANT_SUFFIX)
        } else {
            key.to_owned()
        };
        let mut resource = grants::bucket_member(&key, bucket_name(bucket), member, role, identity);
        if mutator && self.created_mutator_role {
            resource = resource.depends_on([custom_roles::MUTATOR_ROLE_KEY]);
        }
        session.add(resource);
    }

    /// Listing the buckets of `project`: the bucket list role on the project.
    fn list_buckets_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        member: Value,
        project: &ProjectRef,
    ) {
        let Some(project) = self.project_or_diagnose(session, key, project) else {
            return;
        };
        let identity = self.service(session, Service::CloudIdentity);
        let role = grants::bucket_role(BucketMembership::List, false);
        let resource = grants::project_member(key, project, role, member, [identity]);
        session.add(resource);
    }

    /// Acting as `account`: Service Account User on it.
    fn act_as_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        account: &Handle<MachineAccount>,
        member: Value,
    ) {
        let identity = self.service(session, Service::CloudIdentity);
        let iam = self.service(session, Service::Iam);
        let resource = grants::account_user(key, account.resource(), member, [identity, iam]);
        session.add(resource);
    }

    /// Membership of `group`, by the member's preferred member key; an account outside the domain is an error where the organisation's groups accept none.
    fn group_membership(
        &mut self,
        session: &mut Session,
        key: &str,
        group: &GroupRef,
        member: &Member,
    ) {
        if !self.settings.groups_allow_external_members
            && let Some(email) = members::outside_domain(member, &self.settings.domain)
        {
            // Google Groups refuses the member at `pulumi up` (the group does not allow
            // external members): say so now, with the way out.
            return session.error(
                key,
                format!(
                    "`{email}` is outside {} and the organisation's groups do not accept external members: adding it would fail at pulumi up; remove it, or set [infrastructure.gcp] groups_allow_external_members = true once the Google Workspace lets new groups have external members",
                    self.settings.domain
                ),
            );
        }
        let member = preferred_member_key(member);
        let identity = self.service(session, Service::CloudIdentity);
        session.add(groups::membership(key, group, member, identity));
    }

    /// `membership` on `secret`, in the secret's project.
    fn secret_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        secret: &Handle<Secret>,
        member: Value,
        membership: SecretMembership,
    ) {
        let project = session
            .plan()
            .get(secret.resource())
            .and_then(|s| s.properties.get("project").cloned());
        let resource = grants::secret_member(key, secret.resource(), project, member, membership);
        session.add(resource);
    }

    /// `membership` on an organisation registry.
    fn registry_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        registry: &RegistryRef,
        member: Value,
        membership: ContainerRegistryMembership,
    ) {
        let resource = grants::registry_member(&self.settings, key, registry, member, membership);
        session.add(resource);
    }

    /// A project-level `role` in `project`, with the service it needs.
    fn project_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        member: Value,
        role: ProjectRole,
        project: &ProjectRef,
    ) {
        let Some(project) = self.project_or_diagnose(session, key, project) else {
            return;
        };
        let (role, service) = grants::project_role(role);
        let dependency = service.map(|s| self.service(session, s));
        session.add(grants::project_member(
            key, project, role, member, dependency,
        ));
    }

    /// Invoking an organisation web service.
    fn invoker_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        service: &ServiceRef,
        member: Value,
    ) {
        session.add(grants::invoker(&self.settings, key, service, member));
    }
}
