//! Shared helpers: paths to the repository and to `../shared`, running the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// `../shared` beside the repository, when present.
pub fn shared() -> Option<PathBuf> {
    let path = repo().join("../shared");
    path.is_dir()
        .then(|| path.canonicalize().expect("shared folder"))
}

/// Runs the driver binary with `args` in `cwd` and a clean environment plus `env`.
pub fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cpg-infra-driver"));
    command.args(args).current_dir(cwd);
    for var in [
        "PULUMI_STACK",
        "PULUMI_PROJECT",
        "PULUMI_CONFIG",
        "CPG_CONFIG_PATH",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run cpg-infra-driver")
}
