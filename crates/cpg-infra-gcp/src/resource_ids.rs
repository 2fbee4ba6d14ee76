//! The shapes of GCP resource ids, checked before an existing resource is
//! adopted (`options.import`) or read (`get:`), so a mistyped id fails at
//! `cpg-infra-driver validate`, not half-way through a deployment.

use crate::tokens;

/// Why `id` is not an id of a `type_token` resource (`None` when it is).
pub fn check(type_token: &str, id: &str) -> Option<String> {
    if id.is_empty() || id.trim() != id || id.chars().any(char::is_control) {
        return Some(format!(
            "`{id}` is not a resource id: ids are non-empty, without surrounding spaces or control characters"
        ));
    }
    let single = |what: &str, ok: bool| (!ok).then(|| format!("`{id}` is not {what}"));
    match type_token {
        tokens::BUCKET => {
            let name = id.rsplit('/').next().unwrap_or(id);
            single(
                "a bucket id: use the bucket name or `<project>/<bucket name>`",
                id.matches('/').count() <= 1 && is_bucket_name(name),
            )
        }
        tokens::SERVICE_ACCOUNT => single(
            "a service-account id: use `projects/<project>/serviceAccounts/<e-mail>` or the e-mail",
            service_account_id(id),
        ),
        tokens::GROUP => single(
            "a Cloud Identity group id: use `groups/<id>`",
            path_of(id, &["groups", "*"]),
        ),
        tokens::SECRET => single(
            "a secret id: use `projects/<project>/secrets/<secret id>`",
            path_of(id, &["projects", "*", "secrets", "*"]),
        ),
        tokens::PROJECT => single(
            "a project id: 6-30 lowercase letters, digits and hyphens, starting with a letter",
            is_project_id(id),
        ),
        tokens::REPOSITORY => single(
            "an Artifact Registry repository id: use `projects/<project>/locations/<location>/repositories/<name>`",
            path_of(
                id,
                &["projects", "*", "locations", "*", "repositories", "*"],
            ),
        ),
        tokens::ORG_CUSTOM_ROLE => single(
            "an organisation custom role id: use `organizations/<organisation number>/roles/<role id>`",
            path_of(id, &["organizations", "*", "roles", "*"])
                && id
                    .split('/')
                    .nth(1)
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())),
        ),
        _ => None,
    }
}

/// Why `id` cannot be the id of the `type_token` resource named `name` (its real name
/// in the plan, when known) that a plan adopts: [`check`]'s shape, then the name the id
/// carries (a bucket's, project's, secret's or repository's name, a service account's
/// e-mail's local part; a group's id carries none).
pub fn check_adopted(type_token: &str, id: &str, name: Option<&str>) -> Option<String> {
    if let Some(problem) = check(type_token, id) {
        return Some(problem);
    }
    let name = name?;
    let last = id.rsplit('/').next().unwrap_or(id);
    let named = match type_token {
        tokens::BUCKET
        | tokens::PROJECT
        | tokens::SECRET
        | tokens::REPOSITORY
        | tokens::ORG_CUSTOM_ROLE => last,
        tokens::SERVICE_ACCOUNT => last.split('@').next().unwrap_or(last),
        _ => return None,
    };
    (named != name).then(|| {
        format!(
            "`{id}` names `{named}`, but the plan's resource is `{name}`: it is the id of another resource; give the id of `{name}`"
        )
    })
}

/// Whether `id` is `/`-separated segments matching `pattern` (`*` = any non-empty segment).
fn path_of(id: &str, pattern: &[&str]) -> bool {
    let segments: Vec<&str> = id.split('/').collect();
    segments.len() == pattern.len()
        && segments
            .iter()
            .zip(pattern)
            .all(|(s, p)| !s.is_empty() && (*p == "*" || s == p) && !s.contains(' '))
}

fn is_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
}

fn is_project_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    (6..=30).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !id.ends_with('-')
}

