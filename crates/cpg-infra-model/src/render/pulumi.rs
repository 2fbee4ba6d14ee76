//! The Pulumi YAML program of a plan, written as JSON (which is valid YAML).
//!
//! Rules of Pulumi YAML that shape the output:
//! - `${root.path}` interpolates; a literal `$` is written `$$`.
//! - a root name containing `.`, `[`, `]`, `"`, `}` or `$` is written `${["name"].prop}`.
//! - property segments that are not identifiers are written `["key"]`.
//! - secrets are `{"fn::secret": ...}`, base64 decoding `{"fn::fromBase64": ...}`.
//! - invokes are `variables` with `fn::invoke`.
//!
//! Resources are sorted by logical name, so the program does not depend on the
//! order of inputs; every resource and invoke pins its provider version.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value as Json, json};

use crate::plan::Plan;
use crate::resource::{Alias, ProviderPackage, Resource};
use crate::value::{Output, Source, Value};

/// Renders `plan` as a Pulumi YAML program (a JSON value). `providers` pins the
/// plugin version of each package (by the package prefix of type tokens).
pub fn program(plan: &Plan, providers: &[ProviderPackage]) -> Json {
    // Serialising our own views into a JSON value cannot fail (every map key is a string).
    serde_json::to_value(ProgramView { plan, providers }).unwrap_or(Json::Null)
}

/// Writes the program of `plan` as compact JSON to `writer`, without building an
/// intermediate value tree (the fast path for compiler mode and bulk rendering;
/// Pulumi reads it, people can pipe it through `jq`).
pub fn write_program<W: std::io::Write>(
    writer: W,
    plan: &Plan,
    providers: &[ProviderPackage],
) -> serde_json::Result<()> {
    serde_json::to_writer(writer, &ProgramView { plan, providers })
}

/// The program of a plan, serialised on the fly.
struct ProgramView<'a> {
    plan: &'a Plan,
    providers: &'a [ProviderPackage],
}

impl Serialize for ProgramView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if !self.plan.invokes.is_empty() {
            map.serialize_entry("variables", &VariablesView(self))?;
        }
        map.serialize_entry("resources", &ResourcesView(self))?;
        if !self.plan.outputs.is_empty() {
            map.serialize_entry("outputs", &ObjectView(&self.plan.outputs))?;
        }
        map.end()
    }
}

struct VariablesView<'a>(&'a ProgramView<'a>);

impl Serialize for VariablesView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut invokes: Vec<_> = self.0.plan.invokes.iter().collect();
        invokes.sort_by(|a, b| a.variable.cmp(&b.variable));
        let mut map = serializer.serialize_map(Some(invokes.len()))?;
        for invoke in invokes {
            let call = InvokeView {
                invoke,
                version: version_of(&invoke.function, self.0.providers),
            };
            map.serialize_entry(&invoke.variable, &Single("fn::invoke", &call))?;
        }
        map.end()
    }
}

struct InvokeView<'a> {
    invoke: &'a crate::plan::Invoke,
    version: Option<&'a str>,
}

impl Serialize for InvokeView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("function", &self.invoke.function)?;
        map.serialize_entry("arguments", &ObjectView(&self.invoke.arguments))?;
        if let Some(version) = self.version {
            map.serialize_entry("options", &Single("version", version))?;
        }
        map.end()
    }
}

/// A map with one entry.
struct Single<'a, T: ?Sized>(&'a str, &'a T);

impl<T: Serialize + ?Sized> Serialize for Single<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

struct ResourcesView<'a>(&'a ProgramView<'a>);

impl Serialize for ResourcesView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut resources: Vec<&Resource> = self.0.plan.resources.iter().collect();
        resources.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        let mut map = serializer.serialize_map(Some(resources.len()))?;
        for resource in resources {
            let view = ResourceView {
                resource,
                version: version_of(&resource.type_token, self.0.providers),
            };
            map.serialize_entry(&resource.name, &view)?;
        }
        map.end()
    }
}

