//! Who owns each cloud identity the configuration names.
//!
//! An identity is an id on one cloud (a GCP account's e-mail, an Entra ID object id).
//! The configuration names identities in three places:
//!
//! - the organisation's accounts in `cpg.toml` ([`InfrastructureConfig::organisation_accounts`]:
//!   the analysis-runner server and logger, the web server, the group cache, the Cromwell
//!   runner, the sample-metadata API, per cloud), shared by every dataset by design (one
//!   account may fill several of these roles);
//! - the users registry, `[infrastructure.users]`: people;
//! - a dataset's machine-identity keys ([`DatasetConfig::machine_slots`]): its own accounts
//!   (the Hail and deployment accounts of each level, which join the level's groups) and the
//!   outside accounts it grants sample-metadata access to (`sm_read_only_sas`,
//!   `sm_read_write_sas`), which it does not own.
//!
//! The rules, each one error naming the key and what to do:
//!
//! - **one identity, one owner**: no cloud id is registered for two users; no user is one of
//!   the organisation's accounts; a dataset's own account is no other dataset's own account
//!   ([`owner_problems`], across the datasets loaded together) and none of the organisation's;
//! - **a person in a machine's slot**: no machine-identity key of a dataset holds a user's id
//!   (a user is a person on every cloud). What a machine id looks like on a cloud (GCP: a
//!   service account's e-mail) is that cloud plugin's rule, on the same slots.
//!
//! One dataset may give the same account to several of its own keys (e.g. one CI account
//! deploying at two levels): the owner is the dataset, and the account gets each level's
//! access. Ids are compared without case (GCP account e-mails and Entra object ids are both
//! case-insensitive).

use std::collections::BTreeMap;

use crate::access_level::{AccessLevel, PerLevel};
use crate::dataset::DatasetConfig;
use crate::error::ConfigError;
use crate::infrastructure::InfrastructureConfig;
use crate::names::{CloudName, DatasetName, Email};
use crate::values::Guid;

/// A dataset key that holds a machine identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineSlot<'a> {
    /// The key as a stack file writes it, e.g. `datasets:gcp_hail_service_account_test`
    /// (a list key with the index, `datasets:sm_read_only_sas[0]`).
    pub key: String,
    /// The cloud the identity lives on.
    pub cloud: CloudName,
    /// The id as configured.
    pub id: &'a str,
    /// Whether the identity is the dataset's own account (it joins the dataset's groups),
    /// rather than an outside account the dataset grants access to.
    pub owned: bool,
}

/// One of the organisation's accounts named in `cpg.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationAccount<'a> {
    /// Its key path under `infrastructure.`, e.g. `web_service.gcp.server_machine_account`.
    pub key: String,
    /// The cloud it lives on.
    pub cloud: CloudName,
    /// The id as configured.
    pub id: &'a str,
}

/// Whether a key of a service's table names an account (the tables' convention).
pub fn names_an_account(key: &str) -> bool {
    ["machine_account", "principal_id"]
        .iter()
        .any(|name| key == *name || key.ends_with(&format!("_{name}")))
}

/// An identity as compared: its cloud and its id without case.
type IdentityKey = (CloudName, String);

fn identity(cloud: &CloudName, id: &str) -> IdentityKey {
    (cloud.clone(), id.to_lowercase())
}

