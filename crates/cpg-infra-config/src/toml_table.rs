//! Reading TOML tables with the position of each key, and turning `toml` errors into
//! [`ConfigError`]s with a line and column.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::error::{ConfigError, Pos};
use crate::raw::{RawEntry, RawValue};
use crate::stack_file::improve_unknown_field;

/// A TOML table in document order, with the byte span of each key.
pub(crate) struct SpannedTable(pub Vec<(toml::Spanned<String>, RawValue)>);

impl<'de> Deserialize<'de> for SpannedTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SpannedTable;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SpannedTable, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<toml::Spanned<String>>()? {
                    let value = map.next_value::<RawValue>()?;
                    out.push((key, value));
                }
                Ok(SpannedTable(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

impl SpannedTable {
    /// The entries, with positions computed against `text`.
    pub(crate) fn into_entries(self, text: &str) -> Vec<RawEntry> {
        self.0
            .into_iter()
            .map(|(k, value)| {
                let pos = Some(Pos::from_offset(text, k.span().start));
                RawEntry {
                    key: k.into_inner(),
                    value,
                    pos,
                }
            })
            .collect()
    }
}

/// Converts a `toml` error into a [`ConfigError::Syntax`] with its position in `text`.
pub(crate) fn toml_error(origin: &str, text: &str, err: &toml::de::Error) -> ConfigError {
    let pos = err.span().map(|s| Pos::from_offset(text, s.start));
    let message = err.message().trim_end().to_string();
    ConfigError::syntax(origin, pos, improve_unknown_field(&message))
}
