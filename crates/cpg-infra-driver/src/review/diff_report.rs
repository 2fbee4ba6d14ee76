//! `diff` output: text for a terminal, JSON for tools, Markdown for a pull-request
//! comment. Every value shown has been masked already (secrets are `[secret]`).

use std::fmt::Write;

use serde_json::{Value as Json, json};

use cpg_infra_abstraction::render::text::count;

use super::diff::{DatasetDiff, PathChange};
use super::predict::{self, engine_line};

fn change_text(change: &PathChange) -> String {
    format!(
        "{}: {} -> {}",
        change.path,
        change.old.as_deref().unwrap_or("(unset)"),
        change.new.as_deref().unwrap_or("(unset)")
    )
}

/// What starts each line of [`resource_lines`] in one format.
struct Marks {
    added: &'static str,
    removed: &'static str,
    replaced: &'static str,
    changed: &'static str,
    /// Starts each changed path of a changed resource.
    path: &'static str,
}

const TEXT_MARKS: Marks = Marks {
    added: "  + ",
    removed: "  - ",
    replaced: "  +- ",
    changed: "  ~ ",
    path: "      ",
};

/// Inside a `diff` code block: `+` and `-` colour a line, `!` marks one that changes.
const MARKDOWN_MARKS: Marks = Marks {
    added: "+ ",
    removed: "- ",
    replaced: "! ",
    changed: "! ",
    path: "!     ",
};

/// One line per resource `d` adds, removes, replaces or changes (and one per changed
/// path, shown by `path_text`), each started by its mark.
fn resource_lines(
    out: &mut String,
    d: &DatasetDiff,
    marks: &Marks,
    path_text: impl Fn(&PathChange) -> String,
) {
    for e in &d.added {
        let _ = writeln!(out, "{}{} {}", marks.added, e.type_token, e.name);
    }
    for e in &d.removed {
        let _ = writeln!(out, "{}{} {}", marks.removed, e.type_token, e.name);
    }
    for r in &d.replaced {
        let _ = writeln!(
            out,
            "{}{} {} (was {} {})",
            marks.replaced, r.new.type_token, r.new.name, r.old.type_token, r.old.name
        );
    }
    for c in &d.changed {
        let _ = writeln!(out, "{}{} {}", marks.changed, c.type_token, c.name);
        for change in &c.paths {
            let _ = writeln!(out, "{}{}", marks.path, path_text(change));
        }
    }
}

fn totals(diffs: &[DatasetDiff]) -> String {
    let changed = diffs.iter().filter(|d| !d.is_empty()).count();
    let flags: usize = diffs.iter().map(|d| d.flags.len()).sum();
    format!(
        "{} of {} changed, {}\n",
        count(changed, "dataset"),
        diffs.len(),
        count(flags, "flag")
    )
}

/// The text report.
pub fn text(diffs: &[DatasetDiff]) -> String {
    let mut out = String::new();
    for d in diffs {
        let _ = write!(out, "dataset {} ({}): ", d.dataset, d.clouds.join(", "));
        if d.is_empty() {
            out.push_str("no changes\n");
            continue;
        }
        let _ = writeln!(
            out,
            "{} added, {} removed, {} changed, {} replaced, {}",
            d.added.len(),
            d.removed.len(),
            d.changed.len(),
            d.replaced.len(),
            count(d.flags.len(), "flag")
        );
        let _ = writeln!(out, "  {}", engine_line(&d.predicted));
        for flag in &d.flags {
            let _ = writeln!(
                out,
                "  ! {} {}: {}",
                flag.kind.as_str(),
                flag.resource,
                flag.reason
            );
        }
        resource_lines(&mut out, d, &TEXT_MARKS, change_text);
    }
    out.push_str(&totals(diffs));
    out
}

/// The JSON report: `{"datasets": [{"dataset", "cloud", "added", "removed",
/// "changed", "replaced", "flags", "predicted"}]}`; `predicted` lists what the engine
/// will do to each resource: `{"name", "type", "operation", "reason", "blocked"}`.
pub fn json(diffs: &[DatasetDiff]) -> Json {
    let entries = |list: &[super::diff::Entry]| -> Vec<Json> {
        list.iter()
            .map(|e| json!({"name": e.name, "type": e.type_token}))
            .collect()
    };
    let datasets: Vec<Json> = diffs
        .iter()
        .map(|d| {
            json!({
                "dataset": d.dataset,
                "cloud": d.clouds.join(", "),
                "added": entries(&d.added),
                "removed": entries(&d.removed),
                "changed": d.changed.iter().map(|c| json!({
                    "name": c.name,
                    "type": c.type_token,
                    "paths": c.paths.iter().map(|p| json!({
                        "path": p.path, "old": p.old, "new": p.new,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "replaced": d.replaced.iter().map(|r| json!({
                    "name": r.new.name,
                    "type": r.new.type_token,
                    "old_name": r.old.name,
                    "old_type": r.old.type_token,
                })).collect::<Vec<_>>(),
                "flags": d.flags.iter().map(|f| json!({
                    "kind": f.kind.as_str(), "resource": f.resource, "reason": f.reason,
                })).collect::<Vec<_>>(),
                "predicted": predict::json(&d.predicted),
            })
        })
        .collect();
    json!({ "datasets": datasets })
}

/// Escapes text for a Markdown table cell or list item.
fn md(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('`', "'")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

/// The Markdown report, for a pull-request comment.
pub fn markdown(diffs: &[DatasetDiff]) -> String {
    let mut out = String::from("## cpg-infra diff\n\n");
    let flagged: usize = diffs.iter().map(|d| d.flags.len()).sum();
    let _ = writeln!(out, "{}", totals(diffs).trim_end());
    if flagged == 0 {
        out.push_str("\nNothing is flagged.\n");
    }
    for d in diffs.iter().filter(|d| !d.is_empty()) {
        let _ = writeln!(
            out,
            "\n### {} ({})\n\n{} added, {} removed, {} changed, {} replaced; {}\n",
            d.dataset,
            d.clouds.join(", "),
            d.added.len(),
            d.removed.len(),
            d.changed.len(),
            d.replaced.len(),
            engine_line(&d.predicted)
        );
        if !d.flags.is_empty() {
            out.push_str("| flag | resource | reason |\n| --- | --- | --- |\n");
            for f in &d.flags {
                let _ = writeln!(
                    out,
                    "| **{}** | `{}` | {} |",
                    f.kind.as_str(),
                    md(&f.resource),
                    md(&f.reason)
                );
            }
            out.push('\n');
        }
        out.push_str("<details><summary>resources</summary>\n\n```diff\n");
        resource_lines(&mut out, d, &MARKDOWN_MARKS, |change| {
            change_text(change).replace("```", "'''")
        });
        out.push_str("```\n\n</details>\n");
    }
    out
}
