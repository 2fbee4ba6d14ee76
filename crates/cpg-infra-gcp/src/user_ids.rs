//! The users registry on GCP: every `[infrastructure.users.<key>.clouds.gcp] id` must be
//! an e-mail address (the user's Google account); checked once before planning. That no
//! two users share an id, whatever its case (Google account e-mails are case-insensitive),
//! is the configuration's rule for every cloud (`cpg-infra-config`'s identities).

use cpg_infra_config::{CloudName, Email, InfrastructureConfig};

/// One message per user whose GCP id is not an e-mail address.
pub fn problems(config: &InfrastructureConfig) -> Vec<String> {
    let gcp = CloudName::gcp();
    let mut problems = Vec::new();
    for (key, user) in &config.users {
        let Some(id) = user.clouds.get(&gcp) else {
            continue;
        };
        if let Err(error) = Email::parse(id.id.as_str()) {
            problems.push(format!(
                "cpg.toml: infrastructure.users.{key}.clouds.gcp.id: {error}; give the user's Google account e-mail"
            ));
        }
    }
    problems
}
