//! The users registry on GCP: every `[infrastructure.users.<key>.clouds.gcp] id` must be
//! an e-mail address (the user's Google account), and no two users may have the same one
//! in different case (Google account e-mails are case-insensitive and Cloud Identity
//! writes member keys in lower case, so both would be the same membership); checked once
//! before planning.

use std::collections::BTreeMap;

use cpg_infra_config::{CloudName, Email, InfrastructureConfig};

/// One message per user whose GCP id is not an e-mail address or is another user's.
pub fn problems(config: &InfrastructureConfig) -> Vec<String> {
    let gcp = CloudName::gcp();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (key, user) in &config.users {
        let Some(id) = user.clouds.get(&gcp) else {
            continue;
        };
        match Email::parse(id.id.as_str()) {
            Err(error) => problems.push(format!(
                "cpg.toml: infrastructure.users.{key}.clouds.gcp.id: {error}; give the user's Google account e-mail"
            )),
            Ok(email) => {
                let lower = email.as_str().to_ascii_lowercase();
                if let Some(other) = seen.insert(lower, key.to_string()) {
                    problems.push(format!(
                        "cpg.toml: infrastructure.users.{key}.clouds.gcp.id is the Google account of user {other} too (e-mail addresses are the same whatever their case): keep one user"
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use cpg_infra_config::parse_cpg_toml;

    use super::problems;

    #[test]
    fn two_users_of_one_account_in_different_case_are_refused() {
        let text = r#"
[infrastructure]
domain = "example-institute.org"
dataset_storage_prefix = "egi-"
budget_currency = "AUD"
reference_dataset = "reference"

[infrastructure.users.alex.clouds.gcp]
id = "Alex.Smith@example-institute.org"
[infrastructure.users.asmith.clouds.gcp]
id = "alex.smith@example-institute.org"
[infrastructure.users.sam.clouds.gcp]
id = "sam@example-institute.org"
"#;
        let config = parse_cpg_toml(text, "cpg.toml")
            .expect("config")
            .infrastructure;
        assert_eq!(
            problems(&config),
            [
                "cpg.toml: infrastructure.users.asmith.clouds.gcp.id is the Google account of user alex too (e-mail addresses are the same whatever their case): keep one user"
            ]
        );
    }
}
