//! Secrets: Secret Manager secrets replicated in the dataset's region, and their
//! versions, whose data is always a secret (whichever cloud it comes from).

use cpg_infra_abstraction::{Exported, Output, Resource, Value};

use crate::settings::Settings;
use crate::tokens;

/// The secret `name` in `project` (`None`: the provider's project), after the
/// Secret Manager service `manager`.
pub fn secret(settings: &Settings, name: &str, project: Option<Value>, manager: &str) -> Resource {
    let replication = Value::object([(
        "userManaged",
        Value::object([(
            "replicas",
            Value::List(vec![Value::object([(
                "location",
                Value::str(&settings.region),
            )])]),
        )]),
    )]);
    Resource::new(tokens::SECRET, name)
        .prop("secretId", name)
        .prop("replication", replication)
        .opt_prop("project", project)
        .depends_on([manager])
}

/// The version `key` of the secret with logical name `secret`, holding `contents`.
pub fn version(key: &str, secret: &str, contents: &Exported) -> Resource {
    let data = if contents.is_secret() {
        contents.value.clone()
    } else {
        Value::Secret(Box::new(contents.value.clone()))
    };
    Resource::new(tokens::SECRET_VERSION, key)
        .prop("secret", Output::resource(secret, "id"))
        .prop("secretData", data)
}