struct ResourceView<'a> {
    resource: &'a Resource,
    version: Option<&'a str>,
}

impl Serialize for ResourceView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let resource = self.resource;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", &resource.type_token)?;
        if !resource.properties.is_empty() {
            map.serialize_entry("properties", &ObjectView(&resource.properties))?;
        }
        if let Some(existing) = &resource.existing {
            map.serialize_entry("get", &Single("id", &Literal(&existing.id)))?;
        }
        let options = OptionsView {
            options: &resource.options,
            version: self.version,
        };
        if options.any() {
            map.serialize_entry("options", &options)?;
        }
        map.end()
    }
}

struct OptionsView<'a> {
    options: &'a crate::resource::ResourceOptions,
    version: Option<&'a str>,
}

impl OptionsView<'_> {
    fn any(&self) -> bool {
        let o = self.options;
        !o.depends_on.is_empty()
            || o.protect
            || o.retain_on_delete
            || o.delete_before_replace
            || !o.aliases.is_empty()
            || o.import.is_some()
            || !o.ignore_changes.is_empty()
            || o.provider.is_some()
            || self.version.is_some()
    }
}

impl Serialize for OptionsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let o = self.options;
        let mut map = serializer.serialize_map(None)?;
        if !o.depends_on.is_empty() {
            let deps: Vec<String> = o
                .depends_on
                .iter()
                .map(|d| {
                    let mut text = String::with_capacity(d.len() + 3);
                    text.push_str("${");
                    push_root(&mut text, d);
                    text.push('}');
                    text
                })
                .collect();
            map.serialize_entry("dependsOn", &deps)?;
        }
        if o.protect {
            map.serialize_entry("protect", &true)?;
        }
        if o.retain_on_delete {
            map.serialize_entry("retainOnDelete", &true)?;
        }
        if o.delete_before_replace {
            map.serialize_entry("deleteBeforeReplace", &true)?;
        }
        if !o.aliases.is_empty() {
            let aliases: Vec<Single<'_, str>> = o
                .aliases
                .iter()
                .map(|alias| match alias {
                    Alias::Type(old) => Single("type", old.as_str()),
                })
                .collect();
            map.serialize_entry("aliases", &aliases)?;
        }
        if let Some(import) = &o.import {
            map.serialize_entry("import", &Literal(import))?;
        }
        if !o.ignore_changes.is_empty() {
            map.serialize_entry("ignoreChanges", &o.ignore_changes)?;
        }
        if let Some(provider) = &o.provider {
            let mut text = String::with_capacity(provider.len() + 3);
            text.push_str("${");
            push_root(&mut text, provider);
            text.push('}');
            map.serialize_entry("provider", &text)?;
        }
        if let Some(version) = self.version {
            map.serialize_entry("version", version)?;
        }
        map.end()
    }
}

/// A literal string, escaped for Pulumi YAML.
struct Literal<'a>(&'a str);

impl Serialize for Literal<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.contains('$') {
            serializer.serialize_str(&escape(self.0))
        } else {
            serializer.serialize_str(self.0)
        }
    }
}

struct ObjectView<'a, K>(&'a std::collections::BTreeMap<K, Value>);

impl<K: AsRef<str>> Serialize for ObjectView<'_, K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key.as_ref(), &ValueView(value))?;
        }
        map.end()
    }
}

/// One value, serialised as Pulumi YAML expects it.
struct ValueView<'a>(&'a Value);

