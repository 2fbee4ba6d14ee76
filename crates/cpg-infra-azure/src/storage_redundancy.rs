//! The redundancy of the Azure storage accounts that hold datasets' data,
//! `[infrastructure.azure] storage_redundancy`: one of the Standard (general-purpose v2)
//! SKUs, which are the ones that have access tiers. Premium SKUs are refused: their
//! accounts have no Hot/Cool/Cold tiers, so the lifecycle rules could not apply
//! (<https://learn.microsoft.com/azure/storage/common/storage-account-overview>).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A Standard storage account SKU (Azure's name of a redundancy option,
/// <https://learn.microsoft.com/azure/storage/common/storage-redundancy>).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum StorageRedundancy {
    /// Three copies in one datacenter: lost with the datacenter.
    #[serde(rename = "Standard_LRS")]
    Lrs,
    /// Three copies in three availability zones of the region (the default: as a GCS
    /// regional bucket, which stores data in at least two zones of its region).
    #[default]
    #[serde(rename = "Standard_ZRS")]
    Zrs,
    /// LRS plus three copies in the paired region.
    #[serde(rename = "Standard_GRS")]
    Grs,
    /// GRS, with read access to the paired region.
    #[serde(rename = "Standard_RAGRS")]
    RaGrs,
    /// ZRS plus three copies in the paired region.
    #[serde(rename = "Standard_GZRS")]
    Gzrs,
    /// GZRS, with read access to the paired region.
    #[serde(rename = "Standard_RAGZRS")]
    RaGzrs,
}

impl StorageRedundancy {
    /// Every option, in the order of the documentation.
    pub const ALL: [StorageRedundancy; 6] = [
        StorageRedundancy::Lrs,
        StorageRedundancy::Zrs,
        StorageRedundancy::Grs,
        StorageRedundancy::RaGrs,
        StorageRedundancy::Gzrs,
        StorageRedundancy::RaGzrs,
    ];

    /// The SKU name Azure takes (`Standard_ZRS`).
    pub fn sku(self) -> &'static str {
        match self {
            StorageRedundancy::Lrs => "Standard_LRS",
            StorageRedundancy::Zrs => "Standard_ZRS",
            StorageRedundancy::Grs => "Standard_GRS",
            StorageRedundancy::RaGrs => "Standard_RAGRS",
            StorageRedundancy::Gzrs => "Standard_GZRS",
            StorageRedundancy::RaGzrs => "Standard_RAGZRS",
        }
    }

    /// Whether the data is kept in more than one availability zone of the primary region.
    pub fn zone_redundant(self) -> bool {
        matches!(
            self,
            StorageRedundancy::Zrs | StorageRedundancy::Gzrs | StorageRedundancy::RaGzrs
        )
    }
}

impl std::fmt::Display for StorageRedundancy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.sku())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_sku_names_and_refuses_premium() {
        #[derive(Deserialize)]
        struct T {
            r: StorageRedundancy,
        }
        for redundancy in StorageRedundancy::ALL {
            let parsed: T = toml::from_str(&format!("r = \"{}\"", redundancy.sku())).unwrap();
            assert_eq!(parsed.r, redundancy);
        }
        assert!(toml::from_str::<T>("r = \"Premium_LRS\"").is_err());
        assert!(toml::from_str::<T>("r = \"standard_lrs\"").is_err());
        assert_eq!(StorageRedundancy::default(), StorageRedundancy::Zrs);
    }
}
