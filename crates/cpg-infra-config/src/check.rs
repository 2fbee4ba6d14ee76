//! `[infrastructure.check]`: the organisation's settings for `cpg-infra-driver check`,
//! the built-in policy checks. Which members outside the organisation's domain are
//! allowed ([`AllowedMember`]), and which findings are accepted on purpose
//! ([`Suppression`], each with a required reason). The policies themselves are the
//! driver's: a suppression's [`PolicyId`] is checked here for its shape only, and
//! against the registered policies where the driver loads the configuration (an
//! unknown id is an error at its line there).

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Pos;
use crate::names::{DatasetName, Email, shown};
use crate::values::Domain;

/// `[infrastructure.check]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// People and groups outside `domain` that may be granted access or group
    /// membership: an e-mail (`partner@uni.edu`) or a whole domain (`@uni.edu`).
    #[serde(default)]
    pub allowed_external_members: Vec<AllowedMember>,
    /// Findings accepted on purpose, `[[infrastructure.check.suppress]]`: each names a
    /// policy, optionally a dataset and a resource, and says why.
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// One accepted finding (or set of findings), `[[infrastructure.check.suppress]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// The policy whose findings it accepts (`public-access`, `unneeded-key`, ...).
    pub policy: PolicyId,
    /// Only this dataset's findings (default: every dataset's).
    #[serde(default)]
    pub dataset: Option<DatasetName>,
    /// Only the findings on the resource with this logical name (the program's
    /// resource name, as `check` prints it; default: every resource's).
    #[serde(default, deserialize_with = "de_resource")]
    pub resource: Option<String>,
    /// Why the finding is accepted (required, not empty): shown with every finding it
    /// suppresses.
    #[serde(deserialize_with = "de_reason")]
    pub reason: String,
    /// Where it is written in `cpg.toml` (set by [`crate::parse_cpg_toml`]), for messages.
    #[serde(skip)]
    #[schemars(skip)]
    pub at: Option<Pos>,
    /// Where its `policy` value is written (set by [`crate::parse_cpg_toml`]), for the
    /// message of an id no policy has.
    #[serde(skip)]
    #[schemars(skip)]
    pub policy_at: Option<Pos>,
}

/// The position of each `[[infrastructure.check.suppress]]` entry of the `cpg.toml` text
/// and of its `policy` value, in order (empty when the text does not parse, which its
/// own error reports).
pub(crate) fn suppression_positions(text: &str) -> Vec<(Pos, Option<Pos>)> {
    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        infrastructure: Option<Infra>,
    }
    #[derive(Deserialize)]
    struct Infra {
        #[serde(default)]
        check: Option<Check>,
    }
    #[derive(Deserialize)]
    struct Check {
        #[serde(default)]
        suppress: Vec<toml::Spanned<Entry>>,
    }
    #[derive(Deserialize)]
    struct Entry {
        #[serde(default)]
        policy: Option<toml::Spanned<toml::Value>>,
    }
    toml::from_str::<Doc>(text)
        .ok()
        .and_then(|doc| doc.infrastructure?.check)
        .map(|check| {
            check
                .suppress
                .iter()
                .map(|entry| {
                    let policy = entry.get_ref().policy.as_ref();
                    (
                        Pos::from_offset(text, entry.span().start),
                        policy.map(|value| Pos::from_offset(text, value.span().start)),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The id of a policy of `cpg-infra-driver check`, as a suppression names it
/// (`public-access`): lowercase words joined by `-`. The policies are the driver's, so
/// whether one of that id exists is checked where the driver loads the configuration.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyId(String);

impl PolicyId {
    /// Parses an id of the policy-id shape; the error says what is accepted.
    pub fn parse(s: &str) -> Result<Self, String> {
        let words_ok = !s.is_empty()
            && s.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
            && s.starts_with(|c: char| c.is_ascii_lowercase());
        if words_ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "must be a policy id, lowercase words joined by `-` (`public-access`; `cpg-infra-driver check --help` lists them), got `{}`",
                shown(s)
            ))
        }
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for PolicyId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PolicyId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for PolicyId {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("PolicyId")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": "^[a-z][a-z0-9]*(-[a-z0-9]+)*$" })
    }
}

/// An allowed member outside the organisation's domain: one e-mail address, or every
/// address of a domain (written `@domain`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AllowedMember {
    /// This address.
    Email(Email),
    /// Every address `@` this domain.
    Domain(Domain),
}

impl AllowedMember {
    /// Parses `local@domain` or `@domain`; the error says what is accepted.
    pub fn parse(s: &str) -> Result<Self, String> {
        let rule = "must be an e-mail address (`partner@uni.edu`) or `@` and a domain (`@uni.edu`)";
        match s.strip_prefix('@') {
            Some(domain) => Domain::parse(domain)
                .map(Self::Domain)
                .map_err(|_| format!("{rule}, got `{}`", shown(s))),
            None => Email::parse(s)
                .map(Self::Email)
                .map_err(|_| format!("{rule}, got `{}`", shown(s))),
        }
    }

    /// Whether `email` is this address, or an address of this domain (case-insensitive).
    pub fn allows(&self, email: &str) -> bool {
        match self {
            Self::Email(allowed) => allowed.as_str().eq_ignore_ascii_case(email),
            Self::Domain(domain) => email
                .rsplit_once('@')
                .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain.as_str())),
        }
    }
}

impl fmt::Display for AllowedMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Email(email) => write!(f, "{email}"),
            Self::Domain(domain) => write!(f, "@{domain}"),
        }
    }
}

impl Serialize for AllowedMember {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AllowedMember {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for AllowedMember {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("AllowedMember")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": "^[^@\\s]*@[^@\\s]+\\.[^@\\s]+$" })
    }
}

fn de_reason<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let reason = String::deserialize(deserializer)?;
    if reason.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "must not be empty: say why the finding is accepted",
        ));
    }
    Ok(reason)
}

fn de_resource<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let resource = String::deserialize(deserializer)?;
    if resource.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "must not be empty: give the resource's logical name, or leave the key out for every resource",
        ));
    }
    Ok(Some(resource))
}

#[cfg(test)]
mod tests {
    use super::{AllowedMember, PolicyId};

    #[test]
    fn allowed_members_are_addresses_or_domains() {
        let one = AllowedMember::parse("Partner@Uni.edu").expect("e-mail");
        assert!(one.allows("partner@uni.edu"));
        assert!(!one.allows("other@uni.edu"));
        let domain = AllowedMember::parse("@uni.edu").expect("domain");
        assert!(domain.allows("anyone@UNI.edu"));
        assert!(!domain.allows("anyone@sub.uni.edu"));
        for bad in ["uni.edu", "@", "@uni", "a@@b.c"] {
            let error = AllowedMember::parse(bad).expect_err(bad);
            assert!(error.contains("`@uni.edu`"), "{bad}: {error}");
        }
    }

    #[test]
    fn policy_ids_are_lowercase_words_joined_by_dashes() {
        for good in ["public-access", "person-admin-allowed", "rule2"] {
            let parsed: PolicyId =
                serde_json::from_value(serde_json::Value::String(good.into())).expect(good);
            assert_eq!(parsed.as_str(), good);
        }
        for bad in [
            "",
            "Public-Access",
            "public_access",
            "-x",
            "x-",
            "a--b",
            "2x",
        ] {
            let error = PolicyId::parse(bad).expect_err(bad);
            assert!(error.contains("`public-access`"), "{bad}: {error}");
        }
    }
}
