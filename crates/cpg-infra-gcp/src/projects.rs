//! Projects: the organisation lookup every program starts with, and projects
//! the blueprint creates (e.g. a dataset's shared project) in that organisation.

use cpg_infra_abstraction::{Invoke, Output, Resource, Value};

use crate::settings::Settings;
use crate::tokens;

/// Program variable holding the organisation lookup.
pub const ORGANIZATION: &str = "organization";

/// The lookup of the organisation of `domain` (`organization` in the program).
pub fn organisation_lookup(domain: &str) -> Invoke {
    Invoke {
        variable: ORGANIZATION.to_owned(),
        function: tokens::GET_ORGANIZATION.to_owned(),
        arguments: [("domain".to_owned(), Value::str(domain))].into(),
    }
}

/// The project `<dataset project>-<suffix>` under logical name
/// `<dataset project>-<suffix>-project`, protected; `billing` is the logical name
/// of the Cloud Billing service it depends on.
pub fn project(settings: &Settings, suffix: &str, billing: &str) -> Resource {
    let name = format!("{}-{suffix}", settings.project_id);
    Resource::new(tokens::PROJECT, &format!("{name}-project"))
        .prop("orgId", Output::invoke(ORGANIZATION, "orgId"))
        .prop("projectId", name.as_str())
        .prop("name", name.as_str())
        .prop("billingAccount", settings.billing_account_id.as_str())
        .depends_on([billing])
        .protect(true)
}
