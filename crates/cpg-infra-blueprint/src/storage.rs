//! Storage: the dataset's buckets, created and granted by walking the bucket table
//! (`buckets`), and the project-level roles that go with them.

use cpg_infra_abstraction::OrganisationResource;
use cpg_infra_abstraction::{
    Bucket, BucketMembership, BucketName, BucketRef, BucketSpec, Handle, LifecycleRule,
    MachineAccount, Member, ProjectRef, ProjectRole, SoftDelete,
};
use cpg_infra_config::{ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS, AccessLevel};

use super::Blueprint;
use super::buckets::{self, BucketRow, Grant, Grantee, Needs, Rule, SoftDelete as RowSoftDelete};
use super::dependencies::{MAIN_READ, TEST_READ};

impl<'b> Blueprint<'_, 'b> {
    /// The bucket `name`, created with `spec` on first use.
    pub(super) fn bucket(&mut self, spec: BucketSpec) -> Handle<'b, Bucket> {
        let key = match &spec.name {
            BucketName::Dataset(suffix) | BucketName::Unique(suffix) => suffix.clone(),
        };
        if let Some(bucket) = self.buckets.get(&key) {
            return bucket.clone();
        }
        let bucket = self.infra.create_bucket(&spec);
        self.buckets.insert(key, bucket.clone());
        bucket
    }

    /// The bucket of `row` (or, with `name`, a copy of it named so), created on first use.
    fn row_bucket(&mut self, row: &BucketRow, name: Option<BucketName>) -> Handle<'b, Bucket> {
        let policy = self.config.storage_policy;
        let lifecycle_rules = row
            .rules
            .iter()
            .map(|rule| match *rule {
                Rule::Fixed(rule) => rule,
                Rule::Archive => LifecycleRule::Archive {
                    days: self.dataset.archive_age.get(),
                },
            })
            .collect();
        self.bucket(BucketSpec {
            name: name.unwrap_or_else(|| BucketName::Dataset(row.suffix.to_owned())),
            lifecycle_rules,
            requester_pays: row.requester_pays,
            versioning: row.versioning,
            holds_data: row.holds_data,
            autoclass: row.autoclass && self.dataset.autoclass,
            abort_incomplete_uploads_after: policy
                .abort_incomplete_uploads
                .then_some(ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS),
            soft_delete: match (row.soft_delete, policy.no_soft_delete_for_tmp) {
                (RowSoftDelete::Kept, _) | (RowSoftDelete::UnlessNoSoftDeleteForTmp, None) => {
                    SoftDelete::Default
                }
                (RowSoftDelete::Off, _) | (RowSoftDelete::UnlessNoSoftDeleteForTmp, Some(true)) => {
                    SoftDelete::Off
                }
                // Stated, so that switching no_soft_delete_for_tmp back off restores it.
                (RowSoftDelete::UnlessNoSoftDeleteForTmp, Some(false)) => SoftDelete::StatedDefault,
            },
        })
    }

    /// A dataset bucket of the table.
    pub(super) fn dataset_bucket(&mut self, suffix: &str) -> Handle<'b, Bucket> {
        let row = buckets::row(self.table, suffix);
        self.row_bucket(row, None)
    }

    pub(super) fn release_bucket(&mut self) -> Handle<'b, Bucket> {
        self.dataset_bucket("release")
    }

    pub(super) fn hail_bucket(&mut self) -> Handle<'b, Bucket> {
        self.dataset_bucket("hail")
    }

    /// The machine account `name`, created on first use.
    pub(super) fn machine_account(
        &mut self,
        name: &str,
        project: &ProjectRef<'b>,
        key: Option<&str>,
    ) -> Handle<'b, MachineAccount> {
        if let Some(account) = self.accounts.get(name) {
            return account.clone();
        }
        let account = self.infra.create_machine_account(name, project, key);
        self.accounts.insert(name.to_owned(), account.clone());
        account
    }

    fn grant(
        &mut self,
        key: &str,
        bucket: &Handle<'b, Bucket>,
        member: Member<'b>,
        membership: BucketMembership,
    ) {
        self.infra.add_member_to_bucket(
            key,
            &BucketRef::Created(bucket.clone()),
            &member,
            membership,
        );
    }

    /// Makes `grant` of a row on `bucket` (named `name` in logical names).
    fn grant_row(&mut self, grant: &Grant, name: &str, bucket: &Handle<'b, Bucket>) {
        let levels: Vec<AccessLevel> = match grant.to {
            Grantee::Level(level) => vec![level],
            Grantee::EveryLevel => self.levels(),
            _ => Vec::new(),
        };
        for level in levels {
            let key = format!("{}-{name}-bucket-{}", level.as_str(), grant.verb);
            let group = self.level_group(level);
            self.grant(&key, bucket, Member::Group(group), grant.access);
        }
        let (prefix, member) = match grant.to {
            Grantee::Level(_) | Grantee::EveryLevel => return,
            Grantee::AccessGroup => (
                "access-group".to_owned(),
                Member::Group(self.access_group()),
            ),
            Grantee::Group(suffix) => {
                (format!("{suffix}-group"), Member::Group(self.group(suffix)))
            }
            Grantee::MainReadGroup if self.dataset.main_read_group => (
                format!("{MAIN_READ}-group"),
                Member::Group(self.group(MAIN_READ)),
            ),
            Grantee::MainReadGroup => return,
            Grantee::TestReadGroup if self.dataset.main_read_group => (
                format!("{TEST_READ}-group"),
                Member::Group(self.group(TEST_READ)),
            ),
            Grantee::TestReadGroup => return,
            Grantee::DropboxServer if buckets::has_dropboxes(self.dataset) => {
                let key = format!("dropbox-server-{name}-bucket-{}", grant.verb);
                let server = self.organisation.dropbox_server.clone();
                let Some(server) =
                    self.require(server.as_ref(), &key, OrganisationResource::DropboxServer)
                else {
                    return;
                };
                ("dropbox-server".to_owned(), server)
            }
            Grantee::DropboxServer => return,
            Grantee::Account(account) => (
                format!("{}-service-account", account.label()),
                Member::MachineAccount(self.dataset_account(&account, AccessLevel::Full)),
            ),
            Grantee::WebServer => {
                let key = format!("web-server-{name}-bucket-{}", grant.verb);
                let web_server = self.organisation.web_server.clone();
                let Some(server) =
                    self.require(web_server.as_ref(), &key, OrganisationResource::WebServer)
                else {
                    return;
                };
                ("web-server".to_owned(), server)
            }
        };
        let key = format!("{prefix}-{name}-bucket-{}", grant.verb);
        self.grant(&key, bucket, member, grant.access);
    }

    /// Creates the table's buckets (and the copies of a row) in order, each with its grants.
    fn setup_buckets(&mut self) {
        let table = self.table;
        for row in table {
            if row.needs == Needs::HailAccounts
                || !buckets::exists(row, self.dataset, &self.components)
            {
                continue;
            }
            let mut created: Vec<(String, Handle<'b, Bucket>)> =
                buckets::row_buckets(row, self.dataset)
                    .into_iter()
                    .map(|name| {
                        let key = match &name {
                            BucketName::Dataset(key) | BucketName::Unique(key) => key.clone(),
                        };
                        (key, self.row_bucket(row, Some(name)))
                    })
                    .collect();
            if row.copies_additional_uploads {
                for name in buckets::copies_of_upload_row(self.dataset) {
                    let key = match &name {
                        BucketName::Dataset(key) | BucketName::Unique(key) => key.clone(),
                    };
                    created.push((key, self.row_bucket(row, Some(name))));
                }
            }
            for (name, bucket) in &created {
                for grant in row.grants.iter().filter(|g| g.on.is_none()) {
                    self.grant_row(grant, name, bucket);
                }
            }
            for grant in row.grants {
                if let Some(other) = grant.on {
                    let bucket = self.dataset_bucket(other);
                    self.grant_row(grant, other, &bucket);
                }
            }
            if row.copies_additional_uploads {
                self.grant_uploaders(&created);
            }
        }
    }

    /// `upload_config`'s uploaders: each may change the objects of its upload bucket, never
    /// the bucket or its access (people never manage storage;
    /// `created`: the upload row's buckets by name). A user is resolved through the
    /// registry to its account on this cloud.
    fn grant_uploaders(&mut self, created: &[(String, Handle<'b, Bucket>)]) {
        let Some(upload) = &self.dataset.upload_config else {
            return;
        };
        for (name, uploaders) in upload.buckets() {
            let Some((_, bucket)) = created.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            for key in uploaders {
                // Named like the members' memberships (`members.rs`): a `/` is in no
                // bucket name or user key, so no other resource has the name.
                let grant = format!("uploaders/{name}/{key}");
                if let Some(member) = self.user_member(key, &grant) {
                    self.grant(&grant, bucket, member, BucketMembership::MutateObjects);
                }
            }
        }
    }

    pub(super) fn setup_storage(&mut self) {
        let access = self.access_group();
        self.infra.give_member_ability_to_list_buckets(
            "project-buckets-lister",
            &Member::Group(access),
            &ProjectRef::Dataset,
        );

        self.setup_buckets();
        self.setup_dropbox_config();

        // Requester-pays buckets are paid for from the dataset project.
        for (key, group) in self.access_and_level_groups() {
            self.infra.add_project_role(
                &format!("{key}-serviceusage-consumer"),
                &Member::Group(group),
                ProjectRole::ServiceUsageConsumer,
                &ProjectRef::Dataset,
            );
        }
    }
}
