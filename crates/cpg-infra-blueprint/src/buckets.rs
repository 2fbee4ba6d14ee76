//! The dataset's buckets as data: one row per bucket (its suffix, when it exists,
//! lifecycle rules, versioning, whether it holds data, requester pays, and who may
//! do what with it), in the order they are created. `storage` walks the table;
//! [`dataset_buckets`] lists, before planning, the buckets a dataset gets on a
//! cloud, for the plugins' name checks. This table is the one place a bucket is
//! described: no plugin keeps a list of them.

use cpg_infra_abstraction::{BucketMembership, BucketName, LifecycleRule};
use cpg_infra_config::{AccessLevel, CloudName, Component, DatasetConfig};

use super::accounts::{AccountRow, MAIN_UPLOAD};

/// Days a deleted or overwritten object stays recoverable (the organisation's policy).
const UNDELETE_PERIOD_IN_DAYS: u32 = 30;
/// Days before objects of temporary buckets are deleted (the organisation's policy).
const TMP_BUCKET_PERIOD_IN_DAYS: u32 = 8;

/// When a bucket exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Needs {
    /// With the storage component (created by the storage walk).
    Storage,
    /// With `enable_release` (created by the storage walk, and used by the shared project).
    Release,
    /// With the hail-accounts component (created by the hail component, which grants it).
    HailAccounts,
    /// With the storage component, one bucket `<suffix>-<id>` per dropbox of
    /// `upload_config.dropboxes` (none without dropboxes).
    EachDropbox,
}

/// Whether a bucket keeps soft-deleted objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SoftDelete {
    /// Always (the cloud's default).
    Kept,
    /// Unless the storage policy's `no_soft_delete_for_tmp` is on (a temporary bucket).
    UnlessNoSoftDeleteForTmp,
    /// Never (a dropbox: its objects are moved on or deleted by the dropbox server).
    Off,
}

/// A lifecycle rule of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// This rule as is.
    Fixed(LifecycleRule),
    /// Archive objects after the dataset's `archive_age`.
    Archive,
}

/// Who a grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grantee {
    /// The dataset's access group.
    AccessGroup,
    /// The group of one access level.
    Level(AccessLevel),
    /// The groups of every access level, in order (one grant each).
    EveryLevel,
    /// The organisation's web server (a diagnostic when the cloud has none).
    WebServer,
    /// The dataset group with this suffix (`release-access`).
    Group(&'static str),
    /// The dataset project's machine account of this row (`main-upload`).
    Account(AccountRow),
    /// The dataset's `main-read` group, only with `main_read_group` (what the standard and
    /// full levels of datasets that list this one in `depends_on_readonly` join).
    MainReadGroup,
    /// The dataset's `test-read` group, only with `main_read_group` (what the access group
    /// and every level of datasets that list this one in `depends_on_readonly` join).
    TestReadGroup,
    /// The organisation's upload dropbox server, only for a dataset with
    /// `upload_config.dropboxes` (it writes into the dropboxes and moves uploads on to
    /// the upload buckets).
    DropboxServer,
}

/// One grant on a row's bucket. Its logical name is
/// `<grantee>-<bucket>-bucket-<verb>` (e.g. `standard-main-bucket-view-create`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Grant {
    /// Who.
    pub to: Grantee,
    /// What they may do.
    pub access: BucketMembership,
    /// The last word of the logical name (`admin`, `viewer`, `view-create`, `creator`).
    pub verb: &'static str,
    /// The row whose bucket it is on, when not its own row's: a grant made after this
    /// row's others (the reference's order, kept so plans list resources as before).
    pub on: Option<&'static str>,
}

/// One dataset bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BucketRow {
    /// Name relative to the dataset (`main` -> `<prefix><dataset>-main`).
    pub suffix: &'static str,
    /// When it exists.
    pub needs: Needs,
    /// Lifecycle rules, in order.
    pub rules: &'static [Rule],
    /// Whether objects are versioned.
    pub versioning: bool,
    /// Whether it holds data that must not be deleted by accident (protected with
    /// `protect_data_buckets`).
    pub holds_data: bool,
    /// Whether readers pay for egress.
    pub requester_pays: bool,
    /// Whether the dataset's additional upload buckets (`additional_upload_buckets`, named
    /// as given, or `upload_config`'s, named `main-upload-<name>`) are copies of this row
    /// (same settings and grants), and `upload_config`'s uploaders are granted on it.
    pub copies_additional_uploads: bool,
    /// Whether it belongs to the test namespace (absent with `setup_test = false`).
    pub test: bool,
    /// Whether the dataset's `autoclass` applies to it (not to archive buckets, whose
    /// class is managed by a rule, nor to temporary ones).
    pub autoclass: bool,
    /// Whether it keeps soft-deleted objects.
    pub soft_delete: SoftDelete,
    /// Who may do what, in order.
    pub grants: &'static [Grant],
}

