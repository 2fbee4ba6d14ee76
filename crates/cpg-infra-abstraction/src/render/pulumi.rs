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

use serde_json::{Map, Value as Json, json};

use crate::plan::Plan;
use crate::registry::ProviderPackage;
use crate::resource::{Alias, Resource};
use crate::value::{Output, Source, Value};

/// Renders `plan` as a Pulumi YAML program. `providers` pins the plugin version of
/// each package (by the package prefix of type tokens).
pub fn program(plan: &Plan, providers: &[ProviderPackage]) -> Json {
    let mut root = Map::new();
    if !plan.invokes.is_empty() {
        let mut variables = Map::new();
        let mut invokes: Vec<_> = plan.invokes.iter().collect();
        invokes.sort_by(|a, b| a.variable.cmp(&b.variable));
        for invoke in invokes {
            let mut call = Map::new();
            call.insert("function".into(), Json::String(invoke.function.clone()));
            call.insert("arguments".into(), object(&invoke.arguments));
            if let Some(version) = version_of(&invoke.function, providers) {
                call.insert("options".into(), json!({ "version": version }));
            }
            variables.insert(
                invoke.variable.clone(),
                json!({ "fn::invoke": Json::Object(call) }),
            );
        }
        root.insert("variables".into(), Json::Object(variables));
    }
    let mut resources: Vec<&Resource> = plan.resources.iter().collect();
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    let mut rendered = Map::new();
    for resource in resources {
        rendered.insert(resource.name.clone(), render_resource(resource, providers));
    }
    root.insert("resources".into(), Json::Object(rendered));
    if !plan.outputs.is_empty() {
        root.insert("outputs".into(), object(&plan.outputs));
    }
    Json::Object(root)
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

fn version_of<'a>(token: &str, providers: &'a [ProviderPackage]) -> Option<&'a str> {
    let package = token.split(':').next()?;
    providers
        .iter()
        .find(|p| p.name == package)
        .map(|p| p.version)
}

fn render_resource(resource: &Resource, providers: &[ProviderPackage]) -> Json {
    let mut out = Map::new();
    out.insert("type".into(), Json::String(resource.type_token.clone()));
    if !resource.properties.is_empty() {
        out.insert("properties".into(), object(&resource.properties));
    }
    if let Some(existing) = &resource.existing {
        out.insert("get".into(), json!({ "id": escape(&existing.id) }));
    }
    let mut options = Map::new();
    let opts = &resource.options;
    if !opts.depends_on.is_empty() {
        let deps = opts
            .depends_on
            .iter()
            .map(|d| Json::String(format!("${{{}}}", root_name(d))))
            .collect();
        options.insert("dependsOn".into(), Json::Array(deps));
    }
    if opts.protect {
        options.insert("protect".into(), Json::Bool(true));
    }
    if opts.retain_on_delete {
        options.insert("retainOnDelete".into(), Json::Bool(true));
    }
    if !opts.aliases.is_empty() {
        let aliases = opts
            .aliases
            .iter()
            .map(|alias| match alias {
                Alias::Type(old) => json!({ "type": old }),
            })
            .collect();
        options.insert("aliases".into(), Json::Array(aliases));
    }
    if let Some(import) = &opts.import {
        options.insert("import".into(), Json::String(escape(import)));
    }
    if !opts.ignore_changes.is_empty() {
        options.insert("ignoreChanges".into(), json!(opts.ignore_changes));
    }
    if let Some(version) = version_of(&resource.type_token, providers) {
        options.insert("version".into(), Json::String(version.to_owned()));
    }
    if !options.is_empty() {
        out.insert("options".into(), Json::Object(options));
    }
    Json::Object(out)
}

fn object<'a>(map: impl IntoIterator<Item = (&'a String, &'a Value)>) -> Json {
    Json::Object(
        map.into_iter()
            .map(|(k, v)| (k.clone(), render(v)))
            .collect(),
    )
}

/// Renders one value.
pub fn render(value: &Value) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => Json::from(*n),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(escape(s)),
        Value::List(items) => Json::Array(items.iter().map(render).collect()),
        Value::Object(map) => object(map),
        Value::Output(output) => Json::String(format!("${{{}}}", access(output))),
        Value::Concat(parts) => render_concat(parts),
        Value::Secret(inner) => json!({ "fn::secret": render(inner) }),
        Value::FromBase64(inner) => json!({ "fn::fromBase64": render(inner) }),
    }
}

fn render_concat(parts: &[Value]) -> Json {
    let mut text = String::new();
    for part in parts {
        match part {
            Value::Str(s) => text.push_str(&escape(s)),
            Value::Output(output) => {
                text.push_str("${");
                text.push_str(&access(output));
                text.push('}');
            }
            Value::Int(n) => text.push_str(&n.to_string()),
            Value::Bool(b) => text.push_str(&b.to_string()),
            // Secrets and other builtins cannot sit inside an interpolated string:
            // join the rendered parts instead.
            _ => {
                let rendered: Vec<Json> = parts.iter().map(render).collect();
                return json!({ "fn::join": ["", rendered] });
            }
        }
    }
    Json::String(text)
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

fn root_name(name: &str) -> String {
    if name
        .chars()
        .any(|c| matches!(c, '.' | '[' | ']' | '"' | '}' | '$' | '{'))
        || name.is_empty()
    {
        format!("[{}]", Json::String(name.to_owned()))
    } else {
        name.to_owned()
    }
}

/// The property access of an output, without `${` `}`.
pub fn access(output: &Output) -> String {
    let root = match &output.source {
        Source::Resource(name) | Source::Invoke(name) => root_name(name),
    };
    let mut text = root;
    for segment in &output.path {
        if is_identifier(segment) {
            text.push('.');
            text.push_str(segment);
        } else {
            text.push('[');
            text.push_str(&Json::String(segment.clone()).to_string());
            text.push(']');
        }
    }
    text
}
