//! `diff` on hand-made plans: secrets masked in changed paths, aliases that keep a URN,
//! replacements and data loss, a selected dataset that does not load.

use cpg_infra_abstraction::{Alias, Plan, Resource, Value};
use cpg_infra_driver::review::diff::{FlagKind, diff};
use cpg_infra_driver::review::predict::Operation;

fn plan_of(resources: Vec<Resource>) -> Plan {
    let mut plan = Plan::new("d", "gcp");
    for resource in resources {
        plan.add(resource);
    }
    plan
}

const BUCKET: &str = "gcp:storage/bucket:Bucket";

#[test]
fn secrets_are_masked_in_changed_paths() {
    let secret = |s: &str| Value::Secret(Box::new(Value::str(s)));
    let old = plan_of(vec![
        Resource::new("gcp:secretmanager/secretVersion:SecretVersion", "v")
            .prop("secretData", secret("hunter2-old")),
    ]);
    let new = plan_of(vec![
        Resource::new("gcp:secretmanager/secretVersion:SecretVersion", "v")
            .prop("secretData", secret("hunter2-new")),
    ]);
    let d = diff(Some(&old), Some(&new));
    let text = format!("{d:?}");
    assert!(!text.contains("hunter2"), "{text}");
    let paths = &d.changed[0].paths;
    assert_eq!(paths[0].old.as_deref(), Some("[secret]"));
    assert_eq!(paths[0].new.as_deref(), Some("[secret] (changed)"));
    let json = cpg_infra_driver::review::diff_report::json(std::slice::from_ref(&d)).to_string();
    let md = cpg_infra_driver::review::diff_report::markdown(std::slice::from_ref(&d));
    let plain = cpg_infra_driver::review::diff_report::text(&[d]);
    for out in [json, md, plain] {
        assert!(!out.contains("hunter2"), "{out}");
    }
}

#[test]
fn an_alias_keeps_the_urn_and_a_renamed_bucket_is_replaced() {
    let old = plan_of(vec![
        Resource::new("gcp:serviceAccount/account:Account", "sa").prop("accountId", "sa"),
        Resource::new(BUCKET, "main").prop("name", "egi-d-main"),
    ]);
    let mut account =
        Resource::new("gcp:serviceaccount/account:Account", "sa").prop("accountId", "sa");
    account
        .options
        .aliases
        .push(Alias::Type("gcp:serviceAccount/account:Account".to_owned()));
    let new = plan_of(vec![
        account,
        Resource::new(BUCKET, "main-bucket").prop("name", "egi-d-main"),
    ]);
    let d = diff(Some(&old), Some(&new));
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
    assert_eq!(d.replaced.len(), 1, "{d:?}");
    assert_eq!(d.replaced[0].old.name, "main");
    assert_eq!(d.replaced[0].new.name, "main-bucket");
    let kinds: Vec<FlagKind> = d.flags.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [FlagKind::DataLoss, FlagKind::Replace, FlagKind::Blocked],
        "{d:?}"
    );
    // The aliased account is a change of type only, not a replacement.
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].paths[0].path, "type");
    // The engine creates the new URN and deletes the old one; the bucket without
    // forceDestroy is deleted only when empty; the aliased account takes no step.
    let steps: Vec<(&str, Operation, bool)> = d
        .predicted
        .iter()
        .map(|p| (p.name.as_str(), p.operation, p.blocked.is_some()))
        .collect();
    assert_eq!(
        steps,
        [
            ("main", Operation::Delete, true),
            ("main-bucket", Operation::Create, false)
        ],
        "{d:?}"
    );
}

#[test]
fn an_entitlement_replaced_under_its_id_is_blocked_without_delete_before_replace() {
    const ENTITLEMENT: &str = "gcp:privilegedaccessmanager/entitlement:entitlement";
    let entitlement = |approval: bool| {
        Resource::new(ENTITLEMENT, "pam")
            .prop("parent", "projects/d")
            .prop("location", "global")
            .prop("entitlementId", "pam-d-read")
            .opt_prop(
                "approvalWorkflow",
                approval.then(|| Value::object([("manualApprovals", Value::object::<&str>([]))])),
            )
    };
    let old = plan_of(vec![entitlement(false)]);
    let step = |new: Resource| {
        let d = diff(Some(&old), Some(&plan_of(vec![new])));
        assert_eq!(d.predicted.len(), 1, "{d:?}");
        d.predicted[0].clone()
    };
    // Adding an approval workflow replaces the entitlement under the same id: the
    // engine would create the second one first, which the API refuses.
    let plain = step(entitlement(true));
    assert_eq!(plain.operation, Operation::Replace);
    let why = plain.blocked.expect("blocked without deleteBeforeReplace");
    assert!(why.contains("deleteBeforeReplace"), "{why}");
    let first = step(entitlement(true).delete_before_replace());
    assert_eq!(first.operation, Operation::Replace);
    assert_eq!(first.blocked, None, "{first:?}");
    assert!(first.reason.contains("deleted first"), "{first:?}");
}

#[test]
fn protect_removed_and_delete_rule_shortened_are_data_loss() {
    let rule = |age: i64| {
        Value::List(vec![Value::object([
            ("action", Value::object([("type", Value::str("Delete"))])),
            ("condition", Value::object([("age", Value::Int(age))])),
        ])])
    };
    let old = plan_of(vec![
        Resource::new(BUCKET, "b")
            .prop("name", "egi-b")
            .prop("lifecycleRules", rule(30))
            .protect(true),
    ]);
    let new = plan_of(vec![
        Resource::new(BUCKET, "b")
            .prop("name", "egi-b")
            .prop("lifecycleRules", rule(7)),
    ]);
    let d = diff(Some(&old), Some(&new));
    let reasons: Vec<String> = d
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::DataLoss)
        .map(|f| f.reason.clone())
        .collect();
    assert_eq!(reasons.len(), 2, "{d:?}");
    assert!(reasons.iter().any(|r| r.contains("protect is removed")));
    assert!(reasons.iter().any(|r| r.contains("from 30 to 7 days")));
    // A longer delete rule is a cost change only.
    let d = diff(Some(&new), Some(&old));
    assert!(
        d.flags.iter().all(|f| f.kind != FlagKind::DataLoss),
        "{d:?}"
    );
}

#[test]
fn a_selected_dataset_that_does_not_load_is_an_error_not_a_removal() {
    let base = super::support::Scratch::example("diff-broken-base");
    let broken = super::support::Scratch::example("diff-broken").append(
        "Pulumi.alpha-study.yaml",
        "  datasets:setup_test: \"false\"\n",
    );
    let config = base.path().join("cpg.toml");
    let out = broken.run(&[
        "--dataset",
        "alpha-study",
        "diff",
        "--base-config",
        config.to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Pulumi.alpha-study.yaml") && stderr.contains("setup_test"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no report of a removed dataset");
}
