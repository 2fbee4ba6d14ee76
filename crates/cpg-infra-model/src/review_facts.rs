//! The review facts: what a planned resource means to a reviewer, in terms of the resource
//! model alone (no plugin, no registry).
//!
//! The review commands (`diff`, `access`, `check`) need to know which resources hold
//! data, which are billed, which properties change the bill, which lifecycle rules
//! delete data, who each grant gives what access to, how storage keeps data and who
//! can reach it, and which properties hold secrets. That knowledge is cloud-specific,
//! so every `CloudPlugin` (the plugin API's registry) provides a [`ReviewResource`]
//! function over these facts; the `review` module finds the plugin of a resource's type
//! token and asks it. Nothing outside the plugins matches type tokens or role names.
//!
//! The capability vocabulary (`capability.rs`) knows nothing of reviews; this module reads a
//! [`Capabilities`] set in review terms (the access level that sums it up, what applies on a
//! kind of target).

use crate::capability::{Capabilities, Capability};
use crate::resource::Resource;
use crate::value::Value;

/// What kind of thing a resource is, for a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceKind {
    /// A project (GCP).
    Project,
    /// A resource group (Azure).
    ResourceGroup,
    /// An object-storage bucket (GCP).
    Bucket,
    /// A storage account (Azure).
    StorageAccount,
    /// A blob container (Azure).
    Container,
    /// A secret vault (Azure Key Vault).
    Vault,
    /// A secret.
    Secret,
    /// A container registry or repository.
    Registry,
    /// A serverless service (Cloud Run).
    Service,
    /// An access group.
    Group,
    /// A machine account (service account, managed identity, application).
    MachineAccount,
    /// A key or password of a machine account.
    Credential,
    /// A budget.
    Budget,
    /// A grant of a role to a principal.
    Grant,
    /// A group membership.
    Membership,
    /// A reference to another stack's outputs.
    StackReference,
    /// Anything else.
    Other,
}

impl ResourceKind {
    /// Whether removing or replacing it loses data (or everything inside it).
    pub fn holds_data(self) -> bool {
        matches!(
            self,
            Self::Project
                | Self::ResourceGroup
                | Self::Bucket
                | Self::StorageAccount
                | Self::Container
                | Self::Vault
                | Self::Secret
        )
    }

    /// The kind in words (`bucket`, `storage account`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::ResourceGroup => "resource group",
            Self::Bucket => "bucket",
            Self::StorageAccount => "storage account",
            Self::Container => "container",
            Self::Vault => "vault",
            Self::Secret => "secret",
            Self::Registry => "registry",
            Self::Service => "service",
            Self::Group => "group",
            Self::MachineAccount => "machine account",
            Self::Credential => "credential",
            Self::Budget => "budget",
            Self::Grant => "grant",
            Self::Membership => "membership",
            Self::StackReference => "stack reference",
            Self::Other => "other",
        }
    }
}

/// How much a grant allows, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    /// Membership of a group (the group's own grants apply).
    Member,
    /// See that things exist (list objects, see resources).
    List,
    /// Read contents.
    Read,
    /// Add new contents without overwriting or deleting.
    Append,
    /// Change and delete contents (or act as a machine account).
    Write,
    /// Manage the resource and who can access it.
    Admin,
}

impl Access {
    /// The level in words (`read`, `admin`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::List => "list",
            Self::Read => "read",
            Self::Append => "append",
            Self::Write => "write",
            Self::Admin => "admin",
        }
    }
}

/// Who a grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    /// An access group.
    Group,
    /// A machine account.
    MachineAccount,
    /// A person.
    User,
    /// A principal of another directory or cloud, known only by its id.
    External,
    /// Anyone: the public, or every signed-in account of any organisation.
    Public,
}

impl PrincipalKind {
    /// The kind in words.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::MachineAccount => "machine account",
            Self::User => "user",
            Self::External => "external",
            Self::Public => "public",
        }
    }
}

/// One grant a resource makes: a principal gets `access` (the cloud's `role`) on a target.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// The principal (an e-mail, an object id, or a reference to a planned resource).
    pub principal: Value,
    /// What the principal is, when the resource says it (else the referenced resource tells).
    pub principal_kind: Option<PrincipalKind>,
    /// The access level.
    pub access: Access,
    /// The cloud's role, readable (`roles/storage.admin`, `Storage Blob Data Reader`).
    pub role: String,
    /// What the grant is on (a name, an id, or a reference to a planned resource).
    pub target: Value,
    /// What the target is, when the resource says it (else the referenced resource tells).
    pub target_kind: Option<ResourceKind>,
    /// What the role allows, computed from the role's permission facts (none for a
    /// membership: the group's own grants apply); `None` when the plugin has no facts
    /// for the role (then taken as every capability, and `check` fails it).
    pub capabilities: Option<Capabilities>,
    /// `Some` when the principal does not hold the access but may request it for a while.
    pub eligible: Option<Eligibility>,
}

