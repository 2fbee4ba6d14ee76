//! Type tokens of the `azure-native` and `azuread` providers used by this plugin
//! (canonical tokens of the pinned schemas: azure-native 3.29.0, azuread 6.11.1).

/// Resource group (the Azure "project").
pub const RESOURCE_GROUP: &str = "azure-native:resources:ResourceGroup";
/// Storage account (one per dataset, holds every container).
pub const STORAGE_ACCOUNT: &str = "azure-native:storage:StorageAccount";
/// Blob container (the Azure "bucket").
pub const BLOB_CONTAINER: &str = "azure-native:storage:BlobContainer";
/// Blob service properties (soft delete, versioning) of a storage account.
pub const BLOB_SERVICE_PROPERTIES: &str = "azure-native:storage:BlobServiceProperties";
/// Lifecycle management policy of a storage account.
pub const MANAGEMENT_POLICY: &str = "azure-native:storage:ManagementPolicy";
/// Azure RBAC role assignment.
pub const ROLE_ASSIGNMENT: &str = "azure-native:authorization:RoleAssignment";
/// Azure RBAC custom role definition.
pub const ROLE_DEFINITION: &str = "azure-native:authorization:RoleDefinition";
/// User-assigned managed identity (the Azure "machine account").
pub const USER_ASSIGNED_IDENTITY: &str = "azure-native:managedidentity:UserAssignedIdentity";
/// Key Vault (one per dataset, holds every secret).
pub const KEY_VAULT: &str = "azure-native:keyvault:Vault";
/// Key Vault secret.
pub const KEY_VAULT_SECRET: &str = "azure-native:keyvault:Secret";
/// Cost Management budget.
pub const BUDGET: &str = "azure-native:consumption:Budget";
/// Entra ID security group.
pub const GROUP: &str = "azuread:index/group:Group";
/// Entra ID group member.
pub const GROUP_MEMBER: &str = "azuread:index/groupMember:GroupMember";
/// Who may activate a membership of a group (Entra PIM for groups).
pub const PIM_ELIGIBILITY: &str = "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule";
/// How a group's memberships are activated (Entra PIM for groups).
pub const PIM_POLICY: &str = "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy";
/// Entra ID application registration (for machine-account credentials).
pub const APPLICATION: &str = "azuread:index/application:Application";
/// Entra ID service principal of an application.
pub const SERVICE_PRINCIPAL: &str = "azuread:index/servicePrincipal:ServicePrincipal";
/// Client secret of an application.
pub const APPLICATION_PASSWORD: &str = "azuread:index/applicationPassword:ApplicationPassword";
/// Container registry (read when configured as an existing resource).
pub const CONTAINER_REGISTRY: &str = "azure-native:containerregistry:Registry";
