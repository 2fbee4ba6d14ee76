//! The Azure implementation of [`Cloud`].
//!
//! Logical names: every resource this plugin creates is named `azure-<key>` (or
//! `azure-<kind>-<name>` where the verb has no key), so that a dataset deploying
//! to both clouds, whose blueprint passes the same keys to both plugins, never
//! has two resources with the same name in its one program. The only exception is
//! the stack reference of a dependency, which is identical to the GCP plugin's
//! (and merged with it).

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::{
    Bucket, BucketFeature, BucketMembership, BucketName, BucketRef, BucketSpec, Cloud,
    ContainerRegistryMembership, EligibleAccess, Exported, Group, GroupRef, Handle, MachineAccount,
    Member, Opened, Output, Project, ProjectRef, ProjectRole, RegistryRef, Resource, Secret,
    SecretMembership, ServiceRef, Session, Unavailable, Value, declared_section, group_output_name,
};
use cpg_infra_config::{Currency, DatasetConfig, DatasetName, InfrastructureConfig};

use crate::budget;
use crate::credentials::{self, CredentialKeys};
use crate::grants::{Grant, Role, Scope};
use crate::members::{self, NotAzure, Principal};
use crate::roles::{BuiltInRole, CustomRole};
use crate::settings::{self, Settings};
use crate::storage::{self, Container};
use crate::{adopt, existing};
use crate::{names, providers, secrets, tokens};

/// The registered name of this cloud.
pub const CLOUD: &str = "azure";
/// Prefix of every logical name this plugin creates.
pub const PREFIX: &str = "azure-";

/// What ends every stack output of this plugin (the group ids:
/// `<dataset>-<kind>-group-id-azure`), so they never collide with another cloud's.
pub const OUTPUT_SUFFIX: &str = "-azure";

/// How a project is named in diagnostics.
fn describe(project: &ProjectRef) -> String {
    match project {
        ProjectRef::Dataset => "the dataset's resource group".to_owned(),
        ProjectRef::Organisation("notebooks") => "the notebooks resource group".to_owned(),
        ProjectRef::Organisation("analysis_runner") => {
            "the analysis-runner resource group".to_owned()
        }
        ProjectRef::Organisation(name) => format!("the organisation's {name} resource group"),
        ProjectRef::Created(handle) => format!("the resource group {}", handle.resource()),
    }
}

/// The Azure cloud of one dataset.
pub struct AzureInfra {
    pub(crate) settings: Settings,
    /// Containers of the storage account, in creation order.
    containers: Vec<Container>,
    /// Role assignment GUIDs planned so far.
    pub(crate) assignments: BTreeSet<String>,
    /// Grants of managed identities, by logical name.
    pub(crate) account_grants: BTreeMap<String, Vec<Grant>>,
    /// Credential service principals of managed identities, by identity logical name.
    pub(crate) credential_principals: BTreeMap<String, Principal>,
    /// Resource names of managed identities, by logical name.
    identity_names: BTreeMap<String, String>,
    secrets_moved: bool,
    /// The read-only notebooks resource group, when configured as existing.
    notebooks_existing: Option<String>,
    /// The dataset's `datasets:adopt` entries.
    adopt: BTreeMap<String, String>,
    /// Whether the registry permission mode was noted.
    registry_mode_noted: bool,
}

/// Opens Azure for `dataset` in `session` (the plugin's constructor): the
/// providers, the dataset's resource group and the existing resources.
pub fn create<'b>(
    session: &mut Session<'b>,
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<Opened<'b>, String> {
    let azure = declared_section(CLOUD, "azure", config.azure.as_ref())?;
    let settings = Settings::new(config, azure, dataset)?;
    let mut organisation = settings::organisation(config);
    let mut infra = AzureInfra {
        containers: Vec::new(),
        assignments: BTreeSet::new(),
        account_grants: BTreeMap::new(),
        credential_principals: BTreeMap::new(),
        identity_names: BTreeMap::new(),
        secrets_moved: false,
        notebooks_existing: None,
        adopt: dataset.adopt.clone(),
        registry_mode_noted: false,
        settings,
    };
    session.place_data_in(&infra.settings.storage_region);
    for provider in providers::resources(&infra.settings) {
        session.add(provider);
    }
    let group = Resource::new(tokens::RESOURCE_GROUP, storage::RESOURCE_GROUP)
        .prop("resourceGroupName", infra.settings.resource_group.as_str())
        .prop("location", infra.settings.storage_region.as_str())
        .protect(true);
    session.add(group);
    if let Some(existing) = config.existing.as_ref().and_then(|e| e.azure.as_ref()) {
        existing::apply(existing, session, &mut organisation)?;
        infra.notebooks_existing = existing
            .notebooks_project
            .is_some()
            .then(|| existing::NOTEBOOKS_GROUP.to_owned());
    }
    Ok(Opened {
        cloud: Box::new(infra),
        organisation,
        accounts: settings::dataset_accounts(dataset),
    })
}

