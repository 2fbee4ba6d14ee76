//! The Azure implementation of [`Cloud`].
//!
//! Logical names: every resource this plugin creates is named `azure-<key>` (or
//! `azure-<kind>-<name>` where the verb has no key), so that a dataset deploying
//! to both clouds, whose blueprint passes the same keys to both plugins, never
//! has two resources with the same name in its one program. The only exception is
//! the stack reference of a dependency, which is identical to the GCP plugin's
//! (and merged with it).

mod bucket_access;
mod budgets;
mod grant_parts;
mod machine_accounts;
mod storage_account;

use std::collections::{BTreeMap, BTreeSet};

use cpg_infra_abstraction::{
    Bucket, BucketFeature, BucketSpec, BudgetSpec, Cloud, ContainerRegistryMembership, Exported,
    GrantRequest, GrantTarget, Group, GroupRef, Handle, MachineAccount, Member, Opened,
    OrganisationProject, OrganisationResource, Output, Project, ProjectRef, ProjectRole,
    RegistryRef, Resource, Secret, SecretMembership, Session, Unavailable, Value, settings_of,
};
use cpg_infra_config::{CloudName, DatasetConfig, InfrastructureConfig, ORGANISATION_GROUP_PREFIX};

use crate::grants::{Grant, Scope};
use crate::members::{self, Principal};
use crate::organisation_settings::AzureConfig;
use crate::roles::BuiltInRole;
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
        ProjectRef::Organisation(OrganisationProject::Notebooks) => {
            "the notebooks resource group".to_owned()
        }
        ProjectRef::Organisation(OrganisationProject::AnalysisRunner) => {
            "the analysis-runner resource group".to_owned()
        }
        ProjectRef::Organisation(other) => {
            format!("the organisation's {} resource group", other.name())
        }
        ProjectRef::Created(handle) => format!("the resource group {}", handle.resource()),
    }
}

/// The built-in role that stands for the project role `role`, or why Azure has none.
fn project_role(role: ProjectRole) -> Result<BuiltInRole, Unavailable> {
    Ok(match role {
        ProjectRole::ComputeViewer => BuiltInRole::Reader,
        ProjectRole::LoggingViewer => BuiltInRole::LogAnalyticsReader,
        ProjectRole::MonitoringViewer => BuiltInRole::MonitoringReader,
        ProjectRole::ComputeAdmin => BuiltInRole::VirtualMachineContributor,
        ProjectRole::ServiceUsageConsumer => {
            return Err(Unavailable::because(
                "Azure has no requester pays, so there is nothing to pay for",
            ));
        }
        ProjectRole::DataprocViewer | ProjectRole::DataprocAdmin | ProjectRole::DataprocWorker => {
            return Err(Unavailable::because("Azure has no Dataproc"));
        }
        ProjectRole::WorkflowsRunner => {
            return Err(Unavailable::because(
                "the Google Life Sciences API does not exist on Azure (Cromwell on Azure runs on Batch with the identity's own grants)",
            ));
        }
        ProjectRole::Browser => return Err(crate::pim::no_browser()),
    })
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
    /// The names of the organisation's ad-hoc groups (`adhoc_groups`), which are
    /// organisation-wide, as are the organisation access groups (`org-...`).
    adhoc_groups: BTreeSet<String>,
}

/// Opens Azure for `dataset` in `session` (the plugin's constructor): the
/// providers, the dataset's resource group and the existing resources.
pub fn create<'b>(
    session: &mut Session<'b>,
    config: &InfrastructureConfig,
    dataset: &DatasetConfig,
) -> Result<Opened<'b>, String> {
    let azure: AzureConfig = settings_of(config, CLOUD)?;
    let azure = &azure;
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
        adhoc_groups: config
            .adhoc_groups
            .iter()
            .map(|g| g.name.as_str().to_owned())
            .collect(),
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
    if let Some(existing) = config.existing.get(&CloudName::azure()) {
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

    /// Creates the Key Vault on first use.
    fn ensure_key_vault(&mut self, session: &mut Session) {
        if !session.plan().contains(secrets::KEY_VAULT) {
            let vault = secrets::key_vault(&self.settings);
            session.add(vault);
        }
    }
}

