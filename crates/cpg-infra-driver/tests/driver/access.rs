//! `access`: who can do what. Hand-checked tables of one dataset's main bucket on
//! both clouds (direct and through groups), one real reference dataset checked
//! against the reference's recorded IAM members, and golden output per format.

use std::collections::BTreeSet;

use super::support::{repo, run, shared};

fn csv(args: &[&str]) -> Vec<Vec<String>> {
    let out = run(&repo(), args, &[]);
    assert!(out.status.success(), "{args:?}: {out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "dataset,cloud,principal,principal_kind,access,role,capabilities,resource,resource_kind,via"
        )
    );
    // No cell of these rows needs quoting.
    lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

/// `(principal, principal kind, access, role, via)` of the rows on `resource`.
fn on(rows: &[Vec<String>], resource: &str) -> BTreeSet<[String; 5]> {
    rows.iter()
        .filter(|r| r[7] == resource)
        .map(|r| {
            [
                r[2].clone(),
                r[3].clone(),
                r[4].clone(),
                r[5].clone(),
                r[9].clone(),
            ]
        })
        .collect()
}

fn table(rows: &[[&str; 5]]) -> BTreeSet<[String; 5]> {
    rows.iter().map(|r| r.map(str::to_owned)).collect()
}

#[test]
fn the_main_bucket_of_alpha_study_on_gcp_by_hand() {
    let args = [
        "--example",
        "--dataset",
        "alpha-study",
        "access",
        "--format",
        "csv",
    ];
    let rows = csv(&args);
    // Each level: (level, access, role, grant, alpha-study's and beta-cohort's Hail
    // account numbers).
    let levels = [
        (
            "full",
            "admin",
            "roles/storage.admin",
            "full-main-bucket-admin",
            "203",
            "303",
        ),
        (
            "standard",
            "append",
            "<organization.id>/roles/StorageViewerAndCreator",
            "standard-main-bucket-view-create",
            "202",
            "302",
        ),
    ];
    let row = |principal: String, kind: &str, access: &str, role: &str, via: String| {
        [
            principal,
            kind.to_owned(),
            access.to_owned(),
            role.to_owned(),
            via,
        ]
    };
    let direct: BTreeSet<[String; 5]> = levels
        .iter()
        .map(|&(level, access, role, grant, _, _)| {
            row(
                format!("alpha-study-{level}@example-institute.org"),
                "group",
                access,
                role,
                grant.to_owned(),
            )
        })
        .collect();
    assert_eq!(on(&rows, "egi-alpha-study-main"), direct);
    // Through the groups the plan fills: the Hail, Dataproc and Cromwell accounts
    // of each level and the group-cache account.
    let mut args = args.to_vec();
    args.push("--effective");
    let effective = csv(&args);
    let through = |level: &str| format!(" through alpha-study-{level}@example-institute.org");
    let ma = "machine account";
    let accounts = |dataset: &str, level: &str, hail: &str| {
        [
            (
                format!("{dataset}-{level}-{hail}@egi-hail.iam.gserviceaccount.com"),
                format!("hail-{level}-access-level-group-membership"),
            ),
            (
                format!("dataproc-{level}"),
                format!("dataproc-{level}-access-level-group-membership"),
            ),
            (
                format!("cromwell-{level}"),
                format!("cromwell-{level}-access-level-group-membership"),
            ),
            (
                "access-group-cache@egi-analysis-runner.iam.gserviceaccount.com".to_owned(),
                format!("group-cache-{level}-membership"),
            ),
        ]
    };
    let mut expected = direct;
    for (level, access, role, grant, alpha_hail, beta_hail) in levels {
        for (member, _) in accounts("alpha-study", level, alpha_hail) {
            expected.insert(row(
                member,
                ma,
                access,
                role,
                format!("{grant}{}", through(level)),
            ));
        }
        // And beta-cohort, which depends on alpha-study: its level groups join
        // alpha-study's (through alpha-study's stack outputs), and its accounts are
        // members of those.
        expected.insert(row(
            format!("beta-cohort-{level}@example-institute.org"),
            "group",
            access,
            role,
            format!(
                "{grant}{} (beta-cohort: alpha-study-{level}-access-level-group)",
                through(level)
            ),
        ));
        for (member, via) in accounts("beta-cohort", level, beta_hail) {
            expected.insert(row(
                member,
                ma,
                access,
                role,
                format!(
                    "{grant}{} through beta-cohort-{level}@example-institute.org (beta-cohort: {via})",
                    through(level)
                ),
            ));
        }
    }
    assert_eq!(on(&effective, "egi-alpha-study-main"), expected);
}

