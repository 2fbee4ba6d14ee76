//! The users registry on Azure: every `[infrastructure.users.<key>.clouds.azure] id` must
//! be an Entra ID object id (a GUID), checked once before planning.

use cpg_infra_config::{CloudName, Guid, InfrastructureConfig};

/// One message per user whose Azure id is not a GUID.
pub fn problems(config: &InfrastructureConfig) -> Vec<String> {
    let azure = CloudName::azure();
    config
        .users
        .iter()
        .filter_map(|(key, user)| {
            let id = user.clouds.get(&azure)?;
            Guid::parse(id.id.as_str()).err().map(|error| {
                format!(
                    "cpg.toml: infrastructure.users.{key}.clouds.azure.id: {error} (the user's Entra ID object id)"
                )
            })
        })
        .collect()
}
