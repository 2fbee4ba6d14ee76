//! Validated values of `[infrastructure]` (and of the Azure principals of a dataset): GUIDs,
//! DNS domains and ISO 4217 currencies.
//!
//! Each type can only hold a value that passed its rule, so what parsing checked is never
//! checked again. They serialize as the plain string they were read from, validate when
//! deserialized (the error says what a valid value looks like, and the loader adds the
//! line:column), and describe their shape in the JSON Schema.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::names::{shown, string_newtype};

/// A string newtype that holds only values its check accepts.
macro_rules! checked_string {
    ($(#[$meta:meta])* $ty:ident, $pattern:literal, $check:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(String);

        impl $ty {
            /// Validates `s` and wraps it; the error says what a valid value looks like.
            pub fn parse(s: &str) -> Result<Self, String> {
                let check: fn(&str) -> Result<(), String> = $check;
                check(s).map(|()| Self(s.to_owned()))
            }
        }

        string_newtype!($ty);

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($ty))
            }

            fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "pattern": $pattern })
            }
        }
    };
}

checked_string!(
    /// A GUID (8-4-4-4-12 hexadecimal digits), e.g. an Entra ID tenant, subscription or
    /// object id.
    Guid,
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    |s| {
        if is_guid(s) {
            Ok(())
        } else {
            Err(format!(
                "must be a GUID such as `0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f`, got `{}`",
                shown(s)
            ))
        }
    }
);

checked_string!(
    /// A user's id on one cloud (`[infrastructure.users.<key>.clouds.<cloud>] id`): 1 to
    /// 320 characters without whitespace. Its cloud's shape (GCP: an e-mail address; Azure:
    /// an Entra ID object id) is checked by that cloud's plugin, since this crate knows no
    /// cloud's id format.
    UserId,
    "^\\S{1,320}$",
    |s| {
        if (1..=320).contains(&s.chars().count()) && !s.chars().any(char::is_whitespace) {
            Ok(())
        } else {
            Err(format!(
                "must be 1 to 320 characters without whitespace (the user's e-mail on GCP, Entra ID object id on Azure), got `{}`",
                shown(s)
            ))
        }
    }
);

checked_string!(
    /// A DNS domain such as `example-institute.org`: dot-separated non-empty labels of
    /// letters, digits and hyphens.
    Domain,
    "^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$",
    |s| {
        if s.contains('.')
            && !s.split('.').any(str::is_empty)
            && s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            Ok(())
        } else {
            Err(format!(
                "must be a DNS domain such as `example-institute.org`, got `{}`",
                shown(s)
            ))
        }
    }
);

checked_string!(
    /// An ISO 4217 currency code: three uppercase letters, e.g. `AUD`.
    Currency,
    "^[A-Z]{3}$",
    |s| {
        if s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(())
        } else {
            Err(format!(
                "must be three uppercase letters (ISO 4217, e.g. `AUD`), got `{}`",
                shown(s)
            ))
        }
    }
);

/// Whether `s` has the 8-4-4-4-12 hexadecimal shape of a GUID.
pub(crate) fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_have_the_8_4_4_4_12_shape() {
        assert!(Guid::parse("0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6f").is_ok());
        assert!(Guid::parse("0b7c4e52-9f1a-4d3b-8c2e-1a2b3c4d5e6").is_err());
        assert!(Guid::parse("not-a-guid").is_err());
    }

    #[test]
    fn domains_currencies() {
        assert!(Domain::parse("example-institute.org").is_ok());
        for bad in ["", "localhost", "a..b", "a b.org"] {
            assert!(Domain::parse(bad).is_err(), "{bad}");
        }
        assert!(Currency::parse("AUD").is_ok());
        assert!(Currency::parse("aud").is_err());
    }
}
