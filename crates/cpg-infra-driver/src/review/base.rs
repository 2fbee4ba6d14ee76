//! The configuration a change is compared with: the same files at a git revision
//! (`--base REV`, read with `git ls-tree` / `git cat-file --batch` into a temporary folder
//! that is removed afterwards), or another config and stack folder
//! (`--base-config FILE [--base-stack-dir DIR]`).

use std::path::{Path, PathBuf};

use crate::inputs::{self, ConfigLocation, ConfigSource, Inputs};

use super::ReviewError;
use super::git::{blobs, git};

/// Where the base comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// The current configuration's files at a git revision.
    Rev(String),
    /// Another configuration file and its stack folder (default: the file's folder).
    Folder {
        /// The infrastructure TOML.
        config: PathBuf,
        /// The stack folder.
        stack_dir: Option<PathBuf>,
    },
}

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads the base configuration; `current` is where the current one is (its paths
/// are the ones read at the revision).
pub fn load(base: &Base, current: &ConfigLocation, complete: bool) -> Result<Inputs, ReviewError> {
    match base {
        Base::Folder { config, stack_dir } => {
            let stack_dir = stack_dir.clone().unwrap_or_else(|| {
                config
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_owned)
            });
            let location = ConfigLocation::File {
                path: config.clone(),
                source: ConfigSource::Flag,
                stack_dir,
            };
            inputs::load_base(&location, complete).map_err(|e| ReviewError::Base {
                base: config.display().to_string(),
                message: e.to_string(),
            })
        }
        Base::Rev(rev) => {
            let ConfigLocation::File {
                path, stack_dir, ..
            } = current
            else {
                return Err(git_error(
                    rev,
                    "the embedded example is not in a repository; pass --config FILE (or compare folders with --base-config)",
                ));
            };
            load_at_rev(rev, path, stack_dir, complete)
        }
    }
}

fn git_error(rev: &str, message: impl Into<String>) -> ReviewError {
    ReviewError::Git {
        rev: rev.to_owned(),
        message: message.into(),
    }
}

/// The path of `path` relative to the repository top level `top` (`/`-separated).
fn relative(rev: &str, top: &Path, path: &Path, what: &str) -> Result<String, ReviewError> {
    let absolute = path.canonicalize().map_err(|e| {
        git_error(
            rev,
            format!("{}: cannot resolve the {what}: {e}", path.display()),
        )
    })?;
    let rel = absolute.strip_prefix(top).map_err(|_| {
        git_error(
            rev,
            format!(
                "the {what} {} is outside the repository {}; compare folders with --base-config",
                path.display(),
                top.display()
            ),
        )
    })?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

fn load_at_rev(
    rev: &str,
    config: &Path,
    stack_dir: &Path,
    complete: bool,
) -> Result<Inputs, ReviewError> {
    let folder = config
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let top = git(folder, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        git_error(
            rev,
            format!(
                "{} is not in a git repository ({e}); compare folders with --base-config",
                folder.display()
            ),
        )
    })?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let top = top.canonicalize().unwrap_or(top);
    let commit = format!("{rev}^{{commit}}");
    git(&top, &["rev-parse", "--verify", "--quiet", &commit]).map_err(|_| {
        git_error(
            rev,
            format!(
                "unknown revision in {}; give a commit, branch or tag (e.g. origin/main, HEAD~1)",
                top.display()
            ),
        )
    })?;
    let config_rel = relative(rev, &top, config, "config file")?;
    let stack_rel = relative(rev, &top, stack_dir, "stack folder")?;
    let at = |path: &str| format!("{rev}:{path}");
    git(&top, &["cat-file", "-e", &at(&config_rel)]).map_err(|_| {
        git_error(
            rev,
            format!("{config_rel} does not exist at {rev}; compare folders with --base-config"),
        )
    })?;
    if !stack_rel.is_empty() {
        git(&top, &["cat-file", "-e", &at(&stack_rel)]).map_err(|_| {
            git_error(
                rev,
                format!("the stack folder {stack_rel} does not exist at {rev}"),
            )
        })?;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let temp = TempDir(
        std::env::temp_dir().join(format!("cpg-infra-base-{}-{nanos}", std::process::id())),
    );
    let prefix = if stack_rel.is_empty() {
        String::new()
    } else {
        format!("{stack_rel}/")
    };
    std::fs::create_dir_all(temp.0.join(&stack_rel))
        .map_err(|e| git_error(rev, format!("{}: {e}", temp.0.display())))?;
    let mut files = vec![config_rel.clone()];
    for folder in [prefix.clone(), format!("{prefix}datasets/")] {
        let mut args = vec!["ls-tree", "-z", "--name-only", rev];
        if !folder.is_empty() {
            args.extend(["--", folder.as_str()]);
        }
        let listing = git(&top, &args).map_err(|e| git_error(rev, e))?;
        for rel in listing.split(|b| *b == 0).filter(|p| !p.is_empty()) {
            let rel = String::from_utf8_lossy(rel).into_owned();
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let wanted = if folder.ends_with("datasets/") {
                name.ends_with(".toml")
            } else {
                name.starts_with("Pulumi.") && name.ends_with(".yaml") && name != "Pulumi.yaml"
            };
            if wanted && rel != config_rel {
                files.push(rel);
            }
        }
    }
    let contents = blobs(&top, rev, &files).map_err(|e| git_error(rev, e))?;
    for (rel, bytes) in files.iter().zip(contents) {
        let path = temp.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| git_error(rev, format!("{}: {e}", parent.display())))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| git_error(rev, format!("{}: {e}", path.display())))?;
    }
    let location = ConfigLocation::File {
        path: temp.0.join(&config_rel),
        source: ConfigSource::Flag,
        stack_dir: temp.0.join(&stack_rel),
    };
    let root = format!("{}/", temp.0.display());
    inputs::load_base(&location, complete).map_err(|e| ReviewError::Base {
        base: rev.to_owned(),
        // Name the files as `REV:path`, not by the temporary folder.
        message: e.to_string().replace(&root, &format!("{rev}:")),
    })
}
