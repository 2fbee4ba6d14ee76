//! `minicloud`: a second test-only cloud, made from `docs/new-cloud.md` alone to prove that
//! list. It has storage, identities and their grants and nothing else: every other feature
//! is an [`Unavailable`] answer, so the blueprint's diagnostics for a sparse cloud are
//! exercised too.
//!
//! Its own settings are `[infrastructure.minicloud]`: `region` (where buckets live) and
//! `account_domain` (the domain of every account it accepts as a member: an id of another
//! domain is refused by [`Cloud::parse_member_id`]).

use cpg_infra_abstraction::{
    Bucket, BucketFeature, BucketName, BucketSpec, BudgetPeriod, BudgetSpec, Cloud, CloudPlugin,
    DatasetAccounts, Exported, GrantRequest, GrantTarget, Group, GroupOutputs, Handle,
    MachineAccount, Member, Opened, Organisation, OrganisationResource, Output, Project,
    ProjectRef, ProviderPackage, Resource, Secret, Session, SettingsType, Unavailable, Value,
    settings_of,
};
use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig};
use schemars::JsonSchema;
use serde::Deserialize;

mod review;

const CLOUD: &str = "minicloud";

inventory::submit! {
    CloudPlugin {
        name: CLOUD,
        description: "a test-only cloud with storage and identities only",
        providers: &[ProviderPackage { name: "minicloud", version: "0.1.0" }],
        settings: SettingsType::of::<Settings>(),
        services: &[],
        dataset_rules: |_, _| Vec::new(),
        dataset_keys: &[],
        ignored_provider_setting: |_, _| None,
        validate: |_, _| Vec::new(),
        check_resource_id: |_, id, _| (!id.starts_with("mc/")).then(|| "a minicloud id starts with `mc/`".to_owned()),
        group_outputs: GroupOutputs { suffix: "-minicloud", id_property: "groupId" },
        create,
        review: review::review,
        provider_facts: &[include_str!("../data/provider-facts.json")],
    }
}

/// What `[infrastructure.minicloud]` holds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// Where the cloud's buckets live.
    region: String,
    /// The domain of every account the cloud accepts as a member, e.g. `example.org`.
    account_domain: String,
}

/// The `minicloud` cloud of one dataset.
struct MiniCloud {
    dataset: String,
    settings: Settings,
}

/// The plugin's constructor: nothing of the organisation's exists on this cloud.
fn create<'b>(
    _session: &mut Session<'b>,
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<Opened<'b>, String> {
    Ok(Opened {
        cloud: Box::new(MiniCloud {
            dataset: dataset.dataset.to_string(),
            settings: settings_of(config, CLOUD)?,
        }),
        organisation: Organisation::default(),
        accounts: DatasetAccounts::default(),
    })
}

/// The value naming `member` in a binding.
fn principal(member: &Member<'_>) -> Value {
    match member {
        Member::Group(group) => Output::resource(group.resource(), "groupId").into(),
        Member::MachineAccount(account) => Output::resource(account.resource(), "email").into(),
        Member::External { id, .. } => Value::str(id),
    }
}

impl MiniCloud {
    /// Adds a `minicloud:<module>:<kind>` resource named `mc-<kind>-<name>` (a group and a
    /// bucket may share a name) and returns its logical name.
    fn add(
        &self,
        session: &mut Session,
        token: &str,
        name: &str,
        inputs: Vec<(&'static str, Value)>,
    ) -> String {
        let kind = token
            .rsplit(':')
            .next()
            .unwrap_or(token)
            .to_ascii_lowercase();
        let logical = format!("mc-{kind}-{name}");
        let resource = inputs.into_iter().fold(
            Resource::new(format!("minicloud:{token}"), &logical),
            |r, (k, v)| r.prop(k, v),
        );
        session.add(resource);
        logical
    }

    /// A binding of `role` for `member` on `target` (a resource's name).
    fn bind(
        &self,
        session: &mut Session,
        key: &str,
        role: &str,
        member: &Member<'_>,
        target: Value,
    ) {
        let inputs = vec![
            ("role", Value::str(role)),
            ("principal", principal(member)),
            ("target", target),
        ];
        self.add(session, "iam:Binding", key, inputs);
    }
}

impl<'b> Cloud<'b> for MiniCloud {
    fn parse_member_id(&self, id: &str) -> Result<String, String> {
        let domain = &self.settings.account_domain;
        match id.rsplit_once('@') {
            Some((_, at)) if at.eq_ignore_ascii_case(domain) => Ok(id.to_ascii_lowercase()),
            _ => Err(format!("`{id}` is not an account of {domain}")),
        }
    }

    fn foreign_member(&self, cloud: &CloudName, id: &str) -> String {
        format!("{CLOUD} cannot name `{id}` of {cloud}: no binding made")
    }

