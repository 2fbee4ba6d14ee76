//! The organisation's storage policy, `[infrastructure.storage_policy]`:
//! switches that change every dataset's buckets, each off by default so existing programs
//! stay as they are. Which bucket kinds a switch applies to is the blueprint's bucket
//! table; how a cloud realises it is the cloud plugin's.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[infrastructure.storage_policy]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoragePolicy {
    /// Abort multipart uploads left incomplete for
    /// [`ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS`] days, on every bucket (default false).
    #[serde(default)]
    pub abort_incomplete_uploads: bool,
    /// Soft delete of temporary buckets (`main-tmp`, `test-tmp`), which are cleared out
    /// anyway: `true` turns it off; `false` states the cloud's default retention on them,
    /// which is how to switch it back on (a provider keeps a property's last value when it
    /// disappears from the program, so removing the key would leave them without soft
    /// delete). Unset: the program says nothing about it (as the reference did), so the
    /// buckets keep what they have. Other buckets always keep the cloud's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_soft_delete_for_tmp: Option<bool>,
    /// Grant "mutate" access to buckets with a role that changes objects but cannot delete
    /// the bucket or change its IAM (GCP: the organisation custom role
    /// `StorageObjectAndBucketMutator`, created by the reference dataset's program), instead
    /// of full storage admin (default false).
    #[serde(default)]
    pub mutator_role: bool,
}

/// After how many days an incomplete multipart upload is aborted (the reference's value).
pub const ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS: u32 = 7;
