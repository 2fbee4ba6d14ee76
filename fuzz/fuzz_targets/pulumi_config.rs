//! Fuzz target: the `PULUMI_CONFIG` loader (`parse_pulumi_config`), as compiler mode reads it.
//!
//! Any input must give `Ok` or a `ConfigError`, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cpg_infra_config::parse_pulumi_config(text, "fuzz");
});
