//! `[infrastructure.<cloud>]`: the own settings of a cloud plugin (`[infrastructure.gcp]`,
//! `[infrastructure.azure]`, a third cloud's table), which this crate has no types for.
//!
//! The config crate keeps every table of `[infrastructure]` that is not one of its own keys
//! as it was written ([`InfrastructureTable`]); the plugin that declares the section parses
//! it into its own type with [`CloudSection::parse`] (serde, so `deny_unknown_fields` makes
//! an unknown key an error naming the table). Whether some registered cloud declares a kept
//! table is the driver's check, so a misspelt table is still an error, never ignored.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::infrastructure::InfrastructureConfig;
use crate::toml_table::toml_error;

/// The raw `[infrastructure.<section>]` table of one cloud plugin, with the document it
/// was read from (so that what is wrong in it is said at its line and column).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CloudSection {
    table: toml::Table,
    source: Option<Arc<SectionSource>>,
}

impl JsonSchema for CloudSection {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CloudSection".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "A cloud's table, described by its plugin",
        })
    }
}

/// The `cpg.toml` a section was read from.
#[derive(Debug, PartialEq)]
pub(crate) struct SectionSource {
    /// Its name in messages.
    pub origin: String,
    /// Its text.
    pub text: String,
}

impl Serialize for CloudSection {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.table.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CloudSection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self {
            table: toml::Table::deserialize(deserializer)?,
            source: None,
        })
    }
}

impl CloudSection {
    /// Records that the section was read from `source`.
    pub(crate) fn read_from(&mut self, source: &Arc<SectionSource>) {
        self.source = Some(Arc::clone(source));
    }

    /// The section as `T` (the plugin's settings type), or the error saying what is wrong
    /// (an unknown key, a missing one, a value of the wrong type), at its line and column
    /// when the section was read from a file.
    pub fn read<T: DeserializeOwned>(&self, section: &str) -> Result<T, ConfigError> {
        self.deserialize().map_err(|e| {
            let origin = self
                .source
                .as_ref()
                .map_or("cpg.toml", |s| s.origin.as_str());
            self.source
                .as_ref()
                .and_then(|source| located::<T>(source, section))
                .unwrap_or_else(|| {
                    let key = format!("infrastructure.{section}");
                    ConfigError::key(origin, None, key, e.message().trim_end())
                })
        })
    }

    /// Its keys whose values are strings, with the strings, in the table's order.
    pub fn strings(&self) -> impl Iterator<Item = (&str, &str)> {
        self.table
            .iter()
            .filter_map(|(key, value)| Some((key.as_str(), value.as_str()?)))
    }

    /// Whether the section holds the table at `path` (dotted, e.g. `pam_broker`).
    pub fn has_table(&self, path: &str) -> bool {
        let mut table = &self.table;
        for part in path.split('.') {
            match table.get(part) {
                Some(toml::Value::Table(next)) => table = next,
                _ => return false,
            }
        }
        true
    }

    /// The section as `T` (the plugin's settings type), or one message naming the key
    /// path `infrastructure.<section>` and what is wrong (an unknown key, a missing one, a
    /// value of the wrong type), without its position: for checks that only ask whether the
    /// table is valid ([`Self::read`] reads the document again to locate the error).
    pub fn parse<T: DeserializeOwned>(&self, section: &str) -> Result<T, String> {
        self.deserialize()
            .map_err(|e| format!("infrastructure.{section}: {}", e.message().trim_end()))
    }

    /// The table as `T`, with `toml`'s error (no position: the table was taken out of its
    /// document).
    fn deserialize<T: DeserializeOwned>(&self) -> Result<T, toml::de::Error> {
        toml::Value::Table(self.table.clone()).try_into()
    }
}

/// The error of reading `[infrastructure.<section>]` of `source` as `T`, located: the
/// document read again with only that table deserialized, so the error carries its span.
fn located<T: DeserializeOwned>(source: &SectionSource, section: &str) -> Option<ConfigError> {
    let deserializer = toml::de::Deserializer::parse(&source.text).ok()?;
    let keys: Vec<&str> = std::iter::once("infrastructure")
        .chain(section.split('.'))
        .collect();
    let seed = Path {
        keys: &keys,
        read: PhantomData::<T>,
    };
    seed.deserialize(deserializer)
        .err()
        .map(|e| toml_error(&source.origin, &source.text, &e))
}

