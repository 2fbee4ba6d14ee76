//! The three access levels of a dataset ([`AccessLevel`]) and a value per level
//! ([`PerLevel`]), for the settings given once per level (`<key>_test`, `<key>_standard`,
//! `<key>_full`).

use std::fmt;

use serde::Serialize;

/// The three access levels of a dataset.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessLevel {
    /// Test data only.
    Test,
    /// Main data, read-only analysis.
    Standard,
    /// Full access, including deletion.
    Full,
}

impl AccessLevel {
    /// Every level, from least to most access.
    pub const ALL: [AccessLevel; 3] = [AccessLevel::Test, AccessLevel::Standard, AccessLevel::Full];

    /// `test`, `standard` or `full`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::Test => "test",
            AccessLevel::Standard => "standard",
            AccessLevel::Full => "full",
        }
    }

    /// The level named `test`, `standard` or `full`.
    pub fn parse(s: &str) -> Option<AccessLevel> {
        AccessLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value per access level, e.g. the Hail Batch service account of each level
/// (keys `gcp_hail_service_account_test`, `..._standard`, `..._full`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PerLevel<T> {
    /// The `test` level's value.
    pub test: T,
    /// The `standard` level's value.
    pub standard: T,
    /// The `full` level's value.
    pub full: T,
}

impl<T> PerLevel<T> {
    /// The value of `level`.
    pub fn get(&self, level: AccessLevel) -> &T {
        match level {
            AccessLevel::Test => &self.test,
            AccessLevel::Standard => &self.standard,
            AccessLevel::Full => &self.full,
        }
    }

    /// The value of `level`, to change it.
    pub fn get_mut(&mut self, level: AccessLevel) -> &mut T {
        match level {
            AccessLevel::Test => &mut self.test,
            AccessLevel::Standard => &mut self.standard,
            AccessLevel::Full => &mut self.full,
        }
    }
}

impl<T> PerLevel<Option<T>> {
    /// Each level with its value, if set, from least to most access (test, standard, full).
    pub fn each(&self) -> [(AccessLevel, Option<&T>); 3] {
        AccessLevel::ALL.map(|level| (level, self.get(level).as_ref()))
    }
}

/// The access level that `key` gives a value of, when it is `<stem>_<level>`.
pub(crate) fn level_of_key(key: &str, stem: &str) -> Option<AccessLevel> {
    key.strip_prefix(stem)?
        .strip_prefix('_')
        .and_then(AccessLevel::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_level() {
        let stem = "azure_hail_principal";
        assert_eq!(
            level_of_key("azure_hail_principal_standard", stem),
            Some(AccessLevel::Standard)
        );
        assert_eq!(level_of_key("azure_hail_principal", stem), None);
        assert_eq!(level_of_key("azure_hail_principal_fulll", stem), None);
        assert_eq!(level_of_key("gcp_hail_service_account_test", stem), None);
    }

    #[test]
    fn each_lists_the_levels_in_order() {
        let mut v: PerLevel<Option<u8>> = PerLevel::default();
        *v.get_mut(AccessLevel::Full) = Some(3);
        assert_eq!(
            v.each(),
            [
                (AccessLevel::Test, None),
                (AccessLevel::Standard, None),
                (AccessLevel::Full, Some(&3))
            ]
        );
    }
}
