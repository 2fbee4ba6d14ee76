//! `check --format sarif`: the findings as a SARIF 2.1.0 log, the format code-scanning
//! tools (GitHub code scanning, GitLab, Azure DevOps) read to show findings on a pull
//! request. The tool's rules are the built-in policies (id, sentence, severity); each
//! finding is a result located in the file its dataset was read from (the stack file,
//! or `cpg.toml` for a `[datasets.<name>]` table), on the line of the value it names
//! where that value is written in the file; a suppressed finding carries its
//! suppression and reason; a stale suppression is a warning located at its
//! `[[infrastructure.check.suppress]]` entry in `cpg.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value as Json, json};

use super::check::{Finding, Severity};
use super::check_report::{Report, Stale};
use super::policies::{POLICIES, by_id};
use crate::inputs::{self, Inputs};

/// The SARIF version written.
pub const VERSION: &str = "2.1.0";

/// The schema a SARIF 2.1.0 log names.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A file findings are located in: its URI (relative to the current folder where it
/// is under it, with `/`) and its text, when it can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The URI results name.
    pub uri: String,
    /// The text, to find lines in.
    pub text: Option<String>,
    /// The line the dataset starts at in a shared file (`[datasets.<name>]`).
    pub start: Option<usize>,
}

/// The files of a run: the configuration and each dataset's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifacts {
    /// `cpg.toml`.
    pub config: Artifact,
    /// Each dataset's file, by dataset name.
    pub datasets: BTreeMap<String, Artifact>,
}

impl Artifacts {
    /// The files `inputs` were read from, relative to `cwd` where under it.
    pub fn of(inputs: &Inputs, cwd: &Path) -> Self {
        let config = artifact(&inputs.origin, cwd);
        let datasets = inputs
            .sources
            .iter()
            .map(|(name, origin)| {
                let artifact = match origin.strip_suffix(&format!(" [datasets.{name}]")) {
                    Some(file) => {
                        let mut artifact = artifact(file, cwd);
                        let header = format!("[datasets.{name}]");
                        artifact.start = artifact.text.as_deref().and_then(|t| {
                            t.lines().position(|l| l.trim() == header).map(|i| i + 1)
                        });
                        artifact
                    }
                    None => artifact(origin, cwd),
                };
                (name.clone(), artifact)
            })
            .collect();
        Self { config, datasets }
    }
}

/// The artifact of the file named `origin` in messages.
fn artifact(origin: &str, cwd: &Path) -> Artifact {
    if let Some(inner) = origin
        .strip_prefix("<embedded example ")
        .and_then(|o| o.strip_suffix('>'))
    {
        return Artifact {
            uri: inner.to_owned(),
            text: inputs::embedded_text(origin).map(str::to_owned),
            start: None,
        };
    }
    let path = Path::new(origin);
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let shown = absolute.strip_prefix(cwd).unwrap_or(path);
    let uri = shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Artifact {
        uri,
        text: std::fs::read_to_string(path).ok(),
        start: None,
    }
}

/// SARIF's level of a policy severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The line (from 1) of the first value named in backticks in `message` that is
/// written in `text`.
fn line_of_named_value(message: &str, text: &str) -> Option<usize> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|value| value.len() > 2)
        .find_map(|value| text.lines().position(|l| l.contains(value)))
        .map(|i| i + 1)
}

/// The line (from 1) that names the registered user of a membership resource
/// (`members/<group>/<user>`, written as `"<user>"` in the dataset's `members`), when the
/// message names the user by their cloud id instead.
fn line_of_member_key(resource: &str, text: &str) -> Option<usize> {
    let user = resource.strip_prefix("members/")?.rsplit('/').next()?;
    let quoted = format!("\"{user}\"");
    text.lines()
        .position(|l| l.contains("members") && l.contains(&quoted))
        .map(|i| i + 1)
}

/// A SARIF location in `artifact`, at `line` when known.
fn location(artifact: &Artifact, line: Option<usize>) -> Json {
    let mut physical = json!({ "artifactLocation": { "uri": artifact.uri } });
    if let Some(line) = line {
        physical["region"] = json!({ "startLine": line });
    }
    json!({ "physicalLocation": physical })
}

