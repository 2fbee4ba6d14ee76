//! Planned resources: type token, logical name, properties and options; the provider
//! packages their type tokens belong to.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::value::Value;

/// The type token of Pulumi's built-in reference to another stack (no cloud owns it).
pub const STACK_REFERENCE: &str = "pulumi:pulumi:StackReference";

/// A previous identity of a resource that Pulumi must treat as the same resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Alias {
    /// The resource was registered under this type token before (e.g. a provider renamed a module).
    Type(String),
}

/// Pulumi resource options that cpg-infra sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceOptions {
    /// Logical names of resources that must be created first (explicit dependencies).
    pub depends_on: Vec<String>,
    /// Refuse to delete the resource (`pulumi state unprotect` lifts it).
    pub protect: bool,
    /// Leave the cloud resource in place when it is removed from the program.
    pub retain_on_delete: bool,
    /// Delete the old resource before creating its replacement (a resource whose cloud
    /// identity does not change on a replacement, which the provider cannot create twice).
    pub delete_before_replace: bool,
    /// Earlier identities of the resource.
    pub aliases: Vec<Alias>,
    /// Cloud id of an existing resource to adopt instead of creating it.
    pub import: Option<String>,
    /// Properties whose drift Pulumi ignores.
    pub ignore_changes: Vec<String>,
    /// Logical name of the explicit provider resource (`pulumi:providers:<package>`)
    /// that manages this resource, instead of the ambient default provider.
    pub provider: Option<String>,
}

/// A read-only reference to a resource that exists outside this stack (`get:` in Pulumi YAML).
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingResource {
    /// The cloud id of the existing resource.
    pub id: String,
}

/// One resource of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Logical name (the Pulumi resource name, unique in a program).
    pub name: String,
    /// Provider type token, e.g. `gcp:storage/bucket:Bucket`.
    pub type_token: Cow<'static, str>,
    /// Input properties by wire name.
    pub properties: BTreeMap<&'static str, Value>,
    /// Resource options.
    pub options: ResourceOptions,
    /// The blueprint component that asked for it (for grouping in text output).
    pub component: &'static str,
    /// Set when the resource is only read, never managed.
    pub existing: Option<ExistingResource>,
}

impl Resource {
    /// A resource with no properties and default options.
    pub fn new(type_token: impl Into<Cow<'static, str>>, name: &str) -> Self {
        Self {
            name: name.to_owned(),
            type_token: type_token.into(),
            properties: BTreeMap::new(),
            options: ResourceOptions::default(),
            component: "",
            existing: None,
        }
    }

    /// A read-only reference to an existing resource (`get:` in Pulumi YAML): the
    /// program reads its outputs, never creates, changes or deletes it.
    pub fn existing(type_token: &'static str, name: &str, id: &str) -> Self {
        let mut resource = Self::new(type_token, name);
        resource.existing = Some(ExistingResource { id: id.to_owned() });
        resource
    }

    /// Sets an input property.
    pub fn prop(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.properties.insert(key, value.into());
        self
    }

    /// Sets an input property when `value` is `Some`.
    pub fn opt_prop(self, key: &'static str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.prop(key, v),
            None => self,
        }
    }

    /// Adds explicit dependencies.
    pub fn depends_on<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        for name in names {
            let name = name.as_ref();
            if !self.options.depends_on.iter().any(|n| n == name) {
                self.options.depends_on.push(name.to_owned());
            }
        }
        self
    }

    /// Marks the resource protected.
    pub fn protect(mut self, protect: bool) -> Self {
        self.options.protect = protect;
        self
    }

    /// Replaces the resource by deleting it first (see
    /// [`ResourceOptions::delete_before_replace`]).
    pub fn delete_before_replace(mut self) -> Self {
        self.options.delete_before_replace = true;
        self
    }

    /// The property `key`, or an empty string where the resource has none (what a
    /// reviewer is shown for an absent input).
    pub fn property_or_empty(&self, key: &str) -> Value {
        self.properties.get(key).cloned().unwrap_or(Value::str(""))
    }

    /// Whether any property holds a secret.
    pub fn has_secret(&self) -> bool {
        self.properties.values().any(Value::contains_secret)
    }
}

/// A Pulumi provider package a cloud's programs use, at the version they were checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderPackage {
    /// Package name, e.g. `gcp`.
    pub name: &'static str,
    /// Pinned plugin version, e.g. `10.2.0`.
    pub version: &'static str,
}
