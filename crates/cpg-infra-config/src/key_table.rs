//! The macro that turns the table of dataset keys (`dataset_keys.rs`) into everything a key
//! needs: the field of [`crate::DatasetConfig`] and its default, the list of key names (for
//! "did you mean" and the provider-key check), the reading of an entry from any of the three
//! sources, and the key's JSON Schema.

use schemars::Schema;
use serde_json::Value;

use crate::access_level::AccessLevel;
use crate::dataset_fields::Ctx;
use crate::error::ConfigError;
use crate::names::DatasetName;
use crate::raw::RawEntry;

/// Reads a key's value from its entry, the same way for every source (`Ctx` knows how the
/// source spells values); the dataset's name and the warnings are there for the keys that
/// need them (`dataset`, `depends_on`).
pub(crate) type Reader<T> =
    fn(&Ctx<'_>, &RawEntry, &DatasetName, &mut Vec<String>) -> Result<T, ConfigError>;

/// Adds `description` (the key's doc lines, trimmed, one per line) and the extra schema
/// keywords (`minimum`, `minItems`, ...) to a key's schema.
pub(crate) fn describe(schema: Schema, doc: &[&str], extra: Value) -> Value {
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        let lines: Vec<&str> = doc.iter().map(|l| l.trim()).collect();
        map.insert("description".to_owned(), Value::String(lines.join("\n")));
        if let Value::Object(extra) = extra {
            map.extend(extra);
        }
    }
    value
}

/// The description of a per-level key: `<what> of the `<level>` level.`
pub(crate) fn level_doc(what: &str, level: AccessLevel) -> String {
    format!("{what} of the `{level}` level.")
}

/// Defines the dataset keys. Each key is written once, as
///
/// ```text
/// /// Doc of the field (also the schema's description).
/// key: FieldType = default, schema SchemaType { extra JSON Schema keywords }, read reader;
/// ```
///
/// in `keys { ... }`, or for a setting given once per access level (keys `<key>_test`,
/// `<key>_standard`, `<key>_full`, field `PerLevel<Option<ValueType>>`) as
///
/// ```text
/// key: ValueType, what "What it is", schema SchemaType, read reader;
/// ```
///
/// in `per_level { ... }`. The reader is a [`Reader`] of the field's (value's) type.
macro_rules! dataset_keys {
    (
        per_level {
            $(
                $pkey:ident: $pty:ty, what $pwhat:literal, schema $pschema:ty, read $pread:expr;
            )*
        }
        keys {
            $(
                $(#[doc = $doc:literal])+
                $key:ident: $ty:ty = $default:expr,
                    schema $schema:ty $({ $($extra:tt)* })?,
                    read $read:expr;
            )*
        }
    ) => {
        /// Everything needed to build one dataset's infrastructure.
        ///
        /// Loaded from a Pulumi stack file ([`crate::parse_stack_file`]), `PULUMI_CONFIG`
        /// ([`crate::parse_pulumi_config`]) or TOML ([`crate::parse_dataset_toml`],
        /// [`crate::parse_cpg_toml`]); all three give the same value for the same settings.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub struct DatasetConfig {
            /// The dataset's name (= the stack name).
            pub dataset: DatasetName,
            /// The dataset's GCP project (stack key `gcp:project`, TOML `gcp_project`).
            pub gcp_project: Option<GcpProjectId>,
            $(
                #[doc = concat!($pwhat, " of each level (keys `", stringify!($pkey), "_<level>`).")]
                pub $pkey: PerLevel<Option<$pty>>,
            )*
            $(
                $(#[doc = $doc])+
                pub $key: $ty,
            )*
            /// Every stack setting outside the `datasets:` namespace, as strings, e.g.
            /// `"gcp:project" -> "alpha-study-4821"`. Pulumi secrets appear as `[secret]`.
            pub provider_config: BTreeMap<String, String>,
        }

        impl DatasetConfig {
            /// A configuration for `dataset` with every default: deploy to GCP, no release
            /// bucket, no shared project, no dependencies, every component, archive after
            /// 30 days.
            pub fn new(dataset: DatasetName) -> Self {
                Self {
                    dataset,
                    gcp_project: None,
                    $( $pkey: PerLevel::default(), )*
                    $( $key: $default, )*
                    provider_config: BTreeMap::new(),
                }
            }
        }

        impl DatasetConfig {
            /// The keys of the table (per-level keys in full, `gcp_hail_service_account_test`)
            /// whose value is not their default, in table order: the settings a dataset's
            /// file gives (one set to its default value is not among them).
            pub fn set_keys(&self) -> Vec<&'static str> {
                let default = Self::new(self.dataset.clone());
                let mut out = Vec::new();
                $(
                    let names = [
                        concat!(stringify!($pkey), "_test"),
                        concat!(stringify!($pkey), "_standard"),
                        concat!(stringify!($pkey), "_full"),
                    ];
                    for ((_, value), name) in self.$pkey.each().into_iter().zip(names) {
                        if value.is_some() {
                            out.push(name);
                        }
                    }
                )*
                $(
                    if self.$key != default.$key {
                        out.push(stringify!($key));
                    }
                )*
                out
            }
        }

        /// The dataset keys every source understands (`dataset` and the keys of the table).
        pub(crate) const DATASET_KEYS: &[&str] = &[
            "dataset",
            $(
                concat!(stringify!($pkey), "_test"),
                concat!(stringify!($pkey), "_standard"),
                concat!(stringify!($pkey), "_full"),
            )*
            $( stringify!($key), )*
        ];

        /// Reads entry `e` into its field of `cfg`; `None` when its key is not in the table.
        pub(crate) fn read_key(
            ctx: &Ctx<'_>,
            e: &RawEntry,
            name: &DatasetName,
            cfg: &mut DatasetConfig,
            warnings: &mut Vec<String>,
        ) -> Option<Result<(), ConfigError>> {
            let key = e.key.as_str();
            $(
                if let Some(level) = level_of_key(key, stringify!($pkey)) {
                    let read: Reader<$pty> = $pread;
                    return Some(
                        read(ctx, e, name, warnings)
                            .map(|value| *cfg.$pkey.get_mut(level) = Some(value)),
                    );
                }
            )*
            $(
                if key == stringify!($key) {
                    let read: Reader<$ty> = $read;
                    return Some(read(ctx, e, name, warnings).map(|value| cfg.$key = value));
                }
            )*
            None
        }

        /// The JSON Schema of each key of the table, in table order.
        pub(crate) fn key_schemas(
            generator: &mut schemars::SchemaGenerator,
        ) -> Vec<(String, serde_json::Value)> {
            let mut out = Vec::new();
            $(
                for level in AccessLevel::ALL {
                    let doc = level_doc($pwhat, level);
                    out.push((
                        format!("{}_{level}", stringify!($pkey)),
                        describe(generator.subschema_for::<$pschema>(), &[&doc], serde_json::json!({})),
                    ));
                }
            )*
            $(
                out.push((
                    stringify!($key).to_owned(),
                    describe(
                        generator.subschema_for::<$schema>(),
                        &[$($doc),+],
                        serde_json::json!({ $($($extra)*)? }),
                    ),
                ));
            )*
            out
        }
    };
}

pub(crate) use dataset_keys;
