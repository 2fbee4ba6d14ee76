//! The offending line under an error, as rustc, cargo and ruff show it: an error line
//! that starts with `path:line:column: ` is followed by that line of the file with a
//! marker under the key or value the column points at (rendered by `annotate-snippets`).
//! Coloured only on a terminal without `NO_COLOR`; a pipe or a file gets plain text.

use std::collections::BTreeMap;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::inputs;
use crate::logging::split_place;

/// Renders the snippets of error lines, reading each file once.
#[derive(Debug, Default)]
pub struct Snippets {
    /// Whether to colour (a terminal without `NO_COLOR`).
    color: bool,
    /// The files read so far (`None`: unreadable).
    files: BTreeMap<String, Option<String>>,
}

impl Snippets {
    /// Snippets for stderr: coloured when `color`.
    pub fn new(color: bool) -> Self {
        Self {
            color,
            files: BTreeMap::new(),
        }
    }

    /// Snippets for stderr as it is: colour on a terminal unless `NO_COLOR` is set.
    pub fn for_stderr() -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty());
        Self::new(std::io::stderr().is_terminal() && !no_color)
    }

    /// The text of the file `path` names (the embedded example's files by their names).
    fn text(&mut self, path: &str) -> Option<&str> {
        self.files
            .entry(path.to_owned())
            .or_insert_with(|| {
                inputs::embedded_text(path)
                    .map(str::to_owned)
                    .or_else(|| std::fs::read_to_string(path).ok())
            })
            .as_deref()
    }

    /// The snippet under the error `line` (without its `error: `), when it starts with
    /// `path:line:column: ` of a file that has that line; ends with a newline.
    pub fn under(&mut self, line: &str) -> Option<String> {
        let (place, _) = split_place(line)?;
        let mut parts = place.rsplitn(3, ':');
        let column: usize = parts.next()?.parse().ok()?;
        let number: usize = parts.next()?.parse().ok()?;
        let path = parts.next()?.to_owned();
        let color = self.color;
        let text = self.text(&path)?;
        let span = span(text, number, column)?;
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let report = &[Group::with_level(Level::ERROR).element(
            Snippet::source(text)
                .line_start(1)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span)),
        )];
        let mut rendered = renderer.render(report);
        rendered.push('\n');
        Some(rendered)
    }
}

/// The byte range, in `text`, of the key or value at 1-based `line` and `column` (in
/// characters): a quoted string to its closing quote, else up to a space, `: `, `=`, `,`,
/// a closing bracket or a comment; at least one character. `None` when the file has no
/// such place.
pub fn span(text: &str, line: usize, column: usize) -> Option<Range<usize>> {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let this = text[start_of_line..].split('\n').next()?;
    let this = this.strip_suffix('\r').unwrap_or(this);
    if line > text.split_inclusive('\n').count().max(1) {
        return None;
    }
    let offset = this
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| i)
        .or_else(|| (column == this.chars().count() + 1).then_some(this.len()))?;
    let rest = &this[offset..];
    let len = match rest.chars().next() {
        None => 0,
        Some(quote @ ('"' | '\'')) => rest[1..].find(quote).map_or(rest.len(), |end| end + 2),
        Some(_) => {
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                let colon_end =
                    c == ':' && rest[i + 1..].chars().next().is_none_or(char::is_whitespace);
                if c.is_whitespace() || colon_end || matches!(c, '=' | ',' | ']' | '}' | '#') {
                    end = i;
                    break;
                }
            }
            end
        }
    };
    let start = start_of_line + offset;
    // An empty place (the end of a line) is marked with one column.
    let end = if len == 0 { start } else { start + len };
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STACK: &str = "config:\n  datasets:archive_ag: \"90\"\n  gcp:project: alpha-5530\n";

    #[test]
    fn the_key_or_the_value_at_the_column() {
        let key = span(STACK, 2, 3).expect("key");
        assert_eq!(&STACK[key], "datasets:archive_ag");
        let value = span(STACK, 2, 24).expect("value");
        assert_eq!(&STACK[value], "\"90\"");
        let plain = span(STACK, 3, 16).expect("plain value");
        assert_eq!(&STACK[plain], "alpha-5530");
        assert_eq!(span(STACK, 9, 1), None);
        assert_eq!(span(STACK, 2, 99), None);
        let toml = "[infrastructure]\ndomain = 3\n";
        assert_eq!(&toml[span(toml, 2, 1).expect("toml key")], "domain");
    }

    #[test]
    fn a_snippet_shows_the_line_and_marks_the_key() {
        let dir = tempfile::tempdir().expect("scratch");
        let path = dir.path().join("Pulumi.alpha.yaml");
        std::fs::write(&path, STACK).expect("write");
        let line = format!("{}:2:3: datasets:archive_ag: unknown key", path.display());
        let shown = Snippets::new(false).under(&line).expect("snippet");
        assert!(
            shown.contains("2 |   datasets:archive_ag: \"90\"\n"),
            "{shown}"
        );
        assert!(shown.contains("  |   ^^^^^^^^^^^^^^^^^^^"), "{shown}");
        assert!(!shown.contains('\x1b'), "plain without colour: {shown}");
        assert!(
            Snippets::new(true)
                .under(&line)
                .expect("snippet")
                .contains('\x1b')
        );
        assert_eq!(Snippets::new(false).under("dataset x: no place"), None);
        assert_eq!(Snippets::new(false).under("nowhere.yaml:1:1: gone"), None);
    }
}
