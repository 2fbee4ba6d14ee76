//! [`DeployLocations`]: the clouds a dataset deploys to, at least one and each once.

use std::borrow::Cow;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};

use crate::names::CloudName;

/// The clouds a dataset deploys to (`deploy_locations`): at least one, none twice, in the
/// order given. Reads as a slice of [`CloudName`]s.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DeployLocations(Vec<CloudName>);

impl DeployLocations {
    /// The clouds, or why they are not a valid list: empty, or a cloud given twice.
    pub fn new(clouds: Vec<CloudName>) -> Result<Self, String> {
        if clouds.is_empty() {
            return Err("must list at least one cloud, e.g. [\"gcp\"]".to_owned());
        }
        for (i, c) in clouds.iter().enumerate() {
            if clouds[..i].contains(c) {
                return Err(format!("lists `{c}` twice; keep it once"));
            }
        }
        Ok(Self(clouds))
    }

    /// Only `cloud`.
    pub fn one(cloud: CloudName) -> Self {
        Self(vec![cloud])
    }

    /// The clouds, in the order given.
    pub fn as_slice(&self) -> &[CloudName] {
        &self.0
    }
}

impl Deref for DeployLocations {
    type Target = [CloudName];

    fn deref(&self) -> &[CloudName] {
        &self.0
    }
}

impl Serialize for DeployLocations {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl JsonSchema for DeployLocations {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("DeployLocations")
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = generator.subschema_for::<Vec<CloudName>>();
        schema.insert("minItems".to_owned(), 1.into());
        schema.insert("uniqueItems".to_owned(), true.into());
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_one_cloud_each_once() {
        let gcp = CloudName::gcp();
        assert!(DeployLocations::new(vec![]).is_err());
        assert!(DeployLocations::new(vec![gcp.clone(), gcp.clone()]).is_err());
        let one = DeployLocations::new(vec![gcp.clone()]).unwrap();
        assert_eq!(one, DeployLocations::one(gcp.clone()));
        assert_eq!(one.as_slice(), [gcp]);
    }
}
