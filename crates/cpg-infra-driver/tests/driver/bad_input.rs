//! The command line against bad input: each case must give one specific error naming the
//! culprit, exit 1 (2 for usage errors), print nothing on stdout and never panic.

use super::support::{REFERENCE_STACK, Scratch, repo, run, stack};

fn config_with(replace: &str, with: &str) -> String {
    let text = std::fs::read_to_string(repo().join("stack/cpg.toml")).expect("cpg.toml");
    assert!(text.contains(replace), "example cpg.toml lacks {replace:?}");
    text.replacen(replace, with, 1)
}

struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<&'static str>,
    env: Vec<(&'static str, String)>,
    exit: i32,
    expect: Vec<&'static str>,
    reject: Vec<&'static str>,
    /// Do not point `CPG_CONFIG_PATH` at the scratch cpg.toml.
    no_config_env: bool,
    /// Remove the scratch folder's cpg.toml.
    without_cpg_toml: bool,
}

fn case(name: &'static str) -> Case {
    Case {
        name,
        files: Vec::new(),
        args: vec!["validate"],
        env: Vec::new(),
        exit: 1,
        expect: Vec::new(),
        reject: Vec::new(),
        no_config_env: false,
        without_cpg_toml: false,
    }
}

/// A command-line argument of `n` characters (leaked: the cases hold `&'static str`).
fn long_arg(n: usize) -> &'static str {
    Box::leak("a".repeat(n).into_boxed_str())
}

