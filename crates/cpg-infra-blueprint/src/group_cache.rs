//! Group cache: for each of the dataset's groups, a secret that the
//! access-group cache process keeps filled with the group's members, and the
//! services that read those secrets.

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{
    Group, GroupRef, Handle, Member, ProjectRef, Secret, SecretMembership,
};

use super::Blueprint;

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn setup_group_cache(&mut self) {
        let cache = self.organisation.access_group_cache.clone();
        let Some(cache) = self.require(
            cache.as_ref(),
            "group-cache",
            OrganisationResource::AccessGroupCache,
        ) else {
            return;
        };
        let organisation = self.organisation.clone();
        let dataset = self.dataset_name().to_owned();

        for (level, group) in self.level_groups() {
            let key = level.as_str();
            self.group_cache_secret(
                &cache,
                &group,
                key,
                &format!("{dataset}-{key}-members-cache"),
            );
        }
        let access = self.access_group();
        let secret = self.group_cache_secret(
            &cache,
            &access,
            "access",
            &format!("{dataset}-access-members-cache"),
        );
        if let Some(server) = self.require(
            organisation.analysis_runner_server.as_ref(),
            "analysis-runner-access-group-cache-secret-accessor",
            OrganisationResource::AnalysisRunnerServer,
        ) {
            self.infra.add_secret_member(
                "analysis-runner-access-group-cache-secret-accessor",
                &secret,
                &server,
                SecretMembership::Accessor,
            );
        }

        let web_access = self.group("web-access");
        let secret = self.group_cache_secret(
            &cache,
            &web_access,
            "web-access",
            &format!("{dataset}-web-access-members-cache"),
        );
        if let Some(server) = self.require(
            organisation.web_server.as_ref(),
            "web-server-web-access-group-cache-secret-accessor",
            OrganisationResource::WebServer,
        ) {
            self.infra.add_secret_member(
                "web-server-web-access-group-cache-secret-accessor",
                &secret,
                &server,
                SecretMembership::Accessor,
            );
        }

        for (permission, group) in self.sample_metadata_groups() {
            let key = format!("sample-metadata-{permission}");
            // The reference included the dataset in these secret names; kept for continuity.
            let secret = self.group_cache_secret(
                &cache,
                &group,
                &key,
                &format!("{dataset}-{key}-members-cache"),
            );
            let accessor = format!("sample-metadata-{permission}-api-secret-accessor");
            if let Some(api) = self.require(
                organisation.sample_metadata_api.as_ref(),
                &accessor,
                OrganisationResource::SampleMetadataApi,
            ) {
                self.infra
                    .add_secret_member(&accessor, &secret, &api, SecretMembership::Accessor);
            }
        }
    }

    fn group_cache_secret(
        &mut self,
        cache: &Member<'b>,
        group: &Handle<'b, Group>,
        key: &str,
        secret_name: &str,
    ) -> Handle<'b, Secret> {
        self.infra.add_group_member(
            &format!("group-cache-{key}-membership"),
            &GroupRef::Created(group.clone()),
            cache,
        );
        let secret = self.infra.create_secret(secret_name, &ProjectRef::Dataset);
        self.infra.add_secret_member(
            &format!("{key}-group-cache-secret-version-manager"),
            &secret,
            cache,
            SecretMembership::Admin,
        );
        self.infra.add_secret_member(
            &format!("{key}-group-cache-secret-accessor"),
            &secret,
            cache,
            SecretMembership::Accessor,
        );
        secret
    }
}
