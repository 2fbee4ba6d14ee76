//! The GCP plugin of cpg-infra, registered as `gcp`.
//!
//! It maps the cloud-agnostic [`Cloud`](cpg_infra_abstraction::Cloud) verbs to
//! resources of the `gcp` Pulumi provider with exactly the logical names, type
//! tokens, inputs and explicit dependencies of the Python reference
//! (populationgenomics/cpg-infrastructure at 9c0bc55), so that existing stacks
//! move over without a replacement.
//!
//! - [`infra`]: the `Cloud` implementation: constructor, services, verbs.
//! - [`storage`], [`grants`], [`groups`], [`accounts`], [`secrets`], [`budget`],
//!   [`projects`]: resources per concern.
//! - [`organisation_settings`]: `[infrastructure.gcp]`, the organisation's GCP settings
//!   (with [`organisation_role_facts`], its custom roles as the organisation states them);
//!   [`settings`]: what the plugin takes from the configuration for one dataset.
//! - [`services`]: the project services that resources depend on.
//! - [`members`]: how principals, groups and buckets are written in IAM inputs.
//! - [`aliases`]: type tokens renamed by the provider since the reference ran.
//! - [`existing`]: organisation resources read with `get:`, never managed.
//! - [`limits`]: name limits of GCP that a dataset name must fit; [`bucket_names`]: names
//!   GCS refuses for looking like Google's; [`locations`]: regions and bucket locations.
//! - [`collisions`]: bucket, service-account and project names that would be used twice.
//! - [`machine_ids`]: what a machine identity looks like on GCP; the organisation's projects.
//! - [`review`]: what its resources mean to a reviewer (data, cost, grants).
//! - [`resource_ids`]: shapes of ids of existing resources (adopt, `get:`).

pub mod accounts;
pub mod aliases;
pub mod bucket_names;
pub mod budget;
pub mod collisions;
pub mod custom_roles;
pub mod dataset_rules;
pub mod existing;
pub mod grants;
pub mod groups;
pub mod infra;
pub mod limits;
pub mod locations;
pub mod machine_ids;
pub mod members;
pub mod organisation_role_facts;
pub mod organisation_roles;
pub mod organisation_settings;
pub mod pam;
pub mod permissions;
pub mod projects;
pub mod resource_ids;
pub mod review;
pub mod secrets;
pub mod service_settings;
pub mod services;
pub mod settings;
pub mod storage;
pub mod tokens;
pub mod user_ids;

use cpg_infra_abstraction::{CloudPlugin, GroupOutputs, ProviderPackage, SettingsType};

/// The pinned version of the `gcp` provider (the schema the programs are checked against).
pub const GCP_PROVIDER: ProviderPackage = ProviderPackage {
    name: "gcp",
    version: "10.2.0",
};

inventory::submit! {
    CloudPlugin {
        name: "gcp",
        description: "Google Cloud: projects, GCS buckets, Cloud Identity groups, service accounts, Secret Manager (pulumi-gcp)",
        providers: &[GCP_PROVIDER],
        settings: SettingsType::of::<organisation_settings::GcpConfig>(),
        services: service_settings::SERVICES,
        dataset_rules: dataset_rules::check,
        dataset_keys: dataset_rules::DATASET_KEYS,
        ignored_provider_setting: dataset_rules::ignored_provider_setting,
        validate: limits::validate,
        check_resource_id: resource_ids::check_adopted,
        group_outputs: GroupOutputs { suffix: "", id_property: "id" },
        create: infra::create,
        review: review::review,
        provider_facts: &[include_str!("../data/provider-facts.json")],
    }
}