#[test]
fn the_main_container_of_alpha_study_on_azure_by_hand() {
    let args = [
        "--example",
        "--dataset",
        "alpha-study",
        "--cloud",
        "azure",
        "access",
        "--format",
        "csv",
    ];
    let rows = csv(&args);
    assert_eq!(
        on(&rows, "main"),
        table(&[
            [
                "alpha-study-full",
                "group",
                "write",
                "blob mutator (custom role)",
                "azure-full-main-bucket-admin",
            ],
            [
                "alpha-study-standard",
                "group",
                "append",
                "blob appender (custom role)",
                "azure-standard-main-bucket-view-create",
            ],
        ])
    );
    assert!(rows.iter().all(|r| r[1] == "azure"));
    let mut args = args.to_vec();
    args.push("--effective");
    let effective = on(&csv(&args), "main");
    // The configured Hail principal of the full level, by its object id.
    assert!(
        effective.contains(&[
            "1a2b3c4d-0004-4000-8000-00000000a004".to_owned(),
            "external".to_owned(),
            "write".to_owned(),
            "blob mutator (custom role)".to_owned(),
            "azure-full-main-bucket-admin through alpha-study-full".to_owned(),
        ]),
        "{effective:?}"
    );
    // The Cromwell credential's service principal is named by its Entra application.
    assert!(
        effective.contains(&[
            "egi-alpha-study-cromwell-full".to_owned(),
            "machine account".to_owned(),
            "write".to_owned(),
            "blob mutator (custom role)".to_owned(),
            "azure-full-main-bucket-admin through alpha-study-full".to_owned(),
        ]),
        "{effective:#?}"
    );
    assert_eq!(effective.len(), 10, "{effective:#?}");
}

#[test]
fn a_real_dataset_matches_the_recorded_reference_grants() {
    let Some(shared) = shared() else {
        eprintln!("note: ../shared is absent; reference access check skipped");
        return;
    };
    let config = shared.join("reference/cpg.toml");
    let stacks = shared.join("reference/stacks");
    let rows = csv(&[
        "--config",
        config.to_str().expect("utf-8"),
        "--stack-dir",
        stacks.to_str().expect("utf-8"),
        "--dataset",
        "fewgenomes",
        "access",
        "--format",
        "csv",
    ]);
    // Hand-checked: the main bucket's two grants.
    let main: BTreeSet<(String, String, String)> = on(&rows, "cpg-fewgenomes-main")
        .into_iter()
        .map(|[p, _, a, _, v]| (p, a, v))
        .collect();
    let expected: BTreeSet<(String, String, String)> = [
        (
            "fewgenomes-full@populationgenomics.org.au",
            "admin",
            "full-main-bucket-admin",
        ),
        (
            "fewgenomes-standard@populationgenomics.org.au",
            "append",
            "standard-main-bucket-view-create",
        ),
    ]
    .into_iter()
    .map(|(p, a, v)| (p.to_owned(), a.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(main, expected);
    // Every bucket grant the reference recorded is a row, with the same principal.
    let recorded: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("reference/gcp/fewgenomes.json")).expect("recorded"),
    )
    .expect("json");
    let mut checked = 0;
    for resource in recorded["resources"].as_array().expect("resources") {
        if resource["type"] != "gcp:storage/bucketIAMMember:BucketIAMMember" {
            continue;
        }
        let inputs = &resource["inputs"];
        let member = inputs["member"].as_str().expect("member");
        let principal = member.split_once(':').map_or(member, |(_, p)| p);
        let bucket = inputs["bucket"].as_str().expect("bucket");
        let name = resource["name"].as_str().expect("name");
        assert!(
            rows.iter().any(|r| {
                // An account the plan creates is named by its account id (its e-mail
                // depends on the stack's default project).
                let same = r[2] == principal
                    || (r[3] == "machine account" && principal.split('@').next() == Some(&r[2]));
                same && r[7] == bucket && r[9] == name
            }),
            "{name}: {principal} on {bucket} is not in the access matrix"
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked} bucket grants checked");
}

fn stdout(args: &[&str]) -> String {
    let out = run(&repo(), args, &[]);
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn golden_output_in_every_format() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let base = ["--example", "--dataset", "reference", "access"];
    settings.bind(|| {
        let csv = stdout(&[&base[..], &["--format", "csv"]].concat());
        insta::assert_snapshot!("access-reference-csv", csv);
        for format in ["text", "json", "md"] {
            let args = [
                &base[..],
                &["--principal", "reference-full", "--format", format],
            ]
            .concat();
            insta::assert_snapshot!(format!("access-reference-full-{format}"), stdout(&args));
        }
    });
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &[&base[..], &["--format", "json", "--effective"]].concat(),
    ))
    .expect("json");
    for row in json.as_array().expect("rows") {
        // The column names themselves are pinned by the snapshots above.
        for key in cpg_infra_driver::review::access::HEADER {
            assert!(row[key].is_string(), "{key} in {row}");
        }
    }
}

