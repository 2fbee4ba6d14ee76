//! Help text the command-line parser cannot build from the flags alone: the policies
//! of `check --help`, one per entry, wrapped to a width with the sentence's
//! continuation lines indented under it (a terminal wrapping a long line would start
//! it at the left edge, under the ids).

use crate::review;

/// The width help is wrapped to when stdout is no terminal.
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest width wrapped to (a sentence column of at least 30 characters).
const MIN_WIDTH: usize = 65;

/// The policies `check` applies, for its `--help`: id, severity and sentence each,
/// wrapped to `width` columns.
pub fn policies(width: usize) -> String {
    let mut help = String::from("Policies:\n");
    let indent = 2 + 22 + 1 + 8 + 1;
    for policy in review::policies::POLICIES {
        let head = format!("  {:<22} {:<8} ", policy.id, policy.severity.as_str());
        help.push_str(&hanging(&head, policy.sentence, indent, width));
    }
    help.push_str(
        "\nInvariants (errors of validate, plan, check and compiler mode, with the file and key; never suppressed: fix the configuration):\n",
    );
    let indent = 2 + 22 + 1;
    for invariant in cpg_infra_config::Invariant::ALL {
        let head = format!("  {:<22} ", invariant.as_str());
        help.push_str(&hanging(&head, invariant.sentence(), indent, width));
    }
    help.push_str(
        "\nSuppress a finding in cpg.toml (a reason is required; one that matches nothing is reported):\n  [[infrastructure.check.suppress]]\n  policy = \"unneeded-key\"\n  dataset = \"alpha-study\"                          # optional\n  resource = \"cromwell-service-account-full-key\"    # optional: the logical name\n  reason = \"...\"\nAllow members outside the domain: [infrastructure.check] allowed_external_members = [\"partner@uni.edu\", \"@uni.edu\"]",
    );
    help
}

/// `head` followed by `text` wrapped at word boundaries to `width` columns, every
/// line after the first indented by `indent` spaces; ends with a newline.
pub fn hanging(head: &str, text: &str, indent: usize, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = head.to_owned();
    let mut column = head.chars().count();
    let mut first = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !first && column + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            column = indent;
            first = true;
        }
        if !first {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
        first = false;
    }
    out.push('\n');
    out
}

/// The width of the terminal stdout is, else [`DEFAULT_WIDTH`].
pub fn stdout_width() -> usize {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        terminal_size::terminal_size_of(&stdout).map_or(DEFAULT_WIDTH, |(w, _)| usize::from(w.0))
    } else {
        DEFAULT_WIDTH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_sentence_continues_under_itself() {
        let text = hanging("  id   ", "one two three four five six seven", 7, 20);
        // The minimum width applies: everything fits on one line of 65.
        assert_eq!(text, "  id   one two three four five six seven\n");
        let long = "word ".repeat(30);
        let text = hanging("  id   ", &long, 7, 65);
        for line in text.lines().skip(1) {
            assert!(line.starts_with("       word"), "{line:?}");
        }
        assert!(text.lines().all(|l| l.chars().count() <= 65), "{text}");
    }

    #[test]
    fn every_policy_line_fits_and_continuations_are_indented() {
        let help = policies(80);
        let lines: Vec<&str> = help.lines().take_while(|l| !l.is_empty()).collect();
        assert!(lines.len() > review::policies::POLICIES.len(), "{help}");
        for line in &lines[1..] {
            assert!(line.chars().count() <= 80, "{line:?}");
            assert!(line.starts_with("  "), "{line:?}");
        }
    }
}
