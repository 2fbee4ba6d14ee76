//! A format-neutral value tree shared by the YAML, TOML and JSON loaders, so that the three
//! sources feed one interpretation of the dataset keys.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::Pos;

/// Any value read from a configuration file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawValue {
    /// `null`, `~` or an empty YAML value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<RawValue>),
    /// A mapping, in file order.
    Map(Vec<(String, RawValue)>),
}

impl RawValue {
    /// A short description of the value's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            RawValue::Null => "null",
            RawValue::Bool(_) => "a boolean",
            RawValue::Int(_) => "an integer",
            RawValue::Float(_) => "a number",
            RawValue::Str(_) => "a string",
            RawValue::Seq(_) => "a list",
            RawValue::Map(_) => "a mapping",
        }
    }

    /// Whether this is a Pulumi secure value, `{secure: "..."}`.
    pub(crate) fn is_secure(&self) -> bool {
        matches!(self, RawValue::Map(entries) if entries.len() == 1 && entries[0].0 == "secure")
    }

    /// Converts to JSON (used to render structured provider config as a string).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(*b),
            RawValue::Int(i) => {
                if let Ok(v) = i64::try_from(*i) {
                    Value::from(v)
                } else if let Ok(v) = u64::try_from(*i) {
                    Value::from(v)
                } else {
                    Value::String(i.to_string())
                }
            }
            RawValue::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Value::String(f.to_string()), Value::Number),
            RawValue::Str(s) => Value::String(s.clone()),
            RawValue::Seq(items) => Value::Array(items.iter().map(RawValue::to_json).collect()),
            RawValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Renders a scalar as Pulumi would pass it (a string); structures become JSON text.
    pub(crate) fn to_config_string(&self) -> String {
        match self {
            RawValue::Null => String::new(),
            RawValue::Bool(b) => b.to_string(),
            RawValue::Int(i) => i.to_string(),
            RawValue::Float(f) => f.to_string(),
            RawValue::Str(s) => s.clone(),
            RawValue::Seq(_) | RawValue::Map(_) => self.to_json().to_string(),
        }
    }
}

/// Deserializes any self-describing value; map keys that are not strings are rendered as text.
/// Repeated keys are rejected (YAML and TOML parsers reject them first; this guards JSON).
impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

/// The key under which the `toml` crate passes a date or time (its text) to a visitor.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(i128::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
        Ok(RawValue::Int(i128::from(v)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawValue, E> {
        Ok(RawValue::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawValue, E> {
        Ok(i128::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(v))
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawValue, E> {
        Ok(RawValue::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E: de::Error>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RawValue>()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries: Vec<(String, RawValue)> = Vec::new();
        while let Some(key) = map.next_key::<RawValue>()? {
            let key = key.to_config_string();
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!(
                    "duplicate key `{}`; keep only one",
                    crate::names::shown(&key)
                )));
            }
            let value = map.next_value::<RawValue>()?;
            entries.push((key, value));
        }
        // The `toml` crate hands a date or time over as this one-key table.
        if let [(key, RawValue::Str(text))] = entries.as_slice()
            && key == TOML_DATETIME_KEY
        {
            return Ok(RawValue::Str(text.clone()));
        }
        Ok(RawValue::Map(entries))
    }
}

/// One `key: value` entry of a dataset's configuration, whatever the source format.
#[derive(Debug, Clone)]
pub(crate) struct RawEntry {
    /// The key as written, e.g. `datasets:archive_age` or `archive_age`.
    pub key: String,
    /// The value.
    pub value: RawValue,
    /// Where the key is, when known.
    pub pos: Option<Pos>,
}
