//! What a planned resource means to a reviewer, as its cloud plugin says: the review facts
//! (`review_facts.rs`, which know the resource model only) and [`review`], which finds the
//! plugin of a resource's type token in the registry and asks it (with [`flat_text`], a
//! value as the renderer shows it). The facts know neither the registry nor the renderers;
//! the registry names the facts (each plugin's [`ReviewResource`]); only this module, on top
//! of the registry, the facts and the renderers, joins them.

use crate::registry::cloud_of_type;
use crate::resource::{Resource, STACK_REFERENCE};
pub use crate::review_facts::{
    Access, DeleteRule, Eligibility, Grant, PrincipalKind, ResourceKind, Review, ReviewResource,
    StorageFacts, field, literal, split_prefixed,
};
use crate::value::Value;

/// What `resource` means to a reviewer: asked of the plugin that owns its type
/// token; a stack reference is [`ResourceKind::StackReference`]; a type no plugin
/// owns is [`ResourceKind::Other`].
pub fn review(resource: &Resource) -> Review {
    if resource.type_token == STACK_REFERENCE {
        return Review::of(ResourceKind::StackReference).named(resource, "name");
    }
    cloud_of_type(&resource.type_token).map_or_else(
        || Review::of(ResourceKind::Other),
        |cloud| (cloud.review)(resource),
    )
}

/// The text of a value with references shown as `<resource.path>` (for role names
/// built from an organisation id).
pub fn flat_text(value: &Value) -> String {
    crate::render::text::show(value)
}
