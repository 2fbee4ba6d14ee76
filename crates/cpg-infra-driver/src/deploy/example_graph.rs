//! The datasets the deployment tests deploy, in one place: the scheduler's unit tests
//! (`tests`) and the driver's `deploy` tests through the binary (which include this file)
//! plan the same graph and expect the same order.

/// Each dataset with the datasets it depends on: a diamond (ds-a -> ds-b, ds-c -> ds-d),
/// a chain (chain-x -> chain-y -> chain-z) and the reference dataset.
pub const DEPENDENCIES: [(&str, &[&str]); 8] = [
    ("ds-a", &["ds-b", "ds-c"]),
    ("ds-b", &["ds-d"]),
    ("ds-c", &["ds-d"]),
    ("ds-d", &[]),
    ("chain-x", &["chain-y"]),
    ("chain-y", &["chain-z"]),
    ("chain-z", &[]),
    ("reference", &[]),
];

/// The order the datasets run in one at a time: the reference dataset first, then
/// dependencies before dependants, ties by name.
pub const ORDER: [&str; 8] = [
    "reference",
    "chain-z",
    "chain-y",
    "chain-x",
    "ds-d",
    "ds-b",
    "ds-c",
    "ds-a",
];