impl DatasetConfig {
    /// Every key of the dataset that holds a machine identity, with the identity's cloud:
    /// the e-mail keys are GCP accounts ([`DatasetConfig::email_accounts_cloud`]), the
    /// principal keys Azure's. In key order (each per-level key's levels in order).
    pub fn machine_slots(&self) -> Vec<MachineSlot<'_>> {
        let email = Self::email_accounts_cloud();
        let azure = CloudName::azure();
        let per_level: [(&str, &CloudName, [Option<&str>; 3]); 4] = [
            (
                "gcp_hail_service_account",
                &email,
                emails(&self.gcp_hail_service_account),
            ),
            (
                "deployment_service_account",
                &email,
                emails(&self.deployment_service_account),
            ),
            (
                "azure_hail_principal",
                &azure,
                guids(&self.azure_hail_principal),
            ),
            (
                "azure_deployment_principal",
                &azure,
                guids(&self.azure_deployment_principal),
            ),
        ];
        let mut slots = Vec::new();
        for (stem, cloud, values) in per_level {
            for (level, value) in AccessLevel::ALL.into_iter().zip(values) {
                if let Some(id) = value {
                    slots.push(MachineSlot {
                        key: format!("datasets:{stem}_{level}"),
                        cloud: cloud.clone(),
                        id,
                        owned: true,
                    });
                }
            }
        }
        for (stem, list) in [
            ("sm_read_only_sas", &self.sm_read_only_sas),
            ("sm_read_write_sas", &self.sm_read_write_sas),
        ] {
            for (i, value) in list.iter().enumerate() {
                slots.push(MachineSlot {
                    key: format!("datasets:{stem}[{i}]"),
                    cloud: email.clone(),
                    id: value.as_str(),
                    owned: false,
                });
            }
        }
        slots
    }

    /// A machine-identity key holding a user's id (a person), or the organisation's
    /// account as the dataset's own: one message each.
    pub(crate) fn identity_problems(&self, infra: &InfrastructureConfig) -> Vec<String> {
        let users = user_ids(infra);
        let organisation: BTreeMap<IdentityKey, String> = infra
            .organisation_accounts()
            .into_iter()
            .map(|a| (identity(&a.cloud, a.id), a.key))
            .collect();
        let mut out = Vec::new();
        for slot in self.machine_slots() {
            let key = identity(&slot.cloud, slot.id);
            if let Some(user) = users.get(&key) {
                out.push(format!(
                    "{}: `{}` is the {} id of user `{user}` in [infrastructure.users], a person; this key holds a machine account (the account gets the key's groups, roles and keys): give the machine account's id",
                    slot.key, slot.id, slot.cloud
                ));
            } else if slot.owned
                && let Some(account) = organisation.get(&key)
            {
                out.push(format!(
                    "{}: `{}` is the organisation's account infrastructure.{account} in cpg.toml, shared by every dataset; a dataset's own account joins its groups and is its alone: give the dataset's own account",
                    slot.key, slot.id
                ));
            }
        }
        out
    }
}

/// The ids of a per-level e-mail key, in level order.
fn emails(values: &PerLevel<Option<Email>>) -> [Option<&str>; 3] {
    values.each().map(|(_, v)| v.map(Email::as_str))
}

/// The ids of a per-level principal key, in level order.
fn guids(values: &PerLevel<Option<Guid>>) -> [Option<&str>; 3] {
    values.each().map(|(_, v)| v.map(Guid::as_str))
}

/// The users' ids: identity -> user key (the first user in key order).
fn user_ids(infra: &InfrastructureConfig) -> BTreeMap<IdentityKey, &str> {
    let mut ids = BTreeMap::new();
    for (key, user) in &infra.users {
        for (cloud, id) in &user.clouds {
            ids.entry(identity(cloud, id.id.as_str()))
                .or_insert(key.as_str());
        }
    }
    ids
}

impl InfrastructureConfig {
    /// The key of the user registered with `id` on `cloud` (ids compared without case), if
    /// one is: a person.
    pub fn user_with_id(&self, cloud: &CloudName, id: &str) -> Option<&str> {
        user_ids(self).get(&identity(cloud, id)).copied()
    }

    /// The organisation's accounts that `cpg.toml` names: in each shared service's table
    /// of each cloud ([`InfrastructureConfig::services`]), the value of every key
    /// that names an account by the tables' convention (`machine_account`, `principal_id`,
    /// or a key ending in `_machine_account` or `_principal_id`; the plugins' settings types
    /// follow it), and the access-group cache's two. In the order of the services, their
    /// clouds and keys. One account may fill several roles.
    pub fn organisation_accounts(&self) -> Vec<OrganisationAccount<'_>> {
        let mut accounts = Vec::new();
        for (service, tables) in self.services() {
            for (cloud, table) in tables {
                for (key, id) in table.strings() {
                    if names_an_account(key) {
                        accounts.push(OrganisationAccount {
                            key: format!("{service}.{cloud}.{key}"),
                            cloud: cloud.clone(),
                            id,
                        });
                    }
                }
            }
        }
        if let Some(cache) = &self.access_group_cache {
            accounts.push(OrganisationAccount {
                key: "access_group_cache.process_machine_account".to_owned(),
                cloud: DatasetConfig::email_accounts_cloud(),
                id: cache.process_machine_account.as_str(),
            });
            if let Some(principal) = &cache.azure_principal_id {
                accounts.push(OrganisationAccount {
                    key: "access_group_cache.azure_principal_id".to_owned(),
                    cloud: CloudName::azure(),
                    id: principal.as_str(),
                });
            }
        }
        accounts
    }

    /// The users registry's identities: no cloud id registered for two users, none that
    /// is one of the organisation's accounts. One error per problem, at the user's key.
    pub(crate) fn user_identity_problems(&self, origin: &str) -> Vec<ConfigError> {
        let organisation: BTreeMap<IdentityKey, String> = self
            .organisation_accounts()
            .into_iter()
            .map(|a| (identity(&a.cloud, a.id), a.key))
            .collect();
        let mut first: BTreeMap<IdentityKey, &str> = BTreeMap::new();
        let mut out = Vec::new();
        for (key, user) in &self.users {
            for (cloud, id) in &user.clouds {
                let path = format!("infrastructure.users.{key}.clouds.{cloud}.id");
                let id = id.id.as_str();
                let identity = identity(cloud, id);
                if let Some(account) = organisation.get(&identity) {
                    out.push(ConfigError::key(
                        origin,
                        None,
                        path,
                        format!(
                            "`{id}` is the organisation's account infrastructure.{account}; a user is a person: give the user's own {cloud} id"
                        ),
                    ));
                } else if let Some(other) = first.get(&identity) {
                    out.push(ConfigError::key(
                        origin,
                        None,
                        path,
                        format!(
                            "`{id}` is also the {cloud} id of user `{other}`; a cloud id belongs to one user (the second key would give its memberships to the first's account): keep one user, or correct the id"
                        ),
                    ));
                } else {
                    first.insert(identity, key.as_str());
                }
            }
        }
        out
    }
}

