//! Creating the stack file of a new dataset, `Pulumi.<dataset>.yaml`.
//!
//! The file has the layout of the existing stack files: a `config:` mapping of
//! `datasets:*` settings (`datasets:deploy_locations` when clouds are given) and,
//! for a dataset on GCP, the provider settings `gcp:project` / `gcp:billing_project`
//! with `gcp:user_project_override` (the quota project the Budgets API needs), in the
//! style the README shows: lists as JSON text in single quotes (`'["alpha-study"]'`, as
//! `pulumi config set` stores them), booleans as strings (`"false"`), names and e-mails
//! as plain scalars. Before anything is written, the name must follow the
//! dataset-name rule ([`DatasetName::parse`], the same as for every configured
//! dataset), and the
//! file's text is parsed back with the config crate and validated together
//! with every configured dataset, as `validate` does; a file that already
//! exists is never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use cpg_infra_config::{
    CloudName, ConfigError, DatasetConfig, DatasetName, Email, GcpProjectId, NameError,
    parse_stack_file, validate_dataset_set,
};

use crate::error::DriverError;
use crate::inputs::Inputs;
use crate::pipeline;
use crate::workspace::{Selection, Workspace};

/// Why a new dataset's stack file was not written.
#[derive(Debug, thiserror::Error)]
pub enum NewDatasetError {
    /// An invalid name or e-mail address on the command line.
    #[error("{flag}: {problem}")]
    Name {
        /// The argument or flag, e.g. `--gcp-project`.
        flag: String,
        /// What is wrong.
        problem: NameError,
    },
    /// No `--gcp-project`, and the dataset name is not a valid project id.
    #[error(
        "no --gcp-project given, so the GCP project id defaults to the dataset name, which does not fit: {problem}; pass --gcp-project ID"
    )]
    DefaultProject {
        /// Why the name is not a project id.
        problem: NameError,
    },
    /// The stack file exists already.
    #[error("{0} exists already; not overwriting it (edit it, or remove it first)")]
    Exists(String),
    /// The dataset is configured elsewhere already.
    #[error("dataset `{dataset}` is configured already in {origin}")]
    Configured {
        /// The dataset.
        dataset: String,
        /// Where.
        origin: String,
    },
    /// The skeleton would not validate: the hint first, then one problem per line.
    #[error("the new stack file would not be valid{hint}:{}{reason}", if reason.contains('\n') { "\n" } else { " " })]
    Invalid {
        /// The validation error.
        reason: String,
        /// What to pass to fix it (may be empty).
        hint: String,
    },
    /// Writing failed.
    #[error("{path}: cannot write: {message}")]
    Io {
        /// The file.
        path: String,
        /// What happened.
        message: String,
    },
}

/// The settings of a new dataset, as given on the command line (not yet validated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDataset {
    /// The dataset name.
    pub name: String,
    /// The GCP project id (default: the dataset name).
    pub gcp_project: Option<String>,
    /// The Hail service account of the `test` level.
    pub hail_account_test: Option<String>,
    /// The Hail service account of the `standard` level.
    pub hail_account_standard: Option<String>,
    /// The Hail service account of the `full` level.
    pub hail_account_full: Option<String>,
    /// The datasets the new one depends on.
    pub depends_on: Vec<String>,
    /// The clouds it deploys to (`datasets:deploy_locations`; empty: the default, GCP).
    pub clouds: Vec<CloudName>,
}

fn name_err(flag: &str) -> impl Fn(NameError) -> NewDatasetError + '_ {
    move |problem| NewDatasetError::Name {
        flag: flag.to_owned(),
        problem,
    }
}

/// A YAML double-quoted scalar (JSON string escapes are valid YAML).
fn quoted(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

/// `value` as a plain YAML scalar when it reads as the same string (letters, digits
/// and `.`, `_`, `@`, `-`, starting with a letter or digit), else double-quoted.
fn scalar(value: &str) -> String {
    let plain = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'));
    if plain {
        value.to_owned()
    } else {
        quoted(value)
    }
}

/// A list of names as JSON text in a single-quoted YAML scalar: `'["a", "b"]'`.
fn json_list<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let items: Vec<String> = names.map(quoted).collect();
    format!("'[{}]'", items.join(", ").replace('\'', "''"))
}