fn service_account_id(id: &str) -> bool {
    let email = if path_of(id, &["projects", "*", "serviceAccounts", "*"]) {
        id.rsplit('/').next().unwrap_or(id)
    } else {
        id
    };
    email.split('@').count() == 2 && email.ends_with(".iam.gserviceaccount.com")
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::tokens;

    #[test]
    fn an_adopted_id_must_name_the_planned_resource() {
        use super::check_adopted;
        let account =
            "projects/p-123456/serviceAccounts/main-upload@p-123456.iam.gserviceaccount.com";
        assert_eq!(
            check_adopted(tokens::SERVICE_ACCOUNT, account, Some("main-upload")),
            None
        );
        let err = check_adopted(tokens::SERVICE_ACCOUNT, account, Some("main-admin"))
            .expect("another account");
        assert!(err.contains("names `main-upload`"), "{err}");
        assert!(check_adopted(tokens::BUCKET, "p-123456/cpg-a-main", Some("cpg-b-main")).is_some());
        assert_eq!(
            check_adopted(tokens::BUCKET, "cpg-a-main", Some("cpg-a-main")),
            None
        );
        assert_eq!(
            check_adopted(tokens::GROUP, "groups/0abc", Some("a@example.org")),
            None
        );
        assert!(check_adopted(tokens::PROJECT, "bad id", None).is_some());
        let role = "organizations/123456789012/roles/StorageObjectAndBucketMutator";
        assert_eq!(
            check_adopted(
                tokens::ORG_CUSTOM_ROLE,
                role,
                Some("StorageObjectAndBucketMutator")
            ),
            None
        );
        assert!(check_adopted(tokens::ORG_CUSTOM_ROLE, role, Some("Other")).is_some());
        assert!(
            check_adopted(
                tokens::ORG_CUSTOM_ROLE,
                "organizations/example/roles/X",
                None
            )
            .is_some()
        );
        assert!(
            check_adopted(
                tokens::ORG_CUSTOM_ROLE,
                "StorageObjectAndBucketMutator",
                None
            )
            .is_some()
        );
    }

    #[test]
    fn accepts_the_documented_shapes() {
        for (token, id) in [
            (tokens::BUCKET, "cpg-alpha-main"),
            (tokens::BUCKET, "alpha-5530/cpg-alpha-main"),
            (
                tokens::SERVICE_ACCOUNT,
                "projects/egi-cromwell/serviceAccounts/runner@egi-cromwell.iam.gserviceaccount.com",
            ),
            (
                tokens::SERVICE_ACCOUNT,
                "runner@egi-cromwell.iam.gserviceaccount.com",
            ),
            (tokens::GROUP, "groups/0abc123"),
            (
                tokens::SECRET,
                "projects/alpha-5530/secrets/alpha-access-members-cache",
            ),
            (tokens::PROJECT, "egi-notebooks"),
            (
                tokens::REPOSITORY,
                "projects/egi-common/locations/australia-southeast1/repositories/images",
            ),
            (
                tokens::BUCKET_IAM_MEMBER,
                "b/cpg-alpha-main roles/storage.admin group:x@example.org",
            ),
        ] {
            assert_eq!(check(token, id), None, "{token} {id}");
        }
    }

    #[test]
    fn rejects_ids_of_the_wrong_shape() {
        for (token, id) in [
            (tokens::BUCKET, "gs://cpg-alpha-main"),
            (tokens::BUCKET, "Cpg Alpha"),
            (tokens::SERVICE_ACCOUNT, "runner"),
            (tokens::GROUP, "alpha-access@example.org"),
            (tokens::SECRET, "alpha-access-members-cache"),
            (tokens::PROJECT, "Egi_Notebooks"),
            (tokens::REPOSITORY, "images"),
            (tokens::BUCKET, " cpg-alpha-main"),
            (tokens::BUCKET, ""),
        ] {
            assert!(check(token, id).is_some(), "{token} {id:?} accepted");
        }
    }
}
