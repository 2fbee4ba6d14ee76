//! Fuzz target: the `cpg.toml` loader (`parse_cpg_toml`) and the validation of what it accepts.
//!
//! Any input must give `Ok` or a `ConfigError`, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = cpg_infra_config::decode_utf8(data, "fuzz.toml") else {
        return;
    };
    if let Ok(parsed) = cpg_infra_config::parse_cpg_toml(&text, "fuzz.toml") {
        let _ = parsed.infrastructure.validate();
        for dataset in &parsed.datasets {
            let _ = dataset.problems(&parsed.infrastructure);
        }
        let _ =
            cpg_infra_config::validate_dataset_set(&parsed.datasets, &parsed.infrastructure, true);
    }
});