#[test]
fn principal_filters_and_effective_adds_rows() {
    let beta = |extra: &[&str]| {
        let base = [
            "--example",
            "--dataset",
            "beta-cohort",
            "access",
            "--format",
            "csv",
        ];
        csv(&[&base[..], extra].concat())
    };
    let all = beta(&[]);
    let some = beta(&["--principal", "PARTNER"]);
    assert!(!some.is_empty() && some.len() < all.len());
    assert!(some.iter().all(|r| r[2].contains("partner")), "{some:?}");
    let effective = beta(&["--effective"]);
    let all: BTreeSet<_> = all.into_iter().collect();
    let effective: BTreeSet<_> = effective.into_iter().collect();
    assert!(all.is_subset(&effective) && effective.len() > all.len());
}

#[test]
fn compare_clouds_lists_what_differs_with_the_reason() {
    let out = stdout(&["--example", "access", "--compare-clouds", "--format", "csv"]);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(
        rows[0],
        "dataset,grant,principal,base_cloud,base_access,base_role,base_capabilities,cloud,access,role,capabilities,difference,reason"
    );
    // Only gamma-bridge deploys to both clouds.
    assert!(
        rows[1..].iter().all(|r| r.starts_with("gamma-bridge,")),
        "{out}"
    );
    for expected in [
        "gamma-bridge,full-main-bucket-admin,gamma-bridge-full@example-institute.org,gcp,admin,roles/storage.admin,list read create delete-objects manage-storage change-access view,azure,write,blob mutator (custom role),list read create delete-objects,weaker,\"the design's intent allows manage-storage change-access beyond list read create delete-objects view: mutate grants keep the deployed reference's storage administrator role while [infrastructure.storage_policy] mutator_role is off, so existing datasets are not changed; turn mutator_role on to grant object changes only\"",
        "gamma-bridge,project-dataproc-viewer,gamma-bridge-access@example-institute.org,gcp,read,roles/dataproc.viewer,view,azure,,,,missing,Dataproc viewer is not available on azure: Azure has no Dataproc",
    ] {
        assert!(rows.contains(&expected), "{expected}\nnot in\n{out}");
    }
    // A grant the same on both clouds is not listed.
    assert!(!out.contains(",standard-main-bucket-view-create,"), "{out}");
    let one = stdout(&[
        "--example",
        "--dataset",
        "alpha-study",
        "access",
        "--compare-clouds",
    ]);
    assert!(one.ends_with("0 differences\n"), "{one}");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("access-compare-clouds-csv", out));
    for format in ["text", "json", "md"] {
        let text = stdout(&[
            "--example",
            "access",
            "--compare-clouds",
            "--principal",
            "gamma-bridge-full@",
            "--format",
            format,
        ]);
        assert!(text.contains("full-main-bucket-admin"), "{format}: {text}");
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&text).expect("json");
            assert!(json.as_array().is_some_and(|rows| !rows.is_empty()));
        }
    }
}