/// One identity, one owner across `datasets`: a dataset's own account (a key of
/// [`DatasetConfig::machine_slots`] it owns) that is also another dataset's own account is
/// an error of the later dataset (in the order given), naming the first and its key.
pub fn owner_problems(datasets: &[DatasetConfig]) -> Vec<ConfigError> {
    let all: Vec<&DatasetConfig> = datasets.iter().collect();
    owners_of(&all, |_| true)
}

/// [`owner_problems`] of `dataset` alone against `others` (those a run sees beside it, e.g.
/// compiler mode's dependencies): only `dataset`'s errors.
pub fn owner_problems_against(
    dataset: &DatasetConfig,
    others: &[DatasetConfig],
) -> Vec<ConfigError> {
    let mut all: Vec<&DatasetConfig> = others
        .iter()
        .filter(|other| other.dataset != dataset.dataset)
        .collect();
    all.push(dataset);
    owners_of(&all, |name| *name == dataset.dataset)
}

/// The errors of [`owner_problems`] over `datasets`, for the datasets `report` accepts.
fn owners_of(
    datasets: &[&DatasetConfig],
    report: impl Fn(&DatasetName) -> bool,
) -> Vec<ConfigError> {
    let mut owners: BTreeMap<IdentityKey, (&DatasetName, String)> = BTreeMap::new();
    let mut out = Vec::new();
    for dataset in datasets {
        for slot in dataset.machine_slots().into_iter().filter(|s| s.owned) {
            let identity = identity(&slot.cloud, slot.id);
            match owners.get(&identity) {
                Some((owner, key)) if *owner != &dataset.dataset => {
                    if report(&dataset.dataset) {
                        out.push(ConfigError::dataset(
                            dataset.dataset.as_str(),
                            format!(
                                "{}: `{}` is also dataset {owner}'s account ({key}); an account joins the groups of the dataset that names it, so each would reach the other's data: give each dataset its own account",
                                slot.key, slot.id
                            ),
                        ));
                    }
                }
                Some(_) => {}
                None => {
                    owners.insert(identity, (&dataset.dataset, slot.key));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::{User, UserCloud};
    use crate::names::UserKey;
    use crate::values::UserId;

    fn example() -> InfrastructureConfig {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stack/cpg.toml"),
        )
        .expect("example cpg.toml");
        crate::parse_cpg_toml(&text, "cpg.toml")
            .expect("example")
            .infrastructure
    }

    fn dataset(name: &str, hail_test: &str) -> DatasetConfig {
        let mut d = DatasetConfig::new(DatasetName::parse(name).expect("name"));
        d.gcp_hail_service_account.test = Some(Email::parse(hail_test).expect("e-mail"));
        d
    }

    fn add_user(infra: &mut InfrastructureConfig, key: &str, cloud: CloudName, id: &str) {
        infra
            .users
            .entry(UserKey::parse(key).expect("key"))
            .or_insert_with(|| User {
                clouds: BTreeMap::new(),
            })
            .clouds
            .insert(
                cloud,
                UserCloud {
                    id: UserId::parse(id).expect("id"),
                },
            );
    }

    #[test]
    fn the_example_organisation_names_its_accounts_once_per_role() {
        let infra = example();
        let accounts = infra.organisation_accounts();
        assert_eq!(accounts.len(), 12, "{accounts:?}");
        assert!(accounts.iter().any(|a| {
            a.key == "web_service.gcp.server_machine_account"
                && a.id == "web-server@egi-analysis-runner.iam.gserviceaccount.com"
        }));
        assert!(infra.user_identity_problems("cpg.toml").is_empty());
    }

    #[test]
    fn a_dataset_account_named_by_two_datasets_is_an_error_of_the_second() {
        let shared = "alpha-study-test-201@egi-hail.iam.gserviceaccount.com";
        let alpha = dataset("alpha-study", shared);
        let beta = dataset("beta-cohort", &shared.to_uppercase());
        let problems: Vec<String> = owner_problems(&[alpha.clone(), beta])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("dataset beta-cohort: datasets:gcp_hail_service_account_test:")
                && problems[0].contains(
                    "dataset alpha-study's account (datasets:gcp_hail_service_account_test)"
                ),
            "{problems:?}"
        );
        // One dataset may name its own account in two of its keys.
        let mut one = alpha;
        one.deployment_service_account.full = Some(Email::parse(shared).expect("e-mail"));
        assert!(owner_problems(&[one]).is_empty());
    }

    #[test]
    fn one_dataset_against_others_reports_its_own_problems_only() {
        let shared = "x-test@egi-hail.iam.gserviceaccount.com";
        let alpha = dataset("alpha-study", shared);
        let beta = dataset("beta-cohort", shared);
        let gamma = dataset("gamma-bridge", shared);
        let problems: Vec<String> = owner_problems_against(&gamma, &[alpha, beta, gamma.clone()])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("dataset gamma-bridge: ")
                && problems[0].contains("dataset alpha-study's account"),
            "{problems:?}"
        );
    }

    #[test]
    fn granted_accounts_have_no_owner_here() {
        let mut alpha = dataset("alpha-study", "a-test@egi-hail.iam.gserviceaccount.com");
        let mut beta = dataset("beta-cohort", "b-test@egi-hail.iam.gserviceaccount.com");
        let reader = Email::parse("seqr@seqr-1.iam.gserviceaccount.com").expect("e-mail");
        alpha.sm_read_only_sas = vec![reader.clone()];
        beta.sm_read_write_sas = vec![
            reader,
            Email::parse("a-test@egi-hail.iam.gserviceaccount.com").expect("e-mail"),
        ];
        assert!(owner_problems(&[alpha, beta]).is_empty());
    }

    #[test]
    fn a_person_in_a_machine_slot_is_an_error_on_every_cloud() {
        let mut infra = example();
        add_user(
            &mut infra,
            "alex.smith",
            CloudName::gcp(),
            "Alex.Smith@example-institute.org",
        );
        add_user(
            &mut infra,
            "alex.smith",
            CloudName::azure(),
            "0f1e2d3c-1111-4a5b-8c6d-7e8f9a0b1c01",
        );
        let mut d = dataset("alpha-study", "alex.smith@example-institute.org");
        d.azure_deployment_principal.full =
            Some(Guid::parse("0F1E2D3C-1111-4A5B-8C6D-7E8F9A0B1C01").expect("guid"));
        d.sm_read_only_sas = vec![Email::parse("alex.smith@example-institute.org").expect("e")];
        let problems = d.identity_problems(&infra);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with(
            "datasets:gcp_hail_service_account_test: `alex.smith@example-institute.org` is the gcp id of user `alex.smith`"
        ));
        assert!(problems[1].starts_with("datasets:azure_deployment_principal_full:"));
        assert!(problems[2].starts_with("datasets:sm_read_only_sas[0]:"));
    }

    #[test]
    fn an_organisation_account_is_never_a_dataset_account() {
        let infra = example();
        let web = "web-server@egi-analysis-runner.iam.gserviceaccount.com";
        let d = dataset("alpha-study", web);
        let problems = d.identity_problems(&infra);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("infrastructure.web_service.gcp.server_machine_account"),
            "{problems:?}"
        );
        // Granting the organisation's account sample-metadata access is not ownership.
        let mut granted = dataset("alpha-study", "a-test@egi-hail.iam.gserviceaccount.com");
        granted.sm_read_only_sas = vec![Email::parse(web).expect("e-mail")];
        assert!(granted.identity_problems(&infra).is_empty());
    }

    #[test]
    fn one_cloud_id_belongs_to_one_user() {
        let mut infra = example();
        add_user(&mut infra, "alex.smith", CloudName::gcp(), "alex@uni.edu");
        add_user(&mut infra, "sam.jones", CloudName::gcp(), "ALEX@uni.edu");
        add_user(
            &mut infra,
            "robot",
            CloudName::azure(),
            "1a2b3c4d-0003-4000-8000-00000000a003",
        );
        let problems: Vec<String> = infra
            .user_identity_problems("cpg.toml")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "cpg.toml: infrastructure.users.robot.clouds.azure.id: `1a2b3c4d-0003-4000-8000-00000000a003` is the organisation's account infrastructure.web_service.azure.server_principal_id; a user is a person: give the user's own azure id",
                "cpg.toml: infrastructure.users.sam.jones.clouds.gcp.id: `ALEX@uni.edu` is also the gcp id of user `alex.smith`; a cloud id belongs to one user (the second key would give its memberships to the first's account): keep one user, or correct the id",
            ]
        );
    }
}