impl Grant {
    /// What the grant allows: its capabilities, or every capability without facts.
    pub fn allows(&self) -> Capabilities {
        self.capabilities.unwrap_or_else(Capabilities::all)
    }
}

/// How access one may request is granted (a grant's [`Grant::eligible`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Eligibility {
    /// The longest one request may last, in hours, when the granting resource says it
    /// (Azure: the group's PIM policy, another resource, does).
    pub max_hours: Option<u32>,
    /// Whether each request must give a reason.
    pub justification: bool,
}

/// A lifecycle rule that deletes data after some days.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DeleteRule {
    /// Which data the rule deletes (stable across runs, e.g. `age` or `main noncurrent versions`).
    pub scope: String,
    /// After how many days.
    pub after_days: i64,
}

/// How a storage resource (bucket, container, storage account, or the settings of
/// one) keeps data and who can reach it, as its cloud says; `None` where the resource
/// does not decide it (another resource of the same storage may, see
/// [`Review::part_of`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StorageFacts {
    /// Whether overwritten and deleted objects are kept as earlier versions.
    pub versioned: Option<bool>,
    /// For how many days deleted objects can be restored (soft delete); `Some(0)`: off.
    pub soft_delete_days: Option<i64>,
    /// Whether access is decided for the whole bucket only, never per object.
    pub uniform_access: Option<bool>,
    /// Whether anyone may read contents without signing in.
    pub public_read: Option<bool>,
    /// Whether requests may be signed with the storage's shared account keys.
    pub shared_key_access: Option<bool>,
}

impl StorageFacts {
    /// These facts, with what they leave open taken from `other`.
    pub fn or(self, other: StorageFacts) -> StorageFacts {
        StorageFacts {
            versioned: self.versioned.or(other.versioned),
            soft_delete_days: self.soft_delete_days.or(other.soft_delete_days),
            uniform_access: self.uniform_access.or(other.uniform_access),
            public_read: self.public_read.or(other.public_read),
            shared_key_access: self.shared_key_access.or(other.shared_key_access),
        }
    }
}

/// What one resource means to a reviewer.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// What it is.
    pub kind: ResourceKind,
    /// Its real (cloud) name, when it has one: a bucket's name, a group's e-mail.
    pub name: Option<Value>,
    /// Whether the cloud bills for it.
    pub billable: bool,
    /// Properties whose change changes the bill (storage class, requester pays, SKU).
    pub cost_properties: &'static [&'static str],
    /// Lifecycle rules that delete data.
    pub delete_rules: Vec<DeleteRule>,
    /// Grants the resource makes.
    pub grants: Vec<Grant>,
    /// The blueprint's key of the resource when its logical name adds a cloud's own
    /// prefix or suffix (Azure's `azure-`, GCP's mutator grants' `-no-bucket-deletion`),
    /// so that the same grant on two clouds pairs up; `None` when the logical name is the
    /// key.
    pub key: Option<String>,
    /// How it keeps data and who can reach it, when it is (part of) storage.
    pub storage: StorageFacts,
    /// The resource it is part of or configures (a container's storage account, the
    /// account's blob-service settings), as a reference: the storage facts of that
    /// resource and of the others part of it apply to this one where its own are `None`.
    pub part_of: Option<Value>,
    /// Dotted paths of the properties that hold secret values (`secretData`,
    /// `properties.value`): they must come from another resource, never be literal.
    pub secret_inputs: &'static [&'static str],
}

impl Review {
    /// A resource of `kind` with no name, cost or grants.
    pub fn of(kind: ResourceKind) -> Self {
        Self {
            kind,
            name: None,
            billable: false,
            cost_properties: &[],
            delete_rules: Vec::new(),
            grants: Vec::new(),
            key: None,
            storage: StorageFacts::default(),
            part_of: None,
            secret_inputs: &[],
        }
    }

    /// Sets the real name to a property of `resource`, when present.
    pub fn named(mut self, resource: &Resource, property: &str) -> Self {
        self.name = resource.properties.get(property).cloned();
        self
    }

