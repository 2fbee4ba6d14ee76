//! The dataset's machine accounts as data: one row per account (or per access
//! level), its name, project and when it exists. The components create them from
//! these rows; [`dataset_accounts`] lists them, before planning, for the plugins'
//! name checks, so no plugin keeps its own list of the blueprint's accounts.

use cpg_infra_abstraction::{AccountProject, Handle, MachineAccount, PlannedAccount, ProjectRef};
use cpg_infra_config::{AccessLevel, CloudName, Component, DatasetConfig};

use super::Blueprint;

/// How an account is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AccountName {
    /// As is (`main-upload`).
    Fixed(&'static str),
    /// `<prefix>-<level>`, one account per access level (`cromwell-test`, ...).
    PerLevel(&'static str),
    /// `<prefix>-<dataset>` (`notebook-<dataset>`, in an organisation project).
    OfDataset(&'static str),
}

/// When an account exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AccountNeeds {
    /// With this component.
    Component(Component),
    /// With `enable_shared_project`.
    SharedProject,
}

/// One machine account (or one per access level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct AccountRow {
    /// Its name.
    pub name: AccountName,
    /// Where it lives.
    pub project: AccountProject,
    /// When it exists.
    pub needs: AccountNeeds,
}

impl AccountRow {
    /// Its name for `dataset` (`level` names the account of a per-level row; other rows
    /// have one account and ignore it).
    pub(super) fn name_for(&self, dataset: &str, level: AccessLevel) -> String {
        match self.name {
            AccountName::Fixed(name) => name.to_owned(),
            AccountName::PerLevel(prefix) => format!("{prefix}-{}", level.as_str()),
            AccountName::OfDataset(prefix) => format!("{prefix}-{dataset}"),
        }
    }

    /// The name in logical names of what it is granted (`main-upload`).
    pub(super) fn label(&self) -> &'static str {
        match self.name {
            AccountName::Fixed(name)
            | AccountName::PerLevel(name)
            | AccountName::OfDataset(name) => name,
        }
    }
}

/// The uploader of the dataset's upload buckets.
pub(super) const MAIN_UPLOAD: AccountRow = AccountRow {
    name: AccountName::Fixed("main-upload"),
    project: AccountProject::Dataset,
    needs: AccountNeeds::Component(Component::Storage),
};
/// The workflow engine's accounts.
pub(super) const CROMWELL: AccountRow = AccountRow {
    name: AccountName::PerLevel("cromwell"),
    project: AccountProject::Dataset,
    needs: AccountNeeds::Component(Component::Cromwell),
};
/// The Spark (Dataproc) workers' accounts.
pub(super) const DATAPROC: AccountRow = AccountRow {
    name: AccountName::PerLevel("dataproc"),
    project: AccountProject::Dataset,
    needs: AccountNeeds::Component(Component::Spark),
};
/// The shared project's account.
pub(super) const SHARED: AccountRow = AccountRow {
    name: AccountName::Fixed("shared"),
    project: AccountProject::Shared,
    needs: AccountNeeds::SharedProject,
};
/// The dataset's notebook account.
pub(super) const NOTEBOOK: AccountRow = AccountRow {
    name: AccountName::OfDataset("notebook"),
    project: AccountProject::Notebooks,
    needs: AccountNeeds::Component(Component::Notebooks),
};

/// Every machine account row, in the order the blueprint creates them.
const ACCOUNTS: [AccountRow; 5] = [MAIN_UPLOAD, CROMWELL, DATAPROC, SHARED, NOTEBOOK];

/// The machine accounts `dataset` gets on `cloud`, in creation order.
pub fn dataset_accounts(dataset: &DatasetConfig, cloud: &CloudName) -> Vec<PlannedAccount> {
    accounts_with(dataset, &dataset.components_for(cloud))
}

/// The machine accounts `dataset` gets with `components`, in creation order.
pub(super) fn accounts_with(
    dataset: &DatasetConfig,
    components: &[Component],
) -> Vec<PlannedAccount> {
    let name = dataset.dataset.as_str();
    let mut out = Vec::new();
    for row in ACCOUNTS {
        let exists = match row.needs {
            AccountNeeds::Component(component) => components.contains(&component),
            AccountNeeds::SharedProject => dataset.enable_shared_project,
        };
        if !exists {
            continue;
        }
        let levels: Vec<AccessLevel> = match row.name {
            AccountName::PerLevel(_) => dataset.access_levels(),
            AccountName::Fixed(_) | AccountName::OfDataset(_) => vec![AccessLevel::Full],
        };
        out.extend(levels.iter().map(|level| PlannedAccount {
            name: row.name_for(name, *level),
            project: row.project,
        }));
    }
    out
}

impl<'b> Blueprint<'_, 'b> {
    /// The accounts of a per-level row, one per access level (none without its component).
    pub(super) fn level_accounts(
        &mut self,
        row: &AccountRow,
    ) -> Vec<(AccessLevel, Handle<'b, MachineAccount>)> {
        if let AccountNeeds::Component(component) = row.needs
            && !self.has(component)
        {
            return Vec::new();
        }
        self.levels()
            .into_iter()
            .map(|level| (level, self.dataset_account(row, level)))
            .collect()
    }

    /// The account of `row` in the dataset project (at `level` for a per-level row).
    pub(super) fn dataset_account(
        &mut self,
        row: &AccountRow,
        level: AccessLevel,
    ) -> Handle<'b, MachineAccount> {
        let name = row.name_for(self.dataset_name(), level);
        self.machine_account(&name, &ProjectRef::Dataset, None)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use cpg_infra_config::{CloudName, parse_cpg_toml, parse_stack_file};

    use cpg_infra_abstraction::find_cloud;
    use cpg_infra_gcp as _;

    use super::dataset_accounts;
    use crate::{Deployments, plan_dataset};

    #[test]
    fn the_account_listing_is_what_the_blueprint_creates() {
        let stack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stack");
        let text = std::fs::read_to_string(stack.join("cpg.toml")).expect("cpg.toml");
        let config = parse_cpg_toml(&text, "cpg.toml")
            .expect("example config")
            .infrastructure;
        let gcp = CloudName::gcp();
        for name in ["alpha-study", "beta-cohort"] {
            let file = format!("Pulumi.{name}.yaml");
            let text = std::fs::read_to_string(stack.join(&file)).expect("stack");
            let dataset = parse_stack_file(&text, &file, name).expect("dataset");
            let plugin = find_cloud("gcp").expect("gcp registered");
            let plans = plan_dataset(
                &config,
                &dataset,
                &[(gcp.clone(), plugin)],
                &Deployments::default(),
            )
            .expect("plan");
            let mut created: Vec<String> = plans[0]
                .resources
                .iter()
                .filter(|r| r.type_token == "gcp:serviceaccount/account:Account")
                .filter_map(|r| r.properties.get("accountId"))
                .map(|id| format!("{id:?}"))
                .collect();
            created.sort();
            let mut listed: Vec<String> = dataset_accounts(&dataset, &gcp)
                .into_iter()
                .map(|a| format!("{:?}", cpg_infra_abstraction::Value::str(&a.name)))
                .collect();
            listed.sort();
            assert_eq!(created, listed, "{name}");
        }
    }
}