impl Case {
    fn file(mut self, name: &'static str, contents: impl Into<Vec<u8>>) -> Self {
        self.files.push((name, contents.into()));
        self
    }
    fn args(mut self, args: &[&'static str]) -> Self {
        self.args = args.to_vec();
        self
    }
    fn env(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.env.push((key, value.into()));
        self
    }
    fn exit(mut self, code: i32) -> Self {
        self.exit = code;
        self
    }
    fn expect(mut self, fragments: &[&'static str]) -> Self {
        self.expect = fragments.to_vec();
        self
    }
    /// Fragments that must not appear on stderr.
    fn reject(mut self, fragments: &[&'static str]) -> Self {
        self.reject = fragments.to_vec();
        self
    }
    fn no_config_env(mut self) -> Self {
        self.no_config_env = true;
        self
    }
    fn without_cpg_toml(mut self) -> Self {
        self.without_cpg_toml = true;
        self.no_config_env = true;
        self
    }
}

fn cases() -> Vec<Case> {
    vec![
        case("malformed-toml")
            .file("cpg.toml", "[infrastructure\ndomain = 1\n")
            .expect(&["cpg.toml:1:"]),
        case("empty-cpg-toml").file("cpg.toml", "").expect(&["missing section [infrastructure]"]),
        case("unknown-infrastructure-key")
            .file("cpg.toml", config_with("domain = ", "domian = \"x\"\ndomain = "))
            .expect(&["cpg.toml:", "domian"]),
        case("wrong-type-in-toml")
            .file(
                "cpg.toml",
                config_with("budget_notification_thresholds = [0.5, 0.9, 1.0]", "budget_notification_thresholds = \"high\""),
            )
            .expect(&["cpg.toml:", "budget_notification_thresholds"]),
        case("missing-gcp-section")
            .file("cpg.toml", config_with("[infrastructure.gcp]", "[infrastructure.gcp-old]"))
            .expect(&["gcp"]),
        case("wrong-value-in-a-clouds-table")
            .file("cpg.toml", config_with("[infrastructure.gcp]", "[infrastructure.gcp]\nregion = \"\""))
            .expect(&["cpg.toml:", "infrastructure.gcp.region: must not be empty"]),
        case("wrong-value-in-a-service-table")
            .file("cpg.toml", config_with("server_machine_account = \"web-server@", "server_machine_account = \"web-server "))
            .expect(&["cpg.toml:62:", "infrastructure.web_service.gcp.server_machine_account", "invalid e-mail address"]),
        case("service-table-of-an-unknown-cloud")
            .file("cpg.toml", config_with("[infrastructure.web_service.gcp]", "[infrastructure.web_service.gpc]\nserver_machine_account = \"x@y.org\"\n\n[infrastructure.web_service.gcp]"))
            .expect(&["infrastructure.web_service.gpc: unknown cloud `gpc`"]),
        case("misspelt-clouds-table")
            .file("cpg.toml", config_with("[infrastructure.gcp]", "[infrastructure.azur]\nregion = \"x\"\n\n[infrastructure.gcp]"))
            .expect(&["infrastructure.azur: unknown key", "did you mean `azure`?"]),
        case("malformed-yaml")
            .file("Pulumi.alpha.yaml", "config: [\n")
            .expect(&["Pulumi.alpha.yaml"]),
        case("duplicate-yaml-key")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"30\"\n  datasets:archive_age: \"31\"\n"))
            .expect(&["Pulumi.alpha.yaml", "archive_age"]),
        case("unknown-dataset-key")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archve_age: \"30\"\n"))
            .expect(&["Pulumi.alpha.yaml", "datasets:archve_age", "did you mean", "datasets:archive_age"]),
        case("wrong-type-archive-age")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"soon\"\n"))
            .expect(&["datasets:archive_age", "soon"]),
        case("zero-archive-age")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"0\"\n"))
            .expect(&["datasets:archive_age"]),
        case("bad-dataset-name")
            .file("Pulumi.Alpha_Study.yaml", stack("alpha", ""))
            .expect(&["Alpha_Study"]),
        case("dependency-cycle")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:depends_on: '[\"beta\"]'\n"))
            .file("Pulumi.beta.yaml", stack("beta", "  datasets:depends_on: '[\"alpha\"]'\n"))
            .expect(&["cycle", "alpha", "beta"]),
        case("cycle-through-reference")
            .file(
                "Pulumi.reference.yaml",
                format!("{REFERENCE_STACK}  datasets:depends_on: '[\"alpha\"]'\n"),
            )
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .expect(&["cycle", "reference", "alpha"]),
        case("unknown-dependency")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:depends_on: '[\"gamma\"]'\n"))
            .expect(&["/Pulumi.alpha.yaml: dataset alpha: datasets:depends_on names `gamma`"]),
        case("depends-on-itself")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:depends_on: '[\"alpha\"]'\n"))
            .expect(&["alpha", "depends_on"]),
        case("unknown-cloud-in-deploy-locations")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:deploy_locations: '[\"aws\"]'\n"))
            .expect(&["unknown cloud `aws`", "gcp"]),
        case("unknown-component")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:components: '{\"gcp\": [\"storag\"]}'\n"))
            .expect(&["storag", "storage"]),
        case("bad-email")
            .file(
                "Pulumi.alpha.yaml",
                "config:\n  datasets:gcp_hail_service_account_test: not-an-email\n  gcp:project: alpha-5530\n",
            )
            .expect(&["gcp_hail_service_account_test", "not-an-email"]),
        case("empty-stack-file").file("Pulumi.alpha.yaml", "").expect(&["Pulumi.alpha.yaml"]),
        case("non-utf8-stack-file")
            .file("Pulumi.alpha.yaml", b"config:\n  datasets:archive_age: \"\xff\xfe\"\n".to_vec())
            .expect(&["Pulumi.alpha.yaml", "UTF-8"]),
        case("shared-project-without-release")
            .file(
                "Pulumi.alpha.yaml",
                stack("alpha", "  datasets:enable_shared_project: \"true\"\n  datasets:shared_project_budget: 100\n"),
            )
            .expect(&["alpha", "enable_release"]),
        case("shared-project-without-budget")
            .file(
                "Pulumi.alpha.yaml",
                stack("alpha", "  datasets:enable_shared_project: \"true\"\n  datasets:enable_release: \"true\"\n"),
            )
            .expect(&["alpha", "shared_project_budget"]),
        case("zero-budget")
            .file(
                "Pulumi.alpha.yaml",
                stack(
                    "alpha",
                    "  datasets:enable_shared_project: \"true\"\n  datasets:enable_release: \"true\"\n  datasets:shared_project_budget: 0\n",
                ),
            )
            .expect(&["shared_project_budget"]),
        case("gcp-without-project")
            .file(
                "Pulumi.alpha.yaml",
                "config:\n  datasets:gcp_hail_service_account_test: a-1@egi-hail.iam.gserviceaccount.com\n  datasets:gcp_hail_service_account_standard: a-2@egi-hail.iam.gserviceaccount.com\n  datasets:gcp_hail_service_account_full: a-3@egi-hail.iam.gserviceaccount.com\n",
            )
            .expect(&["/Pulumi.alpha.yaml: dataset alpha: deploying to GCP needs `gcp:project`"]),
        case("dataset-defined-twice")
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .file(
                "datasets/alpha.toml",
                "gcp_project = \"alpha-5530\"\ngcp_hail_service_account_test = \"a-1@egi-hail.iam.gserviceaccount.com\"\ngcp_hail_service_account_standard = \"a-2@egi-hail.iam.gserviceaccount.com\"\ngcp_hail_service_account_full = \"a-3@egi-hail.iam.gserviceaccount.com\"\n",
            )
            .expect(&["alpha", "defined twice"]),
        case("name-too-long")
            .file("Pulumi.abcdefghij-klmnopqrstu-vw.yaml", stack("abcdefghij-klmnopqrstu-vw", ""))
            .expect(&["Pulumi.abcdefghij-klmnopqrstu-vw.yaml: file name", "must be 2 to 21 characters long, got 25", "`notebook-<dataset>`, may have 30"]),
        case("new-dataset-name-too-long")
            .args(&["new-dataset", "abcdefghij-klmnopqrstu"])
            .expect(&["must be 2 to 21 characters long, got 22"]),
        case("azure-containers-sharing-rule-names")
            .file(
                "Pulumi.delta.yaml",
                "config:\n  datasets:deploy_locations: '[\"azure\"]'\n  datasets:additional_upload_buckets: '[\"maintmp\"]'\n",
            )
            .expect(&["delta", "maintmp", "main-tmp"]),
        case("bad-azure-principal")
            .file(
                "Pulumi.alpha.yaml",
                stack("alpha", "  datasets:azure_hail_principal_test: not-a-guid\n"),
            )
            .expect(&["datasets:azure_hail_principal_test", "not-a-guid", "GUID"]),
        // Azure's own rules.
        case("missing-budget-start-date")
            .file("cpg.toml", config_with("budget_start_date = \"2026-12-01\"\n", ""))
            .expect(&["cpg.toml", "budget_start_date"]),
        case("budget-start-not-first-of-month")
            .file("cpg.toml", config_with("\"2026-12-01\"", "\"2026-12-15\""))
            .expect(&["cpg.toml:", "budget_start_date", "2026-12-15", "YYYY-MM-01"]),
        case("budget-start-before-azure-budgets")
            .file("cpg.toml", config_with("\"2026-12-01\"", "\"2017-01-01\""))
            .expect(&["cpg.toml:", "budget_start_date", "2017-06-01"]),
        case("zero-credential-lifetime")
            .file("cpg.toml", config_with("credential_lifetime_days = 365", "credential_lifetime_days = 0"))
            .expect(&["cpg.toml:", "credential_lifetime_days", "1 to 730"]),
        case("empty-credential-rotation")
            .file("cpg.toml", config_with("credential_rotation = \"initial\"", "credential_rotation = \"\""))
            .expect(&["cpg.toml:", "credential_rotation", "empty"]),
        case("adopt-in-another-subscription")
            .file(
                "Pulumi.delta.yaml",
                "config:\n  datasets:deploy_locations: '[\"azure\"]'\n  datasets:adopt: '{\"azure-storage-account\": \"/subscriptions/00000000-1111-4222-8333-444444444444/resourceGroups/egi-delta/providers/Microsoft.Storage/storageAccounts/egidelta\"}'\n",
            )
            .expect(&["delta", "datasets:adopt", "azure-storage-account", "subscription_id"]),
        case("unknown-namespace")
            .file("Pulumi.alpha.yaml", stack("alpha", "  dataset:enable_release: \"true\"\n"))
            .expect(&["Pulumi.alpha.yaml:6:3: dataset:enable_release: unknown namespace `dataset`", "did you mean `datasets:enable_release`?"]),
        case("unknown-provider-setting")
            .file("Pulumi.alpha.yaml", stack("alpha", "  gcp:billing_projet: alpha-5530\n"))
            .expect(&["gcp:billing_projet: unknown setting of the `gcp` provider", "did you mean `gcp:billing_project`?"]),
        case("every-broken-file-at-once")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archve_age: \"30\"\n  datasets:enable_release: maybe\n"))
            .file("Pulumi.beta.yaml", "config: [\n")
            .file("datasets/gamma.toml", "archive_age = 0\n")
            .expect(&["error: ", "Pulumi.alpha.yaml:6:3: datasets:archve_age", "Pulumi.alpha.yaml:7:3: datasets:enable_release", "Pulumi.beta.yaml", "gamma.toml:1:"]),
        case("dataset-in-cpg-toml-and-a-stack-file")
            .file("cpg.toml", config_with("[infrastructure.gcp]", "[datasets.alpha]\narchive_age = 5\n\n[infrastructure.gcp]"))
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .expect(&["dataset alpha is defined twice", "cpg.toml ([datasets.alpha]) and in ", "/Pulumi.alpha.yaml;"]),
        case("selected-dataset-broken")
            .args(&["--dataset", "alpha", "plan"])
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:archive_age: \"0\"\n"))
            .expect(&["Pulumi.alpha.yaml:6:3: datasets:archive_age"]),
        case("upload-bucket-is-the-main-bucket")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"egi-alpha-main\"]'\n"))
            .expect(&["dataset alpha: bucket `egi-alpha-main` would be used twice: as dataset alpha's `main` bucket and as an additional upload bucket of dataset alpha"]),
        case("upload-bucket-of-another-dataset")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"egi-reference-main-upload\"]'\n"))
            .expect(&["bucket `egi-reference-main-upload` would be used twice: as dataset reference's `main-upload` bucket and as an additional upload bucket of dataset alpha"]),
        case("upload-bucket-of-the-organisation")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"egi-config\"]'\n"))
            .expect(&["bucket `egi-config` would be used twice: as the organisation's bucket (infrastructure.gcp.config_bucket_name in cpg.toml) and as an additional upload bucket of dataset alpha"]),
        case("upload-bucket-listed-twice")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:additional_upload_buckets: '[\"alpha-partner\", \"alpha-partner\"]'\n"))
            .expect(&["bucket `alpha-partner` is listed twice as an additional upload bucket of dataset alpha"]),
        case("dataset-account-is-an-organisation-account")
            .file("cpg.toml", config_with("web-server@egi-analysis-runner.iam.gserviceaccount.com", "notebook-alpha@egi-notebooks.iam.gserviceaccount.com"))
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .expect(&["dataset alpha: service account `notebook-alpha@egi-notebooks.iam.gserviceaccount.com` would be used twice: as the organisation's account (infrastructure.web_service.gcp.server_machine_account in cpg.toml) and as the notebook service account of dataset alpha"]),
        case("organisation-account-in-a-dataset-project")
            .file("cpg.toml", config_with("web-server@egi-analysis-runner.iam.gserviceaccount.com", "main-upload@alpha-5530.iam.gserviceaccount.com"))
            .file("Pulumi.alpha.yaml", stack("alpha", ""))
            .expect(&["Pulumi.alpha.yaml: dataset alpha: gcp:project (TOML: gcp_project): the dataset's project `alpha-5530` is the organisation's project (the project of the organisation's account infrastructure.web_service.gcp.server_machine_account in cpg.toml)"]),
        case("every-dataset-that-fails-to-plan")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:adopt: '{\"cpg-alpha-mian\": \"alpha-5530/x\"}'\n"))
            .file("Pulumi.beta.yaml", stack("beta", "  datasets:adopt: '{\"cpg-beta-mian\": \"beta-5530/x\"}'\n"))
            .expect(&["error: dataset alpha: datasets:adopt: `cpg-alpha-mian`", "error: dataset beta: datasets:adopt: `cpg-beta-mian`"]),
        case("unknown-clouds-of-two-datasets")
            .file("Pulumi.alpha.yaml", stack("alpha", "  datasets:deploy_locations: '[\"aws\"]'\n"))
            .file("Pulumi.beta.yaml", stack("beta", "  datasets:deploy_locations: '[\"ibm\"]'\n"))
            .expect(&[
                "dataset alpha: datasets:deploy_locations: unknown cloud `aws`",
                "dataset beta: datasets:deploy_locations: unknown cloud `ibm`",
            ])
            // A misspelt cloud is the one problem: not also every key of the cloud meant.
            .reject(&["no effect"]),
        case("new-dataset-bad-name")
            .args(&["new-dataset", "Delta"])
            .expect(&["dataset name", "`Delta`", "lowercase"]),
        case("missing-config-file")
            .args(&["--config", "/nonexistent/cpg.toml", "validate"])
            .expect(&["/nonexistent/cpg.toml"]),
        case("unknown-flag").args(&["--frobnicate"]).exit(2).expect(&["--frobnicate"]),
        case("unknown-subcommand").args(&["frobnicate"]).exit(2).expect(&["frobnicate"]),
        case("unknown-cloud-flag")
            .args(&["--cloud", "aws", "plan"])
            .exit(2)
            .expect(&["unknown cloud `aws`", "registered clouds", "gcp"]),
        case("empty-cloud-flag")
            .args(&["--cloud", "", "plan"])
            .exit(2)
            .expect(&["--cloud", "cloud name"]),
        case("cloud-flag-twice")
            .args(&["--cloud", "gcp", "--cloud", "gcp", "plan"])
            .exit(2)
            .expect(&["--cloud gcp is given twice"]),
        case("dataset-flag-twice")
            .args(&["--dataset", "reference", "--dataset", "reference", "plan"])
            .exit(2)
            .expect(&["--dataset reference is given twice"]),
        case("program-with-two-datasets")
            .args(&["--dataset", "reference", "--dataset", "alpha", "program"])
            .exit(2)
            .expect(&["one --dataset NAME", "--out-dir"]),
        case("program-cloud-without-dataset")
            .args(&["--cloud", "gcp", "program"])
            .exit(2)
            .expect(&["--cloud", "provider-discovery"]),
        case("program-dataset-in-compiler-mode")
            .args(&["--dataset", "reference", "program"])
            .env("PULUMI_STACK", "reference")
            .exit(2)
            .expect(&["--dataset", "PULUMI_STACK"]),
        case("program-out-dir-in-compiler-mode")
            .args(&["program", "--out-dir", "programs"])
            .env("PULUMI_STACK", "reference")
            .exit(2)
            .expect(&["--out-dir", "PULUMI_STACK"]),
        case("deploy-with-cloud")
            .args(&["--cloud", "gcp", "deploy", "--preview"])
            .exit(2)
            .expect(&["--cloud", "deploy", "datasets:deploy_locations"]),
        case("deploy-parallel-zero")
            .args(&["deploy", "--parallel", "0"])
            .exit(2)
            .expect(&["--parallel"]),
        case("schema-with-dataset")
            .args(&["--dataset", "reference", "schema"])
            .exit(2)
            .expect(&["--dataset", "schema"]),
        case("new-dataset-gcp-flag-for-azure")
            .args(&["--cloud", "azure", "new-dataset", "delta-trial", "--gcp-project", "delta-trial-1"])
            .exit(2)
            .expect(&["--gcp-project", "--cloud gcp"]),
        case("new-dataset-with-dataset-flag")
            .args(&["--dataset", "reference", "new-dataset", "delta-trial"])
            .exit(2)
            .expect(&["--dataset", "new-dataset"]),
        case("new-dataset-short-name-default-project")
            .args(&["new-dataset", "abc"])
            .expect(&["no --gcp-project given", "defaults to the dataset name", "`abc`"])
            .reject(&["--gcp-project:"]),
        case("deploy-dataset-without-stack-file")
            .file(
                "datasets/alpha.toml",
                "gcp_project = \"alpha-5530\"\ngcp_hail_service_account_test = \"a-1@egi-hail.iam.gserviceaccount.com\"\ngcp_hail_service_account_standard = \"a-2@egi-hail.iam.gserviceaccount.com\"\ngcp_hail_service_account_full = \"a-3@egi-hail.iam.gserviceaccount.com\"\n",
            )
            .args(&["deploy", "--preview", "--pulumi", "/nonexistent/pulumi"])
            .expect(&["no stack file for dataset alpha", "new-dataset"]),
        case("example-with-config")
            .args(&["--example", "--config", "cpg.toml", "validate"])
            .exit(2)
            .expect(&["--example", "--config"]),
        case("example-for-deploy")
            .args(&["--example", "deploy", "--preview"])
            .exit(2)
            .expect(&["--example", "deploy"]),
        case("stack-dir-without-cpg-toml")
            .file("sub/Pulumi.alpha.yaml", stack("alpha", ""))
            .args(&["--stack-dir", "sub", "validate"])
            .no_config_env()
            .expect(&["looked for", "$CPG_CONFIG_PATH (not set)", "sub/cpg.toml (not found)", "--config FILE"]),
        case("stack-files-without-any-config")
            .without_cpg_toml()
            .expect(&["looked for", "cpg.toml and stack/cpg.toml", "holds stack files"]),
        case("compiler-mode-without-config")
            .without_cpg_toml()
            .args(&["program"])
            .env("PULUMI_STACK", "reference")
            .env("PULUMI_CONFIG", "{}")
            .expect(&["cpg.toml (compiler mode: no --config and no $CPG_CONFIG_PATH", "cannot read"]),
        case("config-env-missing")
            .env("CPG_CONFIG_PATH", "/nonexistent/cpg.toml")
            .expect(&["/nonexistent/cpg.toml (from $CPG_CONFIG_PATH)", "cannot read"]),
        case("long-dataset-argument")
            .args(&["--dataset", long_arg(5000), "plan"])
            .exit(2)
            .expect(&["(5000 characters)"]),
        case("long-subcommand")
            .args(&[long_arg(5000)])
            .exit(2)
            .expect(&["(5000 characters)"]),
        case("unknown-dataset-flag")
            .args(&["--dataset", "gamma", "plan"])
            .expect(&["unknown dataset `gamma`"]),
        case("bad-pulumi-config-json")
            .args(&["program"])
            .env("PULUMI_STACK", "alpha")
            .env("PULUMI_CONFIG", "{\"gcp:project\": ")
            .expect(&["PULUMI_CONFIG"]),
        case("duplicate-pulumi-config-key")
            .args(&["program"])
            .env("PULUMI_STACK", "alpha")
            .env(
                "PULUMI_CONFIG",
                "{\"datasets:archive_age\": \"30\", \"datasets:archive_age\": \"31\"}",
            )
            .expect(&["PULUMI_CONFIG", "datasets:archive_age"]),
        case("stack-name-mismatch")
            .args(&["program"])
            .env("PULUMI_STACK", "alpha")
            .env("PULUMI_CONFIG", "{\"datasets:dataset\": \"beta\", \"gcp:project\": \"alpha-5530\"}")
            .expect(&["alpha", "beta"]),
        case("bad-stack-name-in-compiler-mode")
            .args(&["program"])
            .env("PULUMI_STACK", "Alpha Study")
            .env("PULUMI_CONFIG", "{}")
            .expect(&["Alpha Study"]),
    ]
}

