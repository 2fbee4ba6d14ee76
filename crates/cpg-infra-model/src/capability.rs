//! What a principal can do, in words that are the same on every cloud.
//!
//! A cloud's role is a list of permissions (GCP permission names, Azure actions and
//! data actions); each plugin keeps those lists as committed facts with their source
//! and maps permissions to [`Capability`]s (its `permissions.rs`). Reviews, `access`
//! and the invariants of `check` reason in capabilities only, so "who can delete this
//! data" has one answer whatever the cloud. What the design means each grant to allow
//! is a [`Capabilities`] set too (the requests' `capabilities`), so a grant can be held
//! against it.

use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

/// One thing a principal can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    /// See that objects (or containers, resources) exist: list them and their metadata.
    List,
    /// Read contents: objects, blobs, container images.
    Read,
    /// Add new objects or images, without overwriting or deleting any.
    Create,
    /// Overwrite or delete objects or images (data can be lost).
    DeleteObjects,
    /// Delete or reconfigure the storage itself (a bucket, container, storage account,
    /// vault or repository; its settings, lifecycle or keys).
    ManageStorage,
    /// Change who has access (IAM policies, role assignments, per-object ACLs).
    ChangeAccess,
    /// Read a secret's value.
    ReadSecret,
    /// Add, replace or destroy a secret's values.
    WriteSecret,
    /// See resources' settings, logs and metrics (no data).
    View,
    /// Call a service or bill API use to a project (invoke a service, use an API).
    UseService,
    /// Run jobs or workflows on compute (as a worker or a workflow runner).
    RunCompute,
    /// Create, delete or reconfigure compute (clusters, virtual machines) and its access.
    ManageCompute,
    /// Act as a machine identity (use it, attach it, mint its tokens).
    ActAs,
}

impl Capability {
    /// Every capability, in the order they are shown.
    pub const ALL: [Capability; 13] = [
        Self::List,
        Self::Read,
        Self::Create,
        Self::DeleteObjects,
        Self::ManageStorage,
        Self::ChangeAccess,
        Self::ReadSecret,
        Self::WriteSecret,
        Self::View,
        Self::UseService,
        Self::RunCompute,
        Self::ManageCompute,
        Self::ActAs,
    ];

    /// The capability's name, as `access --capability` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Read => "read",
            Self::Create => "create",
            Self::DeleteObjects => "delete-objects",
            Self::ManageStorage => "manage-storage",
            Self::ChangeAccess => "change-access",
            Self::ReadSecret => "read-secret",
            Self::WriteSecret => "write-secret",
            Self::View => "view",
            Self::UseService => "use-service",
            Self::RunCompute => "run-compute",
            Self::ManageCompute => "manage-compute",
            Self::ActAs => "act-as",
        }
    }

    /// What it means, in a sentence fragment (for `--help`).
    pub fn meaning(self) -> &'static str {
        match self {
            Self::List => "see that objects exist",
            Self::Read => "read objects",
            Self::Create => "add new objects",
            Self::DeleteObjects => "overwrite or delete objects",
            Self::ManageStorage => "delete or reconfigure the storage itself",
            Self::ChangeAccess => "change who has access",
            Self::ReadSecret => "read a secret",
            Self::WriteSecret => "write or destroy a secret",
            Self::View => "see settings, logs and metrics",
            Self::UseService => "call a service or use an API",
            Self::RunCompute => "run jobs on compute",
            Self::ManageCompute => "create, delete or reconfigure compute",
            Self::ActAs => "act as a machine identity",
        }
    }

    /// The capability of a name (`delete-objects`); the error lists the names.
    pub fn parse(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown capability `{name}`: expected one of {}",
                    names.join(", ")
                )
            })
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of capabilities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Capabilities(u16);

impl Capabilities {
    /// No capability (a group membership: the group's own grants apply).
    pub const NONE: Capabilities = Capabilities(0);

    /// The set of `capabilities`.
    pub fn of(capabilities: &[Capability]) -> Self {
        Self(capabilities.iter().fold(0, |bits, c| bits | c.bit()))
    }

