//! `testcloud`: a minimal third cloud, registered like the real ones, used only
//! by the driver's tests to prove the plugin story (a new cloud is a new crate
//! plus one dependency line; the driver code does not change).
//!
//! Every verb records one resource of a `testcloud:index:*` type whose
//! properties say what was asked, so tests can see the blueprint's calls.
//!
//! Its own settings are `[infrastructure.testcloud]` in `cpg.toml`, read the way every
//! cloud reads its table ([`settings_of`]): `name_prefix`, the start of every logical name
//! it records.

use cpg_infra_abstraction::{
    Bucket, BucketFeature, BucketName, BucketRef, BucketSpec, BudgetPeriod, BudgetSpec, Cloud,
    CloudPlugin, DatasetAccounts, Exported, GrantRequest, GrantTarget, Group, GroupOutputs, Handle,
    MachineAccount, Member, Opened, Organisation, OrganisationResource, Output, Project,
    ProjectRef, ProviderPackage, Resource, Secret, Session, SettingsType, Unavailable, Value,
    settings_of,
};
use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};
use schemars::JsonSchema;
use serde::Deserialize;

mod review;

const CLOUD: &str = "testcloud";

inventory::submit! {
    CloudPlugin {
        name: CLOUD,
        description: "a test-only cloud that records the blueprint's calls",
        providers: &[ProviderPackage { name: "testcloud", version: "0.0.1" }],
        settings: SettingsType::of::<Settings>(),
        services: &[],
        dataset_rules: |_, _| Vec::new(),
        dataset_keys: &[],
        ignored_provider_setting: |_, _| None,
        validate: |_, _| Vec::new(),
        check_resource_id: |_, id, _| id.is_empty().then(|| "an empty id".to_owned()),
        group_outputs: GroupOutputs { suffix: "-testcloud", id_property: "id" },
        create,
        review: review::review,
        provider_facts: &[include_str!("../data/provider-facts.json")],
    }
}

/// What `[infrastructure.testcloud]` holds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The start of every logical name the cloud records (e.g. `tc-`).
    name_prefix: String,
}

/// The cloud's settings, or the message saying what is wrong with its section.
fn settings(config: &InfrastructureConfig) -> Result<Settings, String> {
    settings_of(config, CLOUD)
}

/// This cloud's name as a config value.
fn cloud_name() -> CloudName {
    CloudName::parse(CLOUD).expect("`testcloud` is a cloud name")
}

/// The `testcloud` cloud of one dataset.
pub struct TestCloud {
    dataset: String,
    settings: Settings,
}

/// The plugin's constructor.
fn create<'b>(
    _session: &mut Session<'b>,
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<Opened<'b>, String> {
    let settings = settings(config)?;
    let principal = |id: &str| {
        Some(Member::External {
            cloud: cloud_name(),
            id: id.to_owned(),
        })
    };
    Ok(Opened {
        cloud: Box::new(TestCloud {
            dataset: dataset.dataset.to_string(),
            settings,
        }),
        organisation: Organisation {
            web_server: principal("web-server"),
            analysis_runner_server: principal("analysis-runner"),
            access_group_cache: principal("group-cache"),
            reference_bucket: Some(BucketRef::Existing("reference".to_owned())),
            ..Organisation::default()
        },
        accounts: DatasetAccounts::default(),
    })
}

impl TestCloud {
    /// Records a resource named `<name_prefix><kind>-<key>` and returns its logical name.
    fn record(
        &self,
        session: &mut Session,
        kind: &str,
        key: &str,
        properties: Vec<(&'static str, Value)>,
    ) -> String {
        let name = format!("{}{}-{key}", self.settings.name_prefix, kind.to_lowercase());
        let mut resource = Resource::new(format!("testcloud:index:{kind}"), &name);
        for (name, value) in properties {
            resource = resource.prop(name, value);
        }
        session.add(resource);
        name
    }

    /// Records a resource like [`Self::record`] and returns its handle.
    fn created<'b, K>(
        &self,
        session: &mut Session<'b>,
        kind: &str,
        key: &str,
        properties: Vec<(&'static str, Value)>,
    ) -> Handle<'b, K> {
        let name = self.record(session, kind, key, properties);
        session.handle(name)
    }

    /// The member's value.
    fn member(member: &Member<'_>) -> Value {
        match member {
            Member::Group(h) => Output::resource(h.resource(), "id").into(),
            Member::MachineAccount(h) => Output::resource(h.resource(), "id").into(),
            Member::External { id, .. } => Value::str(id),
        }
    }
}

fn text(value: impl std::fmt::Debug) -> Value {
    Value::str(format!("{value:?}"))
}

/// A project as recorded: an organisation project by its name in `cpg.toml`.
fn project_text(project: &ProjectRef) -> Value {
    match project {
        ProjectRef::Organisation(project) => {
            text(format_args!("Organisation({:?})", project.name()))
        }
        other => text(other),
    }
}

