//! Integration tests of the configuration: one test binary, one module per concern (the
//! reference inputs load and validate, the three sources agree, bad inputs give specific
//! messages, and loading is deterministic and panic-free).

mod config {
    pub mod bad_input;
    pub mod reference;
    pub mod robustness;
    pub mod rules;
    pub mod sources;
    pub mod stack_dir;
    pub mod support;
}
