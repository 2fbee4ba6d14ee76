//! Dependencies: this dataset's groups join the groups of every dataset it
//! depends on (and of the reference dataset), read from their stacks; for a
//! read-only dependency (`depends_on_readonly`) they join its `main-read` and `test-read`
//! groups only, each group reading at most what it could under `depends_on`.
//!
//! A dependency exports its groups only on the clouds it deploys to (its own
//! `deploy_locations`); reading a stack output it never exported fails the whole
//! Pulumi update. So on each cloud the memberships in a dependency's groups are
//! planned only when the dependency deploys there; otherwise they are skipped
//! with a warning. Where the dependency deploys comes from its configuration
//! ([`Deployments`]); a dependency whose configuration was not loaded is taken
//! to deploy where a dataset without `deploy_locations` does, and the plan says so.
//!
//! A dependency with `setup_test = false` exports no `test` group: this dataset's test
//! group does not join it (a warning says so), and a dataset without a test level has
//! no test group to add.

use std::collections::BTreeMap;

use cpg_infra_abstraction::Member;
use cpg_infra_config::{AccessLevel, CloudName, DatasetConfig, DatasetName, dependencies_of};

use super::Blueprint;

/// The kind of the group a dataset with `main_read_group` exports (`<dataset>-main-read`):
/// read on its main buckets, joined by the datasets that depend on it read-only.
pub(super) const MAIN_READ: &str = cpg_infra_config::MAIN_READ_GROUP;

/// The kind of the group a dataset with `main_read_group` and the test namespace exports
/// (`<dataset>-test-read`): read on its test buckets, joined by the datasets that depend on
/// it read-only.
pub(super) const TEST_READ: &str = cpg_infra_config::TEST_READ_GROUP;

/// Where each known dataset deploys (its `deploy_locations`), which access levels' groups
/// it exports, and whether it exports a `main-read` group (`main_read_group`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deployments {
    known: BTreeMap<DatasetName, Deployment>,
}

/// What dependants read of one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Deployment {
    clouds: Vec<CloudName>,
    levels: Vec<AccessLevel>,
    main_read: bool,
    tmp_main_read: bool,
}

impl Deployments {
    /// The deployments of `datasets`. A dataset has temporary read access to its main
    /// bucket when it asks for it, or when a dataset that asks for it depends on it (fully
    /// or read-only), so that the dependant's temporary readers reach it too.
    pub fn of<'a>(datasets: impl IntoIterator<Item = &'a DatasetConfig>) -> Self {
        let datasets: Vec<&DatasetConfig> = datasets.into_iter().collect();
        let tmp_main_read: std::collections::BTreeSet<&DatasetName> = datasets
            .iter()
            .filter(|d| d.requests_tmp_main_read())
            .flat_map(|d| {
                std::iter::once(&d.dataset)
                    .chain(&d.depends_on)
                    .chain(&d.depends_on_readonly)
            })
            .collect();
        Self {
            known: datasets
                .iter()
                .map(|d| {
                    let deployment = Deployment {
                        clouds: d.deploy_locations.to_vec(),
                        levels: d.access_levels(),
                        main_read: d.main_read_group,
                        tmp_main_read: tmp_main_read.contains(&d.dataset),
                    };
                    (d.dataset.clone(), deployment)
                })
                .collect(),
        }
    }

    /// Whether `dataset` has temporary read access on request (and exports its
    /// `tmp-main-read-access` group), when its configuration is known.
    pub fn tmp_main_read(&self, dataset: &DatasetName) -> Option<bool> {
        self.known.get(dataset).map(|d| d.tmp_main_read)
    }

    /// The clouds `dataset` deploys to, when its configuration is known.
    pub fn get(&self, dataset: &DatasetName) -> Option<&[CloudName]> {
        self.known.get(dataset).map(|d| d.clouds.as_slice())
    }

    /// The access levels whose groups `dataset` exports, when its configuration is known.
    pub fn levels(&self, dataset: &DatasetName) -> Option<&[AccessLevel]> {
        self.known.get(dataset).map(|d| d.levels.as_slice())
    }

    /// Whether `dataset` exports a `main-read` group, when its configuration is known.
    pub fn exports_main_read(&self, dataset: &DatasetName) -> Option<bool> {
        self.known.get(dataset).map(|d| d.main_read)
    }
}

/// Where a dependency deploys, and whether that was configured or assumed.
pub(super) struct Locations {
    pub(super) clouds: Vec<CloudName>,
    assumed: bool,
}