impl<'b> Cloud<'b> for AzureInfra {
    fn finish(mut self: Box<Self>, session: &mut Session<'b>) {
        self.finish_storage(session);
        adopt::containing_groups(session.plan_mut(), &self.adopt);
        adopt::storage_children(session.plan_mut(), &self.adopt);
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

    fn parse_member_id(&self, id: &str) -> Result<String, String> {
        members::parse_account(id)
    }

    fn foreign_member(&self, cloud: &CloudName, id: &str) -> String {
        format!(
            "`{id}` is a {} account, not an Azure principal: not created on azure (set its Entra ID object id, e.g. datasets:azure_hail_principal_<level>)",
            cloud.as_str().to_uppercase()
        )
    }

    fn create_budget(&mut self, session: &mut Session<'b>, key: &str, budget: BudgetSpec<'_, 'b>) {
        let BudgetSpec {
            project,
            amount,
            period,
            currency,
        } = budget;
        self.budget(session, key, project, amount, period, currency);
    }

    fn grant_available(&self, request: GrantRequest) -> Result<(), Unavailable> {
        match request {
            GrantRequest::Project(role) => project_role(role).map(|_| ()),
            GrantRequest::Invoker => Err(Unavailable::because(
                "Azure has no invoker role (App Service authentication is configured in the app, and Website Contributor would let the member manage the app)",
            )),
            GrantRequest::EligibleBucket(_) if !self.settings.privileged_identity_management => {
                Err(Unavailable::because(
                    "the organisation declares no Entra ID Privileged Identity Management licence ([infrastructure.azure] privileged_identity_management = false)",
                ))
            }
            _ => Ok(()),
        }
    }

    fn bucket_feature(&self, feature: BucketFeature) -> Result<(), Unavailable> {
        Err(Unavailable::because(match feature {
            BucketFeature::RequesterPays => {
                "readers' egress is billed to the dataset's subscription"
            }
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
        let principal = members::principal(member);
        match target {
            GrantTarget::Bucket { bucket, membership } => {
                self.bucket_grant(session, key, bucket, principal, membership);
            }
            GrantTarget::ListBuckets { project } => {
                self.container_listing_grant(session, key, principal, project);
            }
            GrantTarget::ActAs { account } => self.act_as_grant(session, key, account, principal),
            GrantTarget::Membership { group } => {
                self.group_membership(session, key, group, principal);
            }
            GrantTarget::Secret { secret, membership } => {
                self.secret_grant(session, key, secret, principal, membership);
            }
            GrantTarget::Registry {
                registry,
                membership,
            } => self.registry_grant(session, key, registry, principal, membership),
            GrantTarget::Project { role, project } => {
                self.project_grant(session, key, principal, role, project);
            }
            // `grant_available` answers that Azure has no invoker role, so the session
            // never asks; were it asked, the plan fails rather than lose the grant.
            GrantTarget::Invoker { .. } => {
                session.error(key, "Azure has no role to invoke a web service".to_owned());
            }
            GrantTarget::EligibleBucket { bucket, eligible } => match member {
                Member::Group(group) => {
                    self.eligible_bucket_access(session, key, bucket, group, eligible);
                }
                _ => session.error(
                    key,
                    "Entra PIM for Groups makes only groups eligible; make the member's group eligible".to_owned(),
                ),
            },
        }
    }

    fn add_access_broker_for(
        &mut self,
        _session: &mut Session<'b>,
        _key: &str,
        _account: &Handle<'b, MachineAccount>,
    ) -> Result<(), Unavailable> {
        Err(crate::pim::no_broker())
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

    fn machine_account_credentials(
        &mut self,
        session: &mut Session<'b>,
        key: &str,
        account: &Handle<'b, MachineAccount>,
    ) -> Exported {
        self.credential_of(session, key, account)
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
        // Entra ID is one directory for the whole tenant, and display names are how
        // groups are found and kept unique (`preventDuplicateNames`): a dataset's group
        // carries the dataset's name, and an organisation-wide group (an ad-hoc group,
        // an organisation access group) carries the organisation's prefix, so that a
        // generic name cannot meet another group of the tenant. GCP groups live in the
        // organisation's own domain and keep their names.
        let organisation_wide =
            name.starts_with(ORGANISATION_GROUP_PREFIX) || self.adhoc_groups.contains(name);
        let display_name = if organisation_wide {
            format!("{}-{name}", self.settings.name_prefix)
        } else {
            name.to_owned()
        };
        let resource = Resource::new(tokens::GROUP, &key)
            .prop("displayName", display_name)
            .prop("description", description)
            .prop("securityEnabled", true)
            .prop("mailEnabled", false)
            .prop("preventDuplicateNames", true);
        session.add(resource);
        session.handle(key)
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
}

impl AzureInfra {
    /// Acting as `account`: Managed Identity Operator on the identity.
    fn act_as_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        account: &Handle<MachineAccount>,
        principal: Principal,
    ) {
        let scope = Scope {
            id: Output::resource(account.resource(), "id").into(),
            label: format!("identity:{}", account.resource()),
        };
        let role = self.builtin(BuiltInRole::ManagedIdentityOperator);
        self.assign_role(session, key, &principal, scope, role);
    }

    /// Membership of `group`.
    fn group_membership(
        &mut self,
        session: &mut Session,
        key: &str,
        group: &GroupRef,
        principal: Principal,
    ) {
        self.add_membership(
            session,
            key,
            members::group_object_id(group),
            members::group_label(group),
            &principal,
        );
    }

    /// `membership` on `secret`: the Key Vault secret role on the secret.
    fn secret_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        secret: &Handle<Secret>,
        principal: Principal,
        membership: SecretMembership,
    ) {
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

    /// `membership` on an organisation registry: AcrPull or AcrPush on it.
    fn registry_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        registry: &RegistryRef,
        principal: Principal,
        membership: ContainerRegistryMembership,
    ) {
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

    /// A project-level `role` in `project`: its built-in role on the resource group.
    fn project_grant(
        &mut self,
        session: &mut Session,
        key: &str,
        principal: Principal,
        role: ProjectRole,
        project: &ProjectRef,
    ) {
        // `grant_available` has answered for the roles Azure has no equivalent of.
        let Ok(builtin) = project_role(role) else {
            return;
        };
        let Some(scope) = self.project_scope(session, key, project) else {
            return;
        };
        if builtin == BuiltInRole::VirtualMachineContributor
            && *project == ProjectRef::Organisation(OrganisationProject::Notebooks)
        {
            session.diagnose(
                key,
                "Virtual Machine Contributor on the notebooks resource group, which every dataset shares: this identity can manage, and run commands on, the notebook VMs of every dataset there (and so act as their identities), as compute admin on the shared notebooks project does on GCP; give each dataset its own notebooks resource group to separate them".to_owned(),
            );
        }
        let role = self.builtin(builtin);
        self.assign_role(session, key, &principal, scope, role);
    }
}