const UNDELETE: Rule = Rule::Fixed(LifecycleRule::Undelete {
    days: UNDELETE_PERIOD_IN_DAYS,
});
const TEMPORARY: Rule = Rule::Fixed(LifecycleRule::Temporary {
    days: TMP_BUCKET_PERIOD_IN_DAYS,
});

/// A row with the usual settings: versioned, the undelete rule, no grants.
const ROW: BucketRow = BucketRow {
    suffix: "",
    needs: Needs::Storage,
    rules: &[UNDELETE],
    versioning: true,
    holds_data: false,
    requester_pays: false,
    copies_additional_uploads: false,
    test: false,
    autoclass: true,
    soft_delete: SoftDelete::Kept,
    grants: &[],
};

const fn grant(to: Grantee, access: BucketMembership, verb: &'static str) -> Grant {
    Grant {
        to,
        access,
        verb,
        on: None,
    }
}

const STANDARD_APPENDS: Grant = grant(
    Grantee::Level(AccessLevel::Standard),
    BucketMembership::Append,
    "view-create",
);
const FULL_ADMIN: Grant = grant(
    Grantee::Level(AccessLevel::Full),
    BucketMembership::Mutate,
    "admin",
);
const ACCESS_READS: Grant = grant(Grantee::AccessGroup, BucketMembership::Read, "viewer");
const MAIN_READS: Grant = grant(Grantee::MainReadGroup, BucketMembership::Read, "viewer");
const TEST_READS: Grant = grant(Grantee::TestReadGroup, BucketMembership::Read, "viewer");
const WEB_SERVER_READS: Grant = grant(Grantee::WebServer, BucketMembership::Read, "viewer");
/// The grants of the upload buckets and the dropboxes.
const UPLOAD_GRANTS: &[Grant] = &[
    grant(
        Grantee::Account(MAIN_UPLOAD),
        BucketMembership::Mutate,
        "creator",
    ),
    FULL_ADMIN,
    grant(
        Grantee::Level(AccessLevel::Standard),
        BucketMembership::Read,
        "viewer",
    ),
    ACCESS_READS,
    MAIN_READS,
    grant(Grantee::DropboxServer, BucketMembership::Mutate, "creator"),
];
/// The grants of a test bucket: every group may change it; read-only dependants read it.
const TEST_GRANTS: &[Grant] = &[
    grant(Grantee::AccessGroup, BucketMembership::Mutate, "admin"),
    grant(Grantee::EveryLevel, BucketMembership::Mutate, "admin"),
    TEST_READS,
];
/// A bucket of the test namespace, with the test grants.
const TEST_ROW: BucketRow = BucketRow {
    test: true,
    grants: TEST_GRANTS,
    ..ROW
};

/// Every dataset bucket, in the order the blueprint creates them.
pub(super) const BUCKETS: &[BucketRow] = &[
    BucketRow {
        suffix: "archive",
        rules: &[Rule::Archive, UNDELETE],
        autoclass: false,
        holds_data: true,
        grants: &[FULL_ADMIN],
        ..ROW
    },
    BucketRow {
        suffix: "main",
        holds_data: true,
        grants: &[STANDARD_APPENDS, FULL_ADMIN, MAIN_READS],
        ..ROW
    },
    BucketRow {
        suffix: "main-tmp",
        rules: &[TEMPORARY],
        versioning: false,
        autoclass: false,
        soft_delete: SoftDelete::UnlessNoSoftDeleteForTmp,
        grants: &[STANDARD_APPENDS, FULL_ADMIN, MAIN_READS],
        ..ROW
    },
    BucketRow {
        suffix: "main-analysis",
        grants: &[ACCESS_READS, STANDARD_APPENDS, FULL_ADMIN, MAIN_READS],
        ..ROW
    },
    BucketRow {
        suffix: "main-web",
        grants: &[
            ACCESS_READS,
            WEB_SERVER_READS,
            STANDARD_APPENDS,
            FULL_ADMIN,
            MAIN_READS,
        ],
        ..ROW
    },
    BucketRow {
        suffix: "main-upload",
        holds_data: true,
        copies_additional_uploads: true,
        grants: UPLOAD_GRANTS,
        ..ROW
    },
    BucketRow {
        // A staging area: the dropbox server moves complete uploads on, unfinished ones
        // under `incomplete/` are deleted; no versions, no soft delete, not protected.
        suffix: "main-upload-db",
        needs: Needs::EachDropbox,
        rules: &[Rule::Fixed(LifecycleRule::TemporaryUnder {
            prefix: "incomplete/",
            days: TMP_BUCKET_PERIOD_IN_DAYS,
        })],
        versioning: false,
        autoclass: false,
        soft_delete: SoftDelete::Off,
        grants: UPLOAD_GRANTS,
        ..ROW
    },
    BucketRow {
        suffix: "test",
        ..TEST_ROW
    },
    BucketRow {
        suffix: "test-analysis",
        ..TEST_ROW
    },
    BucketRow {
        suffix: "test-tmp",
        rules: &[TEMPORARY],
        versioning: false,
        autoclass: false,
        soft_delete: SoftDelete::UnlessNoSoftDeleteForTmp,
        ..TEST_ROW
    },
    BucketRow {
        suffix: "test-web",
        ..TEST_ROW
    },
    BucketRow {
        suffix: "test-upload",
        grants: &[
            TEST_GRANTS[0],
            TEST_GRANTS[1],
            TEST_READS,
            Grant {
                on: Some("test-web"),
                ..WEB_SERVER_READS
            },
        ],
        ..TEST_ROW
    },
    BucketRow {
        suffix: "release",
        needs: Needs::Release,
        holds_data: true,
        requester_pays: true,
        grants: &[
            ACCESS_READS,
            grant(
                Grantee::Group("release-access"),
                BucketMembership::Read,
                "viewer",
            ),
            FULL_ADMIN,
        ],
        ..ROW
    },
    BucketRow {
        suffix: "hail",
        needs: Needs::HailAccounts,
        rules: &[TEMPORARY],
        autoclass: false,
        ..ROW
    },
];

