//! The GCP implementation of [`Infra`].

use std::collections::BTreeSet;

use cpg_infra_abstraction::{
    Brand, Bucket, BucketMembership, BucketName, BucketRef, BucketSpec, CloudError,
    ContainerRegistryMembership, DatasetAccounts, Exported, Group, GroupRef, Handle, Infra, Invoke,
    LifecycleRule, MachineAccount, Member, Organisation, Output, Plan, Project, ProjectRef,
    ProjectRole, RegistryRef, Resource, Secret, SecretMembership, ServiceRef, Severity, Value,
    group_output_name,
};
use cpg_infra_config::{AccessLevel, DatasetConfig, DatasetName, InfrastructureConfig};

use crate::members::{bucket_name, group_id, iam_member, preferred_member_key};
use crate::services::{ALWAYS, Service};
use crate::{aliases, existing, tokens};

const CLOUD: &str = "gcp";
/// Program variable holding the organisation lookup.
const ORGANIZATION: &str = "organization";

/// Settings of the GCP plugin for one dataset, taken from the configuration.
#[derive(Debug, Clone)]
struct Settings {
    dataset: DatasetName,
    project_id: String,
    region: String,
    domain: String,
    customer_id: String,
    billing_account_id: String,
    budget_notification_pubsub: Option<String>,
    budget_notification_thresholds: Vec<f64>,
    budget_currency: String,
    dataset_storage_prefix: String,
    disable_group_memberships: bool,
    protect_data_buckets: bool,
    notebooks_project: Option<Value>,
    analysis_runner_project: Option<String>,
}

/// The GCP `Infra` of one dataset.
pub struct GcpInfra<'b> {
    settings: Settings,
    organisation: Organisation<'b>,
    accounts: DatasetAccounts<'b>,
    plan: Plan,
    component: &'static str,
    services: BTreeSet<Service>,
    skipped_memberships: usize,
}

/// Makes the GCP infra of `dataset` (the plugin's constructor).
pub fn create<'b>(
    _brand: Brand<'b>,
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<Box<dyn Infra<'b> + 'b>, CloudError> {
    let error = |message: String| CloudError {
        cloud: CLOUD,
        dataset: dataset.dataset.to_string(),
        message,
    };
    let gcp = config
        .gcp
        .as_ref()
        .ok_or_else(|| error("needs the section [infrastructure.gcp] in cpg.toml".to_owned()))?;
    let project_id = dataset.gcp_project.as_ref().ok_or_else(|| {
        error(
            "deploying to GCP needs `gcp:project` (the dataset's project id) in its stack config"
                .to_owned(),
        )
    })?;
    let analysis_runner = config.analysis_runner.as_ref().and_then(|a| a.gcp.as_ref());
    let mut organisation = organisation(config);
    let mut accounts = dataset_accounts(dataset);
    let existing = config.existing.as_ref().and_then(|e| e.gcp.as_ref());
    let mut plan = Plan::new(dataset.dataset.as_str(), CLOUD);
    if let Some(existing) = existing {
        existing::apply(existing, &mut plan, &mut organisation, &mut accounts).map_err(error)?;
    }
    let notebooks_project = match existing.and_then(|e| e.notebooks_project.as_ref()) {
        Some(_) => Some(Output::resource(existing::NOTEBOOKS_PROJECT, "projectId").into()),
        None => config
            .notebooks
            .as_ref()
            .and_then(|n| n.gcp.as_ref())
            .map(|n| Value::str(&n.project)),
    };
    let settings = Settings {
        dataset: dataset.dataset.clone(),
        project_id: project_id.as_str().to_owned(),
        region: gcp.region.clone(),
        domain: config.domain.to_string(),
        customer_id: gcp.customer_id.clone(),
        billing_account_id: gcp.billing_account_id.clone(),
        budget_notification_pubsub: gcp.budget_notification_pubsub.clone(),
        budget_notification_thresholds: config.budget_notification_thresholds.clone(),
        budget_currency: config.budget_currency.to_string(),
        dataset_storage_prefix: config.dataset_storage_prefix.clone(),
        disable_group_memberships: config.disable_group_memberships,
        protect_data_buckets: config.protect_data_buckets,
        notebooks_project,
        analysis_runner_project: analysis_runner.map(|a| a.project.clone()),
    };
    let mut infra: GcpInfra<'b> = GcpInfra {
        settings,
        organisation,
        accounts,
        plan,
        component: "project",
        services: BTreeSet::new(),
        skipped_memberships: 0,
    };
    infra.plan.add_invoke(Invoke {
        variable: ORGANIZATION.to_owned(),
        function: tokens::GET_ORGANIZATION.to_owned(),
        arguments: [("domain".to_owned(), Value::str(config.domain.as_str()))].into(),
    });
    for service in ALWAYS {
        infra.service(service);
    }
    Ok(Box::new(infra))
}

