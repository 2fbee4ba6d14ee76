//! How members and groups are written in Azure inputs: directory object ids
//! with their principal type, and stable labels for deterministic names.
//!
//! Values that come from resources of the plan are references
//! (`${azure-group-x.objectId}`), never copies, so Pulumi creates the referenced
//! resource first.

use cpg_infra_abstraction::{GroupRef, Member, Output, Value};

/// A principal that role assignments and group memberships can name.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// The directory object id (a literal or an output).
    pub object_id: Value,
    /// The `principalType` of role assignments, when the principal is created by this
    /// plan (Azure needs it to assign roles to principals that have not replicated yet).
    /// `None` for existing principals, whose type the configuration does not say.
    pub principal_type: Option<&'static str>,
    /// A stable label for deterministic names (`group:<logical name>`, ...).
    pub label: String,
    /// The logical name of the managed identity, for machine accounts.
    pub account: Option<String>,
}

/// Why a member is not an Azure principal (a GCP e-mail address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAzure(pub String);

/// The Azure principal of `member`.
pub fn principal(member: &Member) -> Result<Principal, NotAzure> {
    Ok(match member {
        Member::Group(group) => Principal {
            object_id: Output::resource(group.resource(), "objectId").into(),
            principal_type: Some("Group"),
            label: format!("group:{}", group.resource()),
            account: None,
        },
        Member::MachineAccount(account) => Principal {
            object_id: Output::resource(account.resource(), "principalId").into(),
            principal_type: Some("ServicePrincipal"),
            label: format!("identity:{}", account.resource()),
            account: Some(account.resource().to_owned()),
        },
        Member::Principal(id) => Principal {
            object_id: Value::str(id.clone()),
            principal_type: None,
            label: format!("principal:{id}"),
            account: None,
        },
        Member::Email(email) => return Err(NotAzure(email.as_str().to_owned())),
    })
}

/// The object id of a group that members are added to.
pub fn group_object_id(group: &GroupRef) -> Value {
    match group {
        GroupRef::Created(handle) => Output::resource(handle.resource(), "objectId").into(),
        GroupRef::Existing(id) => Value::str(id.clone()),
        GroupRef::StackOutput { stack, output } => Output::stack_output(stack, output).into(),
    }
}

/// A stable label of a group, for deterministic names.
pub fn group_label(group: &GroupRef) -> String {
    match group {
        GroupRef::Created(handle) => format!("group:{}", handle.resource()),
        GroupRef::Existing(id) => format!("group-id:{id}"),
        GroupRef::StackOutput { stack, output } => format!("stack:{stack}:{output}"),
    }
}
