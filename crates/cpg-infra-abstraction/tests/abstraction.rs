//! The resource model and the renderers: Pulumi YAML escaping and references,
//! secrets, plan consistency checks, and the text plan's secrecy.

use cpg_infra_abstraction::render::{pulumi, text};
use cpg_infra_abstraction::{
    Alias, Output, Plan, PlanError, ProviderPackage, Resource, Severity, Value,
};
use serde_json::json;

const GCP: ProviderPackage = ProviderPackage {
    name: "gcp",
    version: "10.2.0",
};

#[test]
fn literal_dollars_are_escaped_and_references_interpolate() {
    assert_eq!(
        pulumi::render(&Value::str("cost: $5 ${not-a-ref}")),
        json!("cost: $$5 $${not-a-ref}")
    );
    let member = Value::prefixed(
        "group:",
        Output::resource("x-access", "groupKey").field("id").into(),
    );
    assert_eq!(
        pulumi::render(&member),
        json!("group:${x-access.groupKey.id}")
    );
    assert_eq!(
        pulumi::render(&Value::prefixed("a$", Output::resource("r", "id").into())),
        json!("a$$${r.id}")
    );
}

#[test]
fn names_and_keys_pulumi_cannot_reference_directly_use_brackets() {
    let dotted = Output::resource("egi.partner.upload", "name");
    assert_eq!(pulumi::access(&dotted), r#"["egi.partner.upload"].name"#);
    let stack = Output::stack_output("reference", "reference-access-group-id");
    assert_eq!(
        pulumi::access(&stack),
        r#"reference.outputs["reference-access-group-id"]"#
    );
    let mut plan = Plan::new("x", "gcp");
    plan.add(
        Resource::new("gcp:storage/bucket:Bucket", "egi.partner.upload")
            .prop("name", "egi.partner.upload"),
    );
    plan.add(
        Resource::new("gcp:storage/bucketIAMMember:BucketIAMMember", "m")
            .prop("bucket", dotted)
            .depends_on(["egi.partner.upload"]),
    );
    let program = pulumi::program(&plan.finish().expect("valid plan"), &[GCP]);
    assert_eq!(
        program["resources"]["m"]["options"]["dependsOn"],
        json!([r#"${["egi.partner.upload"]}"#])
    );
}

#[test]
fn secrets_and_base64_use_builtins_and_options_pin_versions() {
    let mut plan = Plan::new("x", "gcp");
    plan.add(
        Resource::new("gcp:serviceaccount/key:Key", "key")
            .prop("serviceAccountId", "a@b.iam.gserviceaccount.com"),
    );
    let mut version = Resource::new("gcp:secretmanager/secretVersion:SecretVersion", "version")
        .prop(
            "secretData",
            Value::Secret(Box::new(Value::FromBase64(Box::new(
                Output::resource("key", "privateKey").into(),
            )))),
        );
    version
        .options
        .aliases
        .push(Alias::Type("gcp:old/secretVersion:SecretVersion".into()));
    version.options.import = Some("projects/p/secrets/s/versions/1".into());
    plan.add(version.protect(true));
    let plan = plan.finish().expect("valid plan");
    let program = pulumi::program(&plan, &[GCP]);
    let rendered = &program["resources"]["version"];
    assert_eq!(
        rendered["properties"]["secretData"],
        json!({"fn::secret": {"fn::fromBase64": "${key.privateKey}"}})
    );
    assert_eq!(
        rendered["options"],
        json!({"protect": true, "aliases": [{"type": "gcp:old/secretVersion:SecretVersion"}], "import": "projects/p/secrets/s/versions/1", "version": "10.2.0"})
    );
    let shown = text::text(&[plan]);
    assert!(
        shown.contains("[secret]") && !shown.contains("privateKey"),
        "{shown}"
    );
}

#[test]
fn invokes_become_variables_and_the_program_is_sorted() {
    let mut plan = Plan::new("x", "gcp");
    plan.add_invoke(cpg_infra_abstraction::Invoke {
        variable: "organization".into(),
        function: "gcp:organizations/getOrganization:getOrganization".into(),
        arguments: [("domain".to_owned(), Value::str("example.org"))].into(),
    });
    plan.add(
        Resource::new("gcp:projects/iAMMember:IAMMember", "zeta").prop(
            "role",
            Value::Concat(vec![
                Output::invoke("organization", "id").into(),
                Value::str("/roles/R"),
            ]),
        ),
    );
    plan.add(
        Resource::new("gcp:projects/service:Service", "alpha")
            .prop("service", "iam.googleapis.com"),
    );
    let program = pulumi::program(&plan.finish().expect("valid"), &[GCP]);
    assert_eq!(
        program["variables"]["organization"],
        json!({"fn::invoke": {"function": "gcp:organizations/getOrganization:getOrganization", "arguments": {"domain": "example.org"}, "options": {"version": "10.2.0"}}})
    );
    assert_eq!(
        program["resources"]["zeta"]["properties"]["role"],
        json!("${organization.id}/roles/R")
    );
    let names: Vec<&String> = program["resources"]
        .as_object()
        .expect("map")
        .keys()
        .collect();
    assert_eq!(names, ["alpha", "zeta"]);
}

#[test]
fn duplicate_names_and_dangling_references_are_rejected() {
    let mut plan = Plan::new("x", "gcp");
    plan.add(Resource::new("gcp:storage/bucket:Bucket", "same"));
    plan.add(Resource::new("gcp:cloudidentity/group:Group", "same"));
    assert!(
        matches!(plan.finish(), Err(PlanError::DuplicateResource { name, .. }) if name == "same")
    );

    let mut plan = Plan::new("x", "gcp");
    plan.add(
        Resource::new("gcp:projects/iAMMember:IAMMember", "m")
            .prop("member", Output::resource("ghost", "email")),
    );
    assert!(matches!(plan.finish(), Err(PlanError::DanglingReference { to, .. }) if to == "ghost"));

    // The same resource twice (a stack reference used by two clouds) is kept once.
    let mut plan = Plan::new("x", "gcp");
    let reference =
        Resource::new("pulumi:pulumi:StackReference", "reference").prop("name", "reference");
    plan.add(reference.clone());
    plan.add(reference);
    assert_eq!(plan.finish().expect("valid").resources.len(), 1);
}

#[test]
fn discovery_program_names_each_package_once_at_its_version() {
    let azure = ProviderPackage {
        name: "azure-native",
        version: "3.29.0",
    };
    let program = pulumi::provider_discovery_program(&[GCP, azure, GCP]);
    assert_eq!(
        program,
        json!({"resources": {
            "azure-native-provider": {"type": "pulumi:providers:azure-native", "options": {"version": "3.29.0"}},
            "gcp-provider": {"type": "pulumi:providers:gcp", "options": {"version": "10.2.0"}},
        }})
    );
}

#[test]
fn the_text_plan_shows_nested_properties_and_counts_in_good_english() {
    let mut plan = Plan::new("x", "gcp");
    plan.add(
        Resource::new("gcp:storage/bucket:Bucket", "x-main")
            .prop("name", Value::str("x-main"))
            .prop(
                "versioning",
                Value::object([("enabled", Value::Bool(true))]),
            )
            .prop(
                "lifecycleRules",
                Value::List(vec![Value::object([
                    ("action", Value::object([("type", Value::str("Delete"))])),
                    ("condition", Value::object([("age", Value::Int(30))])),
                ])]),
            )
            .prop("labels", Value::object([("team", Value::str(""))])),
    );
    let shown = text::text(&[plan.finish().expect("valid plan")]);
    assert!(
        shown.contains("versioning={enabled: true}")
            && shown.contains("lifecycleRules=[{action: {type: Delete}, condition: {age: 30}}]")
            && shown.contains("labels={team: \"\"}"),
        "{shown}"
    );
    assert!(
        shown.starts_with("dataset x (gcp): 1 resource, 0 outputs, 0 diagnostics\n"),
        "{shown}"
    );
    assert!(shown.ends_with("\n1 dataset, 1 resource\n"), "{shown}");
    assert_eq!(text::count(2, "stack"), "2 stacks");
}

#[test]
fn explicit_providers_are_referenced_and_versioned() {
    const NATIVE: ProviderPackage = ProviderPackage {
        name: "azure-native",
        version: "3.29.0",
    };
    let mut plan = Plan::new("x", "azure");
    plan.add(
        Resource::new("pulumi:providers:azure-native", "azure-native-provider")
            .prop("subscriptionId", "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f"),
    );
    let mut group = Resource::new("azure-native:resources:ResourceGroup", "rg");
    group.options.provider = Some("azure-native-provider".into());
    plan.add(group);
    let program = pulumi::program(&plan.clone().finish().expect("valid plan"), &[NATIVE]);
    assert_eq!(
        program["resources"]["rg"]["options"],
        json!({"provider": "${azure-native-provider}", "version": "3.29.0"})
    );
    assert_eq!(
        program["resources"]["azure-native-provider"]["options"],
        json!({"version": "3.29.0"})
    );
    // A provider that is not in the plan is a dangling reference.
    let mut orphan = Resource::new("azure-native:resources:ResourceGroup", "orphan");
    orphan.options.provider = Some("missing-provider".into());
    plan.add(orphan);
    assert!(matches!(
        plan.finish(),
        Err(PlanError::DanglingReference { to, .. }) if to == "missing-provider"
    ));
}

#[test]
fn an_error_diagnostic_fails_planning_with_its_text() {
    let mut plan = Plan::default();
    plan.diagnose(
        Severity::Warning,
        "azure",
        "some-grant",
        "only a warning".to_owned(),
    );
    let warned = plan.clone().finish().expect("warnings do not fail a plan");
    assert!(text::text(&[warned]).contains("  warning [azure] some-grant: only a warning"));
    plan.diagnose(
        Severity::Error,
        "azure",
        "reference-grant",
        "the organisation container `x` is wrong".to_owned(),
    );
    let error = plan
        .finish()
        .expect_err("an error diagnostic fails the plan");
    assert_eq!(
        error.to_string(),
        "[azure] reference-grant: the organisation container `x` is wrong"
    );
}
