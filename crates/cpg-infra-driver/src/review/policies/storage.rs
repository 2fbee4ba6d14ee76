//! Storage facts joined over the resources of one storage (an Azure container takes its
//! account's versioning): what the data policies read.

use std::collections::BTreeMap;

use cpg_infra_abstraction::{Source, StorageFacts, Value};

use crate::review::names::Reviewed;

/// The storage facts of each storage resource, joined over the resources that are
/// part of the same storage ([`cpg_infra_abstraction::Review::part_of`]): a container
/// takes what it leaves open from its account's blob settings and from the account.
pub struct StorageGroups<'p> {
    /// The storage each resource belongs to (the resource `part_of` names, else itself).
    group: BTreeMap<&'p str, String>,
    /// The facts of each group's members, in plan order.
    members: BTreeMap<String, Vec<(&'p str, StorageFacts)>>,
}

impl<'p> StorageGroups<'p> {
    /// The storage groups of a reviewed plan.
    pub fn new(reviewed: &Reviewed<'p>) -> Self {
        let mut group = BTreeMap::new();
        let mut members: BTreeMap<String, Vec<(&'p str, StorageFacts)>> = BTreeMap::new();
        for resource in &reviewed.plan.resources {
            let review = reviewed.review(&resource.name);
            let owner = review
                .part_of
                .as_ref()
                .and_then(|value| match value {
                    Value::Output(output) => match &output.source {
                        Source::Resource(owner) => Some(owner.clone()),
                        Source::Invoke(_) => None,
                    },
                    _ => None,
                })
                .unwrap_or_else(|| resource.name.clone());
            if review.storage != StorageFacts::default() {
                members
                    .entry(owner.clone())
                    .or_default()
                    .push((resource.name.as_str(), review.storage));
            }
            group.insert(resource.name.as_str(), owner);
        }
        Self { group, members }
    }

    /// `own` facts of the resource `name`, with what they leave open taken from the
    /// other resources of its storage.
    pub fn effective(&self, name: &str, own: StorageFacts) -> StorageFacts {
        let Some(owner) = self.group.get(name) else {
            return own;
        };
        self.members
            .get(owner)
            .into_iter()
            .flatten()
            .filter(|(member, _)| *member != name)
            .fold(own, |facts, (_, other)| facts.or(*other))
    }
}
