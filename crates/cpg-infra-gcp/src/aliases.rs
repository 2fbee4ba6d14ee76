//! Type tokens the `gcp` provider renamed since the reference deployed.
//!
//! Pulumi identifies a resource by its URN, which contains the type token. The
//! reference ran pulumi-gcp 6.x; the pinned provider's schema lists, in its
//! alias table, the old tokens of renamed types. Every resource whose token is a
//! target of that table carries an alias with the old token, so Pulumi sees the
//! same resource instead of replacing it. The table is the schema's, verbatim
//! (a test compares it with `provider-schemas/gcp.json`).

use cpg_infra_abstraction::{Alias, Plan};

/// `(old token, canonical token)` pairs of the pinned schema's alias table.
pub const RENAMED_TYPES: &[(&str, &str)] = &[
    (
        "gcp:compute/autoscalar:Autoscalar",
        "gcp:compute/autoscaler:Autoscaler",
    ),
    (
        "gcp:serviceAccount/account:Account",
        "gcp:serviceaccount/account:Account",
    ),
    (
        "gcp:serviceAccount/iAMBinding:IAMBinding",
        "gcp:serviceaccount/iAMBinding:IAMBinding",
    ),
    (
        "gcp:serviceAccount/iAMMember:IAMMember",
        "gcp:serviceaccount/iAMMember:IAMMember",
    ),
    (
        "gcp:serviceAccount/iAMPolicy:IAMPolicy",
        "gcp:serviceaccount/iAMPolicy:IAMPolicy",
    ),
    ("gcp:serviceAccount/key:Key", "gcp:serviceaccount/key:Key"),
];

/// Adds a type alias to every managed resource of `plan` whose token was renamed
/// (read-only `get:` resources have no history to keep).
pub fn apply(plan: &mut Plan) {
    for resource in plan.resources.iter_mut().filter(|r| r.existing.is_none()) {
        for (old, new) in RENAMED_TYPES {
            let alias = Alias::Type((*old).to_owned());
            if resource.type_token == *new && !resource.options.aliases.contains(&alias) {
                resource.options.aliases.push(alias);
            }
        }
    }
}
