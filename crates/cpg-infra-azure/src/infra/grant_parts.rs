//! The parts of an Azure grant: who (the principal of a member), where (a project's
//! resource group and scope) and what (a built-in role, or this plugin's custom role,
//! created on first use).

use cpg_infra_abstraction::{OrganisationProject, Output, ProjectRef, Resource, Session, Value};

use super::{AzureInfra, describe};
use crate::existing;
use crate::grants::{Role, Scope};
use crate::roles::{BuiltInRole, CustomRole};
use crate::storage::{self};
use crate::{names, tokens};

impl AzureInfra {
    /// The resource group name of `project` (literal or output), with a diagnostic
    /// and the dataset's group when the configuration has none.
    pub(super) fn resource_group_name(
        &mut self,
        session: &mut Session,
        key: &str,
        project: &ProjectRef,
    ) -> Value {
        match project {
            ProjectRef::Dataset => storage::resource_group_name(),
            ProjectRef::Created(handle) => Output::resource(handle.resource(), "name").into(),
            ProjectRef::Organisation(OrganisationProject::Notebooks)
                if self.notebooks_existing.is_some() =>
            {
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

    pub(super) fn configured_group(&self, project: &ProjectRef) -> Option<String> {
        match project {
            ProjectRef::Organisation(OrganisationProject::Notebooks) => {
                self.settings.notebooks_resource_group.clone()
            }
            ProjectRef::Organisation(OrganisationProject::AnalysisRunner) => {
                self.settings.analysis_runner_resource_group.clone()
            }
            ProjectRef::Organisation(OrganisationProject::DataDropbox) => None,
            ProjectRef::Dataset => Some(self.settings.resource_group.clone()),
            ProjectRef::Created(_) => None,
        }
    }

    pub(super) fn missing_group(
        &mut self,
        session: &mut Session,
        key: &str,
        project: &ProjectRef,
        consequence: &str,
    ) {
        let section = match project {
            ProjectRef::Organisation(OrganisationProject::Notebooks) => "notebooks",
            _ => "analysis_runner",
        };
        session.diagnose(
            key,
            format!("no resource group for {}: needs [infrastructure.{section}.azure] in cpg.toml; {consequence}", describe(project)),
        );
    }

    /// The scope of `project`, or a diagnostic when it is not configured.
    pub(super) fn project_scope(
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
            ProjectRef::Organisation(OrganisationProject::Notebooks)
                if self.notebooks_existing.is_some() =>
            {
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

    pub(super) fn builtin(&self, role: BuiltInRole) -> Role {
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
    pub(super) fn custom_role(&mut self, session: &mut Session, role: CustomRole) -> Role {
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
}
