//! GCP locations, checked against the list committed in `data/gcs-locations.txt` (with
//! its source): `[infrastructure.gcp] region` must be a region (buckets, Secret Manager
//! replicas and Artifact Registry repositories are placed there), a dataset's
//! `region.gcp` any bucket location (a region, a predefined dual-region or a
//! multi-region). A misspelt location would otherwise fail only at `pulumi up`, and a
//! bucket's location can never change afterwards.

/// The committed list: `<kind> <location>` lines, `#` comments.
const LOCATIONS: &str = include_str!("../data/gcs-locations.txt");

/// The kind of a bucket location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One region, e.g. `australia-southeast1`.
    Region,
    /// A predefined pair of regions, e.g. `nam4`.
    DualRegion,
    /// A multi-region, e.g. `us`.
    MultiRegion,
}

/// The kind of `location` (any case), or `None` when GCS has no such location.
pub fn kind(location: &str) -> Option<Kind> {
    let wanted = location.to_ascii_lowercase();
    LOCATIONS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .find_map(|line| {
            let (kind, name) = line.split_once(char::is_whitespace)?;
            (name.trim() == wanted).then_some(match kind {
                "dual" => Kind::DualRegion,
                "multi" => Kind::MultiRegion,
                _ => Kind::Region,
            })
        })
}

/// Why `region` cannot be the organisation's GCP region, if it cannot.
pub fn region_problem(key: &str, region: &str) -> Option<String> {
    match kind(region) {
        Some(Kind::Region) => None,
        Some(_) => Some(format!(
            "{key} is `{region}`, a dual- or multi-region: Secret Manager replicas and Artifact Registry repositories need one region (e.g. australia-southeast1); a dataset's buckets may use it through datasets:region"
        )),
        None => Some(unknown(key, region)),
    }
}

/// Why `location` cannot hold a dataset's buckets, if it cannot.
pub fn bucket_location_problem(key: &str, location: &str) -> Option<String> {
    kind(location).is_none().then(|| unknown(key, location))
}

fn unknown(key: &str, location: &str) -> String {
    format!(
        "{key} is `{location}`, which is not a GCP location (https://cloud.google.com/storage/docs/locations); check the spelling (e.g. australia-southeast1), or, for a region Google added after the list in cpg-infra-gcp/data/gcs-locations.txt, add it there"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_dual_and_multi_regions_are_known_in_any_case() {
        assert_eq!(kind("australia-southeast1"), Some(Kind::Region));
        assert_eq!(kind("NAM4"), Some(Kind::DualRegion));
        assert_eq!(kind("US"), Some(Kind::MultiRegion));
        assert_eq!(kind("australia-southeast3"), None);
        assert_eq!(kind("australiaeast"), None);
        assert!(region_problem("r", "us").is_some());
        assert!(region_problem("r", "us-central1").is_none());
        assert!(bucket_location_problem("r", "eu").is_none());
        assert!(bucket_location_problem("r", "eu-west1").is_some());
    }

    /// `kind` reads an unknown kind as a region, so the list itself must hold only the three
    /// kinds, each location once, in lower case, under a header that names its source.
    #[test]
    fn the_committed_list_is_well_formed_and_names_its_source() {
        assert!(LOCATIONS.contains("# Taken from: "));
        let mut seen = std::collections::BTreeSet::new();
        for line in LOCATIONS.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(fields.len(), 2, "`{line}` is not `<kind> <location>`");
            assert!(
                matches!(fields[0], "region" | "dual" | "multi"),
                "`{line}` has an unknown kind"
            );
            assert_eq!(
                fields[1],
                fields[1].to_ascii_lowercase(),
                "`{line}` is not lower case"
            );
            assert!(seen.insert(fields[1]), "`{}` is listed twice", fields[1]);
        }
        assert!(seen.len() > 40, "the list lost its entries");
    }
}
