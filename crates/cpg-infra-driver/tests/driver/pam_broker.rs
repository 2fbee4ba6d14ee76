//! The PAM broker and the project browser of temporary access on request:
//! `[infrastructure.gcp.pam_broker] project_id` declares the `pam-broker` machine account,
//! which the reference dataset's program creates; a dataset with
//! `allow_notebook_tmp_main_read` lets it act as the notebook account (token creator) to
//! request that account's access, a grant no person may hold; the temporary readers'
//! group may browse the dataset's project. Without a broker, and on Azure, the plan says
//! why; a bad table is an error naming the key.

use cpg_infra_abstraction::{Access, PrincipalKind};
use cpg_infra_config::CloudName;
use cpg_infra_driver::review::access;
use cpg_infra_driver::review::check::grant_findings;

use super::support::{Scratch, assert_row, declares, sam};

const BROKER: &str = "\n[infrastructure.gcp.pam_broker]\nproject_id = \"example-common\"\n";

const NOTEBOOK_READ: &str = "  datasets:deploy_locations: '[\"gcp\", \"azure\"]'\n  datasets:members: '{\"tmp-main-read-access\": [\"sam\"]}'\n  datasets:allow_notebook_tmp_main_read: \"true\"\n";

fn scratch(case: &str, broker: bool) -> Scratch {
    let config = if broker {
        format!("{}{BROKER}", sam())
    } else {
        sam()
    };
    Scratch::example(case)
        .append("cpg.toml", &config)
        .append("Pulumi.alpha-study.yaml", NOTEBOOK_READ)
}

/// Every diagnostic message of a JSON plan (one entry per dataset), one a line.
fn diagnostics(plan: &serde_json::Value) -> String {
    plan.as_array()
        .expect("plan entries")
        .iter()
        .flat_map(|entry| entry["diagnostics"].as_array().cloned().unwrap_or_default())
        .map(|d| d["message"].as_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_broker_lives_in_the_reference_program_and_acts_as_the_notebook_account() {
    let scratch = scratch("broker-on", true);
    let reference = scratch.program("reference", "gcp");
    let account = &reference["resources"]["example-common-pam-broker"];
    assert_eq!(account["type"], "gcp:serviceaccount/account:Account");
    assert_eq!(account["properties"]["accountId"], "pam-broker");
    assert_eq!(account["properties"]["project"], "example-common");
    // Only the reference dataset's program owns it.
    let alpha = scratch.program("alpha-study", "gcp");
    assert!(!declares(&alpha, "example-common-pam-broker"));
    let grant = &alpha["resources"]["pam-broker-token-creator"];
    assert_eq!(grant["type"], "gcp:serviceaccount/iAMMember:IAMMember");
    let props = &grant["properties"];
    assert_eq!(props["role"], "roles/iam.serviceAccountTokenCreator");
    assert_eq!(
        props["member"],
        "serviceAccount:pam-broker@example-common.iam.gserviceaccount.com"
    );
    assert_eq!(
        props["serviceAccountId"],
        "${service-account-notebook-alpha-study.name}"
    );
    let browser = &alpha["resources"]["tmp-main-read-access-project-browser"]["properties"];
    assert_eq!(browser["role"], "roles/browser");
    assert_eq!(
        browser["member"],
        "group:${alpha-study-tmp-main-read-access.groupKey.id}"
    );
    assert_eq!(browser["project"], "alpha-study-5530");
    // The access invariants hold, and `access` shows the broker's grant.
    let out = scratch.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = scratch.run(&["--dataset", "alpha-study", "access"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_row(
        &text,
        "pam-broker-token-creator",
        &[
            "pam-broker@example-common.iam.gserviceaccount.com",
            "act-as",
            "notebook-alpha-study",
        ],
    );
}

#[test]
fn without_a_broker_or_on_azure_the_plan_says_why() {
    let scratch = scratch("broker-off", false);
    let gcp = scratch.plan("alpha-study", "gcp");
    assert!(
        diagnostics(&gcp).contains(
            "the organisation declares no PAM broker ([infrastructure.gcp.pam_broker] project_id)"
        ),
        "{gcp}"
    );
    let program = scratch.program("alpha-study", "gcp");
    assert!(!declares(&program, "pam-broker-token-creator"));
    let reference = scratch.program("reference", "gcp");
    assert!(!reference.to_string().contains("pam-broker"));
    let with_broker = self::scratch("broker-azure", true);
    let azure = diagnostics(&with_broker.plan("alpha-study", "azure"));
    assert!(
        azure.contains("requesting temporary access for a machine account (an access broker) is not available on azure"),
        "{azure}"
    );
    assert!(
        azure.contains("project browser is not available on azure"),
        "{azure}"
    );
}

#[test]
fn a_person_holding_the_brokers_grant_is_a_person_admin_finding() {
    let scratch = scratch("broker-person", true);
    let (_, plan) =
        super::support::example_plan_in(scratch.path(), "alpha-study", &[CloudName::gcp()]);
    let mut rows = access::direct_rows(&plan);
    let person_admin = |rows: &[access::Row]| -> Vec<_> {
        grant_findings(rows)
            .into_iter()
            .filter(|f| f.policy.id == "person-admin")
            .collect()
    };
    assert!(
        person_admin(&rows).is_empty(),
        "the broker is a machine account"
    );
    // The same grant to a person (say, a hand-edited program or a mistaken member).
    let broker = rows
        .iter()
        .find(|r| r.grant == "pam-broker-token-creator" && r.access != Access::Member)
        .expect("the broker's grant")
        .clone();
    assert_eq!(broker.principal_kind, PrincipalKind::MachineAccount);
    rows.push(access::Row {
        principal: "pat@example-institute.org".to_owned(),
        principal_kind: PrincipalKind::User,
        ..broker
    });
    let found = person_admin(&rows);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].policy.id, "person-admin");
    assert!(
        found[0].message.contains("pat@example-institute.org")
            && found[0].message.contains("only machine accounts may"),
        "{}",
        found[0].message
    );
}

#[test]
fn a_bad_broker_table_is_an_error_naming_the_key() {
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "broker-empty-project",
            "\n[infrastructure.gcp.pam_broker]\nproject_id = \"\"\n",
            &["pam_broker", "project_id"],
        ),
        (
            // The project's display name instead of its id.
            "broker-project-name",
            "\n[infrastructure.gcp.pam_broker]\nproject_id = \"CPG Common\"\n",
            &["pam_broker", "project_id", "a GCP project id is 6 to 30"],
        ),
        (
            // The institute's GitHub workload identity settings belong to its own stack.
            "broker-github-keys",
            "\n[infrastructure.gcp.pam_broker]\nproject_id = \"example-common\"\ngithub_repository = \"populationgenomics/cpg-infrastructure-private\"\n",
            &["pam_broker", "github_repository"],
        ),
    ];
    for (case, table, expected) in cases {
        let stderr = Scratch::example(case)
            .append("cpg.toml", table)
            .invalid(case, expected);
        assert!(stderr.contains("cpg.toml"), "{case}: {stderr}");
    }
}