/// The row of `suffix` in `table`.
pub(super) fn row<'t>(table: &'t [BucketRow], suffix: &str) -> &'t BucketRow {
    table
        .iter()
        .find(|row| row.suffix == suffix)
        .unwrap_or_else(|| panic!("no bucket row `{suffix}`"))
}

/// Whether `row`'s bucket exists for `dataset` with `components`.
pub(super) fn exists(row: &BucketRow, dataset: &DatasetConfig, components: &[Component]) -> bool {
    if row.test && !dataset.setup_test {
        return false;
    }
    match row.needs {
        Needs::Storage => components.contains(&Component::Storage),
        Needs::Release => dataset.enable_release,
        Needs::HailAccounts => components.contains(&Component::HailAccounts),
        Needs::EachDropbox => {
            components.contains(&Component::Storage) && !row_buckets(row, dataset).is_empty()
        }
    }
}

/// The buckets of `row` for `dataset`: the row's own, or with [`Needs::EachDropbox`] one
/// `<suffix>-<id>` per dropbox.
pub(super) fn row_buckets(row: &BucketRow, dataset: &DatasetConfig) -> Vec<BucketName> {
    match row.needs {
        Needs::EachDropbox => dataset
            .upload_config
            .iter()
            .flat_map(|upload| &upload.dropboxes)
            .map(|dropbox| BucketName::Dataset(format!("{}-{}", row.suffix, dropbox.id)))
            .collect(),
        _ => vec![BucketName::Dataset(row.suffix.to_owned())],
    }
}

/// Whether `dataset` has upload dropboxes.
pub(super) fn has_dropboxes(dataset: &DatasetConfig) -> bool {
    dataset
        .upload_config
        .as_ref()
        .is_some_and(|upload| !upload.dropboxes.is_empty())
}

/// The buckets `dataset` gets on `cloud`, in creation order: the table's rows that
/// exist for it, then its additional upload buckets (with the storage component).
/// What plugins check names against before planning.
pub fn dataset_buckets(dataset: &DatasetConfig, cloud: &CloudName) -> Vec<BucketName> {
    listing(BUCKETS, dataset, cloud)
}

/// The buckets of `table` that `dataset` gets on `cloud` (see [`dataset_buckets`]).
fn listing(table: &[BucketRow], dataset: &DatasetConfig, cloud: &CloudName) -> Vec<BucketName> {
    let components = dataset.components_for(cloud);
    let rows = table.iter().filter(|row| exists(row, dataset, &components));
    let mut names: Vec<BucketName> = Vec::new();
    let mut copies = false;
    for row in rows {
        names.extend(row_buckets(row, dataset));
        copies |= row.copies_additional_uploads;
    }
    if copies {
        names.extend(copies_of_upload_row(dataset));
    }
    names
}

