//! Bad input that would otherwise pass silently with a plan other than the one written:
//! files that look meant for us and are never read, settings that have no effect, values
//! in the wrong unit, ids that name the wrong thing, runs that find none of the datasets
//! they must have. Each case starts from the example organisation with one realistic
//! mistake and must give one specific error (exit 1, nothing on stdout, no panic).

use super::support::{Scratch, run, stack};

/// A suppression (the fourth: the example has three) of a misspelt dataset.
const SUPPRESS_UNKNOWN_DATASET: &str = "
[[infrastructure.check.suppress]]
policy = \"public-access\"
dataset = \"alpha-studdy\"
reason = \"the partner reads it anonymously\"
";

/// A suppression (the fourth) of a misspelt resource.
const SUPPRESS_UNKNOWN_RESOURCE: &str = "
[[infrastructure.check.suppress]]
policy = \"public-access\"
dataset = \"alpha-study\"
resource = \"egi-alpha-study-mian\"
reason = \"the partner reads it anonymously\"
";

/// One mistake: how to make it, the command, and what the error must say.
struct Mistake {
    name: &'static str,
    make: fn(Scratch) -> Scratch,
    args: &'static [&'static str],
    expect: &'static [&'static str],
}

fn mistake(
    name: &'static str,
    make: fn(Scratch) -> Scratch,
    expect: &'static [&'static str],
) -> Mistake {
    Mistake {
        name,
        make,
        args: &["validate"],
        expect,
    }
}

