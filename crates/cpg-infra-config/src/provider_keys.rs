//! Which `namespace:key` settings a stack file (or `PULUMI_CONFIG`, or a TOML
//! `provider_config` table) may hold besides the `datasets:` keys: the namespaces of the
//! providers the programs use, each with the configuration keys its pinned version reads
//! (`data/<namespace>-config-keys.txt`, extracted from the provider's Python SDK), and
//! Pulumi's own `pulumi:` namespace.

use crate::error::did_you_mean;

/// This tool's own namespace (the Pulumi project's name).
pub(crate) const DATASETS_NAMESPACE: &str = "datasets";

/// Pulumi's own namespace (`pulumi:tags`, `pulumi:disable-default-providers`, ...); its keys
/// are not checked.
const PULUMI_NAMESPACE: &str = "pulumi";

/// The providers' namespaces, the package and version their keys come from, and the keys.
const PROVIDERS: &[(&str, &str, &str)] = &[
    (
        "gcp",
        "pulumi-gcp 10.2.0",
        include_str!("../data/gcp-config-keys.txt"),
    ),
    (
        "azure-native",
        "pulumi-azure-native 3.29.0",
        include_str!("../data/azure-native-config-keys.txt"),
    ),
    (
        "azuread",
        "pulumi-azuread 6.11.1",
        include_str!("../data/azuread-config-keys.txt"),
    ),
];

/// The keys of a key list (lines that are neither empty nor `#` comments).
fn keys(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// `user_project_override` -> `userProjectOverride` (Terraform-style spelling to Pulumi's).
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `userProjectOverride` -> `user_project_override`.
fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A regular expression that matches exactly the provider settings [`check`] accepts
/// (for the JSON Schemas of TOML `provider_config` tables).
pub(crate) fn key_pattern() -> String {
    let mut alternatives = vec![format!("{PULUMI_NAMESPACE}:.+")];
    for (ns, _, list) in PROVIDERS {
        let mut names: Vec<String> = Vec::new();
        for key in keys(list) {
            names.push(key.to_owned());
            let snake = snake_case(key);
            if snake != key {
                names.push(snake);
            }
        }
        alternatives.push(format!("{ns}:({})", names.join("|")));
    }
    format!("^({})$", alternatives.join("|"))
}

/// Every namespace a setting may use, for messages.
fn namespaces() -> impl Iterator<Item = &'static str> {
    [DATASETS_NAMESPACE, PULUMI_NAMESPACE]
        .into_iter()
        .chain(PROVIDERS.iter().map(|(ns, _, _)| *ns))
}

/// Checks a setting outside the `datasets:` namespace: `ns` must be a known provider
/// namespace (or `pulumi`) and, for a provider, `name` one of its configuration keys (in
/// camelCase or snake_case). The error says what is wrong and suggests a fix; `dataset_keys`
/// are this tool's keys, suggested when `name` is one of them.
pub(crate) fn check(ns: &str, name: &str, dataset_keys: &[&str]) -> Result<(), String> {
    if ns == PULUMI_NAMESPACE {
        return Ok(());
    }
    if let Some((_, package, list)) = PROVIDERS.iter().find(|(p, _, _)| *p == ns) {
        let camel = camel_case(name);
        if keys(list).any(|k| k == name || k == camel) {
            return Ok(());
        }
        let hint = if dataset_keys.contains(&name) {
            format!("; did you mean `{DATASETS_NAMESPACE}:{name}`?")
        } else if name.contains('_') {
            did_you_mean(&camel, keys(list), |k| format!("`{ns}:{}`", snake_case(k)))
        } else {
            did_you_mean(name, keys(list), |k| format!("`{ns}:{k}`"))
        };
        return Err(format!(
            "unknown setting of the `{ns}` provider, which reads only the keys of {package}: correct or remove it{hint}"
        ));
    }
    let hint = if dataset_keys.contains(&name) {
        format!("; did you mean `{DATASETS_NAMESPACE}:{name}`?")
    } else {
        // Namespaces are short: the nearest by edits (a transposition counts one).
        namespaces()
            .map(|n| (strsim::osa_distance(ns, n), n))
            .filter(|(d, n)| *d <= 2 && *d < n.len())
            .min()
            .map(|(_, n)| format!("; did you mean `{n}:{name}`?"))
            .unwrap_or_default()
    };
    let providers: Vec<String> = PROVIDERS
        .iter()
        .map(|(n, _, _)| format!("`{n}:*`"))
        .collect();
    Err(format!(
        "unknown namespace `{ns}`: nothing reads it, so the setting would be ignored; settings are `{DATASETS_NAMESPACE}:*` (this tool's), {} (the providers') or `{PULUMI_NAMESPACE}:*`{hint}",
        providers.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lists_are_sorted_and_hold_the_keys_the_stacks_use() {
        for (ns, _, list) in PROVIDERS {
            let all: Vec<&str> = keys(list).collect();
            assert!(all.len() > 10, "{ns}");
            assert!(all.windows(2).all(|w| w[0] < w[1]), "{ns} not sorted");
        }
        for (ns, name) in [
            ("gcp", "project"),
            ("gcp", "billing_project"),
            ("gcp", "billingProject"),
            ("gcp", "user_project_override"),
            ("azure-native", "subscriptionId"),
            ("azure-native", "location"),
            ("azuread", "tenantId"),
            ("pulumi", "tags"),
        ] {
            check(ns, name, &[]).unwrap_or_else(|e| panic!("{ns}:{name}: {e}"));
        }
    }

    #[test]
    fn unknown_namespaces_and_keys_are_refused_with_a_suggestion() {
        let err = check("dataset", "enable_release", &["enable_release"]).unwrap_err();
        assert!(
            err.contains("did you mean `datasets:enable_release`?"),
            "{err}"
        );
        let err = check("gpc", "project", &[]).unwrap_err();
        assert!(err.contains("did you mean `gcp:project`?"), "{err}");
        let err = check("gcp", "projet", &[]).unwrap_err();
        assert!(err.contains("did you mean `gcp:project`?"), "{err}");
        assert!(err.contains("pulumi-gcp 10.2.0"), "{err}");
        let err = check("gcp", "user_project_overide", &[]).unwrap_err();
        assert!(
            err.ends_with("did you mean `gcp:user_project_override`?"),
            "{err}"
        );
        let err = check("gcp", "archive_age", &["archive_age"]).unwrap_err();
        assert!(err.contains("`datasets:archive_age`"), "{err}");
        let err = check("aws", "region", &[]).unwrap_err();
        assert!(err.contains("unknown namespace `aws`"), "{err}");
    }
}
