//! `external-member`: people and groups outside the organisation's domain get access or
//! membership only where allowed.

use cpg_infra_abstraction::PrincipalKind;

use super::{Policy, Report, Subject, parties, Rule, Severity};


/// The policy: its id, severity, sentence and rule.
pub static POLICY: Policy = Policy {
    id: "external-member",
    severity: Severity::Error,
    sentence: "people and groups outside the organisation's domain get access or membership only where allowed",
    rule: Rule::Resource(check),
    access_invariant: false,
};

/// Grants to people and groups outside the domain that no allowance names.
fn check(subject: &Subject, add: &mut Report) {
    let config = subject.config;
    for grant in &subject.review.grants {
        let (kind, principal, what) = parties(subject, grant);
        if !matches!(kind, PrincipalKind::User | PrincipalKind::Group) {
            continue;
        }
        if let Some((_, domain)) = principal.rsplit_once('@')
            && !inside(domain, config.domain.as_str())
            && !config
                .check
                .allowed_external_members
                .iter()
                .any(|allowed| allowed.allows(&principal))
        {
            add(format!(
                    "gives {what} to the {} `{principal}`, outside {}: add it (or `@{domain}`) to [infrastructure.check] allowed_external_members, or remove it",
                    kind.as_str(),
                    config.domain
                ),
            );
        }
    }
}

/// Whether `domain` is the organisation's domain or one of its subdomains.
fn inside(domain: &str, organisation: &str) -> bool {
    domain.eq_ignore_ascii_case(organisation)
        || domain
            .to_ascii_lowercase()
            .ends_with(&format!(".{}", organisation.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::inside;

    #[test]
    fn subdomains_are_inside_the_organisation() {
        assert!(inside("example.org", "example.org"));
        assert!(inside("Lab.Example.org", "example.org"));
        assert!(!inside("notexample.org", "example.org"));
        assert!(!inside("example.org.evil.com", "example.org"));
    }
}
