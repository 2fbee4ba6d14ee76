//! Who owns an identity, and where a machine belongs: realistic configuration mistakes
//! that would give one dataset's, user's or the organisation's access to another, each an
//! error of `validate`, `plan` and `check` (and of compiler mode where it can see it),
//! naming the file and key and saying what to do.

use super::support::{Scratch, run, stack};

/// Exit code and stderr of `args` on `scratch`, which must print nothing on stdout.
fn fails(scratch: &Scratch, args: &[&str]) -> String {
    let out = scratch.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed a partial output");
    stderr
}

/// The same errors from `validate`, `plan` and `check`.
fn every_command_fails_with(scratch: &Scratch, expected: &[&str]) {
    for args in [&["validate"][..], &["plan"], &["check"]] {
        let stderr = fails(scratch, args);
        for fragment in expected {
            assert!(
                stderr.contains(fragment),
                "{args:?}: {fragment:?} in:\n{stderr}"
            );
        }
    }
}

const ALEX: &str = "
[infrastructure.users.\"alex.smith\".clouds.gcp]
id = \"alex.smith@example-institute.org\"

[infrastructure.users.\"alex.smith\".clouds.azure]
id = \"0f1e2d3c-1111-4a5b-8c6d-7e8f9a0b1c01\"
";

#[test]
fn a_hail_account_copied_into_a_second_dataset_is_an_error_of_that_dataset() {
    // A new dataset's stack file started as a copy of another's and kept its test account.
    let scratch = Scratch::example("identity-copied-hail").replace(
        "Pulumi.beta-cohort.yaml",
        "beta-cohort-test-301@egi-hail.iam.gserviceaccount.com",
        "alpha-study-test-201@egi-hail.iam.gserviceaccount.com",
    );
    every_command_fails_with(
        &scratch,
        &[
            "Pulumi.beta-cohort.yaml: dataset beta-cohort: datasets:gcp_hail_service_account_test: `alpha-study-test-201@egi-hail.iam.gserviceaccount.com` is also dataset alpha-study's account (datasets:gcp_hail_service_account_test); an account joins the groups of the dataset that names it, so each would reach the other's data: give each dataset its own account",
        ],
    );
    // A restricted run sees the clash too: the datasets are loaded together.
    let stderr = fails(&scratch, &["--dataset", "alpha-study", "plan"]);
    assert!(
        stderr.contains("is also dataset alpha-study's account"),
        "{stderr}"
    );
}

#[test]
fn an_account_another_dataset_creates_is_no_dataset_account() {
    // beta-cohort's CI account set to alpha-study's upload account.
    let scratch = Scratch::example("identity-created-account").append(
        "Pulumi.beta-cohort.yaml",
        "  datasets:deployment_service_account_standard: main-upload@alpha-study-5530.iam.gserviceaccount.com\n",
    );
    every_command_fails_with(
        &scratch,
        &[
            "dataset beta-cohort: datasets:deployment_service_account_standard: `main-upload@alpha-study-5530.iam.gserviceaccount.com` is the service account `main-upload` of dataset alpha-study, created by that dataset's program",
        ],
    );
}

#[test]
fn an_azure_principal_of_two_datasets_is_an_error() {
    let scratch = Scratch::example("identity-azure-principal").append(
        "Pulumi.alpha-study.yaml",
        "  datasets:azure_deployment_principal_full: 6B1E2D3C-0403-4A5B-8C6D-7E8F9A0B1C03\n",
    );
    every_command_fails_with(
        &scratch,
        &[
            "Pulumi.gamma-bridge.yaml: dataset gamma-bridge: datasets:azure_hail_principal_full: `6b1e2d3c-0403-4a5b-8c6d-7e8f9a0b1c03` is also dataset alpha-study's account (datasets:azure_deployment_principal_full)",
        ],
    );
}

#[test]
fn a_persons_email_as_hail_account_is_an_error_on_its_own_and_as_a_user() {
    // Someone pasted their own address instead of the Hail service account's.
    let person = Scratch::new("identity-person-hail").file(
        "Pulumi.delta.yaml",
        stack("delta", "").replace(
            "delta-standard-2@egi-hail.iam.gserviceaccount.com",
            "alex.smith@example-institute.org",
        ),
    );
    every_command_fails_with(
        &person,
        &[
            "Pulumi.delta.yaml: dataset delta: datasets:gcp_hail_service_account_standard: `alex.smith@example-institute.org` is not a service account (a service account's e-mail ends in `.gserviceaccount.com`",
        ],
    );
    // A registered user is a person on every cloud, whatever the id looks like.
    let user = Scratch::new("identity-user-principal")
        .append("cpg.toml", ALEX)
        .file(
            "Pulumi.delta.yaml",
            stack(
                "delta",
                "  datasets:deployment_service_account_full: Alex.Smith@example-institute.org\n  datasets:azure_hail_principal_test: 0f1e2d3c-1111-4a5b-8c6d-7e8f9a0b1c01\n",
            ),
        );
    every_command_fails_with(
        &user,
        &[
            "dataset delta: datasets:deployment_service_account_full: `Alex.Smith@example-institute.org` is the gcp id of user `alex.smith` in [infrastructure.users], a person",
            "dataset delta: datasets:azure_hail_principal_test: `0f1e2d3c-1111-4a5b-8c6d-7e8f9a0b1c01` is the azure id of user `alex.smith` in [infrastructure.users], a person",
        ],
    );
    // Sample-metadata accounts are machine accounts too.
    let metadata = Scratch::new("identity-person-sm").file(
        "Pulumi.delta.yaml",
        stack(
            "delta",
            "  datasets:sm_read_write_sas: '[\"pipelines@delta-5530.iam.gserviceaccount.com\", \"sam@uni.edu\"]'\n",
        ),
    );
    let stderr = fails(&metadata, &["validate"]);
    assert!(
        stderr.contains("datasets:sm_read_write_sas[1]: `sam@uni.edu` is not a service account")
            && !stderr.contains("sm_read_write_sas[0]"),
        "{stderr}"
    );
}

#[test]
fn the_organisations_account_as_a_dataset_account_is_an_error() {
    let scratch = Scratch::new("identity-org-account").file(
        "Pulumi.delta.yaml",
        stack(
            "delta",
            "  datasets:deployment_service_account_standard: analysis-runner-server@egi-analysis-runner.iam.gserviceaccount.com\n",
        ),
    );
    every_command_fails_with(
        &scratch,
        &[
            "dataset delta: datasets:deployment_service_account_standard: `analysis-runner-server@egi-analysis-runner.iam.gserviceaccount.com` is the organisation's account infrastructure.analysis_runner.gcp.server_machine_account in cpg.toml",
        ],
    );
}

#[test]
fn an_organisation_project_or_another_datasets_as_gcp_project_is_an_error() {
    // The analysis runner's project, copied from a runbook.
    let scratch = Scratch::new("identity-org-project").file(
        "Pulumi.delta.yaml",
        stack("delta", "").replace(
            "gcp:project: delta-5530",
            "gcp:project: egi-analysis-runner",
        ),
    );
    every_command_fails_with(
        &scratch,
        &[
            "Pulumi.delta.yaml: dataset delta: gcp:project (TOML: gcp_project): the dataset's project `egi-analysis-runner` is the organisation's project (infrastructure.analysis_runner.gcp.project in cpg.toml)",
        ],
    );
    // Another dataset's project (the reference's).
    let scratch = Scratch::new("identity-dataset-project").file(
        "Pulumi.delta.yaml",
        stack("delta", "").replace("gcp:project: delta-5530", "gcp:project: egi-reference-4821"),
    );
    let stderr = fails(&scratch, &["validate"]);
    assert!(
        !stderr.contains("service account"),
        "one error for the project, none per account in it: {stderr}"
    );
    every_command_fails_with(
        &scratch,
        &[
            "dataset reference: project `egi-reference-4821` would be used twice: as dataset delta's project and as dataset reference's project; each dataset has its own project",
        ],
    );
}

#[test]
fn two_users_with_one_cloud_id_are_an_error() {
    for (cloud, id) in [
        ("gcp", "alex.smith@example-institute.org"),
        ("azure", "0F1E2D3C-1111-4A5B-8C6D-7E8F9A0B1C01"),
    ] {
        let scratch = Scratch::example("identity-two-users").append(
            "cpg.toml",
            &format!("{ALEX}\n[infrastructure.users.sam-jones.clouds.{cloud}]\nid = \"{id}\"\n"),
        );
        every_command_fails_with(
            &scratch,
            &[&format!(
                "cpg.toml: infrastructure.users.sam-jones.clouds.{cloud}.id: `{id}` is also the {cloud} id of user `alex.smith`; a cloud id belongs to one user"
            )],
        );
    }
}

#[test]
fn every_mistake_of_a_run_is_reported_at_once() {
    let scratch = Scratch::example("identity-all-at-once")
        .replace(
            "Pulumi.beta-cohort.yaml",
            "beta-cohort-test-301@egi-hail.iam.gserviceaccount.com",
            "alpha-study-test-201@egi-hail.iam.gserviceaccount.com",
        )
        .edit("Pulumi.alpha-study.yaml", |t| {
            t.replace(
                "gcp:project: alpha-study-5530",
                "gcp:project: egi-notebooks",
            )
            .replace(
                "alpha-study-full-203@egi-hail.iam.gserviceaccount.com",
                "alex.smith@example-institute.org",
            )
        });
    let stderr = fails(&scratch, &["validate"]);
    for fragment in [
        "Pulumi.alpha-study.yaml: dataset alpha-study: gcp:project",
        "Pulumi.alpha-study.yaml: dataset alpha-study: datasets:gcp_hail_service_account_full",
        "Pulumi.beta-cohort.yaml: dataset beta-cohort: datasets:gcp_hail_service_account_test",
    ] {
        assert!(stderr.contains(fragment), "{fragment:?} in:\n{stderr}");
    }
}

#[test]
fn compiler_mode_checks_the_stack_against_the_organisation() {
    // One stack at a time: what it can see is cpg.toml (users, the organisation's
    // accounts and projects), this stack and its dependencies' configuration; every other
    // dataset's accounts are `validate`'s.
    let scratch = Scratch::new("identity-compiler").append("cpg.toml", ALEX);
    let config = scratch.path().join("cpg.toml");
    let config = config.to_str().expect("utf-8");
    let compile = |settings: &str| {
        let out = run(
            scratch.path(),
            &["program"],
            &[
                ("PULUMI_STACK", "delta"),
                ("PULUMI_CONFIG", settings),
                ("CPG_CONFIG_PATH", config),
            ],
        );
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let accounts = "\"datasets:gcp_hail_service_account_test\": \"delta-test-1@egi-hail.iam.gserviceaccount.com\", \"datasets:gcp_hail_service_account_standard\": \"delta-standard-2@egi-hail.iam.gserviceaccount.com\"";
    let (code, stderr) = compile(&format!(
        "{{\"gcp:project\": \"egi-sample-metadata\", {accounts}, \"datasets:gcp_hail_service_account_full\": \"alex.smith@example-institute.org\"}}"
    ));
    assert_eq!(code, Some(1), "{stderr}");
    for fragment in [
        "the dataset's project `egi-sample-metadata` is the organisation's project (infrastructure.sample_metadata.gcp.project in cpg.toml)",
        "datasets:gcp_hail_service_account_full: `alex.smith@example-institute.org` is the gcp id of user `alex.smith`",
    ] {
        assert!(stderr.contains(fragment), "{fragment:?} in:\n{stderr}");
    }
    assert!(
        !stderr.contains("is not a service account"),
        "one error for one mistake: {stderr}"
    );
    // A dependency's account (here the reference dataset's, read from its stack file).
    let (code, stderr) = compile(&format!(
        "{{\"gcp:project\": \"delta-5530\", {accounts}, \"datasets:gcp_hail_service_account_full\": \"reference-full-3@egi-hail.iam.gserviceaccount.com\"}}"
    ));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("dataset delta: datasets:gcp_hail_service_account_full: `reference-full-3@egi-hail.iam.gserviceaccount.com` is also dataset reference's account (datasets:gcp_hail_service_account_full)"),
        "{stderr}"
    );
    let (code, stderr) = compile(&format!(
        "{{\"gcp:project\": \"delta-5530\", {accounts}, \"datasets:gcp_hail_service_account_full\": \"delta-full-3@egi-hail.iam.gserviceaccount.com\"}}"
    ));
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn the_example_organisation_stays_valid_without_warnings() {
    let out = Scratch::example("identity-example").run(&["validate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The plans' own warnings and notes are shown by validate; none is an error.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .lines()
            .all(|line| line.starts_with("warning: ") || line.starts_with("note: ")),
        "{stderr}"
    );
}

#[test]
fn check_help_lists_every_invariant_with_its_sentence() {
    let out = Scratch::new("identity-help").run(&["check", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    // Clap wraps long lines to the terminal's width: compare words.
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let help = words(&String::from_utf8_lossy(&out.stdout));
    let section = help
        .split_once(" Invariants (")
        .expect("an invariants section")
        .1;
    for invariant in cpg_infra_config::Invariant::ALL {
        let line = words(&format!("{} {}", invariant.as_str(), invariant.sentence()));
        assert!(section.contains(&line), "{invariant}: {help}");
    }
}
