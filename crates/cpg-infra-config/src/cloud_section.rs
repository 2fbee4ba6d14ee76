//! `[infrastructure.clouds.<cloud>]`: the own settings of a cloud plugin that this crate
//! has no types for (a third-party cloud, the test cloud).
//!
//! The config crate keeps the table as it was written; the plugin that owns it parses
//! it into its own type with [`CloudSection::parse`] (serde, so `deny_unknown_fields`
//! makes an unknown key an error naming the table). Whether a cloud of that name is
//! registered is the driver's check.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::names::CloudName;

/// The raw `[infrastructure.clouds.<cloud>]` table of one cloud plugin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CloudSection(toml::Table);

impl CloudSection {
    /// The section as `T` (the plugin's settings type), or one message naming the key
    /// path `infrastructure.clouds.<cloud>` and what is wrong (an unknown key, a missing
    /// one, a value of the wrong type).
    pub fn parse<T: DeserializeOwned>(&self, cloud: &CloudName) -> Result<T, String> {
        toml::Value::Table(self.0.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                format!("infrastructure.clouds.{cloud}: {}", e.message().trim_end())
            })
    }
}

impl JsonSchema for CloudSection {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("CloudSection")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Settings of a cloud plugin, checked by the plugin",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Settings {
        name_prefix: String,
    }

    fn section(text: &str) -> CloudSection {
        toml::from_str(text).expect("a table")
    }

    #[test]
    fn the_plugin_parses_its_own_section() {
        let cloud = CloudName::parse("tc").expect("name");
        assert_eq!(
            section("name_prefix = \"x-\"").parse::<Settings>(&cloud),
            Ok(Settings {
                name_prefix: "x-".to_owned()
            })
        );
        let unknown = section("name_prefix = \"x-\"\nregion = \"r\"")
            .parse::<Settings>(&cloud)
            .expect_err("unknown key");
        assert!(
            unknown.starts_with("infrastructure.clouds.tc: unknown field `region`"),
            "{unknown}"
        );
        let missing = section("")
            .parse::<Settings>(&cloud)
            .expect_err("missing key");
        assert!(missing.contains("missing field `name_prefix`"), "{missing}");
    }
}