    /// Marks it billed, with the properties that change the bill.
    pub fn billed(mut self, cost_properties: &'static [&'static str]) -> Self {
        self.billable = true;
        self.cost_properties = cost_properties;
        self
    }
}

/// What a cloud plugin says about one of its resources.
pub type ReviewResource = fn(&Resource) -> Review;

/// The field `key` of an object value.
pub fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(key),
        _ => None,
    }
}

/// The literal text of a string value.
pub fn literal(value: &Value) -> Option<&str> {
    match value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// Splits a principal written as `prefix:rest` (a literal, or a literal prefix followed
/// by a reference) into the prefix and the rest.
pub fn split_prefixed(value: &Value) -> Option<(&str, Value)> {
    match value {
        Value::Str(s) => s
            .split_once(':')
            .map(|(prefix, rest)| (prefix, Value::str(rest))),
        Value::Concat(parts) => match parts.as_slice() {
            // `serviceAccount:` + an id, or `serviceAccount:service-org-` + an id + a
            // domain: the prefix ends at the first literal part's first `:`.
            [Value::Str(first), rest @ ..] => {
                let (prefix, after) = first.split_once(':')?;
                let mut parts: Vec<Value> = Vec::with_capacity(rest.len() + 1);
                if !after.is_empty() {
                    parts.push(Value::str(after));
                }
                parts.extend(rest.iter().cloned());
                let rest = match parts.as_slice() {
                    [one] => one.clone(),
                    _ => Value::Concat(parts),
                };
                Some((prefix, rest))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Capabilities in a reviewer's terms: the access level that sums a set up, and the
/// capabilities that can apply on a kind of target.
impl Capabilities {
    /// The access level that sums the set up: admin for managing storage, compute or
    /// access; write for deleting objects, writing secrets, running compute or acting
    /// as an identity; append for creating; read for reading, viewing or using a
    /// service; list otherwise.
    pub fn access(self) -> Access {
        use Capability as C;
        let any = |cs: &[Capability]| cs.iter().any(|c| self.contains(*c));
        if any(&[C::ManageStorage, C::ManageCompute, C::ChangeAccess]) {
            Access::Admin
        } else if any(&[C::DeleteObjects, C::WriteSecret, C::RunCompute, C::ActAs]) {
            Access::Write
        } else if any(&[C::Create]) {
            Access::Append
        } else if any(&[C::Read, C::ReadSecret, C::View, C::UseService]) {
            Access::Read
        } else {
            Access::List
        }
    }

    /// The capabilities that can apply to a target of `kind`: a role's permissions act
    /// only on the resources under the scope it is granted on (a role that could pull
    /// images pulls none on a bucket). Projects, resource groups and unknown targets
    /// can hold anything.
    pub fn on(self, kind: ResourceKind) -> Capabilities {
        use Capability as C;
        let applicable: &[Capability] = match kind {
            ResourceKind::Bucket
            | ResourceKind::Container
            | ResourceKind::StorageAccount
            | ResourceKind::Registry => &[
                C::List,
                C::Read,
                C::Create,
                C::DeleteObjects,
                C::ManageStorage,
                C::ChangeAccess,
                C::View,
            ],
            ResourceKind::Vault | ResourceKind::Secret => &[
                C::ReadSecret,
                C::WriteSecret,
                C::ManageStorage,
                C::ChangeAccess,
                C::View,
            ],
            ResourceKind::MachineAccount => &[C::ActAs, C::ChangeAccess, C::View],
            ResourceKind::Service => &[C::UseService, C::ChangeAccess, C::View],
            ResourceKind::Group => &[C::ChangeAccess, C::View],
            _ => return self,
        };
        self.intersection(Capabilities::of(applicable))
    }
}

#[cfg(test)]
mod tests {
    use super::Access;
    use crate::capability::{Capabilities, Capability};

    #[test]
    fn access_sums_up_the_strongest_capability() {
        use Capability as C;
        assert_eq!(Capabilities::of(&[C::List]).access(), Access::List);
        assert_eq!(Capabilities::of(&[C::List, C::Read]).access(), Access::Read);
        assert_eq!(
            Capabilities::of(&[C::Read, C::Create]).access(),
            Access::Append
        );
        assert_eq!(
            Capabilities::of(&[C::Create, C::DeleteObjects]).access(),
            Access::Write
        );
        assert_eq!(
            Capabilities::of(&[C::Read, C::ChangeAccess]).access(),
            Access::Admin
        );
        assert_eq!(
            Capabilities::of(&[C::Read, C::Create]).to_string(),
            "read create"
        );
        assert_eq!(Capabilities::NONE.to_string(), "-");
    }
}
