//! The crate's error type, [`ConfigError`], and the source position type [`Pos`].
//!
//! Every error renders as one line that names where the problem is (file, and line:column when
//! the parser knows it, or the key path), what is wrong, and what to do about it.

use std::fmt;

/// A 1-based line and column in a configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column number (in characters).
    pub column: usize,
}

impl Pos {
    /// Builds a position from 1-based line and column numbers.
    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }

    /// Computes the position of byte offset `offset` in `text` (clamped to the text).
    pub fn from_offset(text: &str, offset: usize) -> Self {
        let mut end = offset.min(text.len());
        while end > 0 && !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Self { line, column }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Renders `origin` or `origin:line:column`.
pub(crate) fn at(origin: &str, pos: Option<Pos>) -> String {
    match pos {
        Some(p) => format!("{origin}:{p}"),
        None => origin.to_string(),
    }
}

/// Everything that can go wrong while loading or validating configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A file or directory could not be read.
    #[error("{path}: cannot read: {error}; check that it exists and is readable")]
    Io {
        /// The path that could not be read.
        path: String,
        /// The underlying I/O error.
        error: std::io::Error,
    },

    /// A file is not valid UTF-8.
    #[error("{}: not valid UTF-8 text; save the file as UTF-8", at(origin, Some(*pos)))]
    NotUtf8 {
        /// The file.
        origin: String,
        /// Where the first invalid byte is.
        pos: Pos,
    },

    /// The file is not well-formed YAML, TOML or JSON, or has the wrong overall shape.
    #[error("{}: {message}", at(origin, *pos))]
    Syntax {
        /// The file (or `PULUMI_CONFIG`).
        origin: String,
        /// Where the parser stopped, when known.
        pos: Option<Pos>,
        /// What the parser reported, and what to do.
        message: String,
    },

    /// A key is unknown or its value is invalid.
    #[error("{}: {key}: {message}", at(origin, *pos))]
    Key {
        /// The file (or `PULUMI_CONFIG`).
        origin: String,
        /// Where the key or value is, when known.
        pos: Option<Pos>,
        /// The key path, e.g. `datasets:archive_age` or `datasets.alpha-study.archive_age`.
        key: String,
        /// What is wrong and what to do.
        message: String,
    },

    /// A required section is missing from a file.
    #[error(
        "{origin}: missing section [{section}]; add it (see the crate documentation for its keys)"
    )]
    MissingSection {
        /// The file.
        origin: String,
        /// The missing section, e.g. `infrastructure`.
        section: String,
    },

    /// A dataset's configuration breaks a cross-field rule.
    #[error("{}dataset {dataset}: {message}", origin.as_ref().map_or_else(String::new, |o| format!("{o}: ")))]
    Dataset {
        /// The dataset.
        dataset: String,
        /// The file the dataset was read from, when known ([`ConfigError::located`]).
        origin: Option<String>,
        /// What is wrong (naming the key or component) and what to do.
        message: String,
    },

    /// The same dataset is defined in two places.
    #[error(
        "dataset {dataset} is defined twice, in {first} and in {second}; keep only one definition"
    )]
    DuplicateDataset {
        /// The dataset.
        dataset: String,
        /// Where it was defined first.
        first: String,
        /// Where it was defined again.
        second: String,
    },

    /// A dataset depends on a dataset that is not configured.
    #[error(
        "{}dataset {dataset}: datasets:depends_on names `{dependency}`, which is not a configured dataset{suggestion}; add its stack file or remove it from datasets:depends_on",
        origin.as_ref().map_or_else(String::new, |o| format!("{o}: "))
    )]
    UnknownDependency {
        /// The dataset whose `depends_on` is wrong.
        dataset: String,
        /// The file the dataset was read from, when known ([`ConfigError::located`]).
        origin: Option<String>,
        /// The unknown dataset it names.
        dependency: String,
        /// `; did you mean ...?` or empty.
        suggestion: String,
    },

    /// The datasets' dependencies form a cycle.
    #[error(
        "dependency cycle between datasets: {cycle}; remove one of these datasets:depends_on entries"
    )]
    Cycle {
        /// The cycle, e.g. `a -> b -> a`.
        cycle: String,
    },

    /// Several problems, reported together: one line each, sorted, at most
    /// [`MAX_REPORTED`] of them followed by how many more there are. Built by
    /// [`ConfigError::collect`], never nested and never of fewer than two.
    #[error("{}", render_many(.0))]
    Many(Vec<ConfigError>),
}

/// How many problems one report lists before it says how many more there are.
pub const MAX_REPORTED: usize = 50;

