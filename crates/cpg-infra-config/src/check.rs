//! `[infrastructure.check]`: the organisation's settings for `cpg-infra-driver check`,
//! the built-in policy checks. Which members outside the organisation's domain are
//! allowed ([`AllowedMember`]), and which findings are accepted on purpose
//! ([`Suppression`], each with a required reason). The policies themselves are the
//! driver's; [`PolicyId`] is their list, so an unknown id is an error at its line.

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
}

/// The position of each `[[infrastructure.check.suppress]]` entry of the `cpg.toml` text,
/// in order (empty when the text does not parse, which its own error reports).
pub(crate) fn suppression_positions(text: &str) -> Vec<Pos> {
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
        suppress: Vec<toml::Spanned<toml::Table>>,
    }
    toml::from_str::<Doc>(text)
        .ok()
        .and_then(|doc| doc.infrastructure?.check)
        .map(|check| {
            check
                .suppress
                .iter()
                .map(|entry| Pos::from_offset(text, entry.span().start))
                .collect()
        })
        .unwrap_or_default()
}

/// The built-in policies of `cpg-infra-driver check`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyId {
    /// Nothing is readable without signing in, and no account key signs requests.
    PublicAccess,
    /// Buckets that hold data are protected and keep deleted or overwritten objects.
    DataBucketProtected,
    /// Bucket access is decided for the whole bucket, never per object.
    UniformAccess,
    /// People and groups outside the organisation's domain only where allowed.
    ExternalMember,
    /// No secret value is written literally in a program.
    LiteralSecret,
    /// Machine-account keys only where another cloud must act as the account.
    UnneededKey,
    /// Every grant allows at most what the design intends (from its role's permission facts).
    AccessIntent,
    /// No person or external principal can change access or manage storage.
    PersonAdmin,
    /// A person who can change access or manage storage only through an allowance of the
    /// design (the reference's storage administrator role), said with its reason.
    PersonAdminAllowed,
    /// A grant on several clouds allows the same on each, or a diagnostic says why.
    CloudParity,
}

impl PolicyId {
    /// Every policy, in the order `check` reports them.
    pub const ALL: [PolicyId; 10] = [
        Self::PublicAccess,
        Self::DataBucketProtected,
        Self::UniformAccess,
        Self::ExternalMember,
        Self::LiteralSecret,
        Self::UnneededKey,
        Self::AccessIntent,
        Self::PersonAdmin,
        Self::PersonAdminAllowed,
        Self::CloudParity,
    ];

    /// The id as written in `cpg.toml` and in `check`'s output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PublicAccess => "public-access",
            Self::DataBucketProtected => "data-bucket-protected",
            Self::UniformAccess => "uniform-access",
            Self::ExternalMember => "external-member",
            Self::LiteralSecret => "literal-secret",
            Self::UnneededKey => "unneeded-key",
            Self::AccessIntent => "access-intent",
            Self::PersonAdmin => "person-admin",
            Self::PersonAdminAllowed => "person-admin-allowed",
            Self::CloudParity => "cloud-parity",
        }
    }
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    fn policy_ids_read_as_written() {
        for id in PolicyId::ALL {
            let parsed: PolicyId =
                serde_json::from_value(serde_json::Value::String(id.as_str().into()))
                    .expect("known id");
            assert_eq!(parsed, id);
        }
    }
}