impl AzureInfra {
    /// `azure-<key>`.
    pub(crate) fn logical(&self, key: &str) -> String {
        format!("{PREFIX}{key}")
    }

    /// The Azure principal of `member`, or a diagnostic when it is another cloud's
    /// account (a warning) or its id is not a GUID (an error).
    fn principal(
        &mut self,
        session: &mut Session,
        key: &str,
        member: &Member,
    ) -> Option<Principal> {
        match members::principal(member) {
            Ok(principal) => Some(principal),
            Err(NotAzure::OtherCloud { cloud, id }) => {
                session.diagnose(
                    key,
                    format!(
                        "`{id}` is a {} account, not an Azure principal: not created on azure (set its Entra ID object id, e.g. datasets:azure_hail_principal_<level>)",
                        cloud.as_str().to_uppercase()
                    ),
                );
                None
            }
            Err(NotAzure::NotAGuid { id, reason }) => {
                session.error(
                    key,
                    format!("`{id}` is not an Azure principal: {reason}; an Entra ID principal is named by its object id"),
                );
                None
            }
        }
    }

    /// The resource group name of `project` (literal or output), with a diagnostic
    /// and the dataset's group when the configuration has none.
    fn resource_group_name(
        &mut self,
        session: &mut Session,
        key: &str,
        project: &ProjectRef,
    ) -> Value {
        match project {
            ProjectRef::Dataset => storage::resource_group_name(),
            ProjectRef::Created(handle) => Output::resource(handle.resource(), "name").into(),
            ProjectRef::Organisation("notebooks") if self.notebooks_existing.is_some() => {
                Output::resource(existing::NOTEBOOKS_GROUP, "name").into()
            }
            ProjectRef::Organisation(_) => match self.configured_group(project) {
                Some(name) => Value::str(name),
                None => {
                    self.missing_group(
                        session,
                        key,
                        project,
                        "created in the dataset's resource group instead",
                    );
                    storage::resource_group_name()
                }
            },
        }
    }

    fn configured_group(&self, project: &ProjectRef) -> Option<String> {
        match project {
            ProjectRef::Organisation("notebooks") => self.settings.notebooks_resource_group.clone(),
            ProjectRef::Organisation("analysis_runner") => {
                self.settings.analysis_runner_resource_group.clone()
            }
            ProjectRef::Organisation(_) => None,
            ProjectRef::Dataset => Some(self.settings.resource_group.clone()),
            ProjectRef::Created(_) => None,
        }
    }

    fn missing_group(
        &mut self,
        session: &mut Session,
        key: &str,
        project: &ProjectRef,
        consequence: &str,
    ) {
        let section = match project {
            ProjectRef::Organisation("notebooks") => "notebooks",
            _ => "analysis_runner",
        };
        session.diagnose(
            key,
            format!("no resource group for {}: needs [infrastructure.{section}.azure] in cpg.toml; {consequence}", describe(project)),
        );
    }

    /// The scope of `project`, or a diagnostic when it is not configured.
    fn project_scope(
        &mut self,
        session: &mut Session,
        key: &str,
        project: &ProjectRef,
    ) -> Option<Scope> {
        match project {
            ProjectRef::Dataset => Some(Scope {
                id: Output::resource(storage::RESOURCE_GROUP, "id").into(),
                label: format!("resource-group:{}", self.settings.resource_group),
            }),
            ProjectRef::Created(handle) => Some(Scope {
                id: Output::resource(handle.resource(), "id").into(),
                label: format!("resource-group:{}", handle.resource()),
            }),
            ProjectRef::Organisation("notebooks") if self.notebooks_existing.is_some() => {
                Some(Scope {
                    id: Output::resource(existing::NOTEBOOKS_GROUP, "id").into(),
                    label: format!("resource-group:{}", existing::NOTEBOOKS_GROUP),
                })
            }
            ProjectRef::Organisation(_) => match self.configured_group(project) {
                Some(name) => Some(Scope {
                    id: Value::str(self.settings.resource_group_id(&name)),
                    label: format!("resource-group:{name}"),
                }),
                None => {
                    self.missing_group(session, key, project, "role not assigned");
                    None
                }
            },
        }
    }

