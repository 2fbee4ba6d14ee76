//! The dataset's storage account: created on first use, its containers' names, and the
//! account-wide settings added once every bucket is known.

use cpg_infra_abstraction::{BucketName, BucketSpec, Session};

use super::AzureInfra;
use crate::storage::{self};

impl AzureInfra {
    /// Creates the storage account on first use.
    pub(super) fn ensure_storage_account(&mut self, session: &mut Session) {
        if !session.plan().contains(storage::STORAGE_ACCOUNT) {
            let account = storage::storage_account(&self.settings);
            session.add(account);
        }
    }

    /// The container name of a bucket spec.
    pub(super) fn container_name(spec: &BucketSpec) -> String {
        match &spec.name {
            BucketName::Dataset(suffix) => suffix.clone(),
            BucketName::Unique(name) => name.clone(),
        }
    }

    /// Adds the account-wide storage settings (at the end, when every bucket is known).
    pub(super) fn finish_storage(&mut self, session: &mut Session) {
        if self.containers.is_empty() {
            return;
        }
        session.set_component("storage");
        // Account-wide settings list containers by name, whatever the order the
        // blueprint created them in (e.g. the order of additional upload buckets).
        self.containers.sort_by(|a, b| a.name.cmp(&b.name));
        let (service, messages) = storage::blob_service(&self.containers);
        session.add(service);
        for message in messages {
            session.diagnose(storage::STORAGE_ACCOUNT, message);
        }
        let archived: Vec<&str> = self
            .containers
            .iter()
            .filter(|c| storage::archives(&c.spec))
            .map(|c| c.name.as_str())
            .collect();
        for problem in storage::tier_problems(self.settings.storage_redundancy, &archived) {
            session.error(storage::STORAGE_ACCOUNT, problem);
        }
        let (policy, notes) = storage::lifecycle_policy(&self.containers);
        if let Some(policy) = policy {
            session.add(policy);
        }
        for note in notes {
            session.note(storage::LIFECYCLE_POLICY, note);
        }
    }
}