impl<'b> Blueprint<'_, 'b> {
    pub(super) fn dependency_locations(&self, dependency: &DatasetName) -> Locations {
        match self.deployments.get(dependency) {
            Some(clouds) => Locations {
                clouds: clouds.to_vec(),
                assumed: false,
            },
            None => Locations {
                clouds: DatasetConfig::new(dependency.clone())
                    .deploy_locations
                    .to_vec(),
                assumed: true,
            },
        }
    }

    pub(super) fn setup_dependencies_group_memberships(&mut self) {
        let dependencies = dependencies_of(self.dataset, &self.config.reference_dataset);
        let cloud = self.infra.cloud();
        for dependency in dependencies {
            let key = format!("{dependency}-access-group");
            let locations = self.dependency_locations(&dependency);
            let listed: Vec<&str> = locations.clouds.iter().map(CloudName::as_str).collect();
            let source = if locations.assumed {
                format!(
                    "its configuration is not loaded (no Pulumi.{dependency}.yaml, datasets/{dependency}.toml or [datasets.{dependency}] next to this one), so it is taken to deploy to the default [{}]",
                    listed.join(", ")
                )
            } else {
                format!("its deploy_locations are [{}]", listed.join(", "))
            };
            if !listed.contains(&cloud) {
                let readonly = self.dataset.depends_on_readonly.contains(&dependency);
                let memberships = self.dependency_memberships(&dependency, readonly);
                let message = format!(
                    "dataset {dependency} does not deploy to {cloud} ({source}) and exports no {cloud} groups: the {} memberships of this dataset's groups in its groups are not created on {cloud} (add {cloud} to its deploy_locations, or remove it from depends_on)",
                    memberships.len() + usize::from(!readonly)
                );
                for membership in memberships {
                    self.infra.explain_absence(&membership, message.clone());
                }
                self.infra.diagnose(&key, message);
                continue;
            }
            if locations.assumed {
                self.infra.diagnose(
                    &key,
                    format!(
                        "reads the {cloud} groups of dataset {dependency}, assuming it deploys to {cloud}: {source}; if it does not, Pulumi fails reading its stack outputs"
                    ),
                );
            }
            if self.dataset.depends_on_readonly.contains(&dependency) {
                self.join_read_groups(&dependency);
                continue;
            }
            let access = self.access_group();
            let group = self.infra.dependency_group(&dependency, "access");
            self.infra
                .add_group_member(&key, &group, &Member::Group(access));
            let exported = self
                .deployments
                .levels(&dependency)
                .map_or_else(|| AccessLevel::ALL.to_vec(), <[AccessLevel]>::to_vec);
            for (level, own) in self.level_groups() {
                if !exported.contains(&level) {
                    self.infra.diagnose(
                        &format!("{dependency}-{}-access-level-group", level.as_str()),
                        format!(
                            "dataset {dependency} has setup_test = false and exports no {} group: this dataset's {} group does not join it (set setup_test to true there, or to false here)",
                            level.as_str(),
                            level.as_str()
                        ),
                    );
                    continue;
                }
                let group = self.infra.dependency_group(&dependency, level.as_str());
                self.infra.add_group_member(
                    &level_membership(&dependency, level),
                    &group,
                    &Member::Group(own),
                );
            }
        }
    }

    /// The keys of every membership this dataset's groups would have in `dependency`'s
    /// groups (`readonly`: as a read-only dependency), besides the access group's own.
    fn dependency_memberships(&self, dependency: &DatasetName, readonly: bool) -> Vec<String> {
        let levels = self.levels();
        if !readonly {
            return levels
                .into_iter()
                .map(|level| level_membership(dependency, level))
                .collect();
        }
        let main_read = levels
            .iter()
            .filter(|level| **level != AccessLevel::Test)
            .map(|level| readonly_membership(dependency, MAIN_READ, level.as_str()));
        let test_read = std::iter::once("access")
            .chain(levels.iter().map(|level| level.as_str()))
            .map(|member| readonly_membership(dependency, TEST_READ, member));
        main_read.chain(test_read).collect()
    }

    /// A read-only dependency: each of this dataset's groups reads at most what it reads
    /// under `depends_on`, never writes. Under `depends_on` the access group and the test
    /// level reach the dependency's test buckets only, the standard and full levels its main
    /// buckets too; so the standard and full groups join the dependency's `main-read` group
    /// (read on its main buckets), and the access group and every level group its `test-read`
    /// group (read on its test buckets, when it has the test namespace). Never its access or
    /// level groups. The memberships are `readonly/<dependency>/<group joined>/<own group>`,
    /// names no other can take (a `/` is in no dataset, group or bucket name).
    fn join_read_groups(&mut self, dependency: &DatasetName) {
        if self.deployments.exports_main_read(dependency) == Some(false) {
            self.infra.diagnose(
                &format!("readonly/{dependency}"),
                format!(
                    "dataset {dependency} does not set main_read_group, so it exports no main-read group: this dataset's groups get no read-only access to it (set datasets:main_read_group: \"true\" in its configuration)"
                ),
            );
            return;
        }
        let levels = self.level_groups();
        let main_read = self.infra.dependency_group(dependency, MAIN_READ);
        for (level, own) in &levels {
            if *level == AccessLevel::Test {
                continue;
            }
            self.infra.add_group_member(
                &readonly_membership(dependency, MAIN_READ, level.as_str()),
                &main_read,
                &Member::Group(own.clone()),
            );
        }
        let has_test = self
            .deployments
            .levels(dependency)
            .is_none_or(|levels| levels.contains(&AccessLevel::Test));
        if !has_test {
            self.infra.diagnose(
                &format!("readonly/{dependency}/{TEST_READ}"),
                format!(
                    "dataset {dependency} has setup_test = false and exports no test-read group: this dataset's access group and levels read none of its test buckets (there are none)"
                ),
            );
            return;
        }
        let test_read = self.infra.dependency_group(dependency, TEST_READ);
        let access = self.access_group();
        self.infra.add_group_member(
            &readonly_membership(dependency, TEST_READ, "access"),
            &test_read,
            &Member::Group(access),
        );
        for (level, own) in levels {
            self.infra.add_group_member(
                &readonly_membership(dependency, TEST_READ, level.as_str()),
                &test_read,
                &Member::Group(own),
            );
        }
    }
}

/// The key of the membership of this dataset's `level` group in `dependency`'s.
fn level_membership(dependency: &DatasetName, level: AccessLevel) -> String {
    format!("{dependency}-{}-access-level-group", level.as_str())
}

/// The key of the membership of this dataset's group `member` (`access` or a level) in
/// the read-only dependency's group `joined` (`main-read`, `test-read`).
fn readonly_membership(dependency: &DatasetName, joined: &str, member: &str) -> String {
    format!("readonly/{dependency}/{joined}/{member}")
}
