//! Fuzz target: the Pulumi stack-file loader (`parse_stack_file`).
//!
//! Any input must give `Ok` or a `ConfigError`, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = cpg_infra_config::decode_utf8(data, "Pulumi.fuzz.yaml") else {
        return;
    };
    let _ = cpg_infra_config::parse_stack_file(&text, "Pulumi.fuzz.yaml", "fuzz");
});