/// The result of a finding.
fn finding_result(finding: &Finding, artifacts: &Artifacts) -> Json {
    let index = finding.policy.index();
    let name = match &finding.name {
        Some(name) if *name != finding.resource => format!(" ({name})"),
        _ => String::new(),
    };
    let text = format!(
        "{} ({}) {}{name}: {}",
        finding.dataset, finding.cloud, finding.resource, finding.message
    );
    let mut result = json!({
        "ruleId": finding.policy.id,
        "ruleIndex": index,
        "level": level(finding.severity()),
        "message": { "text": text },
        "partialFingerprints": {
            "cpgInfraFinding/v1": format!("{}/{}/{}/{}", finding.policy, finding.dataset, finding.cloud, finding.resource),
        },
    });
    if let Some(artifact) = artifacts.datasets.get(&finding.dataset) {
        let line = artifact
            .text
            .as_deref()
            .and_then(|t| {
                line_of_named_value(&finding.message, t)
                    .or_else(|| line_of_member_key(&finding.resource, t))
            })
            .or(artifact.start);
        result["locations"] = json!([location(artifact, line)]);
    }
    if let Some(reason) = &finding.suppressed {
        result["suppressions"] = json!([{ "kind": "external", "justification": reason }]);
    }
    result
}

/// The line of the `number`-th `[[infrastructure.check.suppress]]` entry of `text`.
fn suppression_line(text: &str, number: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[infrastructure.check.suppress]]")
        .nth(number.checked_sub(1)?)
        .map(|(i, _)| i + 1)
}

/// The result of a stale suppression.
fn stale_result(stale: &Stale, artifacts: &Artifacts) -> Json {
    let policy_id = stale.suppression.policy.as_str();
    // The edge admits only suppressions of registered policies.
    let index = by_id(policy_id).map_or(0, |p| p.index());
    let line = artifacts
        .config
        .text
        .as_deref()
        .and_then(|t| suppression_line(t, stale.number));
    json!({
        "ruleId": policy_id,
        "ruleIndex": index,
        "level": "warning",
        "message": { "text": format!(
            "suppression {} of [[infrastructure.check.suppress]] matches no finding: remove it, or correct its dataset or resource",
            stale.number
        ) },
        "locations": [location(&artifacts.config, line)],
    })
}

/// The SARIF 2.1.0 log of `report`.
pub fn log(report: &Report, artifacts: &Artifacts) -> Json {
    let rules: Vec<Json> = POLICIES
        .iter()
        .map(|policy| {
            let (severity, sentence) = (policy.severity, policy.sentence);
            json!({
                "id": policy.id,
                "name": policy.id,
                "shortDescription": { "text": sentence },
                "fullDescription": { "text": format!("{sentence} (cpg-infra-driver check --help lists the policies; a finding is accepted on purpose with [[infrastructure.check.suppress]] in cpg.toml)") },
                "defaultConfiguration": { "level": level(severity) },
            })
        })
        .collect();
    let mut results: Vec<Json> = report
        .findings
        .iter()
        .map(|f| finding_result(f, artifacts))
        .collect();
    results.extend(report.stale.iter().map(|s| stale_result(s, artifacts)));
    json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": { "driver": {
                "name": "cpg-infra-driver",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_of_a_named_value_and_of_a_suppression() {
        let text = "config:\n  datasets:sm_read_only_sas: '[\"visitor@partner-uni.edu\"]'\n";
        assert_eq!(
            line_of_named_value(
                "gives ... to the user `visitor@partner-uni.edu`, outside",
                text
            ),
            Some(2)
        );
        assert_eq!(line_of_named_value("nothing `named` here", text), None);
        let members =
            "config:\n  datasets:members: '{\"sample-metadata-main-read\": [\"visitor\"]}'\n";
        assert_eq!(
            line_of_member_key("members/sample-metadata-main-read/visitor", members),
            Some(2)
        );
        assert_eq!(line_of_member_key("members/x/nobody", members), None);
        let toml = "a = 1\n[[infrastructure.check.suppress]]\nx = 1\n\n[[infrastructure.check.suppress]]\n";
        assert_eq!(suppression_line(toml, 2), Some(5));
        assert_eq!(suppression_line(toml, 3), None);
        assert_eq!(suppression_line(toml, 0), None);
    }
}
