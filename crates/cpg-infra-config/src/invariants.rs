//! The configuration invariants about who may reach what: rules that no plan may break,
//! so `validate`, `plan`, `check` and compiler mode refuse a configuration that breaks
//! one (an error naming the file and key, never a finding a suppression could accept).
//! This is their list with the sentence `check --help` shows; where each rule lives is
//! ARCHITECTURE.md's "Invariants".

/// A configuration invariant about identities, projects and dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Invariant {
    /// Every identity has one owner across the organisation.
    OneOwner,
    /// A slot meant for a machine identity never holds a person.
    MachineSlot,
    /// A dataset's project or resource group is its own.
    OwnProject,
    /// A read-only dependency never grants more than a full one would.
    ReadOnlyWithinFull,
}

impl Invariant {
    /// Every invariant, in the order `check --help` lists them.
    pub const ALL: [Invariant; 4] = [
        Self::OneOwner,
        Self::MachineSlot,
        Self::OwnProject,
        Self::ReadOnlyWithinFull,
    ];

    /// Its id.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneOwner => "one-owner",
            Self::MachineSlot => "machine-slot",
            Self::OwnProject => "own-project",
            Self::ReadOnlyWithinFull => "readonly-within-full",
        }
    }

    /// What it requires, in one sentence.
    pub fn sentence(self) -> &'static str {
        match self {
            Self::OneOwner => {
                "every identity (a dataset's Hail or deployment account, an Entra principal, a user's cloud id) has one owner across the datasets loaded together: no account is two datasets' or the organisation's, no cloud id two users'"
            }
            Self::MachineSlot => {
                "a key meant for a machine identity (Hail, deployment and sample-metadata accounts, cpg.toml's accounts) never holds a person: never a registered user's id, and on each cloud an id of a machine's shape (GCP: a service account's e-mail)"
            }
            Self::OwnProject => {
                "a dataset's project or resource group is never one of the organisation's that cpg.toml names, nor another dataset's"
            }
            Self::ReadOnlyWithinFull => {
                "each group of a read-only dependant (depends_on_readonly) reads at most what it reaches under depends_on: the standard and full levels join the dependency's main-read group, the access group and every level its test-read group"
            }
        }
    }
}

impl std::fmt::Display for Invariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
