//! The built-in policies of `check` (and `validate`; `plan` fails on the access
//! invariants too), one module per policy: each declares its [`Policy`] (the id
//! `cpg.toml`'s suppressions name, its severity, the sentence `check --help` and the
//! SARIF rules show, and its [`Rule`]), and [`POLICIES`] registers them, in the order
//! `check` reports them. Everything that lists the policies reads [`POLICIES`]: the
//! checks themselves, `check --help`, the SARIF rule list, the ids a suppression may
//! name ([`unknown_policies`]) and the JSON Schema of `cpg.toml` ([`describe_in_schema`]).
//!
//! A new policy is a module here that declares `pub static POLICY: Policy`, and one
//! line in the `policies!` list below.

use std::cmp::Ordering;
use std::fmt;

use cpg_infra_abstraction::{
    Access, Capabilities, Capability, Grant, Plan, PrincipalKind, Resource, Review, Source,
};
use cpg_infra_config::{ConfigError, InfrastructureConfig};
use serde_json::{Value as Json, json};

use super::access::Row;
use super::check::Severity;
use super::names::{Reviewed, principal_kind};
use storage::StorageGroups;

pub mod storage;

/// Declares each policy module and registers its `POLICY` in [`POLICIES`], in order.
macro_rules! policies {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*
        /// Every policy, in the order `check` reports them.
        pub static POLICIES: &[&Policy] = &[$(&$module::POLICY),*];
    };
}

policies![
    public_access,
    data_bucket_protected,
    uniform_access,
    external_member,
    literal_secret,
    unneeded_key,
    access_intent,
    person_admin,
    person_admin_allowed,
    cloud_parity,
];

/// A built-in policy of `check`.
#[derive(Debug)]
pub struct Policy {
    /// Its id, as `check` prints it and a suppression names it (`public-access`).
    pub id: &'static str,
    /// How serious its findings are.
    pub severity: Severity,
    /// What it requires, in one sentence (`check --help`, SARIF, the JSON Schema).
    pub sentence: &'static str,
    /// What it checks.
    pub rule: Rule,
    /// Whether it is an access invariant: `plan` fails on its unsuppressed findings too.
    pub access_invariant: bool,
}

/// How a policy looks at a plan.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// On each managed resource of a plan.
    Resource(fn(&Subject, &mut Report)),
    /// On a plan's own grants (its direct access rows).
    Plan(fn(&PlanGrants, &mut GrantReport)),
    /// On access rows with the group memberships expanded: those of each plan, and
    /// those of every checked dataset together (a dependant's groups inside a
    /// dependency's groups).
    Grants(fn(&[Row], &mut GrantReport)),
}

impl Policy {
    /// Its position in [`POLICIES`] (the order findings are reported in).
    pub fn index(&self) -> usize {
        POLICIES
            .iter()
            .position(|p| std::ptr::eq(*p, self))
            .unwrap_or(POLICIES.len())
    }
}

