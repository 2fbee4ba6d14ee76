//! Integration tests of the driver: one test binary, one module per concern.

mod driver {
    pub mod access;
    pub mod access_proven;
    pub mod azure_example;
    pub mod budgets;
    pub mod check;
    pub mod cli;
    pub mod cross_cloud;
    pub mod dependencies;
    pub mod deploy;
    pub mod deploy_changed;
    pub mod dropboxes;
    pub mod everyday;
    pub mod identities;
    pub mod locate;
    pub mod members;
    pub mod organisation_groups;
    pub mod output;
    pub mod plan_view;
    pub mod plugins;
    pub mod properties;
    pub mod provider_facts;
    pub mod readonly;
    pub mod reference;
    pub mod review;
    pub mod setup_test;
    pub mod silent;
    pub mod silent_runs;
    pub mod snapshots;
    pub mod storage_policy;
    pub mod support;
    pub mod temporary_access;
    pub mod upload_config;
}