/// `text` with every run of digits zero-padded, so that sorting it sorts `f:9:1` before
/// `f:10:1` (line and column numbers in their numeric order).
fn natural_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            out.push_str(&format!("{digits:0>12}"));
            digits.clear();
        }
        out.push(c);
    }
    if !digits.is_empty() {
        out.push_str(&format!("{digits:0>12}"));
    }
    out
}

fn render_many(errors: &[ConfigError]) -> String {
    let mut lines: Vec<String> = errors
        .iter()
        .take(MAX_REPORTED)
        .map(ToString::to_string)
        .collect();
    if errors.len() > MAX_REPORTED {
        let more = errors.len() - MAX_REPORTED;
        lines.push(format!(
            "... and {more} more problem{} (fix these first)",
            if more == 1 { "" } else { "s" }
        ));
    }
    lines.join("\n")
}

impl ConfigError {
    /// Every problem found, as one error: `Ok` when there is none, else
    /// [`ConfigError::with_others`] of them.
    pub fn collect(errors: impl IntoIterator<Item = ConfigError>) -> Result<(), ConfigError> {
        let mut errors = errors.into_iter();
        match errors.next() {
            None => Ok(()),
            Some(first) => Err(first.with_others(errors)),
        }
    }

    /// This problem and `others` as one error: the problem itself when it is the only one,
    /// else [`ConfigError::Many`] with the problems flattened, sorted by their message (line
    /// and column numbers in numeric order) and without repeats.
    pub fn with_others(self, others: impl IntoIterator<Item = ConfigError>) -> ConfigError {
        let mut flat: Vec<ConfigError> = Vec::new();
        for error in std::iter::once(self).chain(others) {
            match error {
                ConfigError::Many(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        let mut keyed: Vec<(String, ConfigError)> = flat
            .into_iter()
            .map(|e| (natural_key(&e.to_string()), e))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        let mut errors: Vec<ConfigError> = keyed.into_iter().map(|(_, e)| e).collect();
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            ConfigError::Many(errors)
        }
    }

    /// The problems this error reports (itself, or those of [`ConfigError::Many`]).
    pub fn problems(&self) -> &[ConfigError] {
        match self {
            ConfigError::Many(errors) => errors,
            other => std::slice::from_ref(other),
        }
    }

    /// Builds a [`ConfigError::Key`].
    pub fn key(
        origin: &str,
        pos: Option<Pos>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Key {
            origin: origin.to_string(),
            pos,
            key: key.into(),
            message: message.into(),
        }
    }

    /// Builds a [`ConfigError::Syntax`].
    pub fn syntax(origin: &str, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Self::Syntax {
            origin: origin.to_string(),
            pos,
            message: message.into(),
        }
    }

    /// Builds a [`ConfigError::Dataset`].
    pub fn dataset(dataset: &str, message: impl Into<String>) -> Self {
        Self::Dataset {
            dataset: dataset.to_string(),
            origin: None,
            message: message.into(),
        }
    }

    /// Names the file of every dataset-level problem: `origin_of` gives the file a dataset
    /// was read from (e.g. `stack/Pulumi.alpha.yaml`), when known.
    pub fn located(self, origin_of: &impl Fn(&str) -> Option<String>) -> ConfigError {
        match self {
            ConfigError::Dataset {
                dataset,
                origin: None,
                message,
            } => ConfigError::Dataset {
                origin: origin_of(&dataset),
                dataset,
                message,
            },
            ConfigError::UnknownDependency {
                dataset,
                origin: None,
                dependency,
                suggestion,
            } => ConfigError::UnknownDependency {
                origin: origin_of(&dataset),
                dataset,
                dependency,
                suggestion,
            },
            ConfigError::Many(errors) => {
                let mut errors = errors.into_iter().map(|e| e.located(origin_of));
                match errors.next() {
                    Some(first) => first.with_others(errors),
                    None => ConfigError::Many(Vec::new()),
                }
            }
            other => other,
        }
    }
}

/// Turns raw bytes into text, or a [`ConfigError::NotUtf8`] pointing at the first bad byte.
pub fn decode_utf8(bytes: &[u8], origin: &str) -> Result<String, ConfigError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').unwrap_or(s).to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let text = String::from_utf8_lossy(good);
            Err(ConfigError::NotUtf8 {
                origin: origin.to_string(),
                pos: Pos::from_offset(&text, text.len()),
            })
        }
    }
}

/// Returns `"; did you mean `X`?"` for the closest candidate, or an empty string.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    render: impl Fn(&str) -> String,
) -> String {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    match best {
        Some((_, c)) => format!("; did you mean {}?", render(c)),
        None => String::new(),
    }
}
