//! Members as code: the users a dataset's `members` names join its groups, and the
//! reference dataset's program creates the organisation groups (`adhoc_groups`) with
//! their members, inner groups first.
//!
//! Names: a dataset membership is `members/<kind>/<user key>`, an organisation group's
//! `adhoc/<group>/user/<key>` or `adhoc/<group>/group/<name>`; a `/` is in no dataset,
//! group or bucket name, so none is an existing resource's name. A `group:<name>` member
//! of a dataset group is expanded into that organisation group's users (the group is the
//! reference's resource, which another program cannot name as a member), with a note.

use std::collections::BTreeSet;

use cpg_infra_abstraction::{GroupRef, Member};
use cpg_infra_config::{CloudName, GroupKind, MemberRef, UserKey, adhoc_order, resolved_users};

use super::Blueprint;

impl<'b> Blueprint<'_, 'b> {
    /// This cloud's account of user `key`, or a warning when the user has none here
    /// (validation rejects that for the dataset's own clouds; `--cloud` may plan others).
    pub(super) fn user_member(&mut self, key: &UserKey, subject: &str) -> Option<Member<'b>> {
        let cloud = self.infra.cloud();
        let cloud_name = CloudName::parse(cloud).ok()?;
        let found = self
            .config
            .users
            .get(key)
            .and_then(|user| user.clouds.get(&cloud_name));
        match found {
            Some(account) => Some(Member::External {
                cloud: cloud_name,
                id: account.id.as_str().to_owned(),
            }),
            None => {
                self.infra.diagnose(
                    subject,
                    format!(
                        "user `{key}` has no id on {cloud} ([infrastructure.users.{key}.clouds.{cloud}]): the membership is not created on {cloud}"
                    ),
                );
                None
            }
        }
    }

    /// The users of each of this dataset's groups (`members`) join it.
    pub(super) fn setup_members(&mut self) {
        let members = self.dataset.members.clone();
        for (kind, list) in &members {
            // An empty `tmp-main-read-access` list turns nothing on: no group without its
            // entitlement.
            if *kind == GroupKind::TmpMainReadAccess && !self.has_tmp_main_read() {
                continue;
            }
            // Each user once, whether listed directly or through organisation groups.
            let mut users: BTreeSet<&UserKey> = BTreeSet::new();
            for member in list {
                match member {
                    MemberRef::User(key) => {
                        users.insert(key);
                    }
                    MemberRef::Group(name) => {
                        let expanded = resolved_users(self.config, name);
                        let shown: Vec<&str> = expanded.iter().map(|k| k.as_str()).collect();
                        self.infra.note(
                            &format!("members/{kind}/group:{name}"),
                            format!(
                                "organisation group {name} is another program's group (the reference dataset's), so its {} ({}) join {}-{kind} one by one; change the group in cpg.toml and deploy this stack again to follow it",
                                match expanded.len() {
                                    1 => "1 user".to_owned(),
                                    n => format!("{n} users"),
                                },
                                shown.join(", "),
                                self.dataset.dataset
                            ),
                        );
                        users.extend(expanded);
                    }
                }
            }
            let group = GroupRef::Created(self.group(kind.as_str()));
            for key in users {
                let name = format!("members/{kind}/{key}");
                if let Some(member) = self.user_member(key, &name) {
                    self.infra.add_group_member(&name, &group, &member);
                }
            }
        }
    }

    /// The reference dataset's part: every organisation group, inner groups first, with
    /// its users and groups.
    pub(super) fn setup_adhoc_groups(&mut self) {
        let order = match adhoc_order(self.config) {
            Ok(order) => order,
            Err(cycle) => {
                // Validation rejects a cycle before planning; say so if one gets here.
                self.infra.diagnose(
                    "adhoc-groups",
                    format!(
                        "the organisation groups contain each other ({cycle}): none is created"
                    ),
                );
                return;
            }
        };
        for adhoc in order {
            let name = adhoc.name.as_str();
            let description = (!adhoc.description.is_empty()).then_some(adhoc.description.as_str());
            let handle = self.infra.create_group(name, description);
            self.groups.insert(format!("adhoc/{name}"), handle.clone());
            let group = GroupRef::Created(handle);
            for member in &adhoc.members {
                match member {
                    MemberRef::User(key) => {
                        let key_name = format!("adhoc/{name}/user/{key}");
                        if let Some(account) = self.user_member(key, &key_name) {
                            self.infra.add_group_member(&key_name, &group, &account);
                        }
                    }
                    MemberRef::Group(inner) => {
                        let Some(inner_handle) =
                            self.groups.get(&format!("adhoc/{inner}")).cloned()
                        else {
                            self.infra.diagnose(
                                &format!("adhoc/{name}/group/{inner}"),
                                format!("organisation group {inner} is not configured: not added"),
                            );
                            continue;
                        };
                        self.infra.add_group_member(
                            &format!("adhoc/{name}/group/{inner}"),
                            &group,
                            &Member::Group(inner_handle),
                        );
                    }
                }
            }
        }
    }
}
