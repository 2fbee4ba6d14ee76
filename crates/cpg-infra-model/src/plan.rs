//! The plan of one dataset on one cloud, and the merge of several plans into a program.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::capability::Capabilities;
use crate::intent::Intent;
use crate::resource::Resource;
use crate::value::{Output, Source, Value};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something the plan could not create on this cloud, or chose differently; the plan is still valid.
    Warning,
    /// Information for the reader (e.g. which values cross clouds).
    Note,
    /// Something that makes the plan wrong: planning fails with the diagnostic's text
    /// ([`PlanError::Diagnosed`] from [`Plan::finish`]).
    Error,
}

impl Severity {
    /// How renderers name it: `warning`, `note`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Note => "note",
            Severity::Error => "error",
        }
    }
}

/// A message attached to a plan, e.g. "requester pays is not available on azure".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The cloud it concerns.
    pub cloud: String,
    /// The blueprint component (or resource key) it concerns.
    pub subject: String,
    /// What happened and why.
    pub message: String,
    /// Whether it is the standard warning that something the design asks for is not
    /// available on this cloud (the plugin API's `Session::unavailable`): the same for every
    /// dataset on the cloud, so summaries say it once per run with its count.
    pub unavailable: bool,
}

/// A provider function call whose result the program uses (a program variable).
#[derive(Debug, Clone, PartialEq)]
pub struct Invoke {
    /// Variable name in the program.
    pub variable: String,
    /// Function token, e.g. `gcp:organizations/getOrganization:getOrganization`.
    pub function: String,
    /// Arguments.
    pub arguments: BTreeMap<String, Value>,
}

/// Why a plan or program is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Two resources with the same logical name.
    #[error(
        "duplicate resource name `{name}` ({first} and {second}): every resource of a stack needs its own name; rename one (e.g. an additional upload bucket that collides with a generated bucket)"
    )]
    DuplicateResource {
        /// The logical name.
        name: String,
        /// Type of the first resource.
        first: String,
        /// Type of the second resource.
        second: String,
    },
    /// A cloud or the blueprint recorded an error diagnostic ([`Severity::Error`]).
    #[error("[{cloud}] {subject}: {message}")]
    Diagnosed {
        /// The cloud it concerns.
        cloud: String,
        /// What it concerns.
        subject: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// Two stack outputs with the same name but different values.
    #[error("duplicate stack output `{0}` with different values")]
    DuplicateOutput(String),
    /// Two invokes with the same variable name but different calls.
    #[error("duplicate program variable `{0}` with different invokes")]
    DuplicateVariable(String),
    /// A reference to a resource or variable that is not in the plan.
    #[error("`{from}` refers to `{to}`, which is not in the plan")]
    DanglingReference {
        /// The referring resource or output.
        from: String,
        /// The missing name.
        to: String,
    },
}

/// A role's capabilities as the organisation stated its permissions, with where it read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedRole {
    /// What the stated permissions allow.
    pub capabilities: Capabilities,
    /// Where the organisation read them.
    pub source: String,
}

/// Resources, invokes, stack outputs and diagnostics of one dataset, in creation order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// The dataset.
    pub dataset: String,
    /// Clouds whose plans are part of this one, in order.
    pub clouds: Vec<String>,
    /// Resources in creation order.
    pub resources: Vec<Resource>,
    /// Invokes (program variables).
    pub invokes: Vec<Invoke>,
    /// Stack outputs.
    pub outputs: BTreeMap<String, Value>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each cloud places the dataset's data (its storage region), by cloud, as
    /// the cloud's plugin resolved it (the dataset's `region`, else the organisation's).
    pub regions: BTreeMap<String, String>,
    /// Logical names of the buckets that hold data (the blueprint's bucket table says
    /// which); never rendered, read by the policy checks.
    data: BTreeSet<String>,
    /// Credentials the design creates for a reader outside the program (a service
    /// granted the secret that holds them), by logical name, with who that is; never
    /// rendered, read by the policy checks.
    outside_readers: BTreeMap<String, String>,
    /// What the design means each granting resource to allow (by logical name);
    /// never rendered, read by the access invariants.
    intents: BTreeMap<String, Intent>,
    /// What roles the organisation defined itself allow, as it stated them in its
    /// configuration (by the role as grants name it); they replace the plugin's committed
    /// facts for those roles. Never rendered, read by the access review.
    stated_roles: BTreeMap<String, StatedRole>,
    /// Why a cloud has no resource of a key that another cloud of the dataset has, by
    /// (cloud, key), when the design knows (a diagnostic's subject covering several
    /// keys, a counterpart under another key). Never rendered, read by the cloud
    /// comparison and `cloud-parity`.
    absences: BTreeMap<(String, String), String>,
    /// Logical names of the secrets whose contents are configuration the blueprint
    /// marked as no secret (e.g. a dataset's dropboxes for the dropbox server), kept in
    /// a secret store only to reach their reader; never rendered, read by the checks.
    configuration: BTreeSet<String>,
    index: HashMap<String, usize, BuildHasherDefault<NameHasher>>,
    errors: Vec<PlanError>,
}

