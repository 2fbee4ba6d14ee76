//! Property values of planned resources.
//!
//! A [`Value`] is a tree whose leaves are literals or deferred values that only
//! the deployment engine knows: outputs of other resources, invoke results and
//! stack-reference outputs. Secrets and base64 decoding are explicit wrappers
//! so that every renderer can treat them correctly (mask in text, `fn::secret`
//! in programs).

use std::borrow::Cow;
use std::collections::BTreeMap;

/// Where a deferred value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// A resource of the plan, by logical name.
    Resource(String),
    /// The result of an invoke (a program variable), by variable name.
    Invoke(String),
}

/// A deferred value: a source followed by a property path.
///
/// `Output { source: Resource("sa"), path: ["email"] }` renders as `${sa.email}`;
/// an empty path means the resource itself (Pulumi passes its id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Output {
    /// Where the value comes from.
    pub source: Source,
    /// Property accessors, outermost first. A segment is a property name or a map key.
    pub path: Vec<Cow<'static, str>>,
}

impl Output {
    /// The output `property` of the resource with logical name `resource`.
    pub fn resource(resource: &str, property: &'static str) -> Self {
        Self {
            source: Source::Resource(resource.to_owned()),
            path: vec![Cow::Borrowed(property)],
        }
    }

    /// The field `property` of the invoke result stored in `variable`.
    pub fn invoke(variable: &str, property: &'static str) -> Self {
        Self {
            source: Source::Invoke(variable.to_owned()),
            path: vec![Cow::Borrowed(property)],
        }
    }

    /// A nested field of this output (`${sa.groupKey}` -> `${sa.groupKey.id}`).
    pub fn field(mut self, name: &'static str) -> Self {
        self.path.push(Cow::Borrowed(name));
        self
    }

    /// The output `output` of the stack reference with logical name `stack`.
    pub fn stack_output(stack: &str, output: &str) -> Self {
        Self {
            source: Source::Resource(stack.to_owned()),
            path: vec![Cow::Borrowed("outputs"), Cow::Owned(output.to_owned())],
        }
    }

    /// The name of the resource this output depends on, if any.
    pub fn resource_name(&self) -> Option<&str> {
        match &self.source {
            Source::Resource(name) => Some(name),
            Source::Invoke(_) => None,
        }
    }
}

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A boolean literal.
    Bool(bool),
    /// An integral number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string literal (never interpreted: a literal `${` is escaped by renderers).
    Str(String),
    /// A list.
    List(Vec<Value>),
    /// An object with sorted keys.
    Object(BTreeMap<Cow<'static, str>, Value>),
    /// A deferred value.
    Output(Output),
    /// String concatenation of literals and deferred values.
    Concat(Vec<Value>),
    /// A value that must be stored and shown as a secret.
    Secret(Box<Value>),
    /// The base64-decoded text of the inner value (e.g. a service-account key).
    FromBase64(Box<Value>),
}

impl Value {
    /// A string literal.
    pub fn str(s: impl Into<String>) -> Self {
        Self::Str(s.into())
    }

    /// An object from `(key, value)` pairs.
    pub fn object<K: Into<Cow<'static, str>>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Self {
        Self::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string that is `prefix` followed by `value` (a literal prefix is merged).
    pub fn prefixed(prefix: &str, value: Value) -> Self {
        match value {
            Value::Str(s) => Value::Str(format!("{prefix}{s}")),
            other => Value::Concat(vec![Value::str(prefix), other]),
        }
    }

    /// Every deferred value in this tree, depth first.
    pub fn outputs(&self) -> Vec<&Output> {
        let mut found = Vec::new();
        self.collect_outputs(&mut found);
        found
    }

    fn collect_outputs<'a>(&'a self, found: &mut Vec<&'a Output>) {
        match self {
            Value::Output(o) => found.push(o),
            Value::List(items) | Value::Concat(items) => {
                items.iter().for_each(|v| v.collect_outputs(found))
            }
            Value::Object(map) => map.values().for_each(|v| v.collect_outputs(found)),
            Value::Secret(inner) | Value::FromBase64(inner) => inner.collect_outputs(found),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => {}
        }
    }

    /// Calls `f` on every deferred value in this tree, depth first, stopping at the
    /// first error (no allocation, unlike [`Value::outputs`]).
    pub fn try_for_each_output<E>(
        &self,
        f: &mut impl FnMut(&Output) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Value::Output(o) => f(o),
            Value::List(items) | Value::Concat(items) => {
                items.iter().try_for_each(|v| v.try_for_each_output(f))
            }
            Value::Object(map) => map.values().try_for_each(|v| v.try_for_each_output(f)),
            Value::Secret(inner) | Value::FromBase64(inner) => inner.try_for_each_output(f),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => Ok(()),
        }
    }

    /// Whether this tree contains a secret.
    pub fn contains_secret(&self) -> bool {
        match self {
            Value::Secret(_) => true,
            Value::List(items) | Value::Concat(items) => items.iter().any(Value::contains_secret),
            Value::Object(map) => map.values().any(Value::contains_secret),
            Value::FromBase64(inner) => inner.contains_secret(),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::Output(_) => {
                false
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<Output> for Value {
    fn from(o: Output) -> Self {
        Value::Output(o)
    }
}
