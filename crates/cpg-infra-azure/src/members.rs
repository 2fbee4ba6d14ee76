//! How members and groups are written in Azure inputs: directory object ids
//! with their principal type, and stable labels for deterministic names.
//!
//! Values that come from resources of the plan are references
//! (`${azure-group-x.objectId}`), never copies, so Pulumi creates the referenced
//! resource first.

use cpg_infra_abstraction::{GroupRef, Member, Output, Value};
use cpg_infra_config::{CloudName, Guid};

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

/// The external member for the Entra ID directory object `id`.
pub fn account<'b>(id: &Guid) -> Member<'b> {
    Member::External {
        cloud: CloudName::azure(),
        id: id.to_string(),
    }
}

/// The id of an Azure account outside the plan as its resources name it (its directory
/// object id, written the way [`Guid`] writes it), or why `id` is not one (the session's
/// member guard asks, before any grant).
///
/// The id is written in the lower case Entra ID stores object ids in: a membership's
/// member id replaces the membership when it changes, so an id written in upper case
/// would read back changed after a refresh and replace every membership of it.
pub fn parse_account(id: &str) -> Result<String, String> {
    Guid::parse(id).map(|id| id.as_str().to_ascii_lowercase()).map_err(|reason| {
        format!("`{id}` is not an Azure principal: {reason}; an Entra ID principal is named by its object id")
    })
}

/// The Azure principal of `member`. An external member's id is one [`parse_account`]
/// accepted: the session's member guard keeps every other from the grant verbs.
pub fn principal(member: &Member) -> Principal {
    match member {
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
        Member::External { id, .. } => Principal {
            object_id: Value::str(id.clone()),
            principal_type: None,
            label: format!("principal:{id}"),
            account: None,
        },
    }
}

/// The object id of a group that members are added to.
pub fn group_object_id(group: &GroupRef) -> Value {
    match group {
        GroupRef::Created(handle) => Output::resource(handle.resource(), "objectId").into(),
        // An object id, in the lower case Entra ID stores it in (as a member's id).
        GroupRef::Existing(id) => Value::str(id.to_ascii_lowercase()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_azure_account_is_its_object_id() {
        let id = "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f";
        let member = Member::External {
            cloud: CloudName::azure(),
            id: parse_account(id).expect("a GUID"),
        };
        let principal = principal(&member);
        assert_eq!(principal.object_id, Value::str(id));
        assert_eq!(principal.principal_type, None);
        assert_eq!(principal.label, format!("principal:{id}"));
    }

    #[test]
    fn an_id_that_is_no_guid_is_refused() {
        let refused = parse_account("someone@example.org").expect_err("not a GUID");
        assert!(refused.starts_with("`someone@example.org` is not an Azure principal: "));
    }
}
