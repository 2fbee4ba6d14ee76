//! Validated name types: dataset names, e-mail addresses, GCP project ids, cloud names,
//! bucket names, user keys and organisation group names.
//!
//! Each type can only hold a value that passed its rule; `parse` says which rule failed.
//! They serialize as plain strings and validate when deserialized.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A name or address that does not follow its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} `{shown}`: {reason}; {rule}", shown = shown(value))]
pub struct NameError {
    /// What was being parsed, e.g. `dataset name`.
    pub kind: &'static str,
    /// The rejected value.
    pub value: String,
    /// Which rule failed.
    pub reason: String,
    /// The full rule, telling what a valid value looks like.
    pub rule: &'static str,
}

/// Escapes and shortens a value for display in an error message.
pub fn shown(value: &str) -> String {
    const MAX: usize = 80;
    let mut out: String = value
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().count() > MAX {
        out.push('…');
    }
    out
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// The rule of a name that ends a bucket name (an upload bucket's name, a dropbox's
/// id): 1 to 20 lowercase letters, digits and hyphens, starting and ending with a
/// letter or digit.
fn short_bucket_suffix(s: &str) -> Result<(), String> {
    let len = s.chars().count();
    if !(1..=20).contains(&len) {
        return Err(format!("must be 1 to 20 characters long, got {len}"));
    }
    if let Some(c) = s.chars().find(|&c| !(is_lower_alnum(c) || c == '-')) {
        return Err(format!("contains `{}`", c.escape_debug()));
    }
    if !s.starts_with(is_lower_alnum) || !s.ends_with(is_lower_alnum) {
        return Err("must start and end with a lowercase letter or digit".to_string());
    }
    Ok(())
}

/// `min` to `max` lowercase letters, digits, dots, underscores and hyphens, starting and
/// ending with a letter or digit (bucket names, user keys).
fn check_dotted(s: &str, min: usize, max: usize) -> Result<(), String> {
    let len = s.chars().count();
    if !(min..=max).contains(&len) {
        return Err(format!("must be {min} to {max} characters long, got {len}"));
    }
    if let Some(c) = s
        .chars()
        .find(|&c| !(is_lower_alnum(c) || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!("contains `{}`", c.escape_debug()));
    }
    if !s.starts_with(is_lower_alnum) || !s.ends_with(is_lower_alnum) {
        return Err("must start and end with a lowercase letter or digit".to_string());
    }
    Ok(())
}

/// Checks the shared shape `[a-z][a-z0-9-]*` ending in a letter or digit, within `min..=max`.
fn check_slug(s: &str, min: usize, max: usize) -> Result<(), String> {
    let len = s.chars().count();
    if len < min || len > max {
        return Err(format!("must be {min} to {max} characters long, got {len}"));
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() => {}
        Some(c) => {
            return Err(format!(
                "must start with a lowercase letter, not `{}`",
                c.escape_debug()
            ));
        }
        None => return Err("must not be empty".to_string()),
    }
    if let Some(c) = s.chars().find(|&c| !(is_lower_alnum(c) || c == '-')) {
        return Err(format!(
            "contains `{}`; only lowercase letters, digits and hyphens are allowed",
            c.escape_debug()
        ));
    }
    let last = s.chars().last().unwrap_or('-');
    if !is_lower_alnum(last) {
        return Err("must end with a lowercase letter or a digit".to_string());
    }
    Ok(())
}

/// What every validated string newtype `$ty(String)` has: `as_str`, `Display`, `AsRef<str>`
/// and serializing as the plain string (used by `name_type!` here and `checked_string!` in
/// `values.rs`).
macro_rules! string_newtype {
    ($ty:ident) => {
        impl $ty {
            /// The validated value.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
    };
}

pub(crate) use string_newtype;

macro_rules! name_type {
    ($(#[$meta:meta])* $ty:ident, $kind:literal, $rule:literal, $pattern:literal, $check:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(String);

        impl $ty {
            /// What a valid value looks like.
            pub const RULE: &'static str = $rule;

            /// Validates `s` and wraps it.
            pub fn parse(s: &str) -> Result<Self, NameError> {
                let check: fn(&str) -> Result<(), String> = $check;
                match check(s) {
                    Ok(()) => Ok(Self(s.to_string())),
                    Err(reason) => Err(NameError {
                        kind: $kind,
                        value: s.to_string(),
                        reason,
                        rule: $rule,
                    }),
                }
            }
        }

        string_newtype!($ty);

        impl std::str::FromStr for $ty {
            type Err = NameError;
            fn from_str(s: &str) -> Result<Self, NameError> {
                Self::parse(s)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = Cow::<'de, str>::deserialize(deserializer)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($ty))
            }

            fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $rule,
                })
            }
        }
    };
}