impl<'b> GcpInfra<'b> {
    /// Enables `service` (once) and returns its logical name.
    fn service(&mut self, service: Service) -> &'static str {
        let name = service.resource_name();
        if self.services.insert(service) {
            let dependency = service.depends_on().map(|d| self.service(d));
            let mut resource = Resource::new(tokens::PROJECT_SERVICE, name)
                .prop("service", service.api())
                .prop("disableOnDestroy", false)
                .depends_on(dependency);
            if service.sets_project() {
                resource = resource.prop("project", self.settings.project_id.as_str());
            }
            self.add(resource);
        }
        name
    }

    fn add(&mut self, mut resource: Resource) {
        resource.component = self.component;
        self.plan.add(resource);
    }

    /// The IAM member value, or a diagnostic when the member is not a GCP principal.
    fn member(&mut self, key: &str, member: &Member) -> Option<Value> {
        match iam_member(member) {
            Ok(value) => Some(value),
            Err(foreign) => {
                self.foreign(key, &foreign.0);
                None
            }
        }
    }

    fn foreign(&mut self, key: &str, principal: &str) {
        self.diagnose(
            key,
            format!("principal `{principal}` is an Azure directory object, not a GCP account: grant not created on gcp"),
        );
    }

    fn project_value(&self, project: &ProjectRef) -> Option<Value> {
        match project {
            ProjectRef::Dataset => Some(Value::str(&self.settings.project_id)),
            ProjectRef::Notebooks => self.settings.notebooks_project.clone(),
            ProjectRef::AnalysisRunner => self
                .settings
                .analysis_runner_project
                .as_deref()
                .map(Value::str),
            ProjectRef::Created(handle) => Some(Output::resource(handle.resource(), "id").into()),
        }
    }

    fn project_or_diagnose(&mut self, key: &str, project: &ProjectRef) -> Option<Value> {
        let value = self.project_value(project);
        if value.is_none() {
            self.diagnose(
                key,
                format!("{project:?} project is not configured for gcp: resource not created"),
            );
        }
        value
    }
}