impl NewDataset {
    /// Validates the name (the dataset-name rule) and the other values,
    /// and renders the stack file's text.
    pub fn stack_file_text(&self) -> Result<(DatasetName, String), NewDatasetError> {
        let name = DatasetName::parse(&self.name).map_err(name_err("dataset name"))?;
        let gcp = self.clouds.is_empty() || self.clouds.contains(&CloudName::gcp());
        let project = match &self.gcp_project {
            Some(project) => Some(GcpProjectId::parse(project).map_err(name_err("--gcp-project"))?),
            None if gcp => Some(
                GcpProjectId::parse(&self.name)
                    .map_err(|problem| NewDatasetError::DefaultProject { problem })?,
            ),
            None => None,
        };
        let mut depends_on = Vec::new();
        for dep in &self.depends_on {
            let dep = DatasetName::parse(dep).map_err(name_err("--depends-on"))?;
            if !depends_on.contains(&dep) {
                depends_on.push(dep);
            }
        }
        let mut lines = vec!["config:".to_owned()];
        if !depends_on.is_empty() {
            // A JSON list inside a string, as Pulumi stores lists.
            lines.push(format!(
                "  datasets:depends_on: {}",
                json_list(depends_on.iter().map(DatasetName::as_str))
            ));
        }
        if !self.clouds.is_empty() {
            lines.push(format!(
                "  datasets:deploy_locations: {}",
                json_list(self.clouds.iter().map(CloudName::as_str))
            ));
        }
        lines.push("  datasets:enable_release: \"false\"".to_owned());
        for (level, flag, account) in [
            ("test", "--hail-account-test", &self.hail_account_test),
            (
                "standard",
                "--hail-account-standard",
                &self.hail_account_standard,
            ),
            ("full", "--hail-account-full", &self.hail_account_full),
        ] {
            if let Some(account) = account {
                let email = Email::parse(account).map_err(name_err(flag))?;
                lines.push(format!(
                    "  datasets:gcp_hail_service_account_{level}: {}",
                    scalar(email.as_str())
                ));
            }
        }
        if let Some(project) = project {
            lines.push(format!("  gcp:project: {}", scalar(project.as_str())));
            lines.push(format!(
                "  gcp:billing_project: {}",
                scalar(project.as_str())
            ));
            // The quota project is sent only with user_project_override (the Budgets API
            // needs it under user credentials).
            lines.push("  gcp:user_project_override: \"true\"".to_owned());
        }
        let mut text = lines.join("\n");
        text.push('\n');
        Ok((name, text))
    }
}

/// What to say when validation fails for lack of Hail accounts.
fn hint_for(reason: &str) -> String {
    if reason.contains("gcp_hail_service_account") {
        "; pass --hail-account-test EMAIL --hail-account-standard EMAIL --hail-account-full EMAIL (the default components include `hail-accounts`)".to_owned()
    } else {
        String::new()
    }
}

fn invalid(error: impl ToString) -> NewDatasetError {
    let reason = error.to_string();
    let hint = hint_for(&reason);
    NewDatasetError::Invalid { reason, hint }
}

/// Validates `dataset` as `validate` would, together with the configured datasets: its
/// own rules, the set's (dependencies), each cloud's over the whole organisation (names
/// and projects that must be unique: another dataset's project), and that it plans.
pub fn check(dataset: &DatasetConfig, inputs: &Inputs) -> Result<(), NewDatasetError> {
    if inputs.datasets.iter().any(|d| d.dataset == dataset.dataset) {
        return Err(NewDatasetError::Configured {
            dataset: dataset.dataset.to_string(),
            origin: format!("{} or its stack directory", inputs.origin),
        });
    }
    pipeline::validate_dataset(&inputs.infrastructure, dataset).map_err(invalid)?;
    let mut all = inputs.datasets.clone();
    all.push(dataset.clone());
    validate_dataset_set(&all, &inputs.infrastructure, true).map_err(invalid)?;
    // The organisation as it would be with the dataset written: every dataset validated
    // on its clouds, then the new one planned.
    let organisation = Inputs {
        infrastructure: inputs.infrastructure.clone(),
        datasets: all,
        origin: inputs.origin.clone(),
        stack_dir: inputs.stack_dir.clone(),
        warnings: Vec::new(),
        sources: inputs.sources.clone(),
        broken: Vec::new(),
    };
    let workspace = Workspace::new(organisation, Selection::Present(&[]), &[])
        .map_err(|e: DriverError| invalid(e))?;
    workspace
        .plan(dataset)
        .map_err(|e: DriverError| invalid(e))?;
    Ok(())
}

