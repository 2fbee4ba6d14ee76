//! Groups: Cloud Identity groups of the organisation's customer and their
//! memberships.

use cpg_infra_abstraction::{GroupRef, Resource, Value};

use crate::members::group_id;
use crate::settings::Settings;
use crate::tokens;

/// The group `name` (`<name>@<domain>`), after the Cloud Identity service `identity`;
/// `description` only when the configuration gives one (dataset groups have none, as in
/// the reference).
pub fn group(
    settings: &Settings,
    name: &str,
    description: Option<&str>,
    identity: &str,
) -> Resource {
    Resource::new(tokens::GROUP, name)
        .opt_prop("description", description)
        .prop("displayName", name)
        .prop(
            "groupKey",
            Value::object([("id", Value::str(format!("{name}@{}", settings.domain)))]),
        )
        .prop(
            "labels",
            Value::object([(
                "cloudidentity.googleapis.com/groups.discussion_forum",
                Value::str(""),
            )]),
        )
        .prop("parent", format!("customers/{}", settings.customer_id))
        .depends_on([identity])
}

/// The membership `key` of the member with preferred key `member` in `group`.
pub fn membership(key: &str, group: &GroupRef, member: Value, identity: &str) -> Resource {
    Resource::new(tokens::GROUP_MEMBERSHIP, key)
        .prop("group", group_id(group))
        .prop("preferredMemberKey", Value::object([("id", member)]))
        .prop(
            "roles",
            Value::List(vec![Value::object([("name", Value::str("MEMBER"))])]),
        )
        .depends_on([identity])
}