    fn create_project(&mut self, session: &mut Session<'b>, suffix: &str) -> Handle<'b, Project> {
        let name = self.add(
            session,
            "org:Folder",
            &format!("{}-{suffix}", self.dataset),
            vec![],
        );
        session.handle(name)
    }

    fn create_budget(&mut self, session: &mut Session<'b>, key: &str, budget: BudgetSpec<'_, 'b>) {
        let BudgetSpec {
            amount,
            period,
            currency,
            ..
        } = budget;
        let monthly = matches!(period, BudgetPeriod::Monthly);
        let mut inputs = vec![
            (
                "limit",
                Value::Int(i64::try_from(amount).unwrap_or(i64::MAX)),
            ),
            ("monthly", Value::Bool(monthly)),
        ];
        inputs.extend(currency.map(|c| ("currency", Value::str(c.as_str()))));
        self.add(session, "org:Budget", key, inputs);
    }

    fn create_bucket(
        &mut self,
        session: &mut Session<'b>,
        spec: &BucketSpec,
    ) -> Handle<'b, Bucket> {
        let bucket = match &spec.name {
            BucketName::Dataset(suffix) => format!("{}-{suffix}", self.dataset),
            BucketName::Unique(name) => name.clone(),
        };
        let inputs = vec![
            ("bucketName", Value::str(&bucket)),
            ("region", Value::str(&self.settings.region)),
        ];
        let name = self.add(session, "store:Bucket", &bucket, inputs);
        session.handle(name)
    }

    fn organisation_key(&self, _: OrganisationResource) -> Result<&'static str, Unavailable> {
        Err(Unavailable::because(
            "minicloud hosts none of the organisation's services",
        ))
    }

    fn create_machine_account(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        _project: &ProjectRef,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount> {
        let email = format!("{name}@{}", self.settings.account_domain);
        let logical = key.map_or_else(|| format!("account-{name}"), str::to_owned);
        let name = self.add(
            session,
            "id:Account",
            &logical,
            vec![("email", Value::str(email))],
        );
        session.handle(name)
    }

    fn machine_account_credentials(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        let owner = Output::resource(account.resource(), "email").into();
        let name = self.add(session, "id:Key", key, vec![("account", owner)]);
        Exported {
            cloud: CLOUD,
            what: format!("key of {}", account.resource()),
            value: Value::Secret(Box::new(Output::resource(&name, "secret").into())),
        }
    }

    fn create_group(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        _description: Option<&str>,
    ) -> Handle<'b, Group> {
        let logical = self.add(
            session,
            "id:Group",
            name,
            vec![("displayName", Value::str(name))],
        );
        session.handle(logical)
    }

    fn create_secret(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        _project: &ProjectRef,
    ) -> Handle<'b, Secret> {
        let logical = self.add(
            session,
            "vault:Secret",
            name,
            vec![("label", Value::str(name))],
        );
        session.handle(logical)
    }

    fn add_secret_version(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        secret: &Handle<'b, Secret>,
        contents: &Exported,
    ) {
        let inputs = vec![
            ("secret", Value::str(secret.resource())),
            ("data", contents.value.clone()),
        ];
        self.add(session, "vault:Version", key, inputs);
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
                let role = review::bucket_role(membership);
                self.bind(
                    session,
                    key,
                    role,
                    member,
                    Value::str(format!("{bucket:?}")),
                );
            }
            GrantTarget::ActAs { account } => {
                self.bind(
                    session,
                    key,
                    "impersonate",
                    member,
                    Value::str(account.resource()),
                );
            }
            GrantTarget::Membership { group } => {
                let inputs = vec![
                    ("group", Value::str(format!("{group:?}"))),
                    ("principal", principal(member)),
                ];
                self.add(session, "id:Member", key, inputs);
            }
            GrantTarget::Secret { secret, membership } => {
                let role = review::secret_role(membership);
                self.bind(session, key, role, member, Value::str(secret.resource()));
            }
            // `grant_available` answers Unavailable for every other target, so the
            // session never asks for them.
            GrantTarget::ListBuckets { .. }
            | GrantTarget::Registry { .. }
            | GrantTarget::Project { .. }
            | GrantTarget::Invoker { .. }
            | GrantTarget::EligibleBucket { .. } => {
                session.error(
                    key,
                    format!("{CLOUD} was asked for a grant it said it lacks"),
                );
            }
        }
    }

    fn add_access_broker_for(
        &mut self,
        _session: &mut Session<'b>,
        _key: &str,
        _account: &Handle<'b, MachineAccount>,
    ) -> Result<(), Unavailable> {
        Err(Unavailable::because("minicloud has no access broker"))
    }

    fn grant_available(&self, request: GrantRequest) -> Result<(), Unavailable> {
        match request {
            GrantRequest::Bucket(_)
            | GrantRequest::ActAs
            | GrantRequest::Membership
            | GrantRequest::Secret(_) => Ok(()),
            _ => Err(Unavailable::because(
                "minicloud grants buckets, secrets, accounts and groups only",
            )),
        }
    }

    fn bucket_feature(&self, _feature: BucketFeature) -> Result<(), Unavailable> {
        Err(Unavailable::because(
            "minicloud buckets have no lifecycle or billing options",
        ))
    }

    fn create_storage_mutator_role(
        &mut self,
        _session: &mut Session<'b>,
    ) -> Result<(), Unavailable> {
        Err(Unavailable::because("minicloud has fixed roles"))
    }
}
