//! The optional test namespace: with `setup_test = false` the dataset has no `test`
//! access level. The bucket table (`test` rows), the per-level account rows, the
//! access-group and sample-metadata code leave it out through
//! `DatasetConfig::access_levels` and `setup_test`; this module only says, in the plan,
//! what was left out.

use cpg_infra_config::{AccessLevel, Component};

use super::Blueprint;
use super::accounts::accounts_with;
use super::buckets::exists;

impl Blueprint<'_, '_> {
    /// A note listing what `setup_test = false` leaves out on this cloud.
    pub(super) fn note_test_namespace(&mut self) {
        if self.dataset.setup_test {
            return;
        }
        let dataset = self.dataset_name().to_owned();
        let mut with_test = self.dataset.clone();
        with_test.setup_test = true;
        let buckets: Vec<&str> = self
            .table
            .iter()
            .filter(|row| row.test && exists(row, &with_test, &self.components))
            .map(|row| row.suffix)
            .collect();
        let kept: Vec<String> = accounts_with(self.dataset, &self.components)
            .into_iter()
            .map(|a| a.name)
            .collect();
        let accounts: Vec<String> = accounts_with(&with_test, &self.components)
            .into_iter()
            .map(|a| a.name)
            .filter(|name| !kept.contains(name))
            .collect();
        let mut parts = vec![format!(
            "the {dataset}-{} group and its grants",
            AccessLevel::Test
        )];
        if !buckets.is_empty() {
            parts.push(format!("the buckets {}", buckets.join(", ")));
        }
        if !accounts.is_empty() {
            parts.push(format!("the machine accounts {}", accounts.join(", ")));
        }
        if self.has(Component::SampleMetadata) {
            parts.push("the sample-metadata groups test-read and test-write".to_owned());
        }
        self.infra.note(
            "setup-test",
            format!(
                "setup_test is false: not created: {}; no `test` group is exported to dependants",
                parts.join("; ")
            ),
        );
    }
}