name_type!(
    /// The name of a dataset: lowercase letters, digits and hyphens, starting with a letter
    /// and ending with a letter or digit, [`DatasetName::MIN_LEN`] to
    /// [`DatasetName::MAX_LEN`] characters. The one rule for every source (stack files,
    /// TOML, `PULUMI_CONFIG`, `new-dataset`) and the JSON Schemas.
    DatasetName,
    "dataset name",
    "a dataset name uses lowercase letters, digits and hyphens, starts with a letter, ends with a letter or digit and is 2 to 21 characters long (the longest name derived from it, the GCP service account `notebook-<dataset>`, may have 30)",
    "^[a-z]([a-z0-9-]{0,19}[a-z0-9])$",
    |s| check_slug(s, DatasetName::MIN_LEN, DatasetName::MAX_LEN)
);

impl DatasetName {
    /// The shortest dataset name.
    pub const MIN_LEN: usize = 2;
    /// The longest dataset name: the longest name the blueprint derives from a dataset name
    /// is the GCP service-account id `notebook-<dataset>`, which GCP limits to 30
    /// characters (the GCP plugin asserts that the two agree).
    pub const MAX_LEN: usize = 30 - "notebook-".len();
}

fn check_email(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".to_string());
    }
    if let Some(c) = s.chars().find(|c| !c.is_ascii()) {
        return Err(format!("contains the non-ASCII character `{c}`"));
    }
    if s.chars()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
    {
        return Err("contains whitespace or a control character".to_string());
    }
    let ats = s.matches('@').count();
    if ats != 1 {
        return Err(format!("must contain exactly one `@`, found {ats}"));
    }
    let (local, domain) = s.split_once('@').unwrap_or((s, ""));
    if local.is_empty() {
        return Err("the part before `@` is empty".to_string());
    }
    if !domain.contains('.') {
        return Err(format!("the domain `{domain}` has no dot"));
    }
    if domain.split('.').any(str::is_empty) {
        return Err(format!("the domain `{domain}` has an empty label"));
    }
    if s.len() > 254 {
        return Err(format!(
            "is {} characters long, at most 254 allowed",
            s.len()
        ));
    }
    Ok(())
}

name_type!(
    /// An e-mail address (of a person, a group or a service account), e.g.
    /// `deploy@alpha-study-4821.iam.gserviceaccount.com`.
    Email,
    "e-mail address",
    "an e-mail address looks like local@domain.tld: ASCII, no whitespace, exactly one `@`",
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
    check_email
);

impl Email {
    /// Whether this is a Google Cloud service account (`*.iam.gserviceaccount.com`).
    pub fn is_service_account(&self) -> bool {
        self.0.ends_with(".iam.gserviceaccount.com")
    }
}

name_type!(
    /// A Google Cloud project id, e.g. `alpha-study-4821`: 6 to 30 characters, lowercase
    /// letters, digits and hyphens, starting with a letter, not ending with a hyphen.
    GcpProjectId,
    "GCP project id",
    "a GCP project id is 6 to 30 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit",
    "^[a-z][a-z0-9-]{4,28}[a-z0-9]$",
    |s| check_slug(s, 6, 30)
);

name_type!(
    /// The name of a cloud a dataset deploys to, e.g. `gcp` or `azure`.
    ///
    /// Only the shape is checked here; whether the cloud is supported is the driver's concern.
    CloudName,
    "cloud name",
    "a cloud name (e.g. `gcp`, `azure`) is 1 to 32 lowercase letters, digits and hyphens, starting with a letter",
    "^[a-z][a-z0-9-]{0,31}$",
    |s| {
        let len = s.chars().count();
        if !(1..=32).contains(&len) {
            return Err(format!("must be 1 to 32 characters long, got {len}"));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("must start with a lowercase letter".to_string());
        }
        match s.chars().find(|&c| !(is_lower_alnum(c) || c == '-')) {
            Some(c) => Err(format!(
                "contains `{}`; only lowercase letters, digits and hyphens are allowed",
                c.escape_debug()
            )),
            None => Ok(()),
        }
    }
);

impl CloudName {
    /// Google Cloud Platform, `gcp`.
    pub fn gcp() -> Self {
        Self("gcp".to_string())
    }

    /// Microsoft Azure, `azure`.
    pub fn azure() -> Self {
        Self("azure".to_string())
    }
}

name_type!(
    /// A storage bucket name (GCS rules): 3 to 63 characters of lowercase letters, digits,
    /// `.`, `_` and `-`, starting and ending with a letter or digit.
    BucketName,
    "bucket name",
    "a bucket name is 3 to 63 lowercase letters, digits, dots, underscores and hyphens, starting and ending with a letter or digit",
    "^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$",
    |s| check_dotted(s, 3, 63)
);

name_type!(
    /// The key of a user in the organisation's registry (`[infrastructure.users.<key>]`),
    /// e.g. `alex.smith`: 1 to 64 lowercase letters, digits, dots, underscores and hyphens,
    /// starting and ending with a letter or digit.
    UserKey,
    "user key",
    "a user key is 1 to 64 lowercase letters, digits, dots, underscores and hyphens, starting and ending with a letter or digit",
    "^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$",
    |s| check_dotted(s, 1, 64)
);

