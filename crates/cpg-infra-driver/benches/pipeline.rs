//! Benchmarks of the pipeline (divan): loading and validating configurations,
//! planning one dataset per cloud, rendering a program, the whole pipeline for
//! N synthetic datasets, and the GCP programs of the real reference stacks.
//!
//! Run with `cargo bench -p cpg-infra-driver --bench pipeline`; figures are in
//! BENCHMARKS.md. Azure cases run only when the azure plugin is registered; the
//! reference cases only when `../shared/reference` is present.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cpg_infra_abstraction::{Plan, find_cloud};
use cpg_infra_config::{
    CloudName, DatasetConfig, InfrastructureConfig, parse_cpg_toml, parse_stack_file,
    validate_dataset_set,
};
use cpg_infra_driver::inputs::{self, ConfigLocation, ConfigSource};
use cpg_infra_driver::pipeline;
use divan::Bencher;
use divan::counter::ItemsCount;

/// The driver binary's allocator, so figures match what it does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn stack_dir() -> PathBuf {
    repo().join("stack")
}

/// The reference deployment beside the repository, when present.
fn reference_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference"
    ));
    dir.join("stacks").is_dir().then_some(dir)
}

/// The clouds to bench: gcp, and azure once registered.
fn clouds() -> Vec<&'static str> {
    ["gcp", "azure"]
        .into_iter()
        .filter(|c| find_cloud(c).is_some())
        .collect()
}

fn example() -> &'static InfrastructureConfig {
    static INFRA: OnceLock<InfrastructureConfig> = OnceLock::new();
    INFRA.get_or_init(|| {
        let text = std::fs::read_to_string(stack_dir().join("cpg.toml")).expect("stack/cpg.toml");
        parse_cpg_toml(&text, "stack/cpg.toml")
            .expect("example cpg.toml")
            .infrastructure
    })
}

/// The stack file of synthetic dataset `i` (the generator of scripts/scale):
/// release, shared projects, depends_on chains, upload buckets, readers, and
/// both clouds for every other dataset when `both`.
fn synthetic_stack(i: usize, both: bool) -> String {
    let name = format!("ds{i:05}");
    let mut text = String::from("config:\n");
    text.push_str(&format!(
        "  datasets:archive_age: \"{}\"\n",
        30 + (i % 5) * 30
    ));
    if i.is_multiple_of(3) {
        text.push_str("  datasets:enable_release: \"true\"\n");
        if i.is_multiple_of(6) {
            text.push_str("  datasets:enable_shared_project: \"true\"\n");
            text.push_str(&format!(
                "  datasets:shared_project_budget: {}\n",
                100 + i % 400
            ));
        }
    }
    let deps: Vec<String> = (1..=i % 4)
        .filter(|d| *d <= i)
        .map(|d| format!("\"ds{:05}\"", i - d))
        .collect();
    if !deps.is_empty() {
        text.push_str(&format!("  datasets:depends_on: '[{}]'\n", deps.join(", ")));
    }
    if i % 5 == 2 {
        text.push_str(&format!(
            "  datasets:additional_upload_buckets: '[\"egi-{name}-partner-upload\"]'\n"
        ));
    }
    if i % 7 == 3 {
        text.push_str(&format!(
            "  datasets:sm_read_only_sas: '[\"reader-{}@partner-{}.iam.gserviceaccount.com\"]'\n",
            i % 1000,
            i % 97
        ));
    }
    if both && i.is_multiple_of(2) {
        text.push_str("  datasets:deploy_locations: '[\"gcp\", \"azure\"]'\n");
    }
    for (level, n) in [("test", 1), ("standard", 2), ("full", 3)] {
        text.push_str(&format!(
            "  datasets:gcp_hail_service_account_{level}: {name}-{level}-{n}@egi-hail.iam.gserviceaccount.com\n"
        ));
    }
    let project = format!("{name}-{}", 1000 + i % 9000);
    text.push_str(&format!(
        "  gcp:project: {project}\n  gcp:billing_project: {project}\n"
    ));
    text
}

/// `n` synthetic stack files plus the example's reference dataset, as (name, text).
fn synthetic_stacks(n: usize) -> Vec<(String, String)> {
    let both = find_cloud("azure").is_some();
    let reference = std::fs::read_to_string(stack_dir().join("Pulumi.reference.yaml"))
        .expect("stack/Pulumi.reference.yaml");
    let mut stacks = vec![("reference".to_owned(), reference)];
    stacks.extend((0..n).map(|i| (format!("ds{i:05}"), synthetic_stack(i, both))));
    stacks
}

/// The whole pipeline: parse every stack file, validate each dataset, the set and the
/// clouds' rules, plan each dataset on its clouds and render its program as text.
fn whole_pipeline(infra: &InfrastructureConfig, stacks: &[(String, String)]) -> usize {
    let datasets: Vec<DatasetConfig> = stacks
        .iter()
        .map(|(name, text)| parse_stack_file(text, name, name).expect("stack file"))
        .collect();
    for dataset in &datasets {
        dataset.validate(infra).expect("valid dataset");
    }
    validate_dataset_set(&datasets, infra, true).expect("valid set");
    pipeline::validate_for_clouds(infra, &datasets, &[]).expect("valid for clouds");
    let mut bytes = 0;
    for dataset in &datasets {
        let plan = pipeline::plan(
            infra,
            dataset,
            &dataset.deploy_locations,
            &pipeline::Deployments::of(&datasets),
        )
        .expect("plan");
        bytes += pipeline::render_program(&plan).len();
    }
    bytes
}

/// Loading and validating configurations.
mod load {
    use super::*;

