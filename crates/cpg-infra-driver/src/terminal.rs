//! Text output for people at a terminal: colour (only on a terminal unless asked,
//! never with `NO_COLOR` unless `--color always`) and lines cut to the terminal's
//! width, marked with `…` where cut. Output to a pipe or file is left whole and
//! plain, so tools and tests see every character.

use std::io::IsTerminal;

/// When to colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set to something.
    #[default]
    Auto,
    /// Always (even with `NO_COLOR`).
    Always,
    /// Never.
    Never,
}

/// How text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Colour with ANSI escapes.
    pub color: bool,
    /// Cut lines to this many characters.
    pub width: Option<usize>,
}

/// The mark at the end of a cut line.
pub const CUT: char = '…';

const RESET: &str = "\x1b[0m";

impl Style {
    /// The style of stdout: colour per `choice` (and `no_color`, the value of
    /// `NO_COLOR`), lines cut to the terminal's width when stdout is a terminal.
    pub fn for_stdout(choice: ColorChoice, no_color: Option<&str>) -> Self {
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && no_color.is_none_or(str::is_empty),
        };
        let width = if terminal {
            terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0))
        } else {
            None
        };
        Self { color, width }
    }

    /// `text` with every line cut to the width and coloured by what it shows.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            let (body, end) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            let body = match self.width {
                Some(width) => cut(body, width),
                None => body.to_owned(),
            };
            match self.color.then(|| color_of(&body)).flatten() {
                Some(code) => {
                    out.push_str(code);
                    out.push_str(&body);
                    out.push_str(RESET);
                }
                None => out.push_str(&body),
            }
            out.push_str(end);
        }
        out
    }
}

/// `line` cut to `width` characters, the last one being [`CUT`] when anything is cut.
pub fn cut(line: &str, width: usize) -> String {
    if width == 0 || line.chars().count() <= width {
        return line.to_owned();
    }
    let mut kept: String = line.chars().take(width - 1).collect();
    kept.push(CUT);
    kept
}

/// The ANSI colour of a line of a plan or a diff, by how it starts.
fn color_of(line: &str) -> Option<&'static str> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if indent == 0 {
        return line.starts_with("dataset ").then_some("\x1b[1m");
    }
    let code = if trimmed.starts_with("! data-loss")
        || trimmed.starts_with("! replace")
        || trimmed.starts_with("! blocked")
    {
        "\x1b[1;31m"
    } else if trimmed.starts_with("! ") {
        "\x1b[1;33m"
    } else if trimmed.starts_with("+- ") || trimmed.starts_with("- ") {
        "\x1b[31m"
    } else if trimmed.starts_with("+ ") {
        "\x1b[32m"
    } else if trimmed.starts_with("~ ") || trimmed.starts_with("warning ") {
        "\x1b[33m"
    } else if trimmed.starts_with("note ") {
        "\x1b[36m"
    } else {
        return None;
    };
    Some(code)
}
