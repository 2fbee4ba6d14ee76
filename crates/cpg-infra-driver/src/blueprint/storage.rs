//! Storage: the dataset's buckets (archive, main, main-tmp, main-analysis,
//! main-web, main-upload and additional upload buckets, the five test buckets,
//! release) and who may do what with them.

use cpg_infra_abstraction::{
    Bucket, BucketMembership, BucketName, BucketRef, BucketSpec, Handle, LifecycleRule,
    MachineAccount, Member, ProjectRef, ProjectRole, TMP_BUCKET_PERIOD_IN_DAYS,
    UNDELETE_PERIOD_IN_DAYS,
};
use cpg_infra_config::AccessLevel;

use super::{ACCESS_LEVELS, Blueprint};

const UNDELETE: LifecycleRule = LifecycleRule::Undelete {
    days: UNDELETE_PERIOD_IN_DAYS,
};
const TEMPORARY: LifecycleRule = LifecycleRule::Temporary {
    days: TMP_BUCKET_PERIOD_IN_DAYS,
};

/// The test buckets, in the reference's order.
const TEST_BUCKETS: [&str; 5] = [
    "test",
    "test-analysis",
    "test-tmp",
    "test-web",
    "test-upload",
];

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

    /// A dataset bucket with the standard settings.
    fn dataset_bucket(&mut self, suffix: &str) -> Handle<'b, Bucket> {
        let spec = match suffix {
            "archive" => BucketSpec {
                lifecycle_rules: vec![
                    LifecycleRule::Archive {
                        days: self.dataset.archive_age.get(),
                    },
                    UNDELETE,
                ],
                ..spec(suffix, true)
            },
            "main" | "main-upload" => spec(suffix, true),
            "main-tmp" | "test-tmp" => BucketSpec {
                lifecycle_rules: vec![TEMPORARY],
                versioning: false,
                ..spec(suffix, false)
            },
            "hail" => BucketSpec {
                lifecycle_rules: vec![TEMPORARY],
                ..spec(suffix, false)
            },
            "release" => BucketSpec {
                requester_pays: true,
                ..spec(suffix, true)
            },
            _ => spec(suffix, false),
        };
        self.bucket(spec)
    }

    pub(super) fn release_bucket(&mut self) -> Handle<'b, Bucket> {
        self.dataset_bucket("release")
    }

    pub(super) fn hail_bucket(&mut self) -> Handle<'b, Bucket> {
        self.dataset_bucket("hail")
    }

    fn main_upload_account(&mut self) -> Handle<'b, MachineAccount> {
        self.machine_account("main-upload", &ProjectRef::Dataset, None)
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

    fn grant_level(
        &mut self,
        key: &str,
        bucket: &Handle<'b, Bucket>,
        level: AccessLevel,
        membership: BucketMembership,
    ) {
        let group = self.level_group(level);
        self.grant(key, bucket, Member::Group(group), membership);
    }

    fn grant_access_group(
        &mut self,
        key: &str,
        bucket: &Handle<'b, Bucket>,
        membership: BucketMembership,
    ) {
        let group = self.access_group();
        self.grant(key, bucket, Member::Group(group), membership);
    }

    fn grant_web_server(&mut self, key: &str, bucket: &Handle<'b, Bucket>) {
        let web_server = self.organisation.web_server.clone();
        if let Some(server) = self.require(web_server.as_ref(), key, "web_service") {
            self.grant(key, bucket, server, BucketMembership::Read);
        }
    }

    pub(super) fn setup_storage(&mut self) {
        let access = self.access_group();
        self.infra.give_member_ability_to_list_buckets(
            "project-buckets-lister",
            &Member::Group(access),
            &ProjectRef::Dataset,
        );

        let archive = self.dataset_bucket("archive");
        self.grant_level(
            "full-archive-bucket-admin",
            &archive,
            AccessLevel::Full,
            BucketMembership::Mutate,
        );

        let main = self.dataset_bucket("main");
        self.grant_level(
            "standard-main-bucket-view-create",
            &main,
            AccessLevel::Standard,
            BucketMembership::Append,
        );
        self.grant_level(
            "full-main-bucket-admin",
            &main,
            AccessLevel::Full,
            BucketMembership::Mutate,
        );

        let tmp = self.dataset_bucket("main-tmp");
        self.grant_level(
            "standard-main-tmp-bucket-view-create",
            &tmp,
            AccessLevel::Standard,
            BucketMembership::Append,
        );
        self.grant_level(
            "full-main-tmp-bucket-admin",
            &tmp,
            AccessLevel::Full,
            BucketMembership::Mutate,
        );

        let analysis = self.dataset_bucket("main-analysis");
        self.grant_access_group(
            "access-group-main-analysis-bucket-viewer",
            &analysis,
            BucketMembership::Read,
        );
        self.grant_level(
            "standard-main-analysis-bucket-view-create",
            &analysis,
            AccessLevel::Standard,
            BucketMembership::Append,
        );
        self.grant_level(
            "full-main-analysis-bucket-admin",
            &analysis,
            AccessLevel::Full,
            BucketMembership::Mutate,
        );

        let web = self.dataset_bucket("main-web");
        self.grant_access_group(
            "access-group-main-web-bucket-viewer",
            &web,
            BucketMembership::Read,
        );
        self.grant_web_server("web-server-main-web-bucket-viewer", &web);
        self.grant_level(
            "standard-main-web-bucket-view-create",
            &web,
            AccessLevel::Standard,
            BucketMembership::Append,
        );
        self.grant_level(
            "full-main-web-bucket-admin",
            &web,
            AccessLevel::Full,
            BucketMembership::Mutate,
        );

        self.setup_upload_buckets();
        self.setup_test_buckets();

        if self.dataset.enable_release {
            let release = self.release_bucket();
            self.grant_access_group(
                "access-group-release-bucket-viewer",
                &release,
                BucketMembership::Read,
            );
            let release_access = self.group("release-access");
            self.grant(
                "release-access-group-release-bucket-viewer",
                &release,
                Member::Group(release_access),
                BucketMembership::Read,
            );
            self.grant_level(
                "full-release-bucket-admin",
                &release,
                AccessLevel::Full,
                BucketMembership::Mutate,
            );
        }

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

    fn setup_upload_buckets(&mut self) {
        let mut uploads = vec![("main-upload".to_owned(), self.dataset_bucket("main-upload"))];
        for name in &self.dataset.additional_upload_buckets {
            let bucket = self.bucket(BucketSpec {
                name: BucketName::Unique(name.as_str().to_owned()),
                ..spec(name.as_str(), true)
            });
            uploads.push((name.as_str().to_owned(), bucket));
        }
        for (name, bucket) in uploads {
            let uploader = self.main_upload_account();
            self.grant(
                &format!("main-upload-service-account-{name}-bucket-creator"),
                &bucket,
                Member::MachineAccount(uploader),
                BucketMembership::Mutate,
            );
            self.grant_level(
                &format!("full-{name}-bucket-admin"),
                &bucket,
                AccessLevel::Full,
                BucketMembership::Mutate,
            );
            self.grant_level(
                &format!("standard-{name}-bucket-viewer"),
                &bucket,
                AccessLevel::Standard,
                BucketMembership::Read,
            );
            self.grant_access_group(
                &format!("access-group-{name}-bucket-viewer"),
                &bucket,
                BucketMembership::Read,
            );
        }
    }

    fn setup_test_buckets(&mut self) {
        for name in TEST_BUCKETS {
            let bucket = self.dataset_bucket(name);
            self.grant_access_group(
                &format!("access-group-{name}-bucket-admin"),
                &bucket,
                BucketMembership::Mutate,
            );
            for level in ACCESS_LEVELS {
                self.grant_level(
                    &format!("{}-{name}-bucket-admin", level.as_str()),
                    &bucket,
                    level,
                    BucketMembership::Mutate,
                );
            }
        }
        let web = self.dataset_bucket("test-web");
        self.grant_web_server("web-server-test-web-bucket-viewer", &web);
    }
}

/// A versioned dataset bucket with the undelete rule.
fn spec(suffix: &str, holds_data: bool) -> BucketSpec {
    BucketSpec {
        name: BucketName::Dataset(suffix.to_owned()),
        lifecycle_rules: vec![UNDELETE],
        requester_pays: false,
        versioning: true,
        holds_data,
    }
}