    /// `stack/cpg.toml` parsed and validated.
    #[divan::bench]
    fn example_cpg_toml(bencher: Bencher) {
        let text = std::fs::read_to_string(stack_dir().join("cpg.toml")).expect("cpg.toml");
        bencher.bench(|| {
            let parsed = parse_cpg_toml(black_box(&text), "cpg.toml").expect("parses");
            parsed.infrastructure.validate().expect("valid");
            parsed
        });
    }

    /// The example stack directory as the CLI loads it (files read, every rule checked).
    #[divan::bench]
    fn example_stack_dir() {
        let location = ConfigLocation::File {
            path: stack_dir().join("cpg.toml"),
            source: ConfigSource::Flag,
            stack_dir: stack_dir(),
        };
        black_box(inputs::load(&location, true).expect("loads"));
    }

    /// The real `cpg.toml` parsed and validated.
    #[divan::bench]
    fn reference_cpg_toml(bencher: Bencher) {
        let Some(dir) = reference_dir() else { return };
        let text = std::fs::read_to_string(dir.join("cpg.toml")).expect("cpg.toml");
        bencher.bench(|| {
            let parsed = parse_cpg_toml(black_box(&text), "cpg.toml").expect("parses");
            parsed.infrastructure.validate().expect("valid");
            parsed
        });
    }

    /// Every real stack file parsed and validated (counter: stack files).
    #[divan::bench]
    fn reference_stack_files(bencher: Bencher) {
        let Some(dir) = reference_dir() else { return };
        let infra = reference_infra(&dir);
        let stacks = reference_stacks(&dir);
        bencher.counter(ItemsCount::new(stacks.len())).bench(|| {
            for (name, text) in &stacks {
                let dataset = parse_stack_file(black_box(text), name, name).expect("parses");
                dataset.validate(&infra).expect("valid");
                black_box(dataset);
            }
        });
    }
}

fn reference_infra(dir: &Path) -> InfrastructureConfig {
    let text = std::fs::read_to_string(dir.join("cpg.toml")).expect("reference cpg.toml");
    parse_cpg_toml(&text, "cpg.toml")
        .expect("reference cpg.toml parses")
        .infrastructure
}

fn reference_stacks(dir: &Path) -> Vec<(String, String)> {
    let mut stacks: Vec<(String, String)> = std::fs::read_dir(dir.join("stacks"))
        .expect("stacks")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let file = path.file_name()?.to_str()?;
            let name = file
                .strip_prefix("Pulumi.")?
                .strip_suffix(".yaml")?
                .to_owned();
            Some((name, std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    stacks.sort();
    stacks
}

/// One dataset (beta-cohort: release, shared project, dependency, upload bucket,
/// reader) on one cloud.
mod one_dataset {
    use super::*;

    fn beta_cohort(cloud: &str) -> (DatasetConfig, Vec<CloudName>) {
        let text = std::fs::read_to_string(stack_dir().join("Pulumi.beta-cohort.yaml"))
            .expect("beta-cohort");
        let dataset = parse_stack_file(&text, "beta-cohort", "beta-cohort").expect("parses");
        (dataset, vec![CloudName::parse(cloud).expect("cloud")])
    }

    /// Planning only.
    #[divan::bench(args = clouds())]
    fn plan(bencher: Bencher, cloud: &str) {
        let (dataset, clouds) = beta_cohort(cloud);
        bencher.bench(|| {
            pipeline::plan(
                example(),
                black_box(&dataset),
                &clouds,
                &pipeline::Deployments::default(),
            )
            .expect("plan")
        });
    }

    /// Rendering the program of a plan (value tree and pretty JSON text).
    #[divan::bench(args = clouds())]
    fn render_program(bencher: Bencher, cloud: &str) {
        let (dataset, clouds) = beta_cohort(cloud);
        let plan: Plan = pipeline::plan(
            example(),
            &dataset,
            &clouds,
            &pipeline::Deployments::default(),
        )
        .expect("plan");
        bencher.bench(|| pipeline::render_program(black_box(&plan)));
    }
}

/// The whole pipeline (parse, validate, plan, render every program) for N synthetic
/// datasets (+ the reference dataset), in memory; both clouds for every other dataset
/// once azure is registered. Counter: datasets.
#[divan::bench(args = [10, 100, 1000], sample_count = 10)]
fn whole_pipeline_n(bencher: Bencher, n: usize) {
    let stacks = synthetic_stacks(n);
    bencher
        .counter(ItemsCount::new(stacks.len()))
        .bench(|| whole_pipeline(example(), black_box(&stacks)));
}

/// The GCP programs of the real reference stacks built in one process, as compiler
/// mode does for each (parse, validate, plan, render to text). Counter: stacks.
#[divan::bench]
fn reference_gcp_programs(bencher: Bencher) {
    let Some(dir) = reference_dir() else { return };
    let infra = reference_infra(&dir);
    let stacks = reference_stacks(&dir);
    let gcp = [CloudName::gcp()];
    bencher.counter(ItemsCount::new(stacks.len())).bench(|| {
        let mut bytes = 0;
        for (name, text) in &stacks {
            let dataset = parse_stack_file(black_box(text), name, name).expect("parses");
            dataset.validate(&infra).expect("valid");
            validate_dataset_set(std::slice::from_ref(&dataset), &infra, false).expect("valid");
            pipeline::validate_for_clouds(&infra, std::slice::from_ref(&dataset), &gcp)
                .expect("valid for gcp");
            let plan = pipeline::plan(&infra, &dataset, &gcp, &pipeline::Deployments::default())
                .expect("plan");
            bytes += pipeline::render_program(&plan).len();
        }
        bytes
    });
}
