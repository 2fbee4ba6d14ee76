//! Azure built-in role definitions this plugin assigns, by their fixed GUIDs.
//!
//! The GUIDs are the same in every tenant; they are listed in Microsoft's
//! "Azure built-in roles" reference
//! (<https://learn.microsoft.com/azure/role-based-access-control/built-in-roles>).

/// A built-in Azure role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BuiltInRole {
    /// Reader: `*/read` on the control plane (lists containers, sees resources, no data).
    Reader,
    /// Storage Blob Data Reader: read and list blobs.
    StorageBlobDataReader,
    /// Managed Identity Operator: assign (act as) a user-assigned identity.
    ManagedIdentityOperator,
    /// Key Vault Secrets User: read secret contents.
    KeyVaultSecretsUser,
    /// Key Vault Secrets Officer: manage secrets and their versions.
    KeyVaultSecretsOfficer,
    /// AcrPull: pull images from a container registry.
    AcrPull,
    /// AcrPush: push and pull images.
    AcrPush,
    /// Monitoring Reader: read metrics, alerts and diagnostic settings.
    MonitoringReader,
    /// Log Analytics Reader: read logs and monitoring data.
    LogAnalyticsReader,
    /// Virtual Machine Contributor: manage virtual machines (not their network or access).
    VirtualMachineContributor,
}

impl BuiltInRole {
    /// Every built-in role this plugin can assign.
    pub const ALL: [BuiltInRole; 10] = [
        Self::Reader,
        Self::StorageBlobDataReader,
        Self::ManagedIdentityOperator,
        Self::KeyVaultSecretsUser,
        Self::KeyVaultSecretsOfficer,
        Self::AcrPull,
        Self::AcrPush,
        Self::MonitoringReader,
        Self::LogAnalyticsReader,
        Self::VirtualMachineContributor,
    ];

    /// The role definition GUID (identical in every tenant).
    pub fn guid(self) -> &'static str {
        match self {
            BuiltInRole::Reader => "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            BuiltInRole::StorageBlobDataReader => "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            BuiltInRole::ManagedIdentityOperator => "f1a07417-d97a-45cb-824c-7a7467783830",
            BuiltInRole::KeyVaultSecretsUser => "4633458b-17de-408a-b874-0445c86b69e6",
            BuiltInRole::KeyVaultSecretsOfficer => "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
            BuiltInRole::AcrPull => "7f951dda-4ed3-4680-a7ca-43fe172d538d",
            BuiltInRole::AcrPush => "8311e382-0749-4cb8-b61a-304f252e45ec",
            BuiltInRole::MonitoringReader => "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
            BuiltInRole::LogAnalyticsReader => "73c42c96-874c-492b-b04d-ab87d138a893",
            BuiltInRole::VirtualMachineContributor => "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
        }
    }

    /// The role's display name (for diagnostics and documentation).
    pub fn display_name(self) -> &'static str {
        match self {
            BuiltInRole::Reader => "Reader",
            BuiltInRole::StorageBlobDataReader => "Storage Blob Data Reader",
            BuiltInRole::ManagedIdentityOperator => "Managed Identity Operator",
            BuiltInRole::KeyVaultSecretsUser => "Key Vault Secrets User",
            BuiltInRole::KeyVaultSecretsOfficer => "Key Vault Secrets Officer",
            BuiltInRole::AcrPull => "AcrPull",
            BuiltInRole::AcrPush => "AcrPush",
            BuiltInRole::MonitoringReader => "Monitoring Reader",
            BuiltInRole::LogAnalyticsReader => "Log Analytics Reader",
            BuiltInRole::VirtualMachineContributor => "Virtual Machine Contributor",
        }
    }

    /// The full role definition id in `subscription`, as `roleDefinitionId` expects it.
    pub fn definition_id(self, subscription: &str) -> String {
        crate::names::role_definition_id(subscription, self.guid())
    }
}

/// A custom role this plugin defines per dataset (scoped to the dataset's resource
/// group): its permissions are the code's, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CustomRole {
    /// Read blobs and add new ones, never overwrite or delete them (bucket append).
    BlobAppender,
    /// Read, add, overwrite and delete blobs, never delete or configure the container
    /// or change access (bucket mutate, as GCP's storage mutator role).
    BlobMutator,
}

impl CustomRole {
    /// Every custom role.
    pub const ALL: [CustomRole; 2] = [Self::BlobAppender, Self::BlobMutator];

    /// The role's kind in its name and definition GUID (`blob-appender`).
    pub fn kind(self) -> &'static str {
        match self {
            Self::BlobAppender => "blob-appender",
            Self::BlobMutator => "blob-mutator",
        }
    }

    /// The logical name of its role definition.
    pub fn key(self) -> &'static str {
        match self {
            Self::BlobAppender => "azure-blob-appender-role",
            Self::BlobMutator => "azure-blob-mutator-role",
        }
    }

    /// The role's name after the dataset's (`<prefix>-<dataset> blob appender`).
    pub fn title(self) -> &'static str {
        match self {
            Self::BlobAppender => "blob appender",
            Self::BlobMutator => "blob mutator",
        }
    }

    /// What it allows, for its description.
    pub fn description(self) -> &'static str {
        match self {
            Self::BlobAppender => "Read blobs and add new blobs, never overwrite or delete them",
            Self::BlobMutator => {
                "Read, add, overwrite and delete blobs; never delete or configure the container or change its access"
            }
        }
    }

    /// Control-plane actions: read a container's properties. Not
    /// `generateUserDelegationKey/action`: the role is assigned on containers, and that
    /// action only takes effect when assigned on the storage account or above (Get User
    /// Delegation Key acts on the whole account), so it would grant nothing. Never
    /// `containers/write` or `containers/delete` (Storage Blob Data Contributor has both).
    pub fn actions(self) -> &'static [&'static str] {
        &["Microsoft.Storage/storageAccounts/blobServices/containers/read"]
    }

    /// Data actions. The appender: `blobs/add/action` creates a blob, also in blocks
    /// (Put Block, Put Block List: chunked uploads), but cannot overwrite one (that needs
    /// `blobs/write`). The mutator: also `write`, `delete` and `move/action` (rename),
    /// and no `modifyPermissions/action` (ACLs) or `immutableStorage/runAsSuperUser`.
    pub fn data_actions(self) -> &'static [&'static str] {
        match self {
            Self::BlobAppender => &[
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
            ],
            Self::BlobMutator => &[
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
            ],
        }
    }
}
