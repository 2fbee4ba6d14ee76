//! Organisation access groups (`[infrastructure] organisation_access_groups`): the
//! organisation's shared buckets and registries (analysis-runner config, reference data,
//! Hail wheels, images) are granted once, to one organisation group per access kind,
//! instead of once per dataset group (GCP caps the principals of one policy).
//!
//! The reference dataset's program owns the groups (`org-<kind>`), their grants and
//! their stack outputs (`<reference>-org-<kind>-group-id`); every dataset's groups join
//! them, the reference's directly, the others' through the reference's stack outputs
//! (the reference is every dataset's dependency already). Names: memberships
//! `org/<kind>/<group key>`, grants `org/<kind>/<target>`; a `/` is in no dataset,
//! group or bucket name, so no existing name can be taken. On a cloud the reference
//! does not deploy to, the per-dataset grants stay, with a note.

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{
    BucketMembership, BucketRef, ContainerRegistryMembership, Group, GroupRef, Handle, Member,
    RegistryRef,
};

use cpg_infra_config::ORGANISATION_GROUP_PREFIX;

use super::Blueprint;

/// One organisation access kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OrgGroup {
    /// Read on the analysis-runner config bucket.
    ConfigViewers,
    /// Read on the reference-data bucket.
    ReferenceViewers,
    /// Read on the Hail wheels bucket.
    HailWheelsViewers,
    /// Pull from the analysis-runner and common registries.
    ImagesReaders,
    /// Push to the common registry (standard and full only).
    ImagesWriters,
}

impl OrgGroup {
    /// Every kind, in creation order.
    const ALL: [OrgGroup; 5] = [
        OrgGroup::ConfigViewers,
        OrgGroup::ReferenceViewers,
        OrgGroup::HailWheelsViewers,
        OrgGroup::ImagesReaders,
        OrgGroup::ImagesWriters,
    ];

    /// The kind in names (`org/<kind>/...`).
    pub(super) fn kind(self) -> &'static str {
        match self {
            OrgGroup::ConfigViewers => "config-viewers",
            OrgGroup::ReferenceViewers => "reference-viewers",
            OrgGroup::HailWheelsViewers => "hail-wheels-viewers",
            OrgGroup::ImagesReaders => "images-readers",
            OrgGroup::ImagesWriters => "images-writers",
        }
    }

    /// The group's name (its address on GCP is `<name>@<domain>`), and the kind of its
    /// stack output.
    fn group_name(self) -> String {
        format!("{ORGANISATION_GROUP_PREFIX}{}", self.kind())
    }
}

impl<'b> Blueprint<'_, 'b> {
    /// Whether this dataset's groups join the organisation groups on this cloud (the
    /// switch is on and the reference dataset deploys here); when the switch is on but
    /// the reference does not deploy here, a note says the per-dataset grants stay.
    pub(super) fn joins_organisation_groups(&mut self, group: OrgGroup) -> bool {
        if !self.config.organisation_access_groups {
            return false;
        }
        let reference = self.config.reference_dataset.clone();
        if self.dataset.dataset == reference {
            return true;
        }
        let cloud = self.infra.cloud();
        let here = self
            .dependency_locations(&reference)
            .clouds
            .iter()
            .any(|c| c.as_str() == cloud);
        if !here {
            self.infra.note(
                &format!("org/{}", group.kind()),
                format!(
                    "the reference dataset {reference} does not deploy to {cloud}, so there is no organisation group {} here: this dataset's groups keep their own grants",
                    group.group_name()
                ),
            );
        }
        here
    }

    /// The organisation group `group` as a group to join: the reference's own handle, or
    /// the reference's stack output.
    fn organisation_group_ref(&mut self, group: OrgGroup) -> GroupRef<'b> {
        let reference = self.config.reference_dataset.clone();
        if self.dataset.dataset == reference {
            GroupRef::Created(self.organisation_group(group))
        } else {
            self.infra.dependency_group(&reference, &group.group_name())
        }
    }

    /// This dataset's groups (`(key, group)`) join the organisation group `group`.
    pub(super) fn join_organisation_group(
        &mut self,
        group: OrgGroup,
        members: Vec<(&'static str, Handle<'b, Group>)>,
    ) {
        let target = self.organisation_group_ref(group);
        for (key, own) in members {
            self.infra.add_group_member(
                &format!("org/{}/{key}", group.kind()),
                &target,
                &Member::Group(own),
            );
        }
    }

    /// The organisation group `group` of the reference's program, created on first use.
    fn organisation_group(&mut self, group: OrgGroup) -> Handle<'b, Group> {
        let key = format!("org/{}", group.kind());
        if let Some(handle) = self.groups.get(&key) {
            return handle.clone();
        }
        let handle = self.infra.create_group(&group.group_name(), None);
        self.groups.insert(key, handle.clone());
        handle
    }

    /// The reference dataset's part: every organisation group, its grant on the
    /// organisation's resource and its stack output (created whatever the reference's own
    /// components, since every dataset reads the outputs).
    pub(super) fn setup_organisation_groups(&mut self) {
        let organisation = self.organisation.clone();
        let reference = self.config.reference_dataset.clone();
        for group in OrgGroup::ALL {
            let handle = self.organisation_group(group);
            self.infra
                .export_group(&reference, &group.group_name(), &handle);
            let member = Member::Group(handle);
            let kind = group.kind();
            let bucket = |blueprint: &mut Self,
                          bucket: Option<&BucketRef<'b>>,
                          resource: OrganisationResource| {
                let key = format!("org/{kind}/bucket");
                if let Some(bucket) = blueprint.require(bucket, &key, resource) {
                    blueprint.infra.add_member_to_bucket(
                        &key,
                        &bucket,
                        &member,
                        BucketMembership::Read,
                    );
                }
            };
            match group {
                OrgGroup::ConfigViewers => bucket(
                    self,
                    organisation.config_bucket.as_ref(),
                    OrganisationResource::ConfigBucket,
                ),
                OrgGroup::ReferenceViewers => {
                    bucket(
                        self,
                        organisation.reference_bucket.as_ref(),
                        OrganisationResource::ReferenceBucket,
                    );
                }
                OrgGroup::HailWheelsViewers => {
                    bucket(
                        self,
                        organisation.hail_wheel_bucket.as_ref(),
                        OrganisationResource::HailWheelBucket,
                    );
                }
                OrgGroup::ImagesReaders => {
                    let registries: Vec<RegistryRef> = [
                        self.require(
                            organisation.analysis_runner_registry.as_ref(),
                            "org/images-readers/analysis-runner",
                            OrganisationResource::AnalysisRunnerRegistry,
                        ),
                        self.require(
                            organisation.common_registry.as_ref(),
                            "org/images-readers/common",
                            OrganisationResource::CommonRegistry,
                        ),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    for registry in registries {
                        self.infra.add_member_to_container_registry(
                            &format!("org/{kind}/{}", registry.scope),
                            &registry,
                            &member,
                            ContainerRegistryMembership::Reader,
                        );
                    }
                }
                OrgGroup::ImagesWriters => {
                    if let Some(common) = self.require(
                        organisation.common_registry.as_ref(),
                        "org/images-writers/common",
                        OrganisationResource::CommonRegistry,
                    ) {
                        self.infra.add_member_to_container_registry(
                            &format!("org/{kind}/{}", common.scope),
                            &common,
                            &member,
                            ContainerRegistryMembership::Append,
                        );
                    }
                }
            }
        }
    }
}