/// An error chain must not say the same thing twice (e.g. a `source` printed by
/// both the outer message and the chain).
fn assert_no_repeated_clause(case: &str, stderr: &str) {
    for line in stderr.lines().filter(|l| l.starts_with("error:")) {
        let clauses: Vec<&str> = line
            .split([';', ':'])
            .map(str::trim)
            .filter(|c| c.len() >= 25)
            .collect();
        for (i, clause) in clauses.iter().enumerate() {
            assert!(
                !clauses[i + 1..].contains(clause),
                "{case}: repeated clause `{clause}` in:\n{line}"
            );
        }
    }
}

#[test]
fn bad_input_gives_one_specific_error_and_no_output() {
    let cases = cases();
    assert!(cases.len() >= 55, "at least fifty-five kinds of bad input");
    for case in cases {
        let mut scratch = Scratch::new(case.name);
        for (name, contents) in &case.files {
            scratch = scratch.file(name, contents);
        }
        let config = scratch.path().join("cpg.toml");
        let mut env: Vec<(&str, &str)> = case.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let config_path = config.to_str().expect("path").to_owned();
        if case.without_cpg_toml {
            std::fs::remove_file(&config).expect("remove cpg.toml");
        }
        let configured = case.args.contains(&"--config")
            || case.no_config_env
            || case.env.iter().any(|(k, _)| *k == "CPG_CONFIG_PATH");
        if !configured {
            env.push(("CPG_CONFIG_PATH", &config_path));
        }
        let output = run(scratch.path(), &case.args, &env);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(case.exit),
            "{}: exit code; stderr:\n{stderr}",
            case.name
        );
        assert!(
            output.stdout.is_empty(),
            "{}: printed on stdout: {}",
            case.name,
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(
            !stderr.contains("panicked"),
            "{}: panicked:\n{stderr}",
            case.name
        );
        assert_no_repeated_clause(case.name, &stderr);
        for fragment in &case.expect {
            assert!(
                stderr.contains(fragment),
                "{}: expected {fragment:?} in:\n{stderr}",
                case.name
            );
        }
        for fragment in &case.reject {
            assert!(
                !stderr.contains(fragment),
                "{}: did not expect {fragment:?} in:\n{stderr}",
                case.name
            );
        }
        for arg in case.args.iter().filter(|a| a.len() > 200) {
            assert!(
                !stderr.contains(arg),
                "{}: a {}-character argument is echoed whole",
                case.name,
                arg.len()
            );
        }
        assert!(
            stderr.len() < 4000,
            "{}: {} bytes of errors:\n{stderr}",
            case.name,
            stderr.len()
        );
    }
}