/// Deserializes the table at `keys` of a document as `T`, skipping everything else.
struct Path<'k, T> {
    keys: &'k [&'k str],
    read: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Path<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.keys.split_first() {
            None => T::deserialize(deserializer).map(|_| ()),
            Some(_) => deserializer.deserialize_map(self),
        }
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Path<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.keys.split_first() else {
            return Ok(());
        };
        while let Some(key) = map.next_key::<String>()? {
            if key == *first {
                map.next_value_seed(Path {
                    keys: rest,
                    read: self.read,
                })?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `[infrastructure]` as written: the keys of [`InfrastructureConfig`] deserialized into it
/// (with their positions in errors, as any key), every other table kept in
/// [`InfrastructureConfig::sections`] for the plugin that declares it.
pub(crate) struct InfrastructureTable(pub InfrastructureConfig);

impl<'de> Deserialize<'de> for InfrastructureTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TableVisitor;
        impl<'de> Visitor<'de> for TableVisitor {
            type Value = InfrastructureTable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the table [infrastructure]")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<InfrastructureTable, A::Error> {
                let mut sections = BTreeMap::new();
                let own = OwnKeys {
                    inner: map,
                    fields: own_fields(),
                    sections: &mut sections,
                };
                let mut config =
                    InfrastructureConfig::deserialize(MapAccessDeserializer::new(own))?;
                config.sections = sections;
                Ok(InfrastructureTable(config))
            }
        }
        deserializer.deserialize_map(TableVisitor)
    }
}

/// The entries of `[infrastructure]` that are [`InfrastructureConfig`]'s own keys; every
/// other key's table is kept as a [`CloudSection`] in `sections` (any other value is an
/// unknown key).
struct OwnKeys<'s, A> {
    inner: A,
    fields: &'static [&'static str],
    sections: &'s mut BTreeMap<String, CloudSection>,
}

/// The value of a key of `[infrastructure]` that is not one of its own: a cloud's table,
/// else the key is unknown (the error is raised at the value, so it has its position).
struct CloudTable<'k> {
    key: &'k str,
    fields: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for CloudTable<'_> {
    type Value = toml::Table;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<toml::Table, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::Table(table) => Ok(table),
            _ => Err(de::Error::unknown_field(self.key, self.fields)),
        }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for OwnKeys<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        while let Some(key) = self.inner.next_key::<String>()? {
            if self.fields.contains(&key.as_str()) {
                return seed
                    .deserialize(de::value::StringDeserializer::<A::Error>::new(key))
                    .map(Some);
            }
            let table = self.inner.next_value_seed(CloudTable {
                key: &key,
                fields: self.fields,
            })?;
            self.sections.insert(
                key,
                CloudSection {
                    table,
                    source: None,
                },
            );
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// The keys of `[infrastructure]` that are the config crate's own (every other key is a
/// cloud's table), for messages about a key that is neither.
pub fn infrastructure_keys() -> &'static [&'static str] {
    own_fields()
}

/// The keys [`InfrastructureConfig`]'s own `Deserialize` reads, as serde's derive lists
/// them (asked through a deserializer that only records the list), so the list can never
/// drift from the struct.
fn own_fields() -> &'static [&'static str] {
    static FIELDS: std::sync::OnceLock<&'static [&'static str]> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        let mut fields: &'static [&'static str] = &[];
        let _ = InfrastructureConfig::deserialize(FieldList(&mut fields));
        fields
    })
}

/// A deserializer that records the field list a derived `Deserialize` asks for and
/// deserializes nothing.
struct FieldList<'f>(&'f mut &'static [&'static str]);

/// The error [`FieldList`] ends with.
#[derive(Debug)]
struct Listed;

impl fmt::Display for Listed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field list recorded")
    }
}

impl std::error::Error for Listed {}

impl de::Error for Listed {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Listed
    }
}

impl<'de> Deserializer<'de> for FieldList<'_> {
    type Error = Listed;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Listed> {
        Err(Listed)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Listed> {
        *self.0 = fields;
        Err(Listed)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
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
        assert_eq!(
            section("name_prefix = \"x-\"").parse::<Settings>("tc"),
            Ok(Settings {
                name_prefix: "x-".to_owned()
            })
        );
        let unknown = section("name_prefix = \"x-\"\nregion = \"r\"")
            .parse::<Settings>("tc")
            .expect_err("unknown key");
        assert!(
            unknown.starts_with("infrastructure.tc: unknown field `region`"),
            "{unknown}"
        );
        let missing = section("")
            .parse::<Settings>("tc")
            .expect_err("missing key");
        assert!(missing.contains("missing field `name_prefix`"), "{missing}");
    }

    #[test]
    fn the_own_keys_are_the_structs_fields() {
        let fields = own_fields();
        for key in ["domain", "reference_dataset", "users", "take_over", "check"] {
            assert!(fields.contains(&key), "{key} in {fields:?}");
        }
        assert!(!fields.contains(&"sections"), "{fields:?}");
    }
}
