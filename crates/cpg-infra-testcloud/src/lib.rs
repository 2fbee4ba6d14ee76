//! `testcloud`: a minimal third cloud, registered like the real ones, used only
//! by the driver's tests to prove the plugin story (a new cloud is a new crate
//! plus one dependency line; the driver code does not change).
//!
//! Every verb records one resource of a `testcloud:index:*` type whose
//! properties say what was asked, so tests can see the blueprint's calls.

use cpg_infra_abstraction::{
    Brand, Bucket, BucketMembership, BucketName, BucketRef, BucketSpec, CloudError, CloudPlugin,
    ContainerRegistryMembership, DatasetAccounts, Exported, Group, GroupRef, Handle, Infra,
    MachineAccount, Member, Organisation, Output, Plan, Project, ProjectRef, ProjectRole,
    ProviderPackage, RegistryRef, Resource, Secret, SecretMembership, ServiceRef, Severity, Value,
    group_output_name,
};
use cpg_infra_config::{DatasetConfig, DatasetName, InfrastructureConfig};

mod review;

const CLOUD: &str = "testcloud";

inventory::submit! {
    CloudPlugin {
        name: CLOUD,
        description: "a test-only cloud that records the blueprint's calls",
        providers: &[ProviderPackage { name: "testcloud", version: "0.0.1" }],
        validate: |_, _| Vec::new(),
        check_resource_id: |_, id| id.is_empty().then(|| "an empty id".to_owned()),
        create,
        review: review::review,
    }
}

/// The `testcloud` infra of one dataset.
pub struct TestCloud<'b> {
    dataset: String,
    plan: Plan,
    component: &'static str,
    organisation: Organisation<'b>,
}

/// The plugin's constructor.
fn create<'b>(
    _brand: Brand<'b>,
    _config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<Box<dyn Infra<'b> + 'b>, CloudError> {
    let principal = |id: &str| Some(Member::Principal(id.to_owned()));
    Ok(Box::new(TestCloud {
        dataset: dataset.dataset.to_string(),
        plan: Plan::new(dataset.dataset.as_str(), CLOUD),
        component: "",
        organisation: Organisation {
            web_server: principal("web-server"),
            analysis_runner_server: principal("analysis-runner"),
            access_group_cache: principal("group-cache"),
            reference_bucket: Some(BucketRef::Existing("reference".to_owned())),
            ..Organisation::default()
        },
    }))
}

impl TestCloud<'_> {
    /// Records a resource named `tc-<kind>-<key>` and returns its logical name.
    fn record(&mut self, kind: &str, key: &str, properties: Vec<(&'static str, Value)>) -> String {
        let name = format!("tc-{}-{key}", kind.to_lowercase());
        let mut resource = Resource::new(format!("testcloud:index:{kind}"), &name);
        for (name, value) in properties {
            resource = resource.prop(name, value);
        }
        resource.component = self.component;
        self.plan.add(resource);
        name
    }

    fn member(member: &Member<'_>) -> Value {
        match member {
            Member::Group(h) => Output::resource(h.resource(), "id").into(),
            Member::MachineAccount(h) => Output::resource(h.resource(), "id").into(),
            Member::Email(e) => Value::str(e.as_str()),
            Member::Principal(p) => Value::str(p),
        }
    }
}

fn text(value: impl std::fmt::Debug) -> Value {
    Value::str(format!("{value:?}"))
}