/// Writes `<stack_dir>/Pulumi.<name>.yaml` for `spec` after validating it against
/// `inputs` (the loaded configuration); returns the path written.
pub fn create(
    spec: &NewDataset,
    inputs: &Inputs,
    stack_dir: &Path,
) -> Result<PathBuf, NewDatasetError> {
    let (name, text) = spec.stack_file_text()?;
    let path = stack_dir.join(format!("Pulumi.{name}.yaml"));
    let shown = path.display().to_string();
    if path.exists() {
        return Err(NewDatasetError::Exists(shown));
    }
    let dataset =
        parse_stack_file(&text, &shown, name.as_str()).map_err(|e: ConfigError| invalid(e))?;
    check(&dataset, inputs)?;
    let io = |e: std::io::Error| NewDatasetError::Io {
        path: shown.clone(),
        message: e.to_string(),
    };
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(NewDatasetError::Exists(shown));
        }
        Err(e) => return Err(io(e)),
    };
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    tracing::info!(path = %shown, "stack file written");
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str) -> NewDataset {
        NewDataset {
            name: name.to_owned(),
            gcp_project: Some("gamma-trial-1234".to_owned()),
            hail_account_test: Some("gamma-test@hail.iam.gserviceaccount.com".to_owned()),
            hail_account_standard: Some("gamma-standard@hail.iam.gserviceaccount.com".to_owned()),
            hail_account_full: Some("gamma-full@hail.iam.gserviceaccount.com".to_owned()),
            depends_on: vec!["alpha-study".to_owned(), "alpha-study".to_owned()],
            clouds: Vec::new(),
        }
    }

    #[test]
    fn a_default_project_that_does_not_fit_does_not_blame_the_flag() {
        let mut s = spec("abc");
        s.gcp_project = None;
        let err = s.stack_file_text().unwrap_err().to_string();
        assert!(err.starts_with("no --gcp-project given"), "{err}");
        assert!(
            err.contains("`abc`") && err.ends_with("pass --gcp-project ID"),
            "{err}"
        );
        s.gcp_project = Some("abc".to_owned());
        let err = s.stack_file_text().unwrap_err().to_string();
        assert!(err.starts_with("--gcp-project:"), "{err}");
    }

    #[test]
    fn clouds_become_deploy_locations() {
        let mut s = spec("gamma-trial");
        s.gcp_project = None;
        s.hail_account_test = None;
        s.hail_account_standard = None;
        s.hail_account_full = None;
        s.clouds = vec![CloudName::parse("azure").unwrap()];
        let (name, text) = s.stack_file_text().unwrap();
        assert!(!text.contains("gcp:project"), "{text}");
        let parsed = parse_stack_file(&text, "new", name.as_str()).unwrap();
        assert_eq!(parsed.deploy_locations.as_slice(), s.clouds.as_slice());
        s.clouds.push(CloudName::gcp());
        let (_, text) = s.stack_file_text().unwrap();
        let parsed = parse_stack_file(&text, "new", name.as_str()).unwrap();
        assert_eq!(parsed.deploy_locations.as_slice(), s.clouds.as_slice());
        assert_eq!(parsed.gcp_project.unwrap().as_str(), "gamma-trial");
    }

    #[test]
    fn the_file_has_the_style_the_readme_shows() {
        let mut s = spec("gamma-trial");
        s.clouds = vec![CloudName::gcp(), CloudName::azure()];
        let (_, text) = s.stack_file_text().unwrap();
        assert_eq!(
            text,
            "config:
  datasets:depends_on: '[\"alpha-study\"]'
  datasets:deploy_locations: '[\"gcp\", \"azure\"]'
  datasets:enable_release: \"false\"
  datasets:gcp_hail_service_account_test: gamma-test@hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_standard: gamma-standard@hail.iam.gserviceaccount.com
  datasets:gcp_hail_service_account_full: gamma-full@hail.iam.gserviceaccount.com
  gcp:project: gamma-trial-1234
  gcp:billing_project: gamma-trial-1234
  gcp:user_project_override: \"true\"
"
        );
        assert_eq!(scalar("a'b"), "\"a'b\"");
        assert_eq!(json_list(["it's"].into_iter()), "'[\"it''s\"]'");
    }

    #[test]
    fn text_parses_back() {
        let (name, text) = spec("gamma-trial").stack_file_text().unwrap();
        assert!(
            text.contains("  datasets:depends_on: '[\"alpha-study\"]'\n"),
            "{text}"
        );
        let parsed = parse_stack_file(&text, "new", name.as_str()).unwrap();
        assert_eq!(parsed.gcp_project.unwrap().as_str(), "gamma-trial-1234");
        assert_eq!(
            parsed.depends_on,
            vec![DatasetName::parse("alpha-study").unwrap()]
        );
        assert_eq!(
            parsed
                .provider_config
                .get("gcp:billing_project")
                .map(String::as_str),
            Some("gamma-trial-1234")
        );
        assert_eq!(
            parsed.gcp_hail_service_account.full.unwrap().as_str(),
            "gamma-full@hail.iam.gserviceaccount.com"
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            "Bad_Name",
            "a",
            "much-too-long-dataset-name",
            "ends-with-hyphen-",
        ] {
            let err = spec(bad).stack_file_text().unwrap_err().to_string();
            assert!(err.starts_with("dataset name:"), "{err}");
        }
        // The one dataset-name rule: up to the longest name GCP allows.
        assert!(spec("twenty-one-characters").stack_file_text().is_ok());
        let err = spec("twenty-two-characters1")
            .stack_file_text()
            .unwrap_err()
            .to_string();
        assert!(err.contains(DatasetName::RULE), "{err}");
        let mut s = spec("gamma-trial");
        s.hail_account_full = Some("not an email".to_owned());
        let err = s.stack_file_text().unwrap_err().to_string();
        assert!(err.starts_with("--hail-account-full:"), "{err}");
        assert!(
            hint_for("needs datasets:gcp_hail_service_account_test")
                .contains("--hail-account-test")
        );
    }
}
