//! `literal-secret`: no secret value is written literally in a program.

use cpg_infra_abstraction::review::field;
use cpg_infra_abstraction::{Resource, Value};

use super::{Policy, Report, Subject, reads, Rule, Severity};


/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "literal-secret",
    severity: Severity::Error,
    sentence: "no secret value is written literally in a program",
    rule: Rule::Resource(check),
    access_invariant: false,
};

/// Secret inputs given as literal values; not for configuration the blueprint keeps in
/// a secret store only to reach its reader (the secret itself, or a version reading it).
fn check(subject: &Subject, add: &mut Report) {
    let (plan, resource) = (subject.plan, subject.resource);
    let configuration = plan.holds_configuration(&resource.name)
        || plan
            .resources
            .iter()
            .any(|other| plan.holds_configuration(&other.name) && reads(resource, &other.name));
    if configuration {
        return;
    }
    for path in subject.review.secret_inputs {
        if let Some(value) = at_path(resource, path)
            && value.outputs().is_empty()
            && !is_blank(value)
        {
            add(format!(
                    "`{path}` is written literally in the program (so in the repository and the stack's history); take the value from another resource's output"
                ),
            );
        }
    }
}

/// The value at a dotted property path of `resource`.
fn at_path<'r>(resource: &'r Resource, path: &str) -> Option<&'r Value> {
    let mut parts = path.split('.');
    let mut value = resource.properties.get(parts.next()?)?;
    for part in parts {
        value = field(value, part)?;
    }
    Some(value)
}

/// Whether a value is an empty placeholder (no secret in it: e.g. a secret whose
/// value another process writes).
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Str(s) => s.is_empty(),
        Value::Secret(inner) => is_blank(inner),
        _ => false,
    }
}