impl<'b> Infra<'b> for TestCloud<'b> {
    fn cloud(&self) -> &'static str {
        CLOUD
    }
    fn set_component(&mut self, component: &'static str) {
        self.component = component;
    }
    fn into_plan(self: Box<Self>) -> Plan {
        self.plan
    }
    fn organisation(&self) -> Organisation<'b> {
        self.organisation.clone()
    }
    fn dataset_accounts(&self) -> DatasetAccounts<'b> {
        DatasetAccounts::default()
    }
    fn diagnose(&mut self, subject: &str, message: String) {
        self.plan
            .diagnose(Severity::Warning, CLOUD, subject, message);
    }
    fn create_project(&mut self, suffix: &str) -> Handle<'b, Project> {
        let key = format!("{}-{suffix}", self.dataset);
        Handle::new(CLOUD, self.record("Project", &key, vec![]))
    }
    fn create_monthly_budget(&mut self, key: &str, project: &Handle<Project>, amount: u64) {
        self.record(
            "Budget",
            key,
            vec![
                ("project", Value::str(project.resource())),
                ("amount", Value::Int(amount as i64)),
            ],
        );
    }
    fn create_fixed_budget(
        &mut self,
        key: &str,
        project: &Handle<Project>,
        amount: u64,
        start: (u16, u8, u8),
    ) {
        self.record(
            "Budget",
            key,
            vec![
                ("project", Value::str(project.resource())),
                ("amount", Value::Int(amount as i64)),
                ("start", text(start)),
            ],
        );
    }
    fn create_bucket(&mut self, spec: &BucketSpec) -> Handle<'b, Bucket> {
        let name = match &spec.name {
            BucketName::Dataset(suffix) => format!("{}-{suffix}", self.dataset),
            BucketName::Unique(name) => name.clone(),
        };
        Handle::new(
            CLOUD,
            self.record(
                "Bucket",
                &name,
                vec![("rules", text(&spec.lifecycle_rules))],
            ),
        )
    }
    fn add_member_to_bucket(
        &mut self,
        key: &str,
        bucket: &BucketRef,
        member: &Member,
        membership: BucketMembership,
    ) {
        self.record(
            "BucketMember",
            key,
            vec![
                ("bucket", text(bucket)),
                ("member", Self::member(member)),
                ("membership", text(membership)),
            ],
        );
    }
    fn give_member_ability_to_list_buckets(
        &mut self,
        key: &str,
        member: &Member,
        project: &ProjectRef,
    ) {
        self.record(
            "BucketLister",
            key,
            vec![("member", Self::member(member)), ("project", text(project))],
        );
    }
    fn create_machine_account(
        &mut self,
        name: &str,
        project: &ProjectRef,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount> {
        let key = key.map_or_else(|| format!("account-{name}"), str::to_owned);
        Handle::new(
            CLOUD,
            self.record(
                "MachineAccount",
                &key,
                vec![("name", Value::str(name)), ("project", text(project))],
            ),
        )
    }
    fn add_member_to_machine_account_access(
        &mut self,
        key: &str,
        account: &Handle<MachineAccount>,
        member: &Member,
    ) {
        self.record(
            "AccountUser",
            key,
            vec![
                ("account", Value::str(account.resource())),
                ("member", Self::member(member)),
            ],
        );
    }
    fn machine_account_credentials(
        &mut self,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        let credential = self.record(
            "Credential",
            key,
            vec![("account", Value::str(account.resource()))],
        );
        Exported {
            cloud: CLOUD,
            what: format!("credential of {}", account.resource()),
            value: Value::Secret(Box::new(Output::resource(&credential, "value").into())),
        }
    }
    fn bucket_url(&self, bucket: &Handle<'b, Bucket>) -> Exported {
        Exported {
            cloud: CLOUD,
            what: format!("URL of {}", bucket.resource()),
            value: Output::resource(bucket.resource(), "url").into(),
        }
    }
    fn group_id(&self, group: &Handle<'b, Group>) -> Exported {
        Exported {
            cloud: CLOUD,
            what: format!("id of {}", group.resource()),
            value: Output::resource(group.resource(), "id").into(),
        }
    }
    fn create_group(&mut self, name: &str) -> Handle<'b, Group> {
        Handle::new(
            CLOUD,
            self.record("Group", name, vec![("name", Value::str(name))]),
        )
    }
    fn add_group_member(&mut self, key: &str, group: &GroupRef, member: &Member) {
        self.record(
            "GroupMember",
            key,
            vec![("group", text(group)), ("member", Self::member(member))],
        );
    }
    fn export_group(&mut self, dataset: &DatasetName, kind: &str, group: &Handle<Group>) {
        let output = format!("{}-testcloud", group_output_name(dataset.as_str(), kind));
        self.plan
            .export(&output, Output::resource(group.resource(), "id").into());
    }
    fn dependency_group(&mut self, dependency: &DatasetName, kind: &str) -> GroupRef<'b> {
        GroupRef::Existing(format!("{dependency}/{kind}"))
    }
    fn create_secret(&mut self, name: &str, project: &ProjectRef) -> Handle<'b, Secret> {
        Handle::new(
            CLOUD,
            self.record("Secret", name, vec![("project", text(project))]),
        )
    }
    fn add_secret_member(
        &mut self,
        key: &str,
        secret: &Handle<Secret>,
        member: &Member,
        membership: SecretMembership,
    ) {
        self.record(
            "SecretMember",
            key,
            vec![
                ("secret", Value::str(secret.resource())),
                ("member", Self::member(member)),
                ("membership", text(membership)),
            ],
        );
    }
    fn add_secret_version(&mut self, key: &str, secret: &Handle<'b, Secret>, contents: &Exported) {
        self.record(
            "SecretVersion",
            key,
            vec![
                ("secret", Value::str(secret.resource())),
                ("value", contents.value.clone()),
                ("from", Value::str(contents.cloud)),
            ],
        );
    }
    fn add_member_to_container_registry(
        &mut self,
        key: &str,
        registry: &RegistryRef,
        member: &Member,
        membership: ContainerRegistryMembership,
    ) {
        self.record(
            "RegistryMember",
            key,
            vec![
                ("registry", text(registry)),
                ("member", Self::member(member)),
                ("membership", text(membership)),
            ],
        );
    }
    fn add_project_role(
        &mut self,
        key: &str,
        member: &Member,
        role: ProjectRole,
        project: &ProjectRef,
    ) {
        self.diagnose(
            key,
            format!(
                "{} on {project:?} is not offered by testcloud",
                role.describe()
            ),
        );
        let _ = member;
    }
    fn add_service_invoker(&mut self, key: &str, service: &ServiceRef, member: &Member) {
        self.record(
            "Invoker",
            key,
            vec![("service", text(service)), ("member", Self::member(member))],
        );
    }
}