fn organisation<'b>(config: &InfrastructureConfig) -> Organisation<'b> {
    let email = |e: &cpg_infra_config::Email| Member::Email(e.clone());
    let gcp = config.gcp.as_ref();
    let analysis_runner = config.analysis_runner.as_ref().and_then(|a| a.gcp.as_ref());
    let sample_metadata = config.sample_metadata.as_ref().and_then(|s| s.gcp.as_ref());
    let cromwell = config.cromwell.as_ref().and_then(|c| c.gcp.as_ref());
    Organisation {
        web_server: config
            .web_service
            .as_ref()
            .and_then(|w| w.gcp.as_ref())
            .map(|w| email(&w.server_machine_account)),
        analysis_runner_server: analysis_runner.map(|a| email(&a.server_machine_account)),
        analysis_runner_logger: analysis_runner.map(|a| email(&a.logger_machine_account)),
        analysis_runner_service: analysis_runner.map(|a| ServiceRef {
            scope: a.project.clone(),
            name: a.cloud_run_instance_name.clone(),
        }),
        config_bucket: gcp.map(|g| BucketRef::Existing(g.config_bucket_name.clone())),
        reference_bucket: gcp.map(|g| BucketRef::Existing(g.reference_bucket_name.clone())),
        hail_wheel_bucket: config
            .hail
            .as_ref()
            .and_then(|h| h.gcp.as_ref())
            .map(|h| BucketRef::Existing(h.wheel_bucket_name.clone())),
        access_group_cache: config
            .access_group_cache
            .as_ref()
            .map(|a| email(&a.process_machine_account)),
        sample_metadata_api: sample_metadata.map(|s| email(&s.machine_account)),
        sample_metadata_service: sample_metadata.map(|s| ServiceRef {
            scope: s.project.clone(),
            name: s.service_name.clone(),
        }),
        cromwell_runner: cromwell.map(|c| email(&c.runner_machine_account)),
        cromwell_access_group: cromwell.map(|c| GroupRef::Existing(c.access_group_id.clone())),
        analysis_runner_registry: analysis_runner.map(|a| RegistryRef {
            scope: a.project.clone(),
            name: a.container_registry_name.clone(),
            existing: None,
        }),
        common_registry: gcp.map(|g| RegistryRef {
            scope: g.common_artifact_registry_project.clone(),
            name: g.common_artifact_registry_name.clone(),
            existing: None,
        }),
    }
}

fn dataset_accounts<'b>(dataset: &DatasetConfig) -> DatasetAccounts<'b> {
    let collect = |accounts: [(AccessLevel, Option<&cpg_infra_config::Email>); 3]| {
        accounts
            .into_iter()
            .filter_map(|(level, email)| email.map(|e| (level, Member::Email(e.clone()))))
            .collect()
    };
    DatasetAccounts {
        hail: collect(dataset.gcp_hail_service_account.each()),
        deployment: collect(dataset.deployment_service_account.each()),
    }
}

fn lifecycle_rule(rule: &LifecycleRule) -> Value {
    match *rule {
        LifecycleRule::Undelete { days } => Value::object([
            ("action", Value::object([("type", Value::str("Delete"))])),
            (
                "condition",
                Value::object([
                    ("daysSinceNoncurrentTime", Value::Int(days.into())),
                    ("withState", Value::str("ARCHIVED")),
                ]),
            ),
        ]),
        LifecycleRule::Temporary { days } => Value::object([
            ("action", Value::object([("type", Value::str("Delete"))])),
            (
                "condition",
                Value::object([("age", Value::Int(days.into()))]),
            ),
        ]),
        LifecycleRule::Archive { days } => Value::object([
            (
                "action",
                Value::object([
                    ("storageClass", Value::str("ARCHIVE")),
                    ("type", Value::str("SetStorageClass")),
                ]),
            ),
            (
                "condition",
                Value::object([("age", Value::Int(days.into()))]),
            ),
        ]),
    }
}

