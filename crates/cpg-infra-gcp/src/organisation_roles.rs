//! The organisation's own custom roles as the organisation states them
//! (`[infrastructure.gcp.organisation_roles]`): which role ids may be stated (the
//! organisation roles this plugin grants, from its committed facts; never the storage
//! mutator role, whose permissions are this crate's), and, for a plan, what each stated
//! role its grants name allows, recorded in the plan so the access review uses it instead
//! of the committed facts.

use std::collections::BTreeMap;

use crate::organisation_role_facts::OrganisationRoleFacts;
use crate::organisation_settings::GcpConfig;
use cpg_infra_abstraction::{Plan, StatedRole};
use cpg_infra_config::InfrastructureConfig;

use crate::custom_roles;
use crate::permissions::{capabilities_of_permissions, facts, organisation_role_id};
use crate::review::review;

/// The key path of the stated roles.
const KEY: &str = "[infrastructure.gcp.organisation_roles]";

/// The organisation roles this plugin grants (their ids), from its committed facts.
fn granted_organisation_roles() -> Vec<&'static str> {
    facts()
        .map(|f| {
            f.role
                .iter()
                .filter(|r| r.organisation)
                .map(|r| r.name.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// One problem per stated role id that is not an organisation role the plugin grants.
pub fn problems(config: &InfrastructureConfig) -> Vec<String> {
    let Some(gcp) = GcpConfig::written(config) else {
        return Vec::new();
    };
    let known = granted_organisation_roles();
    gcp.organisation_roles
        .keys()
        .filter(|id| !known.contains(&id.as_str()))
        .map(|id| {
            if id == custom_roles::MUTATOR_ROLE_ID {
                format!(
                    "{KEY} states `{id}`, the storage mutator role, whose permissions this tool defines (it creates the role): remove the table"
                )
            } else {
                format!(
                    "{KEY} states `{id}`, which is no organisation role the design grants (those are {}): correct the role id or remove the table",
                    known.join(", ")
                )
            }
        })
        .collect()
}

/// What each stated role allows, by role id.
pub fn stated(config: &InfrastructureConfig) -> BTreeMap<String, StatedRole> {
    let Some(gcp) = GcpConfig::written(config) else {
        return BTreeMap::new();
    };
    gcp.organisation_roles
        .iter()
        .map(|(id, facts)| (id.clone(), stated_role(id, facts)))
        .collect()
}

fn stated_role(id: &str, facts: &OrganisationRoleFacts) -> StatedRole {
    StatedRole {
        capabilities: capabilities_of_permissions(&facts.permissions),
        source: format!("{KEY} {id}: {}", facts.source),
    }
}

/// Records in `plan` the stated roles its grants name (`<organisation>/roles/<id>`).
pub fn record(stated: &BTreeMap<String, StatedRole>, plan: &mut Plan) {
    if stated.is_empty() {
        return;
    }
    let mut found = Vec::new();
    for resource in &plan.resources {
        for grant in review(resource).grants {
            if let Some(role) = organisation_role_id(&grant.role).and_then(|id| stated.get(id)) {
                found.push((grant.role.clone(), role.clone()));
            }
        }
    }
    for (role, facts) in found {
        plan.state_role(&role, facts);
    }
}