    fn builtin(&self, role: BuiltInRole) -> Role {
        Role {
            definition_id: Value::str(role.definition_id(&self.settings.subscription_id)),
            label: role.guid().to_owned(),
            defined_by: None,
        }
    }

    /// A custom role of this plugin (`roles::CustomRole`), created once per dataset
    /// (scoped to the dataset's resource group, named after it). Assignments name it by
    /// its literal subscription-scope id (the form Azure stores) and depend on its
    /// definition.
    fn custom_role(&mut self, session: &mut Session, role: CustomRole) -> Role {
        let guid = names::role_definition(
            &self.settings.subscription_id,
            &self.settings.dataset,
            role.kind(),
        );
        if !session.plan().contains(role.key()) {
            let group: Value = Output::resource(storage::RESOURCE_GROUP, "id").into();
            let strings =
                |items: &[&str]| Value::List(items.iter().map(|s| Value::str(*s)).collect());
            let resource = Resource::new(tokens::ROLE_DEFINITION, role.key())
                .prop("roleDefinitionId", guid.as_str())
                .prop(
                    "roleName",
                    names::custom_role_name(
                        &self.settings.name_prefix,
                        &self.settings.dataset,
                        role.title(),
                        &self.settings.subscription_id,
                    ),
                )
                .prop(
                    "description",
                    format!(
                        "{} (dataset {}, cpg-infra)",
                        role.description(),
                        self.settings.dataset
                    ),
                )
                .prop("scope", group.clone())
                .prop("assignableScopes", Value::List(vec![group]))
                .prop(
                    "permissions",
                    Value::List(vec![Value::object([
                        ("actions", strings(role.actions())),
                        ("dataActions", strings(role.data_actions())),
                    ])]),
                );
            session.add(resource);
        }
        Role {
            definition_id: Value::str(names::role_definition_id(
                &self.settings.subscription_id,
                &guid,
            )),
            label: format!("custom:{}", role.kind()),
            defined_by: Some(role.key()),
        }
    }

    /// Creates the storage account on first use.
    fn ensure_storage_account(&mut self, session: &mut Session) {
        if !session.plan().contains(storage::STORAGE_ACCOUNT) {
            let account = storage::storage_account(&self.settings);
            session.add(account);
        }
    }

    /// Creates the Key Vault on first use.
    fn ensure_key_vault(&mut self, session: &mut Session) {
        if !session.plan().contains(secrets::KEY_VAULT) {
            let vault = secrets::key_vault(&self.settings);
            session.add(vault);
        }
    }

    /// The container name of a bucket spec.
    fn container_name(spec: &BucketSpec) -> String {
        match &spec.name {
            BucketName::Dataset(suffix) => suffix.clone(),
            BucketName::Unique(name) => name.clone(),
        }
    }

    /// Adds the account-wide storage settings (at the end, when every bucket is known).
    fn finish_storage(&mut self, session: &mut Session) {
        if self.containers.is_empty() {
            return;
        }
        session.set_component("storage");
        // Account-wide settings list containers by name, whatever the order the
        // blueprint created them in (e.g. the order of additional upload buckets).
        self.containers.sort_by(|a, b| a.name.cmp(&b.name));
        let (service, messages) = storage::blob_service(&self.containers);
        session.add(service);
        for message in messages {
            session.diagnose(storage::STORAGE_ACCOUNT, message);
        }
        let archived: Vec<&str> = self
            .containers
            .iter()
            .filter(|c| storage::archives(&c.spec))
            .map(|c| c.name.as_str())
            .collect();
        for problem in storage::tier_problems(self.settings.storage_redundancy, &archived) {
            session.error(storage::STORAGE_ACCOUNT, problem);
        }
        let (policy, notes) = storage::lifecycle_policy(&self.containers);
        if let Some(policy) = policy {
            session.add(policy);
        }
        for note in notes {
            session.note(storage::LIFECYCLE_POLICY, note);
        }
    }