impl<'b> Infra<'b> for GcpInfra<'b> {
    fn cloud(&self) -> &'static str {
        CLOUD
    }

    fn set_component(&mut self, component: &'static str) {
        self.component = component;
    }

    fn into_plan(self: Box<Self>) -> Plan {
        let mut this = *self;
        if this.skipped_memberships > 0 {
            let message = format!(
                "disable_group_memberships is set: {} group memberships are not created (set it back to false to re-add them)",
                this.skipped_memberships
            );
            this.plan
                .diagnose(Severity::Warning, CLOUD, "group memberships", message);
        }
        aliases::apply(&mut this.plan);
        this.plan
    }

    fn organisation(&self) -> Organisation<'b> {
        self.organisation.clone()
    }

    fn dataset_accounts(&self) -> DatasetAccounts<'b> {
        self.accounts.clone()
    }

    fn diagnose(&mut self, subject: &str, message: String) {
        self.plan
            .diagnose(Severity::Warning, CLOUD, subject, message);
    }

    fn create_project(&mut self, suffix: &str) -> Handle<'b, Project> {
        let name = format!("{}-{suffix}", self.settings.project_id);
        let key = format!("{name}-project");
        let billing = self.service(Service::CloudBilling);
        let resource = Resource::new(tokens::PROJECT, &key)
            .prop("orgId", Output::invoke(ORGANIZATION, "orgId"))
            .prop("projectId", name.as_str())
            .prop("name", name.as_str())
            .prop("billingAccount", self.settings.billing_account_id.as_str())
            .depends_on([billing])
            .protect(true);
        self.add(resource);
        Handle::new(CLOUD, key)
    }

    fn create_monthly_budget(&mut self, key: &str, project: &Handle<Project>, amount: u64) {
        let filter = Value::object([
            ("projects", project_filter(project)),
            ("calendarPeriod", Value::str("MONTH")),
        ]);
        self.budget(key, project, amount, filter);
    }

    fn create_fixed_budget(
        &mut self,
        key: &str,
        project: &Handle<Project>,
        amount: u64,
        (year, month, day): (u16, u8, u8),
    ) {
        let filter = Value::object([
            ("projects", project_filter(project)),
            (
                "customPeriod",
                Value::object([(
                    "startDate",
                    Value::object([
                        ("year", Value::Int(year.into())),
                        ("month", Value::Int(month.into())),
                        ("day", Value::Int(day.into())),
                    ]),
                )]),
            ),
        ]);
        self.budget(key, project, amount, filter);
    }

    fn create_bucket(&mut self, spec: &BucketSpec) -> Handle<'b, Bucket> {
        let name = match &spec.name {
            BucketName::Dataset(suffix) => format!(
                "{}{}-{suffix}",
                self.settings.dataset_storage_prefix, self.settings.dataset
            ),
            BucketName::Unique(name) => name.clone(),
        };
        let rules = spec.lifecycle_rules.iter().map(lifecycle_rule).collect();
        let resource = Resource::new(tokens::BUCKET, &name)
            .prop("name", name.as_str())
            .prop("location", self.settings.region.as_str())
            .prop("uniformBucketLevelAccess", true)
            .prop(
                "versioning",
                Value::object([("enabled", Value::Bool(spec.versioning))]),
            )
            .prop("labels", Value::object([("bucket", Value::str(&name))]))
            .prop("lifecycleRules", Value::List(rules))
            .prop("requesterPays", spec.requester_pays)
            .prop("project", self.settings.project_id.as_str())
            .protect(spec.holds_data && self.settings.protect_data_buckets);
        self.add(resource);
        Handle::new(CLOUD, name)
    }

    fn add_member_to_bucket(
        &mut self,
        key: &str,
        bucket: &BucketRef,
        member: &Member,
        membership: BucketMembership,
    ) {
        let Some(member) = self.member(key, member) else {
            return;
        };
        let role = bucket_role(membership);
        let identity = self.service(Service::CloudIdentity);
        let resource = Resource::new(tokens::BUCKET_IAM_MEMBER, key)
            .prop("bucket", bucket_name(bucket))
            .prop("member", member)
            .prop("role", role)
            .depends_on([identity]);
        self.add(resource);
    }

    fn give_member_ability_to_list_buckets(
        &mut self,
        key: &str,
        member: &Member,
        project: &ProjectRef,
    ) {
        let Some(member) = self.member(key, member) else {
            return;
        };
        let Some(project) = self.project_or_diagnose(key, project) else {
            return;
        };
        let identity = self.service(Service::CloudIdentity);
        let resource = Resource::new(tokens::PROJECT_IAM_MEMBER, key)
            .prop("role", bucket_role(BucketMembership::List))
            .prop("member", member)
            .prop("project", project)
            .depends_on([identity]);
        self.add(resource);
    }

    fn create_machine_account(
        &mut self,
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
            other => self.project_or_diagnose(&key, other),
        };
        let iam = self.service(Service::Iam);
        let resource = Resource::new(tokens::SERVICE_ACCOUNT, &key)
            .prop("accountId", name)
            .opt_prop("project", project)
            .depends_on([iam]);
        self.add(resource);
        Handle::new(CLOUD, key)
    }

    fn add_member_to_machine_account_access(
        &mut self,
        key: &str,
        account: &Handle<MachineAccount>,
        member: &Member,
    ) {
        let Some(member) = self.member(key, member) else {
            return;
        };
        let identity = self.service(Service::CloudIdentity);
        let iam = self.service(Service::Iam);
        let resource = Resource::new(tokens::SERVICE_ACCOUNT_IAM_MEMBER, key)
            .prop(
                "serviceAccountId",
                Output::resource(account.resource(), "name"),
            )
            .prop("role", "roles/iam.serviceAccountUser")
            .prop("member", member)
            .depends_on([identity, iam]);
        self.add(resource);
    }

    fn machine_account_credentials(
        &mut self,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        let resource = Resource::new(tokens::SERVICE_ACCOUNT_KEY, key).prop(
            "serviceAccountId",
            Output::resource(account.resource(), "email"),
        );
        self.add(resource);
        Exported {
            cloud: CLOUD,
            what: format!("key of service account {}", account.resource()),
            value: Value::Secret(Box::new(Value::FromBase64(Box::new(
                Output::resource(key, "privateKey").into(),
            )))),
        }
    }

    fn bucket_url(&self, bucket: &Handle<'b, Bucket>) -> Exported {
        Exported {
            cloud: CLOUD,
            what: format!("URL of bucket {}", bucket.resource()),
            value: Output::resource(bucket.resource(), "url").into(),
        }
    }

    fn group_id(&self, group: &Handle<'b, Group>) -> Exported {
        Exported {
            cloud: CLOUD,
            what: format!("id of group {}", group.resource()),
            value: Output::resource(group.resource(), "id").into(),
        }
    }

    fn create_group(&mut self, name: &str) -> Handle<'b, Group> {
        let identity = self.service(Service::CloudIdentity);
        let resource = Resource::new(tokens::GROUP, name)
            .prop("displayName", name)
            .prop(
                "groupKey",
                Value::object([("id", Value::str(format!("{name}@{}", self.settings.domain)))]),
            )
            .prop(
                "labels",
                Value::object([(
                    "cloudidentity.googleapis.com/groups.discussion_forum",
                    Value::str(""),
                )]),
            )
            .prop("parent", format!("customers/{}", self.settings.customer_id))
            .depends_on([identity]);
        self.add(resource);
        Handle::new(CLOUD, name)
    }

    fn add_group_member(&mut self, key: &str, group: &GroupRef, member: &Member) {
        if self.settings.disable_group_memberships {
            self.skipped_memberships += 1;
            return;
        }
        let member = match preferred_member_key(member) {
            Ok(value) => value,
            Err(foreign) => return self.foreign(key, &foreign.0),
        };
        let identity = self.service(Service::CloudIdentity);
        let resource = Resource::new(tokens::GROUP_MEMBERSHIP, key)
            .prop("group", group_id(group))
            .prop("preferredMemberKey", Value::object([("id", member)]))
            .prop(
                "roles",
                Value::List(vec![Value::object([("name", Value::str("MEMBER"))])]),
            )
            .depends_on([identity]);
        self.add(resource);
    }

    fn export_group(&mut self, dataset: &DatasetName, kind: &str, group: &Handle<Group>) {
        self.plan.export(
            &group_output_name(dataset.as_str(), kind),
            Output::resource(group.resource(), "id").into(),
        );
    }

    fn dependency_group(&mut self, dependency: &DatasetName, kind: &str) -> GroupRef<'b> {
        let stack = dependency.as_str();
        if !self.plan.contains(stack) {
            let resource = Resource::new(tokens::STACK_REFERENCE, stack).prop("name", stack);
            self.add(resource);
        }
        GroupRef::StackOutput {
            stack: stack.to_owned(),
            output: group_output_name(stack, kind),
        }
    }

    fn create_secret(&mut self, name: &str, project: &ProjectRef) -> Handle<'b, Secret> {
        let project = self.project_or_diagnose(name, project);
        let manager = self.service(Service::SecretManager);
        let replication = Value::object([(
            "userManaged",
            Value::object([(
                "replicas",
                Value::List(vec![Value::object([(
                    "location",
                    Value::str(&self.settings.region),
                )])]),
            )]),
        )]);
        let resource = Resource::new(tokens::SECRET, name)
            .prop("secretId", name)
            .prop("replication", replication)
            .opt_prop("project", project)
            .depends_on([manager]);
        self.add(resource);
        Handle::new(CLOUD, name)
    }

    fn add_secret_member(
        &mut self,
        key: &str,
        secret: &Handle<Secret>,
        member: &Member,
        membership: SecretMembership,
    ) {
        let Some(member) = self.member(key, member) else {
            return;
        };
        let role = match membership {
            SecretMembership::Admin => "roles/secretmanager.secretVersionManager",
            SecretMembership::Accessor => "roles/secretmanager.secretAccessor",
        };
        let project = self
            .plan
            .get(secret.resource())
            .and_then(|s| s.properties.get("project").cloned());
        let resource = Resource::new(tokens::SECRET_IAM_MEMBER, key)
            .opt_prop("project", project)
            .prop("secretId", Output::resource(secret.resource(), "id"))
            .prop("role", role)
            .prop("member", member);
        self.add(resource);
    }

    fn add_secret_version(&mut self, key: &str, secret: &Handle<'b, Secret>, contents: &Exported) {
        let data = if contents.is_secret() {
            contents.value.clone()
        } else {
            Value::Secret(Box::new(contents.value.clone()))
        };
        if contents.cloud != CLOUD {
            self.plan.diagnose(
                Severity::Note,
                CLOUD,
                key,
                format!(
                    "{} from {} is stored in secret {}",
                    contents.what,
                    contents.cloud,
                    secret.resource()
                ),
            );
        }
        let resource = Resource::new(tokens::SECRET_VERSION, key)
            .prop("secret", Output::resource(secret.resource(), "id"))
            .prop("secretData", data);
        self.add(resource);
    }

    fn add_member_to_container_registry(
        &mut self,
        key: &str,
        registry: &RegistryRef,
        member: &Member,
        membership: ContainerRegistryMembership,
    ) {
        let Some(member) = self.member(key, member) else {
            return;
        };
        let role = match membership {
            ContainerRegistryMembership::Reader => "roles/artifactregistry.reader",
            ContainerRegistryMembership::Append => "roles/artifactregistry.writer",
        };
        let (project, location, repository): (Value, Value, Value) = match &registry.existing {
            Some(existing) => (
                Output::resource(existing, "project").into(),
                Output::resource(existing, "location").into(),
                Output::resource(existing, "name").into(),
            ),
            None => (
                Value::str(&registry.scope),
                Value::str(&self.settings.region),
                Value::str(&registry.name),
            ),
        };
        let resource = Resource::new(tokens::REPOSITORY_IAM_MEMBER, key)
            .prop("project", project)
            .prop("location", location)
            .prop("repository", repository)
            .prop("role", role)
            .prop("member", member);
        self.add(resource);
    }

    fn add_project_role(
        &mut self,
        key: &str,
        member: &Member,
        role: ProjectRole,
        project: &ProjectRef,
    ) {
        let Some(member) = self.member(key, member) else {
            return;
        };
        let Some(project) = self.project_or_diagnose(key, project) else {
            return;
        };
        let (role, service) = match role {
            ProjectRole::ComputeViewer => (Value::str("roles/compute.viewer"), None),
            ProjectRole::LoggingViewer => (Value::str("roles/logging.viewer"), None),
            ProjectRole::MonitoringViewer => (Value::str("roles/monitoring.viewer"), None),
            ProjectRole::ServiceUsageConsumer => {
                (Value::str("roles/serviceusage.serviceUsageConsumer"), None)
            }
            ProjectRole::ComputeAdmin => (Value::str("roles/compute.admin"), None),
            ProjectRole::DataprocViewer => (Value::str("roles/dataproc.viewer"), None),
            ProjectRole::DataprocAdmin => {
                (Value::str("roles/dataproc.admin"), Some(Service::Dataproc))
            }
            ProjectRole::DataprocWorker => (
                org_role("DataprocWorkerWithoutStorageAccess"),
                Some(Service::Dataproc),
            ),
            ProjectRole::WorkflowsRunner => (
                Value::str("roles/lifesciences.workflowsRunner"),
                Some(Service::LifeSciences),
            ),
        };
        let dependency = service.map(|s| self.service(s));
        let resource = Resource::new(tokens::PROJECT_IAM_MEMBER, key)
            .prop("project", project)
            .prop("role", role)
            .prop("member", member)
            .depends_on(dependency);
        self.add(resource);
    }

    fn add_service_invoker(&mut self, key: &str, service: &ServiceRef, member: &Member) {
        let Some(member) = self.member(key, member) else {
            return;
        };
        let resource = Resource::new(tokens::CLOUD_RUN_IAM_MEMBER, key)
            .prop("location", self.settings.region.as_str())
            .prop("project", service.scope.as_str())
            .prop("service", service.name.as_str())
            .prop("role", "roles/run.invoker")
            .prop("member", member);
        self.add(resource);
    }
}

