//! Type tokens of the `gcp` provider used by this plugin (canonical tokens of the pinned schema).

/// Storage bucket.
pub const BUCKET: &str = "gcp:storage/bucket:Bucket";
/// Bucket IAM member.
pub const BUCKET_IAM_MEMBER: &str = "gcp:storage/bucketIAMMember:BucketIAMMember";
/// Project IAM member.
pub const PROJECT_IAM_MEMBER: &str = "gcp:projects/iAMMember:IAMMember";
/// A Privileged Access Manager entitlement (the module's token is lower case).
pub const PAM_ENTITLEMENT: &str = "gcp:privilegedaccessmanager/entitlement:entitlement";
/// Project service (API enablement).
pub const PROJECT_SERVICE: &str = "gcp:projects/service:Service";
/// Service account.
pub const SERVICE_ACCOUNT: &str = "gcp:serviceaccount/account:Account";
/// Service account IAM member.
pub const SERVICE_ACCOUNT_IAM_MEMBER: &str = "gcp:serviceaccount/iAMMember:IAMMember";
/// Service account key.
pub const SERVICE_ACCOUNT_KEY: &str = "gcp:serviceaccount/key:Key";
/// Cloud Identity group.
pub const GROUP: &str = "gcp:cloudidentity/group:Group";
/// Cloud Identity group membership.
pub const GROUP_MEMBERSHIP: &str = "gcp:cloudidentity/groupMembership:GroupMembership";
/// Secret Manager secret.
pub const SECRET: &str = "gcp:secretmanager/secret:Secret";
/// Secret IAM member.
pub const SECRET_IAM_MEMBER: &str = "gcp:secretmanager/secretIamMember:SecretIamMember";
/// Secret version.
pub const SECRET_VERSION: &str = "gcp:secretmanager/secretVersion:SecretVersion";
/// Artifact Registry repository IAM member.
pub const REPOSITORY_IAM_MEMBER: &str =
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember";
/// Cloud Run service IAM member.
pub const CLOUD_RUN_IAM_MEMBER: &str = "gcp:cloudrun/iamMember:IamMember";
/// Project.
pub const PROJECT: &str = "gcp:organizations/project:Project";
/// Billing budget.
pub const BUDGET: &str = "gcp:billing/budget:Budget";
/// An organisation custom role.
pub const ORG_CUSTOM_ROLE: &str = "gcp:organizations/iAMCustomRole:IAMCustomRole";
/// The organisation lookup.
pub const GET_ORGANIZATION: &str = "gcp:organizations/getOrganization:getOrganization";
/// The lookup of a project by id (its number and name), for monthly budgets.
pub const GET_PROJECT: &str = "gcp:organizations/getProject:getProject";
/// Artifact Registry repository (read when configured as an existing resource).
pub const REPOSITORY: &str = "gcp:artifactregistry/repository:Repository";
