//! Sample metadata: the four metadata groups (test/main x read/write), who is
//! in them, and their right to call the sample-metadata service.

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{Group, GroupRef, Handle, Member};
use cpg_infra_config::{AccessLevel, Component, DatasetConfig, Email};

use super::Blueprint;

/// The metadata permissions, in the reference's order.
pub(super) const PERMISSIONS: [&str; 4] = ["test-read", "test-write", "main-read", "main-write"];
const MAIN_READ: &str = "main-read";
const MAIN_WRITE: &str = "main-write";
const HUMAN: [&str; 3] = ["main-read", "test-read", "test-write"];
/// The permissions of the test namespace (absent with `setup_test = false`).
const TEST: [&str; 2] = ["test-read", "test-write"];

impl<'b> Blueprint<'_, 'b> {
    /// The metadata groups by permission (empty unless the component is on).
    pub(super) fn sample_metadata_groups(&mut self) -> Vec<(&'static str, Handle<'b, Group>)> {
        if !self.has(Component::SampleMetadata) {
            return Vec::new();
        }
        let setup_test = self.dataset.setup_test;
        PERMISSIONS
            .into_iter()
            .filter(|permission| setup_test || !TEST.contains(permission))
            .map(|permission| {
                (
                    permission,
                    self.group(&format!("sample-metadata-{permission}")),
                )
            })
            .collect()
    }

    pub(super) fn setup_sample_metadata(&mut self) {
        self.setup_sample_metadata_access_permissions();
        self.setup_sample_metadata_invokers();
    }

    fn setup_sample_metadata_access_permissions(&mut self) {
        let mut memberships: Vec<(String, Member<'b>, Vec<&str>)> = vec![(
            "human".into(),
            Member::Group(self.access_group()),
            HUMAN.to_vec(),
        )];
        if self.dataset.setup_test {
            memberships.push((
                "test".into(),
                Member::Group(self.level_group(AccessLevel::Test)),
                HUMAN.to_vec(),
            ));
        }
        memberships.extend([
            (
                "standard".into(),
                Member::Group(self.level_group(AccessLevel::Standard)),
                vec![MAIN_READ, MAIN_WRITE],
            ),
            (
                "full".into(),
                Member::Group(self.level_group(AccessLevel::Full)),
                PERMISSIONS.to_vec(),
            ),
        ]);
        let logger = self.organisation.analysis_runner_logger.clone();
        if let Some(logger) = self.require(
            logger.as_ref(),
            "analysis-runner-logger",
            OrganisationResource::AnalysisRunnerLogger,
        ) {
            // The analysis-runner's logging function records analyses in sample metadata.
            memberships.push((
                "analysis-runner-logger".into(),
                logger,
                PERMISSIONS.to_vec(),
            ));
        }
        for email in &self.dataset.sm_read_only_sas {
            memberships.push((
                name_from_email(email),
                Member::External {
                    cloud: DatasetConfig::email_accounts_cloud(),
                    id: email.as_str().to_owned(),
                },
                vec![MAIN_READ],
            ));
        }
        for email in &self.dataset.sm_read_write_sas {
            memberships.push((
                name_from_email(email),
                Member::External {
                    cloud: DatasetConfig::email_accounts_cloud(),
                    id: email.as_str().to_owned(),
                },
                vec![MAIN_READ, MAIN_WRITE],
            ));
        }
        let groups = self.sample_metadata_groups();
        for (name, member, permissions) in memberships {
            for permission in permissions {
                let Some((_, group)) = groups.iter().find(|(p, _)| *p == permission) else {
                    continue;
                };
                self.infra.add_group_member(
                    &format!("sample-metadata-{permission}-{name}-access-level-group-membership"),
                    &GroupRef::Created(group.clone()),
                    &member,
                );
            }
        }
    }

    fn setup_sample_metadata_invokers(&mut self) {
        let service = self.organisation.sample_metadata_service.clone();
        let Some(service) = self.require(
            service.as_ref(),
            "sample-metadata-cloudrun-invoker",
            OrganisationResource::SampleMetadataService,
        ) else {
            return;
        };
        for (permission, group) in self.sample_metadata_groups() {
            self.infra.add_service_invoker(
                &format!("sample-metadata-{permission}-cloudrun-invoker"),
                &service,
                &Member::Group(group),
            );
        }
        let access = self.access_group();
        self.infra.add_service_invoker(
            "sample-metadata-access-group-cloudrun-invoker",
            &service,
            &Member::Group(access),
        );
    }
}

/// A resource-key-safe name for an external account: the e-mail without the
/// service-account domain (or without its domain), other characters replaced by `-`.
pub(super) fn name_from_email(email: &Email) -> String {
    const SERVICE_ACCOUNT_SUFFIX: &str = ".iam.gserviceaccount.com";
    let email = email.as_str();
    let base = email
        .strip_suffix(SERVICE_ACCOUNT_SUFFIX)
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email));
    let replaced: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    replaced.replace("--", "-")
}

#[cfg(test)]
mod tests {
    use super::name_from_email;
    use cpg_infra_config::Email;

    #[test]
    fn names_from_emails_follow_the_reference_rule() {
        let cases = [
            (
                "my-service-account@project.iam.gserviceaccount.com",
                "my-service-account-project",
            ),
            ("yourname@example-institute.org", "yourname"),
            (
                "my.service-account+extra@domain.com",
                "my-service-account-extra",
            ),
        ];
        for (email, expected) in cases {
            let email = Email::parse(email).expect("valid e-mail");
            assert_eq!(name_from_email(&email), expected);
        }
    }
}