name_type!(
    /// The name of an organisation group (`[[infrastructure.adhoc_groups]]`), e.g.
    /// `data-managers`: 2 to 60 lowercase letters, digits and hyphens, starting with a
    /// letter and ending with a letter or digit.
    AdhocGroupName,
    "group name",
    "a group name is 2 to 60 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit",
    "^[a-z][a-z0-9-]{0,58}[a-z0-9]$",
    |s| check_slug(s, 2, 60)
);

// ---- upload config ----
name_type!(
    /// The name of an additional upload bucket of `upload_config` (the bucket is
    /// `<prefix><dataset>-main-upload-<name>`): 1 to 20 lowercase letters, digits and
    /// hyphens, starting and ending with a letter or digit.
    UploadBucketName,
    "upload bucket name",
    "an upload bucket name is 1 to 20 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
    "^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$",
    short_bucket_suffix
);

name_type!(
    /// The id of an upload dropbox (`upload_config.dropboxes[].id`): its bucket is
    /// `<prefix><dataset>-main-upload-db-<id>`.
    DropboxId,
    "dropbox id",
    "a dropbox id is 1 to 20 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
    "^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$",
    short_bucket_suffix
);

// ---- per-dataset region ----
name_type!(
    /// A cloud region or location, e.g. `australia-southeast2` (GCP) or
    /// `australiasoutheast` (Azure): 2 to 40 lowercase letters, digits and hyphens,
    /// starting with a letter.
    Region,
    "region",
    "a region is 2 to 40 lowercase letters, digits and hyphens, starting with a letter",
    "^[a-z][a-z0-9-]{1,39}$",
    |s| {
        let len = s.chars().count();
        if !(2..=40).contains(&len) {
            return Err(format!("must be 2 to 40 characters long, got {len}"));
        }
        if let Some(c) = s.chars().find(|&c| !(is_lower_alnum(c) || c == '-')) {
            return Err(format!("contains `{}`", c.escape_debug()));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("must start with a lowercase letter".to_string());
        }
        Ok(())
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_names() {
        for ok in ["ab", "alpha-study", "ravenscroft-rdstudy", "a1", "x--y"] {
            assert!(DatasetName::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "1abc",
            "Alpha",
            "alpha-",
            "al_pha",
            "a b",
            &"a".repeat(22),
        ] {
            assert!(DatasetName::parse(bad).is_err(), "{bad}");
        }
        // The rule's text and pattern state the same limits as the check.
        let (min, max) = (DatasetName::MIN_LEN, DatasetName::MAX_LEN);
        assert_eq!(max, 21);
        assert!(DatasetName::RULE.contains(&format!(" {min} to {max} characters")));
        let pattern = format!("^[a-z]([a-z0-9-]{{0,{}}}[a-z0-9])$", max - 2);
        let schema = serde_json::to_value(schemars::schema_for!(DatasetName)).unwrap();
        assert_eq!(schema["pattern"], pattern.as_str(), "{schema}");
        assert!(DatasetName::parse(&"a".repeat(max)).is_ok());
        assert!(DatasetName::parse(&"a".repeat(max + 1)).is_err());
        assert!(DatasetName::parse("ravenscroft-rdstudy").is_ok());
        assert!(DatasetName::parse("beta2").is_ok());
        let err = DatasetName::parse("Alpha").unwrap_err().to_string();
        assert!(err.contains("invalid dataset name `Alpha`"), "{err}");
        assert!(err.contains("start with a lowercase letter"), "{err}");
    }

    #[test]
    fn emails() {
        let sa = Email::parse("deploy@alpha-study-4821.iam.gserviceaccount.com").unwrap();
        assert!(sa.is_service_account());
        assert!(
            !Email::parse("ada@example-institute.org")
                .unwrap()
                .is_service_account()
        );
        for bad in [
            "",
            "a",
            "a@b",
            "@b.org",
            "a@@b.org",
            "a b@c.org",
            "é@c.org",
            "a@b..org",
            "a@.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn other_names() {
        assert!(GcpProjectId::parse("alpha-study-4821").is_ok());
        assert!(GcpProjectId::parse("tob-wgs").is_ok());
        assert!(GcpProjectId::parse("short").is_err());
        assert!(GcpProjectId::parse("alpha-").is_err());
        assert!(CloudName::parse("gcp").is_ok());
        assert!(CloudName::parse("GCP").is_err());
        assert!(BucketName::parse("cpg-alpha-upload").is_ok());
        assert!(BucketName::parse("-bad").is_err());
        assert!(BucketName::parse("ab").is_err());
    }

    #[test]
    fn serde_round_trip_validates() {
        let name: DatasetName = serde_json::from_str("\"alpha-study\"").unwrap();
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"alpha-study\"");
        assert!(serde_json::from_str::<DatasetName>("\"Alpha\"").is_err());
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "X".repeat(500);
        let msg = DatasetName::parse(&long).unwrap_err().to_string();
        assert!(msg.len() < 400, "{msg}");
    }
}
