//! `cpg.toml`: the `[infrastructure]` table (required) and optional `[datasets.<name>]`
//! tables. Unknown top-level keys are errors.

use std::sync::Arc;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::cloud_section::{InfrastructureTable, SectionSource};
use crate::dataset::DatasetConfig;
use crate::dataset_fields::{Ctx, Style, build};
use crate::error::{ConfigError, Pos};
use crate::infrastructure::InfrastructureConfig;
use crate::names::DatasetName;
use crate::toml_table::{SpannedTable, toml_error};

/// A parsed `cpg.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct CpgToml {
    /// The `[infrastructure]` table.
    pub infrastructure: InfrastructureConfig,
    /// The `[datasets.<name>]` tables, sorted by name.
    pub datasets: Vec<DatasetConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CpgTomlRaw {
    #[serde(default)]
    infrastructure: Option<InfrastructureTable>,
    #[serde(default)]
    datasets: Option<DatasetTables>,
}

/// `[datasets.<name>]` tables with the position of each name.
struct DatasetTables(Vec<(toml::Spanned<String>, SpannedTable)>);

impl<'de> Deserialize<'de> for DatasetTables {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DatasetTables;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tables [datasets.<name>]")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DatasetTables, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<toml::Spanned<String>>()? {
                    let value = map.next_value::<SpannedTable>()?;
                    out.push((key, value));
                }
                Ok(DatasetTables(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// Parses `cpg.toml`; `origin` names the file in error messages.
pub fn parse_cpg_toml(text: &str, origin: &str) -> Result<CpgToml, ConfigError> {
    parse_cpg_toml_with_warnings(text, origin).map(|(cfg, _)| cfg)
}

/// Like [`parse_cpg_toml`], also returning the warnings of the dataset tables.
pub fn parse_cpg_toml_with_warnings(
    text: &str,
    origin: &str,
) -> Result<(CpgToml, Vec<String>), ConfigError> {
    let raw: CpgTomlRaw = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
    let Some(InfrastructureTable(mut infrastructure)) = raw.infrastructure else {
        return Err(ConfigError::MissingSection {
            origin: origin.to_string(),
            section: "infrastructure".to_string(),
        });
    };
    let source = Arc::new(SectionSource {
        origin: origin.to_owned(),
        text: text.to_owned(),
    });
    infrastructure.read_from(&source);
    let positions = crate::check::suppression_positions(text);
    for (suppression, (at, policy_at)) in infrastructure.check.suppress.iter_mut().zip(positions) {
        suppression.at = Some(at);
        suppression.policy_at = policy_at;
    }
    let mut datasets = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = crate::members::organisation_member_problems(&infrastructure, origin);
    errors.extend(infrastructure.user_identity_problems(origin));
    for (name, table) in raw.datasets.map(|d| d.0).unwrap_or_default() {
        let pos = Some(Pos::from_offset(text, name.span().start));
        let name = name.into_inner();
        if let Err(e) = DatasetName::parse(&name) {
            errors.push(ConfigError::key(
                origin,
                pos,
                format!("datasets.{name}"),
                e.to_string(),
            ));
            continue;
        }
        let ctx = Ctx {
            origin,
            style: Style::TomlTable,
            name: &name,
        };
        match build(&ctx, &table.into_entries(text), &[], Vec::new()) {
            Ok((cfg, w)) => {
                datasets.push(cfg);
                warnings.extend(w);
            }
            Err(e) => errors.push(e),
        }
    }
    ConfigError::collect(errors)?;
    datasets.sort_by(|a, b| a.dataset.cmp(&b.dataset));
    Ok((
        CpgToml {
            infrastructure,
            datasets,
        },
        warnings,
    ))
}
