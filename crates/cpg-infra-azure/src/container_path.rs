//! `<resource group>/<storage account>/<container>`: how the organisation's settings name
//! an existing Azure blob container (`[infrastructure.azure] reference_bucket`, the Hail
//! wheels' container), validated once where it is read.

use std::borrow::Cow;
use std::fmt;

use cpg_infra_config::shown;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An Azure blob container, written `<resource group>/<storage account>/<container>` (an
/// Azure role assignment on it needs all three).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AzureContainerPath {
    /// The resource group of the storage account: 1 to 90 letters, digits, `-_.()`.
    pub resource_group: String,
    /// The storage account: 3 to 24 lowercase letters or digits.
    pub account: String,
    /// The container: 3 to 63 lowercase letters, digits or hyphens.
    pub container: String,
}

impl AzureContainerPath {
    /// Parses `<resource group>/<storage account>/<container>`; the error says what a valid
    /// path looks like.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [group, account, container]
                if (1..=90).contains(&group.len())
                    && group.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')')
                    })
                    && (3..=24).contains(&account.len())
                    && account
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                    && (3..=63).contains(&container.len())
                    && container
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
            {
                Ok(Self {
                    resource_group: (*group).to_owned(),
                    account: (*account).to_owned(),
                    container: (*container).to_owned(),
                })
            }
            _ => Err(format!(
                "must be `<resource group>/<storage account>/<container>` (an Azure role assignment needs all three; account: 3 to 24 lowercase letters or digits; container: 3 to 63 lowercase letters, digits or hyphens), got `{}`",
                shown(s)
            )),
        }
    }
}

impl fmt::Display for AzureContainerPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}",
            self.resource_group, self.account, self.container
        )
    }
}

impl Serialize for AzureContainerPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AzureContainerPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for AzureContainerPath {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("AzureContainerPath")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z0-9_.()-]{1,90}/[a-z0-9]{3,24}/[a-z0-9-]{3,63}$",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_paths_keep_their_parts() {
        let p = AzureContainerPath::parse("egi-common/egicommon/reference").unwrap();
        assert_eq!(
            (
                p.resource_group.as_str(),
                p.account.as_str(),
                p.container.as_str()
            ),
            ("egi-common", "egicommon", "reference")
        );
        assert_eq!(p.to_string(), "egi-common/egicommon/reference");
        assert!(AzureContainerPath::parse("egicommon/reference").is_err());
        assert!(AzureContainerPath::parse("g/Account/reference").is_err());
    }
}