    fn budget(
        &mut self,
        session: &mut Session,
        key: &str,
        scope: Value,
        amount: u64,
        period: budget::Period,
        currency: Option<&Currency>,
    ) {
        let logical = self.logical(key);
        let (resource, messages) =
            budget::budget(&self.settings, &logical, key, scope, amount, period);
        session.add(resource);
        for (severity, message) in messages {
            session.diagnose_as(severity, key, message);
        }
        if let Some(currency) = currency {
            session.diagnose(
                key,
                format!(
                    "Azure budgets are in the billing account's currency, which a budget cannot set: the amount {amount} is not converted from {currency}"
                ),
            );
        }
    }
}

impl<'b> Cloud<'b> for AzureInfra {
    fn finish(mut self: Box<Self>, session: &mut Session<'b>) {
        self.finish_storage(session);
        adopt::containing_groups(session.plan_mut(), &self.adopt);
        providers::apply(session.plan_mut());
    }

    fn create_project(&mut self, session: &mut Session<'b>, suffix: &str) -> Handle<'b, Project> {
        let key = format!("{}-{suffix}", storage::RESOURCE_GROUP);
        let resource = Resource::new(tokens::RESOURCE_GROUP, &key)
            .prop(
                "resourceGroupName",
                format!("{}-{suffix}", self.settings.resource_group),
            )
            .prop("location", self.settings.region.as_str())
            .protect(true);
        session.add(resource);
        session.handle(key)
    }

    fn create_fixed_budget(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        project: &Handle<Project>,
        amount: u64,
        (year, month, day): (u16, u8, u8),
        currency: Option<&Currency>,
    ) {
        session.note(
            key,
            format!(
                "the blueprint's start {year:04}-{month:02}-{day:02} is replaced by budget_start_date {} (Azure rejects a past start outside the budget's period)",
                self.settings.budget_start_date
            ),
        );
        let scope = Output::resource(project.resource(), "id").into();
        self.budget(session, key, scope, amount, budget::Period::Fixed, currency);
    }

    fn bucket_feature(&self, feature: BucketFeature) -> Result<(), Unavailable> {
        Err(Unavailable::because(match feature {
            BucketFeature::Autoclass => {
                "a blob container has no automatic tiering by access (Azure's is per account: the access tier and lifecycle rules)"
            }
            BucketFeature::AbortIncompleteUploads => {
                "Azure discards uncommitted blocks of an unfinished upload after 7 days by itself"
            }
            BucketFeature::NoSoftDelete => {
                "blob soft delete is account-wide: it stays on for this container"
            }
        }))
    }

    fn create_storage_mutator_role(
        &mut self,
        _session: &mut Session<'b>,
    ) -> Result<(), Unavailable> {
        Err(Unavailable::because(
            "mutate is the dataset's own blob mutator role, which cannot delete or configure a container or change its role assignments",
        ))
    }

    fn create_monthly_budget(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        project: &ProjectRef<'b>,
        amount: u64,
        currency: Option<&Currency>,
    ) {
        let Some(scope) = self.project_scope(session, key, project) else {
            return;
        };
        self.budget(
            session,
            key,
            scope.id,
            amount,
            budget::Period::Monthly,
            currency,
        );
    }

    fn create_bucket(
        &mut self,
        session: &mut Session<'b>,
        spec: &BucketSpec,
    ) -> Handle<'b, Bucket> {
        self.ensure_storage_account(session);
        let name = Self::container_name(spec);
        let key = self.logical(&format!("container-{name}"));
        if let Err(problem) = names::check_container(&name) {
            session.diagnose(&key, format!("{problem}: Azure will reject it"));
        }
        let protect = session.protects(spec);
        if protect && let Some(account) = session.plan_mut().get_mut(storage::STORAGE_ACCOUNT) {
            account.options.protect = true;
        }
        let resource = storage::container(&key, &name).protect(protect);
        session.add(resource);
        self.containers.push(Container {
            name,
            spec: spec.clone(),
        });
        session.handle(key)
    }

