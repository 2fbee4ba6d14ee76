//! The Pulumi project file a stack folder needs: Pulumi looks for `Pulumi.yaml` (or
//! `Pulumi.yml`) in the folder it runs in, and without it every `pulumi up` fails
//! with "no Pulumi.yaml project file found". `deploy` checks for it before any stack
//! runs, naming the folder and what to do.

use std::path::Path;

/// The file names Pulumi accepts for a project file.
const PROJECT_FILES: [&str; 2] = ["Pulumi.yaml", "Pulumi.yml"];

/// Why `stack_dir` cannot be deployed from: it has no Pulumi project file.
pub fn check(stack_dir: &Path) -> Result<(), String> {
    if PROJECT_FILES
        .iter()
        .any(|name| stack_dir.join(name).is_file())
    {
        return Ok(());
    }
    Err(format!(
        "{}: no Pulumi.yaml: Pulumi runs a stack only in a folder with the project file beside its stack files; copy stack/Pulumi.yaml of cpg-infra there (project `datasets`, runtime yaml with `compiler: cpg-infra-driver program`), or pass --stack-dir with the folder that has it",
        stack_dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_a_project_file_is_named() {
        let dir = tempfile::tempdir().expect("scratch");
        let error = check(dir.path()).expect_err("no project file");
        assert!(error.starts_with(&format!("{}: no Pulumi.yaml", dir.path().display())));
        std::fs::write(dir.path().join("Pulumi.yaml"), "name: datasets\n").expect("write");
        assert_eq!(check(dir.path()), Ok(()));
    }
}
