//! Pulumi stack files, `Pulumi.<dataset>.yaml`: a `config:` mapping of `namespace:key` settings
//! (`datasets:*` keys for the dataset, other namespaces such as `gcp:*` kept as provider
//! config), plus Pulumi's own `encryptionsalt` / `secretsprovider` / `encryptedkey`.
//!
//! Parsed with serde-saphyr, which rejects repeated keys.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::dataset::DatasetConfig;
use crate::dataset_fields::{Ctx, ProviderEntry, Style, build};
use crate::dataset_keys::DATASET_KEYS;
use crate::error::{ConfigError, Pos};
use crate::messages::humanize;
use crate::provider_keys;
use crate::raw::{RawEntry, RawValue};

/// The top level of a stack file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StackFileRaw {
    #[serde(default)]
    config: Option<ConfigMap>,
    #[serde(default)]
    #[allow(dead_code)]
    encryptionsalt: Option<RawValue>,
    #[serde(default)]
    #[allow(dead_code)]
    secretsprovider: Option<RawValue>,
    #[serde(default)]
    #[allow(dead_code)]
    encryptedkey: Option<RawValue>,
    #[serde(default)]
    #[allow(dead_code)]
    environment: Option<RawValue>,
}

/// The `config:` mapping, in file order, with the position of each key.
struct ConfigMap(Vec<(Spanned<String>, RawValue)>);

impl<'de> Deserialize<'de> for ConfigMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ConfigMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of `namespace:key` settings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ConfigMap, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<RawValue>()?;
                    out.push((key, value));
                }
                Ok(ConfigMap(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

fn pos_of(loc: serde_saphyr::Location) -> Option<Pos> {
    let (line, column) = (loc.line(), loc.column());
    if line == 0 {
        return None;
    }
    Some(Pos::new(
        usize::try_from(line).unwrap_or(usize::MAX),
        usize::try_from(column).unwrap_or(usize::MAX),
    ))
}

/// Converts a serde-saphyr error into a [`ConfigError::Syntax`] with its position.
fn yaml_error(origin: &str, err: &serde_saphyr::Error) -> ConfigError {
    let plain = err.without_snippet();
    let pos = plain.location().and_then(pos_of);
    let mut message = plain.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        message = format!("duplicate key `{key}`; each key may appear only once: remove one");
    }
    ConfigError::syntax(origin, pos, humanize(&message))
}

/// Splits Pulumi config entries into dataset fields (`datasets:*`) and provider config;
/// every key outside `datasets:` must be a known provider setting (see
/// [`crate::provider_keys`]). Problems are added to `errors`, and the entry left out.
pub(crate) fn split_entries(
    origin: &str,
    entries: Vec<(String, RawValue, Option<Pos>)>,
    errors: &mut Vec<ConfigError>,
) -> (Vec<RawEntry>, Vec<ProviderEntry>) {
    let mut fields = Vec::new();
    let mut provider: Vec<ProviderEntry> = Vec::new();
    for (key, value, pos) in entries {
        let Some((ns, name)) = key.split_once(':') else {
            errors.push(ConfigError::key(
                origin,
                pos,
                key.clone(),
                "config keys look like `namespace:key`, e.g. `datasets:archive_age` or `gcp:project`; add the namespace",
            ));
            continue;
        };
        // Older Pulumi versions spell keys `namespace:config:key`.
        let name = name.strip_prefix("config:").unwrap_or(name);
        if ns.is_empty() || name.is_empty() {
            errors.push(ConfigError::key(
                origin,
                pos,
                key.clone(),
                "config keys look like `namespace:key` with both parts non-empty",
            ));
            continue;
        }
        if ns == provider_keys::DATASETS_NAMESPACE {
            fields.push(RawEntry {
                key: name.to_string(),
                value,
                pos,
            });
            continue;
        }
        let full = format!("{ns}:{name}");
        if let Err(message) = provider_keys::check(ns, name, DATASET_KEYS) {
            errors.push(ConfigError::key(origin, pos, full, message));
            continue;
        }
        if provider.iter().any(|p| p.key == full) {
            errors.push(ConfigError::key(
                origin,
                pos,
                full,
                "given twice; keep only one",
            ));
            continue;
        }
        provider.push(ProviderEntry {
            key: full,
            value,
            pos,
        });
    }
    (fields, provider)
}

/// Parses a Pulumi stack file for dataset `stack` (the `<dataset>` of `Pulumi.<dataset>.yaml`).
///
/// `origin` names the file in error messages. Warnings are logged; use
/// [`parse_stack_file_with_warnings`] to get them.
pub fn parse_stack_file(
    text: &str,
    origin: &str,
    stack: &str,
) -> Result<DatasetConfig, ConfigError> {
    parse_stack_file_with_warnings(text, origin, stack).map(|(cfg, _)| cfg)
}

/// Like [`parse_stack_file`], also returning the warnings (e.g. legacy keys).
pub fn parse_stack_file_with_warnings(
    text: &str,
    origin: &str,
    stack: &str,
) -> Result<(DatasetConfig, Vec<String>), ConfigError> {
    let raw: Option<StackFileRaw> =
        serde_saphyr::from_str(text).map_err(|e| yaml_error(origin, &e))?;
    let Some(config) = raw.and_then(|r| r.config) else {
        return Err(ConfigError::syntax(
            origin,
            None,
            "no config: mapping; a stack file needs a top-level `config:` mapping of `datasets:*` settings",
        ));
    };
    let entries = config
        .0
        .into_iter()
        .map(|(k, v)| {
            let pos = pos_of(k.referenced);
            (k.value, v, pos)
        })
        .collect();
    let mut errors = Vec::new();
    let (fields, provider) = split_entries(origin, entries, &mut errors);
    let ctx = Ctx {
        origin,
        style: Style::Stack,
        name: stack,
    };
    build(&ctx, &fields, &provider, errors)
}
