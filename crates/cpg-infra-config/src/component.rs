//! The parts of a dataset's infrastructure that can be switched on per cloud.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One part of a dataset's infrastructure.
///
/// A dataset lists its components per cloud in `datasets:components`; a cloud with no entry
/// gets every component.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    /// Buckets (main, analysis, web, upload, archive, release) and their permissions.
    Storage,
    /// Dataproc (Spark) permissions.
    Spark,
    /// Cromwell workflow-runner permissions.
    Cromwell,
    /// Notebook permissions.
    Notebooks,
    /// The Hail Batch service accounts' permissions.
    HailAccounts,
    /// Sample-metadata (metamist) access.
    SampleMetadata,
    /// A per-dataset container registry.
    ContainerRegistry,
    /// Analysis-runner access.
    AnalysisRunner,
}

impl Component {
    /// Every component, in canonical order.
    pub const ALL: [Component; 8] = [
        Component::Storage,
        Component::Spark,
        Component::Cromwell,
        Component::Notebooks,
        Component::HailAccounts,
        Component::SampleMetadata,
        Component::ContainerRegistry,
        Component::AnalysisRunner,
    ];

    /// The canonical (hyphenated) name, e.g. `hail-accounts`.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Storage => "storage",
            Component::Spark => "spark",
            Component::Cromwell => "cromwell",
            Component::Notebooks => "notebooks",
            Component::HailAccounts => "hail-accounts",
            Component::SampleMetadata => "sample-metadata",
            Component::ContainerRegistry => "container-registry",
            Component::AnalysisRunner => "analysis-runner",
        }
    }

    /// Parses a component name; multi-word names may use `-` or `_` (the reference spelled
    /// `sample_metadata` with an underscore). Case-sensitive.
    pub fn parse(s: &str) -> Option<Component> {
        let canonical: String = s.replace('_', "-");
        Component::ALL.into_iter().find(|c| c.as_str() == canonical)
    }

    /// The valid names, for error messages: `storage, spark, ...`.
    pub fn valid_names() -> String {
        Component::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Component {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Component {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        Component::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown component `{}`; valid components: {}",
                crate::names::shown(&s),
                Component::valid_names()
            ))
        })
    }
}

impl JsonSchema for Component {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Component")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        let mut names: Vec<String> = Component::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        for c in Component::ALL {
            if c.as_str().contains('-') {
                names.push(c.as_str().replace('-', "_"));
            }
        }
        json_schema!({
            "type": "string",
            "enum": names,
            "description": "A dataset infrastructure component; multi-word names may use `-` or `_`.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Component::ALL {
            assert_eq!(Component::parse(c.as_str()), Some(c));
            assert_eq!(Component::parse(&c.as_str().replace('-', "_")), Some(c));
        }
        assert_eq!(
            Component::parse("sample_metadata"),
            Some(Component::SampleMetadata)
        );
        assert_eq!(Component::parse("Storage"), None);
        assert_eq!(Component::parse("storag"), None);
    }

    #[test]
    fn deserialize_lists_valid_names() {
        let err = serde_json::from_str::<Component>("\"buckets\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown component `buckets`"), "{err}");
        assert!(err.contains("hail-accounts"), "{err}");
    }
}