impl<'b> GcpInfra<'b> {
    fn budget(&mut self, key: &str, project: &Handle<Project>, amount: u64, filter: Value) {
        let budgets = self.service(Service::BillingBudgets);
        let mut resource = Resource::new(tokens::BUDGET, key)
            .prop(
                "amount",
                Value::object([(
                    "specifiedAmount",
                    Value::object([
                        ("units", Value::str(amount.to_string())),
                        ("currencyCode", Value::str(&self.settings.budget_currency)),
                        ("nanos", Value::Int(0)),
                    ]),
                )]),
            )
            .prop("billingAccount", self.settings.billing_account_id.as_str())
            .prop("displayName", Output::resource(project.resource(), "name"))
            .prop("budgetFilter", filter)
            .depends_on([budgets]);
        if let Some(topic) = &self.settings.budget_notification_pubsub {
            let thresholds = self
                .settings
                .budget_notification_thresholds
                .iter()
                .map(|t| Value::object([("thresholdPercent", Value::Float(*t))]))
                .collect();
            resource = resource
                .prop("thresholdRules", Value::List(thresholds))
                .prop(
                    "allUpdatesRule",
                    Value::object([
                        ("pubsubTopic", Value::str(topic)),
                        ("schemaVersion", Value::str("1.0")),
                    ]),
                );
        }
        self.add(resource);
    }
}

/// A custom role of the organisation: `<organisation id>/roles/<role>`.
fn org_role(role: &str) -> Value {
    Value::Concat(vec![
        Output::invoke(ORGANIZATION, "id").into(),
        Value::str(format!("/roles/{role}")),
    ])
}

fn project_filter(project: &Handle<Project>) -> Value {
    Value::List(vec![Value::prefixed(
        "projects/",
        Output::resource(project.resource(), "number").into(),
    )])
}

fn bucket_role(membership: BucketMembership) -> Value {
    match membership {
        BucketMembership::Mutate => Value::str("roles/storage.admin"),
        BucketMembership::Append => org_role("StorageViewerAndCreator"),
        BucketMembership::Read => org_role("StorageObjectAndBucketViewer"),
        BucketMembership::List => org_role("StorageLister"),
    }
}
