//! Diagnostics of many plans said once: the standard "not available on `<cloud>`"
//! warning is the same for every dataset on a cloud, so a run says each once with its
//! count ([`Unavailable`]); the other warnings ([`Warnings`]) are each dataset's own
//! (a dependency that grants nothing, a currency a cloud cannot set), and the same
//! text at several places is said once with them.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::plan::{Plan, Severity};
use crate::render::text::count;

/// How many places a grouped warning lists before "and N more".
const PLACES_SHOWN: usize = 3;

/// The "not available" warnings of a run, by cloud and message, in first-seen order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unavailable {
    /// (cloud, message, times, datasets).
    groups: Vec<(String, String, usize, BTreeSet<String>)>,
}

impl Unavailable {
    /// Adds a dataset's plan.
    pub fn add(&mut self, plan: &Plan) {
        for d in plan.diagnostics.iter().filter(|d| d.unavailable) {
            match self
                .groups
                .iter_mut()
                .find(|g| g.0 == d.cloud && g.1 == d.message)
            {
                Some(group) => {
                    group.2 += 1;
                    group.3.insert(plan.dataset.clone());
                }
                None => self.groups.push((
                    d.cloud.clone(),
                    d.message.clone(),
                    1,
                    BTreeSet::from([plan.dataset.clone()]),
                )),
            }
        }
    }

    /// Whether nothing was unavailable.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// One line per message: `[cloud] message (N times in M datasets)`.
    pub fn lines(&self) -> Vec<String> {
        self.groups
            .iter()
            .map(|(cloud, message, times, datasets)| {
                format!(
                    "[{cloud}] {message} ({} in {})",
                    count(*times, "time"),
                    count(datasets.len(), "dataset")
                )
            })
            .collect()
    }

    /// The block a summary-first plan ends with: a heading and the lines, indented;
    /// empty when nothing was unavailable.
    pub fn text(&self) -> String {
        if self.is_empty() {
            return String::new();
        }
        let mut out = String::from("not available, said once for the run:\n");
        for line in self.lines() {
            let _ = writeln!(out, "  {line}");
        }
        out
    }
}

/// Where a warning was said: the dataset and the diagnostic's subject.
type Place = (String, String);

/// The warnings of a run other than "not available", grouped by cloud and text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Warnings {
    /// (cloud, message, places as `dataset subject`).
    groups: Vec<(String, String, Vec<Place>)>,
}

impl Warnings {
    /// Adds a dataset's plan.
    pub fn add(&mut self, plan: &Plan) {
        for d in plan
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning && !d.unavailable)
        {
            let place = (plan.dataset.clone(), d.subject.clone());
            match self
                .groups
                .iter_mut()
                .find(|g| g.0 == d.cloud && g.1 == d.message)
            {
                Some(group) => group.2.push(place),
                None => self
                    .groups
                    .push((d.cloud.clone(), d.message.clone(), vec![place])),
            }
        }
    }

    /// One line per text: `dataset D [cloud] subject: message` at one place, else
    /// `[cloud] message (at N places: D subject, ...)`.
    pub fn lines(&self) -> Vec<String> {
        self.groups
            .iter()
            .map(|(cloud, message, places)| match places.as_slice() {
                [(dataset, subject)] => format!("dataset {dataset} [{cloud}] {subject}: {message}"),
                _ => {
                    let shown: Vec<String> = places
                        .iter()
                        .take(PLACES_SHOWN)
                        .map(|(d, s)| format!("{d} {s}"))
                        .collect();
                    let mut shown = shown.join(", ");
                    if places.len() > PLACES_SHOWN {
                        let _ = write!(shown, " and {} more", places.len() - PLACES_SHOWN);
                    }
                    format!("[{cloud}] {message} (at {} places: {shown})", places.len())
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(dataset: &str) -> Plan {
        let mut plan = Plan::new(dataset, "azure");
        for subject in ["a-dataproc", "b-dataproc"] {
            plan.diagnose_unavailable(
                "azure",
                subject,
                "Dataproc is not available on azure: none".to_owned(),
            );
        }
        plan.diagnose(
            Severity::Warning,
            "azure",
            "budget",
            "currency EUR cannot be set".to_owned(),
        );
        plan.diagnose(Severity::Note, "azure", "x", "a note".to_owned());
        plan
    }

    #[test]
    fn unavailable_is_said_once_with_its_count() {
        let mut unavailable = Unavailable::default();
        unavailable.add(&plan("one"));
        unavailable.add(&plan("two"));
        assert_eq!(
            unavailable.lines(),
            ["[azure] Dataproc is not available on azure: none (4 times in 2 datasets)"]
        );
    }

    #[test]
    fn other_warnings_keep_their_places() {
        let mut warnings = Warnings::default();
        warnings.add(&plan("one"));
        assert_eq!(
            warnings.lines(),
            ["dataset one [azure] budget: currency EUR cannot be set"]
        );
        for name in ["two", "three", "four"] {
            warnings.add(&plan(name));
        }
        assert_eq!(
            warnings.lines(),
            [
                "[azure] currency EUR cannot be set (at 4 places: one budget, two budget, three budget and 1 more)"
            ]
        );
    }
}
