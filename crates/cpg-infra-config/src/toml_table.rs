//! Reading TOML tables with the position of each key, and turning `toml` errors into
//! [`ConfigError`]s with a line and column.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::error::{ConfigError, Pos};
use crate::messages::humanize;
use crate::raw::{RawEntry, RawValue};

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

/// Best-effort key path of the `key = value` line containing byte `offset`: the nearest
/// `[table]` header above it, joined with the key (e.g. `infrastructure.budget_currency`).
fn key_path_at(text: &str, offset: usize) -> Option<String> {
    let mut end = offset.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || key.starts_with('[') || key.starts_with('#') {
        return None;
    }
    let header = text[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        l.starts_with('[').then(|| {
            l.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
    });
    Some(match header {
        Some(h) if !h.is_empty() => format!("{h}.{key}"),
        _ => key.to_string(),
    })
}

/// Converts a `toml` error into a [`ConfigError`] with its position in `text` and, when it
/// can be told, the key path.
pub(crate) fn toml_error(origin: &str, text: &str, err: &toml::de::Error) -> ConfigError {
    let pos = err.span().map(|s| Pos::from_offset(text, s.start));
    let mut message = humanize(err.message().trim_end());
    if message.starts_with("duplicate key") {
        message.push_str("; each key may appear only once: remove one");
    }
    match err.span().and_then(|s| key_path_at(text, s.start)) {
        Some(key) => ConfigError::key(origin, pos, key, message),
        None => ConfigError::syntax(origin, pos, message),
    }
}