    /// Every capability (what a role without facts is taken to allow).
    pub fn all() -> Self {
        Self::of(&Capability::ALL)
    }

    /// Whether `capability` is in the set.
    pub fn contains(self, capability: Capability) -> bool {
        self.0 & capability.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Both sets together.
    pub fn union(self, other: Capabilities) -> Self {
        Self(self.0 | other.0)
    }

    /// What is in this set and not in `other`.
    pub fn minus(self, other: Capabilities) -> Self {
        Self(self.0 & !other.0)
    }

    /// What both sets have.
    pub fn intersection(self, other: Capabilities) -> Self {
        Self(self.0 & other.0)
    }

    /// Adds `capability`.
    pub fn insert(&mut self, capability: Capability) {
        self.0 |= capability.bit();
    }

    /// The capabilities, in [`Capability::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
}

impl fmt::Display for Capabilities {
    /// The names, separated by spaces (`list read create`); `-` for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("-");
        }
        let names: Vec<&str> = self.iter().map(Capability::as_str).collect();
        f.write_str(&names.join(" "))
    }
}

/// Whether an Azure-style operation pattern (`*` matches any run of characters,
/// case-insensitive) matches `operation`.
pub fn pattern_matches(pattern: &str, operation: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let operation = operation.to_ascii_lowercase();
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == operation;
    };
    let Some(mut rest) = operation.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A plugin's permission facts file (`data/role-permissions.toml`): its roles, in the
/// plugin's own shape `R` (what its cloud publishes about a role), and its memberships.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionFacts<R> {
    /// The roles.
    pub role: Vec<R>,
    /// The membership roles.
    pub membership: Vec<MembershipFacts>,
}

/// The value `parse` gives, computed once into `cell` (committed facts parsed on first
/// use); `Err` is the parse's message, which a test of the plugin rules out.
pub fn parsed_once<T>(
    cell: &'static OnceLock<Result<T, String>>,
    parse: impl FnOnce() -> Result<T, String>,
) -> Result<&'static T, &'static str> {
    cell.get_or_init(parse).as_ref().map_err(String::as_str)
}

/// The facts of a group membership role, as each plugin's permission facts file records
/// them (`[[membership]]`): the same on every cloud, since a membership's own grants are
/// the group's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipFacts {
    /// The membership role (`MEMBER` on GCP, `member` on Entra).
    pub name: String,
    /// Where its meaning is documented.
    pub source: String,
    /// When.
    pub retrieved: String,
    /// Whether a member with it may change the group's members.
    pub manages_members: bool,
}

impl MembershipFacts {
    /// What the membership allows on the group itself: changing its members where the
    /// role manages them, else nothing (the group's grants apply to the member).
    pub fn capabilities(&self) -> Capabilities {
        if self.manages_members {
            Capabilities::of(&[Capability::ChangeAccess])
        } else {
            Capabilities::NONE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Capability, pattern_matches};

    #[test]
    fn names_round_trip_and_unknown_names_list_the_known() {
        for c in Capability::ALL {
            assert_eq!(Capability::parse(c.as_str()), Ok(c));
        }
        let error = Capability::parse("delete").expect_err("unknown");
        assert!(error.contains("delete-objects"), "{error}");
    }

    #[test]
    fn patterns_match_like_azure_actions() {
        assert!(pattern_matches(
            "*/read",
            "Microsoft.Compute/virtualMachines/read"
        ));
        assert!(!pattern_matches(
            "*/read",
            "Microsoft.Compute/virtualMachines/write"
        ));
        assert!(pattern_matches(
            "Microsoft.KeyVault/vaults/secrets/*",
            "microsoft.keyvault/vaults/secrets/getSecret/action"
        ));
        assert!(pattern_matches("a/b", "A/B"));
        assert!(!pattern_matches("a/b", "a/bc"));
        assert!(pattern_matches("*", "anything"));
    }
}