impl Serialize for ValueView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Float(f) if f.is_finite() => serializer.serialize_f64(*f),
            Value::Float(_) => serializer.serialize_unit(),
            Value::Str(s) => Literal(s).serialize(serializer),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&ValueView(item))?;
                }
                seq.end()
            }
            Value::Object(map) => ObjectView(map).serialize(serializer),
            Value::Output(output) => serializer.serialize_str(&reference(output)),
            Value::Concat(parts) => match interpolation(parts) {
                Some(text) => serializer.serialize_str(&text),
                None => {
                    let parts: Vec<ValueView<'_>> = parts.iter().map(ValueView).collect();
                    Single("fn::join", &("", parts)).serialize(serializer)
                }
            },
            Value::Secret(inner) => Single("fn::secret", &ValueView(inner)).serialize(serializer),
            Value::FromBase64(inner) => {
                Single("fn::fromBase64", &ValueView(inner)).serialize(serializer)
            }
        }
    }
}

/// The interpolated string of `parts`, or `None` when a part is a structured value
/// (a secret, a list, ...) that cannot sit inside an interpolation.
fn interpolation(parts: &[Value]) -> Option<String> {
    let mut text = String::new();
    for part in parts {
        match part {
            Value::Str(s) => text.push_str(&escape(s)),
            Value::Output(output) => {
                text.push_str("${");
                push_access(&mut text, output);
                text.push('}');
            }
            Value::Int(n) => text.push_str(&n.to_string()),
            Value::Bool(b) => text.push_str(&b.to_string()),
            _ => return None,
        }
    }
    Some(text)
}

/// A program that only names the provider packages (for Pulumi's plugin discovery,
/// which runs the compiler without a stack): one explicit provider per package.
pub fn provider_discovery_program(providers: &[ProviderPackage]) -> Json {
    let mut sorted: Vec<_> = providers.to_vec();
    sorted.sort_by_key(|p| p.name);
    sorted.dedup();
    let mut resources = Map::new();
    for provider in sorted {
        resources.insert(
            format!("{}-provider", provider.name),
            json!({
                "type": format!("pulumi:providers:{}", provider.name),
                "options": { "version": provider.version },
            }),
        );
    }
    json!({ "resources": resources })
}

/// The pinned version of the package of `token`; a provider resource
/// (`pulumi:providers:<package>`) belongs to `<package>`.
fn version_of<'a>(token: &str, providers: &'a [ProviderPackage]) -> Option<&'a str> {
    let package = match token.strip_prefix("pulumi:providers:") {
        Some(package) => package,
        None => token.split(':').next()?,
    };
    providers
        .iter()
        .find(|p| p.name == package)
        .map(|p| p.version)
}

/// Renders one value as a JSON value.
pub fn render(value: &Value) -> Json {
    serde_json::to_value(ValueView(value)).unwrap_or(Json::Null)
}

/// Escapes a literal string for Pulumi YAML (`$` -> `$$`).
pub fn escape(literal: &str) -> String {
    literal.replace('$', "$$")
}

fn is_identifier(segment: &str) -> bool {
    let mut chars = segment.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn push_root(text: &mut String, name: &str) {
    if name
        .bytes()
        .any(|c| matches!(c, b'.' | b'[' | b']' | b'"' | b'}' | b'$' | b'{'))
        || name.is_empty()
    {
        text.push('[');
        text.push_str(&Json::String(name.to_owned()).to_string());
        text.push(']');
    } else {
        text.push_str(name);
    }
}

/// The property access of an output, without `${` `}`.
pub fn access(output: &Output) -> String {
    let mut text = String::new();
    push_access(&mut text, output);
    text
}

/// Appends the property access of `output` to `text`.
fn push_access(text: &mut String, output: &Output) {
    let (Source::Resource(name) | Source::Invoke(name)) = &output.source;
    push_root(text, name);
    for segment in &output.path {
        if is_identifier(segment) {
            text.push('.');
            text.push_str(segment);
        } else {
            text.push('[');
            text.push_str(&Json::String(segment.to_string()).to_string());
            text.push(']');
        }
    }
}

/// `${<access>}` of an output.
fn reference(output: &Output) -> String {
    let mut text = String::with_capacity(48);
    text.push_str("${");
    push_access(&mut text, output);
    text.push('}');
    text
}