impl<'b> Cloud<'b> for TestCloud {
    fn create_project(&mut self, session: &mut Session<'b>, suffix: &str) -> Handle<'b, Project> {
        let key = format!("{}-{suffix}", self.dataset);
        self.created(session, "Project", &key, vec![])
    }
    fn parse_member_id(&self, id: &str) -> Result<String, String> {
        Ok(id.to_owned())
    }
    fn foreign_member(&self, cloud: &CloudName, id: &str) -> String {
        format!("`{id}` is an account on {cloud}, not on {CLOUD}: not recorded")
    }
    fn create_budget(&mut self, session: &mut Session<'b>, key: &str, budget: BudgetSpec<'_, 'b>) {
        let BudgetSpec {
            project,
            amount,
            period,
            currency,
        } = budget;
        let project = match project {
            ProjectRef::Created(handle) => Value::str(handle.resource()),
            other => project_text(other),
        };
        let amount = Value::Int(i64::try_from(amount).unwrap_or(i64::MAX));
        let mut properties = vec![("project", project), ("amount", amount)];
        properties.push(match period {
            BudgetPeriod::Fixed { start } => ("start", text(start)),
            BudgetPeriod::Monthly => ("period", Value::str("month")),
        });
        properties.extend(currency.map(|c| ("currency", Value::str(c.as_str()))));
        self.record(session, "Budget", key, properties);
    }
    fn grant_available(&self, request: GrantRequest) -> Result<(), Unavailable> {
        match request {
            GrantRequest::Project(_) => {
                Err(Unavailable::because("testcloud records no project roles"))
            }
            _ => Ok(()),
        }
    }
    fn bucket_feature(&self, _feature: BucketFeature) -> Result<(), Unavailable> {
        Ok(())
    }
    fn create_storage_mutator_role(
        &mut self,
        session: &mut Session<'b>,
    ) -> Result<(), Unavailable> {
        self.record(session, "Role", "storage-mutator-role", Vec::new());
        Ok(())
    }
    fn create_bucket(
        &mut self,
        session: &mut Session<'b>,
        spec: &BucketSpec,
    ) -> Handle<'b, Bucket> {
        let name = match &spec.name {
            BucketName::Dataset(suffix) => format!("{}-{suffix}", self.dataset),
            BucketName::Unique(name) => name.clone(),
        };
        let mut properties = vec![("rules", text(&spec.lifecycle_rules))];
        if spec.autoclass {
            properties.push(("autoclass", Value::Bool(true)));
        }
        if let Some(days) = spec.abort_incomplete_uploads_after {
            properties.push(("abortIncompleteUploadsAfter", Value::Int(days.into())));
        }
        if spec.soft_delete == cpg_infra_abstraction::SoftDelete::Off {
            properties.push(("softDelete", Value::Bool(false)));
        }
        self.created(session, "Bucket", &name, properties)
    }
    fn organisation_key(&self, _: OrganisationResource) -> Result<&'static str, Unavailable> {
        Err(Unavailable::because(
            "testcloud has only the web server, analysis-runner server, group cache and reference bucket",
        ))
    }
    fn grant(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        member: &Member<'b>,
        target: GrantTarget<'_, 'b>,
    ) {
        let member = ("member", Self::member(member));
        let (kind, properties) = match target {
            GrantTarget::Bucket { bucket, membership } => (
                "BucketMember",
                vec![
                    ("bucket", text(bucket)),
                    member,
                    ("membership", text(membership)),
                ],
            ),
            GrantTarget::ListBuckets { project } => (
                "BucketLister",
                vec![member, ("project", project_text(project))],
            ),
            GrantTarget::ActAs { account } => (
                "AccountUser",
                vec![("account", Value::str(account.resource())), member],
            ),
            GrantTarget::Membership { group } => {
                ("GroupMember", vec![("group", text(group)), member])
            }
            GrantTarget::Secret { secret, membership } => (
                "SecretMember",
                vec![
                    ("secret", Value::str(secret.resource())),
                    member,
                    ("membership", text(membership)),
                ],
            ),
            GrantTarget::Registry {
                registry,
                membership,
            } => (
                "RegistryMember",
                vec![
                    ("registry", text(registry)),
                    member,
                    ("membership", text(membership)),
                ],
            ),
            // `grant_available` answers that the cloud has no project roles, so the
            // session never asks; were it asked, the plan fails rather than lose the grant.
            GrantTarget::Project { .. } => {
                return session.error(key, "testcloud records no project roles".to_owned());
            }
            GrantTarget::Invoker { service } => {
                ("Invoker", vec![("service", text(service)), member])
            }
            GrantTarget::EligibleBucket { bucket, eligible } => (
                "EligibleBucketMember",
                vec![
                    ("bucket", text(BucketRef::Created(bucket.clone()))),
                    member,
                    ("membership", text(eligible.access)),
                    ("maxHours", Value::Int(eligible.max_hours.into())),
                ],
            ),
        };
        self.record(session, kind, key, properties);
    }
    fn add_access_broker_for(
        &mut self,
        _session: &mut Session<'b>,
        _key: &str,
        _account: &Handle<'b, MachineAccount>,
    ) -> Result<(), Unavailable> {
        Err(Unavailable::because("testcloud has no access broker"))
    }
    fn create_machine_account(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount> {
        let key = key.map_or_else(|| format!("account-{name}"), str::to_owned);
        self.created(
            session,
            "MachineAccount",
            &key,
            vec![
                ("name", Value::str(name)),
                ("project", project_text(project)),
            ],
        )
    }
    fn machine_account_credentials(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        let credential = self.record(
            session,
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
    fn create_group(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        description: Option<&str>,
    ) -> Handle<'b, Group> {
        let mut properties = vec![("name", Value::str(name))];
        if let Some(description) = description {
            properties.push(("description", Value::str(description)));
        }
        self.created(session, "Group", name, properties)
    }
    fn create_secret(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef,
    ) -> Handle<'b, Secret> {
        self.created(
            session,
            "Secret",
            name,
            vec![("project", project_text(project))],
        )
    }
    fn add_secret_version(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        secret: &Handle<'b, Secret>,
        contents: &Exported,
    ) {
        self.record(
            session,
            "SecretVersion",
            key,
            vec![
                ("secret", Value::str(secret.resource())),
                ("value", contents.value.clone()),
                ("from", Value::str(contents.cloud)),
            ],
        );
    }
}