fn mistakes() -> Vec<Mistake> {
    vec![
        mistake(
            "thresholds-in-percent",
            |s| {
                s.replace(
                    "cpg.toml",
                    "budget_notification_thresholds = [0.5, 0.9, 1.0]",
                    "budget_notification_thresholds = [50, 80, 100]",
                )
            },
            &[
                "cpg.toml:",
                "budget_notification_thresholds",
                "0.5 = 50 %",
                "write 0.5",
            ],
        ),
        mistake(
            "shared-budget-without-shared-project",
            |s| {
                s.append(
                    "Pulumi.alpha-study.yaml",
                    "  datasets:shared_project_budget: 300\n",
                )
            },
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:shared_project_budget",
                "no shared project",
                "no effect",
            ],
        ),
        mistake(
            "billing-account-of-the-wrong-shape",
            |s| {
                s.replace(
                    "cpg.toml",
                    "\"0A1B2C-3D4E5F-6A7B8C\"",
                    "\"0a1b2c-3d4e5f-6a7b8c\"",
                )
            },
            &[
                "cpg.toml:",
                "billing_account_id",
                "uppercase hexadecimal",
                "the letters are uppercase",
            ],
        ),
        mistake(
            "dependency-with-no-cloud-in-common",
            |s| {
                // beta-cohort (GCP only) depends on alpha-study.
                s.replace(
                    "Pulumi.alpha-study.yaml",
                    "config:\n",
                    "config:\n  datasets:deploy_locations: '[\"azure\"]'\n",
                )
            },
            &[
                "datasets:depends_on: dataset `alpha-study` deploys to [azure] and this dataset to [gcp]",
                "grants nothing on any cloud",
            ],
        ),
        mistake(
            "stack-file-named-yml",
            |s| s.file("Pulumi.delta-study.yml", stack("delta-study", "")),
            &[
                "Pulumi.delta-study.yml: looks like a stack file but is never read",
                "rename it to `Pulumi.delta-study.yaml`",
            ],
        ),
        mistake(
            "stack-file-in-other-capitals",
            |s| {
                s.file("pulumi.delta-study.yaml", stack("delta-study", ""))
                    .file("Pulumi.Epsilon.YAML", stack("epsilon", ""))
            },
            &[
                "pulumi.delta-study.yaml: looks like a stack file but is never read",
                "rename it to `Pulumi.delta-study.yaml`",
                "Pulumi.Epsilon.YAML: looks like a stack file",
                "rename it to `Pulumi.epsilon.yaml`",
            ],
        ),
        mistake(
            "dataset-toml-in-a-misspelt-folder",
            |s| {
                s.file(
                    "dataset/delta-study.toml",
                    "gcp_project = \"delta-study-5530\"\n",
                )
            },
            &[
                "dataset: is a folder of TOML files (1) that is never read",
                "rename the folder to `datasets`",
            ],
        ),
        mistake(
            "dataset-file-with-another-extension",
            |s| {
                s.file(
                    "datasets/delta-study.yml",
                    "gcp_project: delta-study-5530\n",
                )
                .file("datasets/.gitkeep", "")
                .file("datasets/README.md", "Our datasets.\n")
            },
            &[
                "datasets/delta-study.yml: is never read",
                "rename it to `delta-study.toml`",
            ],
        ),
        mistake(
            "a-dependant-of-a-broken-file",
            |s| s.file("Pulumi.alpha-study.yaml", "config: [\n"),
            &[
                "Pulumi.alpha-study.yaml:",
                "depends on `alpha-study`, whose configuration failed to load",
            ],
        ),
        mistake(
            "azure-principals-on-a-gcp-only-dataset",
            |s| {
                s.append(
                    "Pulumi.alpha-study.yaml",
                    "  datasets:azure_hail_principal_full: 6b1e2d3c-0403-4a5b-8c6d-7e8f9a0b1c03\n",
                )
            },
            &[
                "Pulumi.alpha-study.yaml",
                "datasets:azure_hail_principal_full: only azure reads it",
                "deploy_locations is [gcp]",
                "no effect",
            ],
        ),
        mistake(
            "gcp-settings-on-an-azure-only-dataset",
            |s| {
                s.edit("Pulumi.gamma-bridge.yaml", |t| {
                    t.replace("'[\"gcp\", \"azure\"]'", "'[\"azure\"]'")
                        .replace("  datasets:adopt: ", "  datasets:adopt-removed: ")
                        .lines()
                        .filter(|l| !l.contains("datasets:adopt-removed"))
                        .map(|l| format!("{l}\n"))
                        .collect()
                })
            },
            &[
                "Pulumi.gamma-bridge.yaml",
                "datasets:gcp_hail_service_account_test: only gcp reads it",
                "gcp:project: a setting of the `gcp` provider, which only gcp programs use",
                "gcp:billing_project: a setting of the `gcp` provider",
            ],
        ),
        mistake(
            "provider-settings-the-explicit-providers-override",
            |s| {
                s.append(
                    "Pulumi.gamma-bridge.yaml",
                    "  azure-native:location: westeurope\n  azure-native:subscriptionId: 8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f\n  azuread:tenantId: 3f2a6c1e-7b4d-4e8a-9c21-5d6f7a8b9c0d\n  gcp:region: europe-west1\n",
                )
            },
            &[
                "azure-native:location: has no effect: every Azure resource of the programs uses an explicit provider built from [infrastructure.azure]",
                "azure-native:subscriptionId: has no effect",
                "azuread:tenantId: has no effect",
                "gcp:region: has no effect: every regional GCP resource",
            ],
        ),
        mistake(
            "components-of-a-cloud-not-deployed-to",
            |s| {
                s.append(
                    "Pulumi.alpha-study.yaml",
                    "  datasets:components: '{\"gcp\": [\"storage\"], \"azure\": [\"storage\"]}'\n",
                )
            },
            &[
                "Pulumi.alpha-study.yaml:",
                "datasets:components: lists cloud `azure`, which is not in datasets:deploy_locations",
            ],
        ),
        mistake(
            "unknown-cloud-in-deploy-locations-with-other-problems",
            |s| {
                s.replace(
                    "Pulumi.gamma-bridge.yaml",
                    "'[\"gcp\", \"azure\"]'",
                    "'[\"gcp\", \"azrue\"]'",
                )
                .append("Pulumi.beta-cohort.yaml", "  datasets:archive_age: \"0\"\n")
            },
            &[
                "Pulumi.gamma-bridge.yaml",
                "unknown cloud `azrue`",
                "Pulumi.beta-cohort.yaml",
                "datasets:archive_age",
            ],
        ),
        mistake(
            "unknown-cloud-of-a-user",
            |s| {
                s.append(
                    "cpg.toml",
                    "\n[infrastructure.users.\"alex.smith\".clouds.gcp]\nid = \"alex.smith@example-institute.org\"\n[infrastructure.users.\"alex.smith\".clouds.azrue]\nid = \"6b1e2d3c-0401-4a5b-8c6d-7e8f9a0b1c09\"\n",
                )
                .append("Pulumi.beta-cohort.yaml", "  datasets:archive_age: \"0\"\n")
            },
            &[
                "cpg.toml: unknown cloud `azrue` (the section [infrastructure.users.alex.smith.clouds.azrue] in cpg.toml); registered clouds: azure, gcp",
                "Pulumi.beta-cohort.yaml",
            ],
        ),
        mistake(
            "adopt-an-id-of-another-resource-type",
            |s| {
                s.replace(
                    "Pulumi.gamma-bridge.yaml",
                    "\"azure-storage-account\": ",
                    "\"azure-key-vault\": ",
                )
            },
            &[
                "dataset gamma-bridge: datasets:adopt: `azure-key-vault`",
                "is the id of another type of resource",
                "`Microsoft.keyvault` resource provider",
            ],
        ),
        mistake(
            "adopt-another-account-of-the-right-type",
            |s| {
                s.append(
                    "Pulumi.alpha-study.yaml",
                    "  datasets:adopt: '{\"service-account-main-upload\": \"projects/alpha-study-5530/serviceAccounts/cromwell-full@alpha-study-5530.iam.gserviceaccount.com\"}'\n",
                )
            },
            &[
                "datasets:adopt: `service-account-main-upload`",
                "names `cromwell-full`, but the plan's resource is `main-upload`",
            ],
        ),
        mistake(
            "adopt-another-bucket",
            |s| {
                s.replace(
                    "Pulumi.gamma-bridge.yaml",
                    "gamma-bridge-7310/egi-gamma-bridge-main\"",
                    "gamma-bridge-7310/egi-gamma-bridge-archive\"",
                )
            },
            &[
                "names `egi-gamma-bridge-archive`, but the plan's resource is `egi-gamma-bridge-main`",
            ],
        ),
        mistake(
            "suppression-of-an-unknown-dataset",
            |s| s.append("cpg.toml", SUPPRESS_UNKNOWN_DATASET),
            &[
                ":1: [[infrastructure.check.suppress]] #1: dataset `alpha-studdy` is not a configured dataset",
                "did you mean `alpha-study`?",
            ],
        ),
        Mistake {
            args: &["check"],
            ..mistake(
                "suppression-of-an-unknown-resource",
                |s| s.append("cpg.toml", SUPPRESS_UNKNOWN_RESOURCE),
                &[
                    ":1: [[infrastructure.check.suppress]] #1: resource `egi-alpha-study-mian` is not in dataset alpha-study's plan",
                    "did you mean `egi-alpha-study-main`?",
                ],
            )
        },
        mistake(
            "stack-file-keys-in-a-toml-dataset-table",
            |s| {
                s.file(
                    "datasets/delta-study.toml",
                    "\"datasets:archive_age\" = 90\n\"gcp:project\" = \"delta-study-5530\"\n",
                )
            },
            &[
                "datasets/delta-study.toml:1:1: datasets:archive_age: unknown key; in a TOML dataset table keys have no `datasets:` prefix: write `archive_age`",
                "datasets/delta-study.toml:2:1: gcp:project: unknown key; in a TOML dataset table the GCP project is `gcp_project`",
            ],
        ),
        mistake(
            "settings-of-what-the-dataset-does-not-deploy",
            |s| {
                s.append(
                    "Pulumi.alpha-study.yaml",
                    "  datasets:cross_cloud_secrets: \"false\"\n",
                )
                .append(
                    "Pulumi.beta-cohort.yaml",
                    "  datasets:components: '{\"gcp\": [\"storage\", \"hail-accounts\"]}'\n",
                )
            },
            &[
                "dataset alpha-study: datasets:cross_cloud_secrets is false but the dataset deploys to one cloud",
                "dataset beta-cohort: datasets:sm_read_only_sas / sm_read_write_sas are set but no cloud of the dataset deploys the `sample-metadata` component",
            ],
        ),
        mistake(
            "autoclass-on-an-azure-only-dataset",
            |s| {
                s.file(
                    "Pulumi.delta-study.yaml",
                    "config:\n  datasets:deploy_locations: '[\"azure\"]'\n  datasets:azure_hail_principal_test: 6b1e2d3c-0401-4a5b-8c6d-7e8f9a0b1c11\n  datasets:autoclass: \"true\"\n",
                )
            },
            &["dataset delta-study: datasets:autoclass: only gcp reads it"],
        ),
    ]
}

#[test]
fn every_silently_wrong_input_is_an_error() {
    let mistakes = mistakes();
    std::thread::scope(|scope| {
        for m in &mistakes {
            scope.spawn(move || check(m));
        }
    });
}

fn check(m: &Mistake) {
    let scratch = (m.make)(Scratch::example(m.name));
    let config = scratch.path().join("cpg.toml");
    let mut args = vec!["--config", config.to_str().expect("utf-8")];
    args.extend_from_slice(m.args);
    let out = run(scratch.path(), &args, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}: exit code; stderr:\n{stderr}",
        m.name
    );
    assert!(
        out.stdout.is_empty(),
        "{}: printed on stdout: {}",
        m.name,
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        !stderr.contains("panicked"),
        "{}: panicked:\n{stderr}",
        m.name
    );
    for fragment in m.expect {
        assert!(
            stderr.contains(fragment),
            "{}: expected {fragment:?} in:\n{stderr}",
            m.name
        );
    }
}

#[test]
fn the_example_organisation_is_none_of_these_mistakes() {
    let scratch = Scratch::example("silent-baseline");
    scratch.succeeds(&["validate"]);
}
