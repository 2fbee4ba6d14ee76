//! Role assignments and group memberships, the two ways this plugin grants access.
//!
//! Every grant goes through `AzureInfra::assign_role` or
//! `AzureInfra::add_membership`, which
//! - name role assignments with a deterministic GUID ([`names::role_assignment`]) and
//!   skip a second identical (scope, principal, role), which Azure would reject;
//! - remember the grants of managed identities, so that when an identity gets
//!   credentials (an Entra application, see `credentials`) its service principal
//!   receives the same grants, before and after that point.

use cpg_infra_abstraction::{Resource, Session, Value};

use crate::infra::AzureInfra;
use crate::members::Principal;
use crate::{names, tokens};

/// A role: its definition id and a stable label.
///
/// The id is always the literal subscription-scope form
/// `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>`, the
/// form Azure stores in a role assignment's `roleDefinitionId` and returns on read
/// whatever scope the definition was created at, so that a refresh shows no change
/// (azure-native compares the input with what it reads; a custom role's own `id` output
/// carries the scope it was created at, e.g. the resource group).
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The full role definition id.
    pub definition_id: Value,
    /// A stable label (the built-in GUID, or `custom:<kind>`).
    pub label: String,
    /// The logical name of the plan's role definition resource, for a custom role: its
    /// assignments depend on it (the id alone is a literal, so Pulumi would not order them).
    pub defined_by: Option<&'static str>,
}

/// A scope: its resource id (a literal or an output) and a stable label.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// The resource id.
    pub id: Value,
    /// A stable label (`container:main`, `resource-group:<name>`, a literal id).
    pub label: String,
}

/// A grant recorded for a managed identity, replayed for its credential principal.
#[derive(Debug, Clone, PartialEq)]
pub enum Grant {
    /// A role assignment.
    Role {
        /// Its key.
        key: String,
        /// Where.
        scope: Scope,
        /// Which role.
        role: Role,
    },
    /// A group membership.
    Membership {
        /// Its key.
        key: String,
        /// The group's object id.
        group: Value,
        /// The group's label.
        group_label: String,
    },
}

/// The suffix of keys of grants replayed for a credential principal.
const CREDENTIAL_SUFFIX: &str = "-credential";

impl AzureInfra {
    /// Assigns `role` on `scope` to `principal` (and to its credential principal).
    pub(crate) fn assign_role(
        &mut self,
        session: &mut Session,
        key: &str,
        principal: &Principal,
        scope: Scope,
        role: Role,
    ) {
        self.assign_one(session, key, principal, &scope, &role);
        if let Some(account) = &principal.account {
            if let Some(credential) = self.credential_principals.get(account).cloned() {
                self.assign_one(
                    session,
                    &format!("{key}{CREDENTIAL_SUFFIX}"),
                    &credential,
                    &scope,
                    &role,
                );
            }
            self.account_grants
                .entry(account.clone())
                .or_default()
                .push(Grant::Role {
                    key: key.to_owned(),
                    scope,
                    role,
                });
        }
    }

    /// Adds `principal` (and its credential principal) to the group `group`.
    pub(crate) fn add_membership(
        &mut self,
        session: &mut Session,
        key: &str,
        group: Value,
        group_label: String,
        principal: &Principal,
    ) {
        self.membership_one(session, key, &group, principal);
        if let Some(account) = &principal.account {
            if let Some(credential) = self.credential_principals.get(account).cloned() {
                self.membership_one(
                    session,
                    &format!("{key}{CREDENTIAL_SUFFIX}"),
                    &group,
                    &credential,
                );
            }
            self.account_grants
                .entry(account.clone())
                .or_default()
                .push(Grant::Membership {
                    key: key.to_owned(),
                    group,
                    group_label,
                });
        }
    }

    /// Gives `credential` every grant that the identity `account` received so far.
    pub(crate) fn replay_grants(
        &mut self,
        session: &mut Session,
        account: &str,
        credential: &Principal,
    ) {
        let grants = self
            .account_grants
            .get(account)
            .cloned()
            .unwrap_or_default();
        for grant in grants {
            // A replayed grant allows what the grant it repeats was meant to allow.
            let (original, replayed) = match &grant {
                Grant::Role { key, .. } | Grant::Membership { key, .. } => (
                    self.logical(key),
                    self.logical(&format!("{key}{CREDENTIAL_SUFFIX}")),
                ),
            };
            match grant {
                Grant::Role { key, scope, role } => {
                    self.assign_one(
                        session,
                        &format!("{key}{CREDENTIAL_SUFFIX}"),
                        credential,
                        &scope,
                        &role,
                    );
                }
                Grant::Membership { key, group, .. } => {
                    self.membership_one(
                        session,
                        &format!("{key}{CREDENTIAL_SUFFIX}"),
                        &group,
                        credential,
                    );
                }
            }
            if let Some(intent) = session.plan().intent(&original) {
                session.plan_mut().intend(&replayed, intent);
            }
        }
    }

    fn assign_one(
        &mut self,
        session: &mut Session,
        key: &str,
        principal: &Principal,
        scope: &Scope,
        role: &Role,
    ) {
        let guid = names::role_assignment(
            &self.settings.subscription_id,
            &self.settings.dataset,
            &scope.label,
            &principal.label,
            &role.label,
        );
        if !self.assignments.insert(guid.clone()) {
            session.note(
                key,
                format!(
                    "same role assignment as an earlier one ({} on {} for {}): not repeated",
                    role.label, scope.label, principal.label
                ),
            );
            return;
        }
        let resource = Resource::new(tokens::ROLE_ASSIGNMENT, &self.logical(key))
            .prop("roleAssignmentName", guid)
            .prop("scope", scope.id.clone())
            .prop("roleDefinitionId", role.definition_id.clone())
            .prop("principalId", principal.object_id.clone())
            .opt_prop("principalType", principal.principal_type)
            .depends_on(role.defined_by);
        session.add(resource);
    }

    fn membership_one(
        &mut self,
        session: &mut Session,
        key: &str,
        group: &Value,
        principal: &Principal,
    ) {
        let resource = Resource::new(tokens::GROUP_MEMBER, &self.logical(key))
            .prop("groupObjectId", group.clone())
            .prop("memberObjectId", principal.object_id.clone());
        session.add(resource);
    }
}