impl Plan {
    /// An empty plan for `dataset` on `cloud`.
    pub fn new(dataset: &str, cloud: &str) -> Self {
        Self {
            dataset: dataset.to_owned(),
            clouds: vec![cloud.to_owned()],
            ..Self::default()
        }
    }

    /// Adds a resource. A second resource with the same name is recorded as an error
    /// (see [`Plan::finish`]) unless it is identical to the first (e.g. one stack
    /// reference used by two clouds).
    pub fn add(&mut self, resource: Resource) {
        if let Some(&i) = self.index.get(&resource.name) {
            let first = &self.resources[i];
            if first.type_token == resource.type_token && first.properties == resource.properties {
                return;
            }
            self.errors.push(PlanError::DuplicateResource {
                name: resource.name,
                first: first.type_token.to_string(),
                second: resource.type_token.to_string(),
            });
            return;
        }
        self.index
            .insert(resource.name.clone(), self.resources.len());
        self.resources.push(resource);
    }

    /// Whether a resource with this logical name is planned.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The resource with this logical name.
    pub fn get(&self, name: &str) -> Option<&Resource> {
        self.index.get(name).map(|&i| &self.resources[i])
    }

    /// The resource with this logical name, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Resource> {
        self.index.get(name).map(|&i| &mut self.resources[i])
    }

    /// Records that the resource `name` is a bucket that holds data.
    pub fn hold_data(&mut self, name: &str) {
        self.data.insert(name.to_owned());
    }

    /// Whether the resource `name` is a bucket that holds data.
    pub fn holds_data(&self, name: &str) -> bool {
        self.data.contains(name)
    }

    /// Records that the credential `name` is read outside the program by `reader`.
    pub fn read_outside(&mut self, name: &str, reader: &str) {
        self.outside_readers
            .insert(name.to_owned(), reader.to_owned());
    }

    /// Who reads the credential `name` outside the program, when the design says.
    pub fn outside_reader(&self, name: &str) -> Option<&str> {
        self.outside_readers.get(name).map(String::as_str)
    }

    /// Records what the design means the resource `name` to allow.
    pub fn intend(&mut self, name: &str, intent: Intent) {
        self.intents.insert(name.to_owned(), intent);
    }

    /// What the design means the resource `name` to allow, when recorded.
    pub fn intent(&self, name: &str) -> Option<Intent> {
        self.intents.get(name).copied()
    }

    /// Records what the organisation states the role `role` (as grants name it) allows.
    pub fn state_role(&mut self, role: &str, stated: StatedRole) {
        self.stated_roles.insert(role.to_owned(), stated);
    }

    /// What the organisation stated the role `role` allows, when it did.
    pub fn stated_role(&self, role: &str) -> Option<&StatedRole> {
        self.stated_roles.get(role)
    }

    /// Records why `cloud` has no resource of the key `key`.
    pub fn explain_absence(&mut self, cloud: &str, key: &str, reason: String) {
        self.absences
            .insert((cloud.to_owned(), key.to_owned()), reason);
    }

    /// Why `cloud` has no resource of the key `key`, when the design said.
    pub fn absence(&self, cloud: &str, key: &str) -> Option<&str> {
        self.absences
            .get(&(cloud.to_owned(), key.to_owned()))
            .map(String::as_str)
    }

    /// Records that the secret `name` holds configuration, not a credential.
    pub fn hold_configuration(&mut self, name: &str) {
        self.configuration.insert(name.to_owned());
    }

    /// Whether the secret `name` holds configuration, not a credential.
    pub fn holds_configuration(&self, name: &str) -> bool {
        self.configuration.contains(name)
    }

    /// Adds an invoke; the same invoke twice is kept once.
    pub fn add_invoke(&mut self, invoke: Invoke) {
        match self.invokes.iter().find(|i| i.variable == invoke.variable) {
            Some(existing) if *existing == invoke => {}
            Some(_) => self
                .errors
                .push(PlanError::DuplicateVariable(invoke.variable)),
            None => self.invokes.push(invoke),
        }
    }

    /// Adds a stack output.
    pub fn export(&mut self, name: &str, value: Value) {
        match self.outputs.get(name) {
            Some(existing) if *existing == value => {}
            Some(_) => self
                .errors
                .push(PlanError::DuplicateOutput(name.to_owned())),
            None => {
                self.outputs.insert(name.to_owned(), value);
            }
        }
    }

    /// Records a diagnostic.
    pub fn diagnose(&mut self, severity: Severity, cloud: &str, subject: &str, message: String) {
        self.diagnostics.push(Diagnostic {
            severity,
            cloud: cloud.to_owned(),
            subject: subject.to_owned(),
            message,
            unavailable: false,
        });
    }

    /// Records the standard warning that something is not available on `cloud`.
    pub fn diagnose_unavailable(&mut self, cloud: &str, subject: &str, message: String) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            cloud: cloud.to_owned(),
            subject: subject.to_owned(),
            message,
            unavailable: true,
        });
    }

    /// Records that `cloud` places the dataset's data in `region`.
    pub fn place(&mut self, cloud: &str, region: &str) {
        self.regions.insert(cloud.to_owned(), region.to_owned());
    }

    /// Appends another plan of the same dataset (another cloud).
    pub fn merge(&mut self, other: Plan) {
        for cloud in other.clouds {
            if !self.clouds.contains(&cloud) {
                self.clouds.push(cloud);
            }
        }
        for resource in other.resources {
            self.add(resource);
        }
        for invoke in other.invokes {
            self.add_invoke(invoke);
        }
        for (name, value) in other.outputs {
            self.export(&name, value);
        }
        self.diagnostics.extend(other.diagnostics);
        self.regions.extend(other.regions);
        self.data.extend(other.data);
        self.outside_readers.extend(other.outside_readers);
        self.intents.extend(other.intents);
        self.stated_roles.extend(other.stated_roles);
        self.absences.extend(other.absences);
        self.configuration.extend(other.configuration);
        self.errors.extend(other.errors);
    }

    /// Checks the plan: no duplicate names, every reference resolves.
    pub fn finish(self) -> Result<Plan, PlanError> {
        if let Some(error) = self.errors.first() {
            return Err(error.clone());
        }
        if let Some(d) = self
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
        {
            return Err(PlanError::Diagnosed {
                cloud: d.cloud.clone(),
                subject: d.subject.clone(),
                message: d.message.clone(),
            });
        }
        let check = |from: &str, output: &Output| -> Result<(), PlanError> {
            let known = match &output.source {
                Source::Resource(name) => self.index.contains_key(name),
                Source::Invoke(var) => self.invokes.iter().any(|i| &i.variable == var),
            };
            if known {
                Ok(())
            } else {
                let to = match &output.source {
                    Source::Resource(n) | Source::Invoke(n) => n.clone(),
                };
                Err(PlanError::DanglingReference {
                    from: from.to_owned(),
                    to,
                })
            }
        };
        for resource in &self.resources {
            for value in resource.properties.values() {
                value.try_for_each_output(&mut |output| check(&resource.name, output))?;
            }
            for dep in resource
                .options
                .depends_on
                .iter()
                .chain(&resource.options.provider)
            {
                if !self.index.contains_key(dep) {
                    return Err(PlanError::DanglingReference {
                        from: resource.name.clone(),
                        to: dep.clone(),
                    });
                }
            }
        }
        for (name, value) in &self.outputs {
            value.try_for_each_output(&mut |output| check(name, output))?;
        }
        Ok(self)
    }
}

/// A fast, non-cryptographic hasher for the plan's name index (FxHash's
/// multiply-rotate): logical names come from configuration, not from an
/// attacker, and hashing them with SipHash was a visible share of planning.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
