//! Project services (APIs) that resources depend on, with the reference's
//! logical names and dependency edges. Four are always enabled; the others
//! only when a resource needs them.

/// A project service this plugin can enable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    /// cloudresourcemanager.googleapis.com
    CloudResourceManager,
    /// cloudidentity.googleapis.com
    CloudIdentity,
    /// serviceusage.googleapis.com
    ServiceUsage,
    /// secretmanager.googleapis.com
    SecretManager,
    /// dataproc.googleapis.com
    Dataproc,
    /// lifesciences.googleapis.com
    LifeSciences,
    /// cloudbilling.googleapis.com
    CloudBilling,
    /// billingbudgets.googleapis.com
    BillingBudgets,
    /// iam.googleapis.com
    Iam,
    /// privilegedaccessmanager.googleapis.com
    PrivilegedAccessManager,
}

/// Services enabled in every dataset project, in creation order.
pub const ALWAYS: [Service; 4] = [
    Service::CloudResourceManager,
    Service::CloudIdentity,
    Service::ServiceUsage,
    Service::SecretManager,
];

impl Service {
    /// The logical name of its resource.
    pub fn resource_name(self) -> &'static str {
        match self {
            Service::CloudResourceManager => "cloudresourcemanager-service",
            Service::CloudIdentity => "cloudidentity-service",
            Service::ServiceUsage => "serviceusage-service",
            Service::SecretManager => "secretmanager-service",
            Service::Dataproc => "dataproc-service",
            Service::LifeSciences => "lifesciences-service",
            Service::CloudBilling => "cloudbilling-service",
            Service::BillingBudgets => "cloudbillingbudgets-service",
            Service::Iam => "iam-service",
            Service::PrivilegedAccessManager => "privilegedaccessmanager-service",
        }
    }

    /// The API's service name.
    pub fn api(self) -> &'static str {
        match self {
            Service::CloudResourceManager => "cloudresourcemanager.googleapis.com",
            Service::CloudIdentity => "cloudidentity.googleapis.com",
            Service::ServiceUsage => "serviceusage.googleapis.com",
            Service::SecretManager => "secretmanager.googleapis.com",
            Service::Dataproc => "dataproc.googleapis.com",
            Service::LifeSciences => "lifesciences.googleapis.com",
            Service::CloudBilling => "cloudbilling.googleapis.com",
            Service::BillingBudgets => "billingbudgets.googleapis.com",
            Service::Iam => "iam.googleapis.com",
            Service::PrivilegedAccessManager => "privilegedaccessmanager.googleapis.com",
        }
    }

    /// The service that must be enabled first.
    pub fn depends_on(self) -> Option<Service> {
        match self {
            Service::CloudResourceManager | Service::ServiceUsage => None,
            Service::LifeSciences => Some(Service::ServiceUsage),
            Service::BillingBudgets => Some(Service::CloudBilling),
            Service::CloudIdentity
            | Service::SecretManager
            | Service::Dataproc
            | Service::CloudBilling
            | Service::Iam
            | Service::PrivilegedAccessManager => Some(Service::CloudResourceManager),
        }
    }

    /// Whether the reference set the `project` input explicitly.
    pub fn sets_project(self) -> bool {
        matches!(self, Service::CloudBilling | Service::BillingBudgets)
    }
}
