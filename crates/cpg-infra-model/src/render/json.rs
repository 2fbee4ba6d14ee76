//! The plan as JSON, for scripts: resources with their component, type, name,
//! properties (secrets masked) and options, plus outputs and diagnostics.

use serde_json::{Value as Json, json};

use crate::plan::Plan;
use crate::render::pulumi::access;
use crate::value::Value;

/// Renders plans (one per dataset) as JSON.
pub fn json(plans: &[Plan]) -> Json {
    Json::Array(plans.iter().map(plan).collect())
}

/// Renders one dataset's plan as JSON (an element of [`json()`]'s array).
pub fn plan(plan: &Plan) -> Json {
    let resources: Vec<Json> = plan
        .resources
        .iter()
        .map(|r| {
            json!({
                "component": r.component,
                "type": r.type_token,
                "name": r.name,
                "properties": r.properties.iter().map(|(k, v)| ((*k).to_owned(), masked(v))).collect::<serde_json::Map<_, _>>(),
                "dependsOn": r.options.depends_on,
                "protect": r.options.protect,
                "import": r.options.import,
                "existing": r.existing.as_ref().map(|e| e.id.clone()),
            })
        })
        .collect();
    let diagnostics: Vec<Json> = plan
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "severity": d.severity.as_str(),
                "cloud": d.cloud,
                "subject": d.subject,
                "message": d.message,
            })
        })
        .collect();
    json!({
        "dataset": plan.dataset,
        "clouds": plan.clouds,
        "resources": resources,
        "outputs": plan.outputs.iter().map(|(k, v)| (k.clone(), masked(v))).collect::<serde_json::Map<_, _>>(),
        "diagnostics": diagnostics,
    })
}

fn masked(value: &Value) -> Json {
    match value {
        Value::Secret(_) => Json::String("[secret]".into()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => Json::from(*n),
        Value::Float(f) => json!(f),
        Value::Str(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(masked).collect()),
        Value::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.to_string(), masked(v)))
                .collect(),
        ),
        Value::Output(o) => json!({ "output": access(o) }),
        Value::Concat(parts) => json!({ "concat": parts.iter().map(masked).collect::<Vec<_>>() }),
        Value::FromBase64(inner) => json!({ "fromBase64": masked(inner) }),
    }
}
