//! What the real providers do to live resources, as data with its sources.
//!
//! Each cloud plugin ships, for every resource type it emits, the provider's facts
//! (`data/provider-facts*.json` of the plugin crate, one file per provider package):
//! which input properties force a replacement, which properties name the resource in
//! the cloud, what a create does when the resource already exists (and the provider's
//! opt-in), what a delete does to storage that holds objects, and which values the
//! provider or the cloud rewrites. Every file names the source (repository, version,
//! file) each fact was read from. `cpg-infra-driver diff` predicts what the engine
//! does from them, and the e2e double behaves by the same files.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::registry::{cloud_of_type, registered_clouds};

/// What a create does when the resource already exists in the cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CreateIfExists {
    /// The create fails (unless the provider's opt-in is set).
    Fails,
    /// The create succeeds and takes the existing resource over (IAM bindings, services).
    Adopts,
    /// The create makes another one (budgets, keys, versions, same-named directory objects).
    Duplicates,
}

/// How the provider compares a value, or how the cloud stores it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normalisation {
    /// How a read returns the value (`lower`, `upper`, `subscription-form`), if rewritten.
    #[serde(default)]
    pub read: Option<String>,
    /// How `Diff` compares it: `exact`, `case-insensitive`, `case-and-space-insensitive`.
    pub compare: String,
    /// Why, in words, with the source.
    pub why: String,
}

/// What a delete of storage that holds objects does.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteWithContents {
    /// Whether the delete fails while the storage holds objects.
    pub fails: bool,
    /// The input that lets the provider delete the contents first (`forceDestroy`).
    #[serde(default, rename = "optIn")]
    pub opt_in: Option<String>,
    /// The provider's error.
    #[serde(default)]
    pub error: Option<String>,
    /// Why, when the delete does not fail.
    #[serde(default)]
    pub why: Option<String>,
}

/// The facts of one resource type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeFacts {
    /// Where these facts were read (a source key of the file and a path).
    pub source: String,
    /// Dotted input paths whose change replaces the resource.
    #[serde(rename = "replaceOn")]
    pub replace_on: Vec<String>,
    /// Dotted input paths that name the resource in the cloud (empty: the cloud names it).
    pub identity: Vec<String>,
    /// What a create does when the resource exists.
    #[serde(rename = "createIfExists")]
    pub create_if_exists: CreateIfExists,
    /// The provider's opt-in for a create of an existing resource (`createIgnoreAlreadyExists`).
    #[serde(default, rename = "createOptIn")]
    pub create_opt_in: Option<String>,
    /// Whether the opt-in makes the create fail instead (`preventDuplicateNames`).
    #[serde(default, rename = "createOptInFails")]
    pub create_opt_in_fails: bool,
    /// The provider's error for a create of an existing resource.
    #[serde(default, rename = "createError")]
    pub create_error: Option<String>,
    /// What a delete does to storage that holds objects.
    #[serde(default, rename = "deleteWithContents")]
    pub delete_with_contents: Option<DeleteWithContents>,
    /// Why a replacement must delete the old resource first (Pulumi creates the new one
    /// before deleting the old by default): set for a type that some replacing property
    /// replaces under the same cloud identity, which the cloud refuses to create twice.
    /// A resource of such a type carries `deleteBeforeReplace`.
    #[serde(default, rename = "deleteBeforeReplace")]
    pub delete_before_replace: Option<String>,
    /// Values the provider or the cloud rewrites, by dotted input path.
    #[serde(default)]
    pub normalises: BTreeMap<String, Normalisation>,
    /// Anything else a reviewer should know.
    #[serde(default)]
    pub notes: Option<String>,
}

impl TypeFacts {
    /// The replace path that a change at `path` (dotted, with `[i]` indices) falls under.
    pub fn replacing(&self, path: &str) -> Option<&str> {
        let plain: String = path
            .split('[')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once(']').map_or(part, |(_, rest)| rest)
                }
            })
            .collect();
        self.replace_on
            .iter()
            .find(|p| plain == **p || plain.starts_with(&format!("{p}.")))
            .map(String::as_str)
    }

    /// Whether two values of the property at `path` are the same to the provider.
    pub fn equivalent(&self, path: &str, old: &str, new: &str) -> bool {
        match self.normalises.get(path).map(|n| n.compare.as_str()) {
            Some("case-insensitive") => old.eq_ignore_ascii_case(new),
            Some("case-and-space-insensitive") => old
                .replace(' ', "")
                .eq_ignore_ascii_case(&new.replace(' ', "")),
            _ => old == new,
        }
    }
}

/// One facts file (one provider package).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderFacts {
    /// The package (`gcp`).
    pub package: String,
    /// The version the plugin pins (the facts are about it).
    pub pinned: String,
    /// What the file holds and how it was read.
    pub about: String,
    /// Where the facts come from: key -> url, version, commit, ...
    pub sources: BTreeMap<String, BTreeMap<String, String>>,
    /// The facts per type token.
    pub resources: BTreeMap<String, TypeFacts>,
}

/// Parses one facts file.
pub fn parse(text: &str) -> Result<ProviderFacts, serde_json::Error> {
    serde_json::from_str(text)
}

/// Every registered plugin's facts, by type token; a file that does not parse is left
/// out here and reported by [`problems`] (each plugin's tests parse its own files).
static FACTS: LazyLock<BTreeMap<String, TypeFacts>> = LazyLock::new(|| {
    registered_clouds()
        .into_iter()
        .flat_map(|cloud| cloud.provider_facts.iter())
        .filter_map(|text| parse(text).ok())
        .flat_map(|file| file.resources)
        .collect()
});

/// The facts of a type token, when its plugin has them. pulumi-gcp renamed some modules
/// by case only (`serviceAccount` -> `serviceaccount`), so a token of the old spelling
/// finds the facts of the new one.
pub fn facts_of(type_token: &str) -> Option<&'static TypeFacts> {
    FACTS.get(type_token).or_else(|| {
        FACTS
            .iter()
            .find(|(token, _)| token.eq_ignore_ascii_case(type_token))
            .map(|(_, facts)| facts)
    })
}

/// Why the facts of the registered plugins cannot be used: a file that does not parse, a
/// file of a package its plugin does not use or at another version. Empty when all is well.
pub fn problems() -> Vec<String> {
    let mut found = Vec::new();
    for cloud in registered_clouds() {
        for (i, text) in cloud.provider_facts.iter().enumerate() {
            match parse(text) {
                Err(e) => found.push(format!(
                    "{}: provider facts file {} does not parse: {e}",
                    cloud.name,
                    i + 1
                )),
                Ok(file) => {
                    let pinned = cloud.providers.iter().find(|p| p.name == file.package);
                    match pinned {
                        None => found.push(format!(
                            "{}: provider facts of package {}, which the plugin does not use",
                            cloud.name, file.package
                        )),
                        Some(p) if p.version != file.pinned => found.push(format!(
                            "{}: provider facts of {} {}, the plugin pins {}",
                            cloud.name, file.package, file.pinned, p.version
                        )),
                        Some(_) => {}
                    }
                    for (token, facts) in &file.resources {
                        if cloud_of_type(token).map(|c| c.name) != Some(cloud.name) {
                            found.push(format!(
                                "{}: provider facts of {token}, a type of another package",
                                cloud.name
                            ));
                        }
                        let key = facts.source.split([':', ',', ' ']).next().unwrap_or("");
                        if !file.sources.contains_key(key) {
                            found.push(format!(
                                "{}: {token}: source `{}` names no entry of the file's sources",
                                cloud.name, facts.source
                            ));
                        }
                    }
                }
            }
        }
    }
    found
}
