//! The users registry on GCP: every `[infrastructure.users.<key>.clouds.gcp] id` must be
//! an e-mail address (the user's Google account), checked once before planning.

use cpg_infra_config::{CloudName, Email, InfrastructureConfig};

/// One message per user whose GCP id is not an e-mail address.
pub fn problems(config: &InfrastructureConfig) -> Vec<String> {
    let gcp = CloudName::gcp();
    config
        .users
        .iter()
        .filter_map(|(key, user)| {
            let id = user.clouds.get(&gcp)?;
            Email::parse(id.id.as_str()).err().map(|error| {
                format!(
                    "cpg.toml: infrastructure.users.{key}.clouds.gcp.id: {error}; give the user's Google account e-mail"
                )
            })
        })
        .collect()
}