/// The names of the dataset's additional upload buckets (copies of the upload row): the
/// legacy `additional_upload_buckets` as given, or `upload_config`'s as
/// `main-upload-<name>` of the dataset (validation allows one or the other).
pub(super) fn copies_of_upload_row(dataset: &DatasetConfig) -> Vec<BucketName> {
    let legacy = dataset
        .additional_upload_buckets
        .iter()
        .map(|bucket| BucketName::Unique(bucket.as_str().to_owned()));
    let configured = dataset.upload_config.iter().flat_map(|upload| {
        upload
            .additional_buckets
            .iter()
            .map(|bucket| BucketName::Dataset(bucket.suffix()))
    });
    legacy.chain(configured).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use cpg_infra_abstraction::{LifecycleRule, find_cloud};
    use cpg_infra_config::{CloudName, parse_cpg_toml, parse_stack_file};

    use super::{BUCKETS, BucketName, BucketRow, Grantee, ROW, Rule, grant, listing};
    use crate::{Deployments, plan_with_buckets};
    use cpg_infra_abstraction::render::pulumi;
    use cpg_infra_abstraction::{BucketMembership, Plan};
    use cpg_infra_config::AccessLevel;

    // The plugins register themselves only when linked.
    use cpg_infra_azure as _;
    use cpg_infra_gcp as _;
    use cpg_infra_testcloud as _;

    /// The Pulumi program of a plan, with its own cloud's provider packages.
    fn program(plan: &Plan) -> serde_json::Value {
        let providers: Vec<_> = plan
            .clouds
            .iter()
            .filter_map(|cloud| find_cloud(cloud))
            .flat_map(|plugin| plugin.providers.iter().copied())
            .collect();
        pulumi::program(plan, &providers)
    }

    /// A scratch bucket: objects deleted after 7 days, readable by the standard level.
    const MAIN_SCRATCH: BucketRow = BucketRow {
        suffix: "main-scratch",
        rules: &[Rule::Fixed(LifecycleRule::Temporary { days: 7 })],
        versioning: false,
        grants: &[grant(
            Grantee::Level(AccessLevel::Standard),
            BucketMembership::Read,
            "viewer",
        )],
        ..ROW
    };

    /// What read-only dependants read follows the levels: the `test-read` group reads every
    /// test bucket and nothing else (under `depends_on`, the access group and the test level
    /// reach only the test buckets), the `main-read` group no test bucket, and both only read.
    #[test]
    fn the_read_groups_read_their_namespace_only() {
        for row in BUCKETS {
            let reads = |grantee: Grantee| {
                row.grants
                    .iter()
                    .filter(|g| g.to == grantee)
                    .map(|g| g.access)
                    .collect::<Vec<_>>()
            };
            let test_read = reads(Grantee::TestReadGroup);
            let main_read = reads(Grantee::MainReadGroup);
            if row.test {
                assert_eq!(test_read, [BucketMembership::Read], "{}", row.suffix);
                assert!(main_read.is_empty(), "{}", row.suffix);
            } else {
                assert!(test_read.is_empty(), "{}", row.suffix);
                assert!(
                    main_read.iter().all(|a| *a == BucketMembership::Read),
                    "{}",
                    row.suffix
                );
            }
        }
    }

    #[test]
    fn a_new_bucket_is_one_row() {
        let stack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stack");
        let text = std::fs::read_to_string(stack.join("cpg.toml")).expect("cpg.toml");
        // The test cloud's own section, which the example organisation does not have.
        let text = format!("{text}\n[infrastructure.testcloud]\nname_prefix = \"tc-\"\n");
        let config = parse_cpg_toml(&text, "cpg.toml")
            .expect("example config")
            .infrastructure;
        let text = std::fs::read_to_string(stack.join("Pulumi.alpha-study.yaml")).expect("stack");
        let dataset =
            parse_stack_file(&text, "Pulumi.alpha-study.yaml", "alpha-study").expect("dataset");
        let gcp = CloudName::gcp();
        let table: Vec<BucketRow> = BUCKETS.iter().copied().chain([MAIN_SCRATCH]).collect();

        // Validation sees it...
        assert!(
            listing(&table, &dataset, &gcp).contains(&BucketName::Dataset("main-scratch".into()))
        );
        // ... and the plan has it, with its rule and its grant, on every cloud.
        for cloud in ["gcp", "azure", "testcloud"] {
            let Some(plugin) = find_cloud(cloud) else {
                continue;
            };
            let cloud = CloudName::parse(cloud).expect("cloud name");
            let plans = plan_with_buckets(
                &config,
                &dataset,
                &[(cloud.clone(), plugin)],
                &Deployments::default(),
                &table,
            )
            .expect("plans");
            let rendered = program(&plans[0]).to_string();
            assert!(
                rendered.contains("main-scratch"),
                "{cloud}: no main-scratch"
            );
            assert!(
                rendered.contains("standard-main-scratch-bucket-viewer"),
                "{cloud}: no grant"
            );
        }
        let plans = plan_with_buckets(
            &config,
            &dataset,
            &[(gcp, find_cloud("gcp").expect("gcp"))],
            &Deployments::default(),
            &table,
        )
        .expect("plans");
        let program = program(&plans[0]);
        let rules =
            &program["resources"]["egi-alpha-study-main-scratch"]["properties"]["lifecycleRules"];
        assert_eq!(rules[0]["condition"]["age"], 7, "{rules}");
        assert_eq!(rules[0]["action"]["type"], "Delete", "{rules}");
    }
}
