//! Readable names in review output: a reference to a planned resource is shown as
//! the resource's real name (a group's e-mail, a bucket's name), as its plugin
//! reports it; secrets stay masked.

use std::collections::HashMap;

use cpg_infra_abstraction::render::text::show;
use cpg_infra_abstraction::review::review;
use cpg_infra_abstraction::{Plan, PrincipalKind, ResourceKind, Review, Source, Value};

/// A plan with what each of its resources means to a reviewer.
pub struct Reviewed<'p> {
    /// The plan.
    pub plan: &'p Plan,
    reviews: HashMap<&'p str, Review>,
}

impl<'p> Reviewed<'p> {
    /// Asks every resource's plugin about it; a grant of a role the organisation stated
    /// the permissions of allows what the statement says (not the committed facts).
    pub fn new(plan: &'p Plan) -> Self {
        let reviews = plan
            .resources
            .iter()
            .map(|r| {
                let mut review = review(r);
                for grant in &mut review.grants {
                    if let Some(stated) = plan.stated_role(&grant.role) {
                        grant.capabilities = Some(stated.capabilities);
                        grant.access = stated.capabilities.access();
                    }
                }
                (r.name.as_str(), review)
            })
            .collect();
        Self { plan, reviews }
    }

    /// What the resource called `name` means (an `Other` for an unknown name).
    pub fn review(&self, name: &str) -> Review {
        self.reviews
            .get(name)
            .cloned()
            .unwrap_or_else(|| Review::of(ResourceKind::Other))
    }

    /// The planned resource a value refers to, when it is a plain reference.
    fn referenced(&self, value: &Value) -> Option<&'p str> {
        match value {
            Value::Output(output) => match &output.source {
                Source::Resource(name) => self.plan.get(name).map(|r| r.name.as_str()),
                Source::Invoke(_) => None,
            },
            _ => None,
        }
    }

    /// The kind of the resource a value refers to.
    pub fn kind_of(&self, value: &Value) -> Option<ResourceKind> {
        self.referenced(value)
            .and_then(|name| self.reviews.get(name))
            .map(|r| r.kind)
    }

    /// A value for people: references to named resources become their names,
    /// stack outputs `stack/output`, secrets `[secret]`.
    pub fn readable(&self, value: &Value) -> String {
        self.readable_at(value, 0)
    }

    /// [`Reviewed::readable`], following a real name that is itself a reference (a
    /// service principal named by its application) a few levels deep.
    fn readable_at(&self, value: &Value, depth: usize) -> String {
        match value {
            Value::Output(output) => {
                let Some(name) = self.referenced(value) else {
                    return show(value);
                };
                let review = &self.reviews[name];
                if review.kind == ResourceKind::StackReference
                    && let [outputs, key] = output.path.as_slice()
                    && outputs == "outputs"
                {
                    let stack = review.name.as_ref().map_or_else(|| name.to_owned(), show);
                    return format!("{stack}/{key}");
                }
                match (
                    &review.name,
                    self.plan.get(name).and_then(|r| r.existing.as_ref()),
                ) {
                    (Some(real @ Value::Output(_)), _) if depth < 4 => {
                        let shown = self.readable_at(real, depth + 1);
                        if shown.starts_with('<') {
                            name.to_owned()
                        } else {
                            shown
                        }
                    }
                    (Some(real), _) if !matches!(real, Value::Output(_)) => show(real),
                    (_, Some(existing)) => existing.id.clone(),
                    _ => name.to_owned(),
                }
            }
            Value::Concat(parts) => parts.iter().map(|p| self.readable_at(p, depth)).collect(),
            other => show(other),
        }
    }
}

/// The principal kind of a referenced resource's kind.
pub fn principal_kind(kind: Option<ResourceKind>) -> Option<PrincipalKind> {
    match kind? {
        ResourceKind::Group => Some(PrincipalKind::Group),
        ResourceKind::MachineAccount => Some(PrincipalKind::MachineAccount),
        _ => None,
    }
}