    fn organisation_key(&self, name: &str) -> Result<&'static str, Unavailable> {
        settings::organisation_key(name).ok_or_else(|| {
            Unavailable::because(format!("{CLOUD} has no organisation resource `{name}`"))
        })
    }
    fn requester_pays(&self) -> Result<(), Unavailable> {
        Err(Unavailable::because(
            "readers' egress is billed to the dataset's subscription",
        ))
    }

    fn add_eligible_bucket_access(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        bucket: &Handle<'b, Bucket>,
        group: &Handle<'b, Group>,
        eligible: EligibleAccess,
    ) -> Result<(), Unavailable> {
        self.eligible_bucket_access(session, key, bucket, group, eligible)
    }

    fn add_member_to_bucket(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        bucket: &BucketRef,
        member: &Member,
        membership: BucketMembership,
    ) {
        let scope = match bucket {
            BucketRef::Created(handle) => {
                let container = handle
                    .resource()
                    .strip_prefix(&format!("{PREFIX}container-"))
                    .unwrap_or(handle.resource())
                    .to_owned();
                Scope {
                    id: Output::resource(handle.resource(), "id").into(),
                    label: format!("container:{container}"),
                }
            }
            BucketRef::Existing(path) => {
                let mut parts = path.splitn(3, '/');
                let (Some(group), Some(account), Some(container)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return session.error(
                        key,
                        format!(
                            "the organisation container `{path}` is not `<resource group>/<storage account>/<container>`: correct it in cpg.toml"
                        ),
                    );
                };
                let id = format!(
                    "{}/providers/Microsoft.Storage/storageAccounts/{account}/blobServices/default/containers/{container}",
                    self.settings.resource_group_id(group)
                );
                Scope {
                    label: format!("container:{path}"),
                    id: Value::Str(id),
                }
            }
        };
        let Some(principal) = self.principal(session, key, member) else {
            return;
        };
        let role = match membership {
            // Listing blob names needs the blob read data action: Azure cannot list without reading.
            BucketMembership::List | BucketMembership::Read => {
                self.builtin(BuiltInRole::StorageBlobDataReader)
            }
            BucketMembership::Append => self.custom_role(session, CustomRole::BlobAppender),
            // Not Storage Blob Data Contributor: it also deletes and configures the
            // container (`containers/delete`, `containers/write`).
            BucketMembership::Mutate | BucketMembership::MutateObjects => {
                self.custom_role(session, CustomRole::BlobMutator)
            }
        };
        if membership == BucketMembership::List {
            session.note(
                key,
                "Azure has no list-only data role: listing blobs needs Storage Blob Data Reader, which also reads them".to_owned(),
            );
        }
        self.assign_role(session, key, &principal, scope, role);
    }

    fn give_member_ability_to_list_buckets(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        member: &Member,
        project: &ProjectRef,
    ) {
        let Some(principal) = self.principal(session, key, member) else {
            return;
        };
        if *project != ProjectRef::Dataset {
            return session.diagnose(
                key,
                format!("only the dataset's storage account is known to this plan; listing containers of {} not granted", describe(project)),
            );
        }
        // Reader on the account: `blobServices/containers/read` lists containers
        // (portal, ARM and the data-plane List Containers call) without any blob data access.
        self.ensure_storage_account(session);
        let scope = Scope {
            id: Output::resource(storage::STORAGE_ACCOUNT, "id").into(),
            label: format!("storage-account:{}", self.settings.storage_account),
        };
        let role = self.builtin(BuiltInRole::Reader);
        self.assign_role(session, key, &principal, scope, role);
    }

    fn create_machine_account(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount> {
        let key = self.logical(&key.map_or_else(|| format!("identity-{name}"), str::to_owned));
        let group = self.resource_group_name(session, &key, project);
        let resource = Resource::new(tokens::USER_ASSIGNED_IDENTITY, &key)
            .prop("resourceName", name)
            .prop("resourceGroupName", group)
            .prop("location", self.settings.region.as_str());
        session.add(resource);
        self.identity_names.insert(key.clone(), name.to_owned());
        session.handle(key)
    }

    fn add_member_to_machine_account_access(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<MachineAccount>,
        member: &Member,
    ) {
        let Some(principal) = self.principal(session, key, member) else {
            return;
        };
        let scope = Scope {
            id: Output::resource(account.resource(), "id").into(),
            label: format!("identity:{}", account.resource()),
        };
        let role = self.builtin(BuiltInRole::ManagedIdentityOperator);
        self.assign_role(session, key, &principal, scope, role);
    }

    fn machine_account_credentials(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        let keys = CredentialKeys::new(&self.logical(key));
        let identity = self
            .identity_names
            .get(account.resource())
            .cloned()
            .unwrap_or_else(|| account.resource().to_owned());
        let display_name = format!(
            "{}-{}-{identity}",
            self.settings.name_prefix, self.settings.dataset
        );
        for resource in credentials::resources(
            &keys,
            &display_name,
            self.settings.credential_end_date,
            &self.settings.credential_rotation,
        ) {
            session.add(resource);
        }
        let credential = Principal {
            object_id: Output::resource(&keys.service_principal, "objectId").into(),
            principal_type: Some("ServicePrincipal"),
            label: format!("service-principal:{}", keys.service_principal),
            account: None,
        };
        self.credential_principals
            .insert(account.resource().to_owned(), credential.clone());
        self.replay_grants(session, account.resource(), &credential);
        session.note(
            key,
            format!(
                "a managed identity has no storable key: the credential is the client secret of the Entra application `{display_name}`, whose service principal gets every grant of {}",
                account.resource()
            ),
        );
        session.note(
            key,
            format!(
                "the client secret ends on {} ([infrastructure.azure] credential_rotation_date plus credential_lifetime_days = {}) and nothing renews it: rotate it before then by moving credential_rotation_date forward and running pulumi up, which replaces the secret and updates every secret that holds it (changing credential_rotation, now `{}`, replaces it too but keeps the end date)",
                self.settings.credential_end_date,
                self.settings.credential_lifetime_days,
                self.settings.credential_rotation
            ),
        );
        Exported {
            cloud: CLOUD,
            what: format!(
                "client secret of the Entra application of {}",
                account.resource()
            ),
            value: credentials::value(&keys, &self.settings.tenant_id),
        }
    }

    fn create_group(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        description: Option<&str>,
    ) -> Handle<'b, Group> {
        let key = self.logical(&format!("group-{name}"));
        let description = description.map_or_else(
            || {
                format!(
                    "cpg-infra group {name} of dataset {}",
                    self.settings.dataset
                )
            },
            str::to_owned,
        );
        let resource = Resource::new(tokens::GROUP, &key)
            .prop("displayName", name)
            .prop("description", description)
            .prop("securityEnabled", true)
            .prop("mailEnabled", false)
            .prop("preventDuplicateNames", true);
        session.add(resource);
        session.handle(key)
    }

    fn add_group_member(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        group: &GroupRef,
        member: &Member,
    ) {
        let Some(principal) = self.principal(session, key, member) else {
            return;
        };
        self.add_membership(
            session,
            key,
            members::group_object_id(group),
            members::group_label(group),
            &principal,
        );
    }

    fn export_group(
        &mut self,
        session: &mut Session<'b>,
        dataset: &DatasetName,
        kind: &str,
        group: &Handle<Group>,
    ) {
        session.plan_mut().export(
            &group_output_name(dataset.as_str(), kind, OUTPUT_SUFFIX),
            Output::resource(group.resource(), "objectId").into(),
        );
    }

    fn dependency_group(
        &mut self,
        session: &mut Session<'b>,
        dependency: &DatasetName,
        kind: &str,
    ) -> GroupRef<'b> {
        let stack = dependency.as_str();
        session.stack_output_group(stack, group_output_name(stack, kind, OUTPUT_SUFFIX))
    }

    fn create_secret(
        &mut self,
        session: &mut Session<'b>,
        name: &str,
        project: &ProjectRef,
    ) -> Handle<'b, Secret> {
        let secret_name = names::secret(name);
        let key = self.logical(&format!("secret-{secret_name}"));
        if *project != ProjectRef::Dataset && !self.secrets_moved {
            self.secrets_moved = true;
            session.note(
                &key,
                format!(
                    "secrets meant for {} are kept in the dataset's Key Vault `{}` (access is granted per secret to their consumers)",
                    describe(project),
                    self.settings.key_vault
                ),
            );
        }
        self.ensure_key_vault(session);
        let resource = secrets::secret(&key, &secret_name);
        session.add(resource);
        session.handle(key)
    }

    fn add_secret_member(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        secret: &Handle<Secret>,
        member: &Member,
        membership: SecretMembership,
    ) {
        let Some(principal) = self.principal(session, key, member) else {
            return;
        };
        let role = match membership {
            SecretMembership::Accessor => self.builtin(BuiltInRole::KeyVaultSecretsUser),
            SecretMembership::Admin => {
                session.note(
                    key,
                    "Azure has no role that writes a secret without reading it: Key Vault Secrets Officer also reads its value".to_owned(),
                );
                self.builtin(BuiltInRole::KeyVaultSecretsOfficer)
            }
        };
        let scope = Scope {
            id: Output::resource(secret.resource(), "id").into(),
            label: format!("secret:{}", secret.resource()),
        };
        self.assign_role(session, key, &principal, scope, role);
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
                    "{} from {} is stored in Key Vault secret {}",
                    contents.what,
                    contents.cloud,
                    secret.resource()
                ),
            );
        }
        let value = if contents.is_secret() {
            contents.value.clone()
        } else {
            Value::Secret(Box::new(contents.value.clone()))
        };
        match session.plan_mut().get_mut(secret.resource()) {
            Some(resource) => secrets::set_value(resource, value),
            None => session.error(
                key,
                format!(
                    "secret {} is not in this plan, so no version can be added to it",
                    secret.resource()
                ),
            ),
        }
    }

    fn add_member_to_container_registry(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        registry: &RegistryRef,
        member: &Member,
        membership: ContainerRegistryMembership,
    ) {
        let Some(principal) = self.principal(session, key, member) else {
            return;
        };
        let id = format!(
            "{}/providers/Microsoft.ContainerRegistry/registries/{}",
            self.settings.resource_group_id(&registry.scope),
            registry.name
        );
        let role = match membership {
            ContainerRegistryMembership::Reader => self.builtin(BuiltInRole::AcrPull),
            ContainerRegistryMembership::Append => self.builtin(BuiltInRole::AcrPush),
        };
        if !self.registry_mode_noted {
            self.registry_mode_noted = true;
            session.note(
                key,
                "registry access is AcrPull / AcrPush, which Azure honours only on registries in the \"RBAC Registry Permissions\" mode; a registry in \"RBAC Registry + ABAC Repository Permissions\" mode ignores them (it needs the Container Registry Repository roles)".to_owned(),
            );
        }
        let scope = match &registry.existing {
            Some(existing) => Scope {
                label: id,
                id: Output::resource(existing, "id").into(),
            },
            None => Scope {
                label: id.clone(),
                id: Value::Str(id),
            },
        };
        self.assign_role(session, key, &principal, scope, role);
    }

    fn add_project_role(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        member: &Member,
        role: ProjectRole,
        project: &ProjectRef,
    ) -> Result<(), Unavailable> {
        let builtin = match role {
            ProjectRole::ComputeViewer => BuiltInRole::Reader,
            ProjectRole::LoggingViewer => BuiltInRole::LogAnalyticsReader,
            ProjectRole::MonitoringViewer => BuiltInRole::MonitoringReader,
            ProjectRole::ComputeAdmin => BuiltInRole::VirtualMachineContributor,
            ProjectRole::ServiceUsageConsumer => {
                return Err(Unavailable::because(
                    "Azure has no requester pays, so there is nothing to pay for",
                ));
            }
            ProjectRole::DataprocViewer
            | ProjectRole::DataprocAdmin
            | ProjectRole::DataprocWorker => {
                return Err(Unavailable::because("Azure has no Dataproc"));
            }
            ProjectRole::WorkflowsRunner => {
                return Err(Unavailable::because(
                    "the Google Life Sciences API does not exist on Azure (Cromwell on Azure runs on Batch with the identity's own grants)",
                ));
            }
        };
        let Some(principal) = self.principal(session, key, member) else {
            return Ok(());
        };
        let Some(scope) = self.project_scope(session, key, project) else {
            return Ok(());
        };
        if builtin == BuiltInRole::VirtualMachineContributor
            && *project == ProjectRef::Organisation("notebooks")
        {
            session.diagnose(
                key,
                "Virtual Machine Contributor on the notebooks resource group, which every dataset shares: this identity can manage, and run commands on, the notebook VMs of every dataset there (and so act as their identities), as compute admin on the shared notebooks project does on GCP; give each dataset its own notebooks resource group to separate them".to_owned(),
            );
        }
        let role = self.builtin(builtin);
        self.assign_role(session, key, &principal, scope, role);
        Ok(())
    }

    fn add_service_invoker(
        &mut self,
        _session: &mut Session<'b>,
        _key: &str,
        _service: &ServiceRef,
        _member: &Member,
    ) -> Result<(), Unavailable> {
        Err(Unavailable::because(
            "Azure has no invoker role (App Service authentication is configured in the app, and Website Contributor would let the member manage the app)",
        ))
    }
}