impl PartialEq for Policy {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Policy {}

impl PartialOrd for Policy {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Policy {
    fn cmp(&self, other: &Self) -> Ordering {
        self.index().cmp(&other.index()).then(self.id.cmp(other.id))
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// The registered policy with the id `id`.
pub fn by_id(id: &str) -> Option<&'static Policy> {
    POLICIES.iter().copied().find(|p| p.id == id)
}

/// The suppressions of `config` that name no registered policy, one error each at the
/// policy's place in `origin` (the configuration file), with the key path.
pub fn unknown_policies(config: &InfrastructureConfig, origin: &str) -> Vec<ConfigError> {
    let ids: Vec<&str> = POLICIES.iter().map(|p| p.id).collect();
    config
        .check
        .suppress
        .iter()
        .filter(|s| by_id(s.policy.as_str()).is_none())
        .map(|s| {
            let suggestion = cpg_infra_config::error::did_you_mean(
                s.policy.as_str(),
                ids.iter().copied(),
                |id| format!("`{id}`"),
            );
            let known: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            ConfigError::Key {
                origin: origin.to_owned(),
                pos: s.policy_at.or(s.at),
                key: "infrastructure.check.suppress.policy".to_owned(),
                message: format!(
                    "unknown policy `{}`, expected one of {} (`cpg-infra-driver check --help` says what each requires){suggestion}",
                    s.policy,
                    known.join(", ")
                ),
            }
        })
        .collect()
}

/// Writes the registered policies into the JSON Schema of `cpg.toml`: the ids a
/// suppression may name, each with its sentence.
pub fn describe_in_schema(schema: &mut Json) {
    let ids: Vec<Json> = POLICIES
        .iter()
        .map(|p| json!({ "type": "string", "const": p.id, "description": p.sentence }))
        .collect();
    schema["$defs"]["PolicyId"] = json!({
        "oneOf": ids,
        "description": "A policy of `cpg-infra-driver check` (`check --help` says what each requires).",
    });
}

/// One managed resource of a plan, with everything a rule may ask about it.
pub struct Subject<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The plan's reviews and readable names.
    pub reviewed: &'a Reviewed<'a>,
    /// The storage facts joined over each storage.
    pub storage: &'a StorageGroups<'a>,
    /// The organisation's configuration.
    pub config: &'a InfrastructureConfig,
    /// The resource.
    pub resource: &'a Resource,
    /// What the resource means (from its plugin).
    pub review: &'a Review,
    /// The cloud of the resource (empty for Pulumi's own types).
    pub cloud: &'static str,
}

/// Where a resource rule reports a finding: what is wrong and what to do.
pub type Report<'r> = dyn FnMut(String) + 'r;

/// A plan's grants, for a [`Rule::Plan`].
pub struct PlanGrants<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The plan's reviews and readable names.
    pub reviewed: &'a Reviewed<'a>,
    /// The plan's direct access rows (memberships not expanded).
    pub direct: &'a [Row],
}

/// Where a grant rule reports a finding: the access row it is about, and what is wrong
/// and what to do.
pub type GrantReport<'r> = dyn FnMut(&Row, String) + 'r;

/// What no person may hold.
const NEVER_FOR_PEOPLE: [Capability; 2] = [Capability::ChangeAccess, Capability::ManageStorage];

/// The grants of `rows` (memberships aside) to a person or an external principal.
fn granted_to_people(rows: &[Row]) -> impl Iterator<Item = &Row> {
    rows.iter().filter(|r| {
        r.access != Access::Member
            && matches!(
                r.principal_kind,
                PrincipalKind::User | PrincipalKind::External
            )
    })
}

/// The grants of `rows` to a person or an external principal that give something no
/// person may hold, with what of it they give.
fn held_by_people(rows: &[Row]) -> impl Iterator<Item = (&Row, Capabilities)> {
    granted_to_people(rows)
        .map(|r| {
            (
                r,
                r.capabilities
                    .intersection(Capabilities::of(&NEVER_FOR_PEOPLE)),
            )
        })
        .filter(|(_, held)| !held.is_empty())
}

/// Who a grant is for and what it gives, readable: the principal's kind, its name and
/// `read (role) on target` (or `membership of target`).
fn parties(subject: &Subject, grant: &Grant) -> (PrincipalKind, String, String) {
    let reviewed = subject.reviewed;
    let kind = grant
        .principal_kind
        .or_else(|| principal_kind(reviewed.kind_of(&grant.principal)))
        .unwrap_or(PrincipalKind::External);
    let principal = reviewed.readable(&grant.principal);
    let target = reviewed.readable(&grant.target);
    let what = match grant.access {
        Access::Member => format!("membership of {target}"),
        access => format!("{} ({}) on {target}", access.as_str(), grant.role),
    };
    (kind, principal, what)
}

/// Whether a property of `reader` refers to the resource `name`.
fn reads(reader: &Resource, name: &str) -> bool {
    reader.properties.values().any(|value| {
        value
            .outputs()
            .iter()
            .any(|output| matches!(&output.source, Source::Resource(n) if n == name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_is_registered_once_with_an_id_a_suppression_can_name() {
        let mut ids: Vec<&str> = POLICIES.iter().map(|p| p.id).collect();
        for (i, policy) in POLICIES.iter().enumerate() {
            assert_eq!(policy.index(), i);
            assert!(
                cpg_infra_config::PolicyId::parse(policy.id).is_ok(),
                "{policy}"
            );
            assert!(!policy.sentence.is_empty(), "{policy}");
            assert_eq!(by_id(policy.id).map(Policy::index), Some(i));
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), POLICIES.len(), "an id registered twice");
    }

    #[test]
    fn the_schema_names_the_registered_policies() {
        let mut schema = cpg_infra_config::cpg_toml_schema(&[]);
        describe_in_schema(&mut schema);
        let ids: Vec<&str> = schema["$defs"]["PolicyId"]["oneOf"]
            .as_array()
            .expect("oneOf")
            .iter()
            .map(|p| p["const"].as_str().expect("const"))
            .collect();
        let registered: Vec<&str> = POLICIES.iter().map(|p| p.id).collect();
        assert_eq!(ids, registered);
        assert_eq!(
            schema["$defs"]["Suppression"]["properties"]["policy"]["$ref"],
            "#/$defs/PolicyId"
        );
    }
}
