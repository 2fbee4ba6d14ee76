//! Bad input that would otherwise pass silently with a plan other than the one written:
//! files that look meant for us and are never read, settings that have no effect, values
//! in the wrong unit, ids that name the wrong thing, runs that find none of the datasets
//! they must have. Each case starts from the example organisation with one realistic
//! mistake and must give one specific error (exit 1, nothing on stdout, no panic).

use super::support::{Scratch, run, stack};

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
                s.edit("cpg.toml", |t| {
                    t.replace(
                        "budget_notification_thresholds = [0.5, 0.9, 1.0]",
                        "budget_notification_thresholds = [50, 80, 100]",
                    )
                })
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
                s.edit("cpg.toml", |t| {
                    t.replace("\"0A1B2C-3D4E5F-6A7B8C\"", "\"0a1b2c-3d4e5f-6a7b8c\"")
                })
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
                s.edit("Pulumi.alpha-study.yaml", |t| {
                    t.replace(
                        "config:\n",
                        "config:\n  datasets:deploy_locations: '[\"azure\"]'\n",
                    )
                })
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
    let out = scratch.run(&["validate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_stack_folder_without_any_dataset_is_an_error() {
    let scratch = Scratch::example("silent-no-datasets");
    let empty = tempfile::tempdir().expect("empty folder");
    let dir = empty.path().to_str().expect("utf-8");
    for command in [&["validate"][..], &["deploy", "--preview"], &["plan"]] {
        let mut args = vec!["--stack-dir", dir];
        args.extend_from_slice(command);
        let out = scratch.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{command:?}");
        assert!(
            stderr.contains("no dataset found")
                && stderr.contains("reference_dataset `reference` must be configured"),
            "{command:?}: {stderr}"
        );
    }
}
