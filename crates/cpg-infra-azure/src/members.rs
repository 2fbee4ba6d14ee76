//! How members and groups are written in Azure inputs: directory object ids
//! with their principal type, and stable labels for deterministic names.
//!
//! Values that come from resources of the plan are references
//! (`${azure-group-x.objectId}`), never copies, so Pulumi creates the referenced
//! resource first.

use cpg_infra_abstraction::{GroupRef, Member, Output, Value};
use cpg_infra_config::{CloudName, Guid};

use crate::infra::CLOUD;

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

/// Why a member is not an Azure principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAzure {
    /// An account of another cloud (e.g. a GCP service account).
    OtherCloud {
        /// The cloud it lives on.
        cloud: CloudName,
        /// Its id there.
        id: String,
    },
    /// An Azure account whose id is not a directory object id (a GUID).
    NotAGuid {
        /// The id.
        id: String,
        /// Why it is not a GUID.
        reason: String,
    },
}

/// The external member for the Entra ID directory object `id`.
pub fn account<'b>(id: &Guid) -> Member<'b> {
    Member::External {
        cloud: CloudName::azure(),
        id: id.to_string(),
    }
}

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
        Member::External { cloud, id } if cloud.as_str() == CLOUD => {
            let id = Guid::parse(id).map_err(|reason| NotAzure::NotAGuid {
                id: id.clone(),
                reason,
            })?;
            // Entra ID stores object ids in lower case, and a membership's member id
            // replaces the membership when it changes: an id written in upper case would
            // read back changed after a refresh and replace every membership of it.
            let id = id.as_str().to_ascii_lowercase();
            Principal {
                object_id: Value::str(id.to_string()),
                principal_type: None,
                label: format!("principal:{id}"),
                account: None,
            }
        }
        Member::External { cloud, id } => {
            return Err(NotAzure::OtherCloud {
                cloud: cloud.clone(),
                id: id.clone(),
            });
        }
    })
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

    fn external(cloud: CloudName, id: &str) -> Member<'static> {
        Member::External {
            cloud,
            id: id.to_owned(),
        }
    }

    #[test]
    fn an_azure_account_is_its_object_id() {
        let id = "0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f";
        let principal = principal(&external(CloudName::azure(), id)).expect("an Azure principal");
        assert_eq!(principal.object_id, Value::str(id));
        assert_eq!(principal.principal_type, None);
        assert_eq!(principal.label, format!("principal:{id}"));
    }

    #[test]
    fn another_clouds_account_or_a_malformed_id_is_refused() {
        let gcp = external(CloudName::gcp(), "a@p.iam.gserviceaccount.com");
        assert!(matches!(
            principal(&gcp),
            Err(NotAzure::OtherCloud { cloud, .. }) if cloud == CloudName::gcp()
        ));
        assert!(matches!(
            principal(&external(CloudName::azure(), "someone@example.org")),
            Err(NotAzure::NotAGuid { id, .. }) if id == "someone@example.org"
        ));
    }
}
