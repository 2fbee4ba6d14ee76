//! Renderers over a [`Plan`](crate::Plan): a human-readable text plan, a JSON plan
//! and the Pulumi YAML program (written as JSON); the diagnostics of many plans, said once.

pub mod diagnostics;
pub mod json;
pub mod pulumi;
pub mod text;
