//! Logs for people and for developers.
//!
//! Without `RUST_LOG`, warnings (from any crate) are collected and said at the end
//! of a step ([`flush`]) as plain `warning: ...` lines (errors logged by a library
//! are said at once as `error: ...`; information and debugging events are dropped): no colours, no timestamps,
//! no module paths, and a warning that repeats for many files (the same text after
//! each file's `path:line:column: `) is said once, with a count and the first
//! places. With `RUST_LOG` set, its filter decides, and the lines have the usual
//! `tracing` format (colours only when stderr is a terminal).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::Mutex;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// How many places a grouped warning lists before "and N more".
const PLACES_SHOWN: usize = 3;

/// The warnings collected since the last [`flush`].
static WARNINGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Installs the logger: `RUST_LOG`'s filter and format when it is set (and valid),
/// else the warning collector.
pub fn init() {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|f| !f.trim().is_empty())
        .and_then(|f| match EnvFilter::try_new(&f) {
            Ok(filter) => Some(filter),
            Err(error) => {
                crate::say!("warning: RUST_LOG={f:?} is not a log filter ({error}); ignored");
                None
            }
        });
    match filter {
        Some(filter) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            // Its own report of a failed write is an `eprintln!`, which panics on a closed stderr.
            .log_internal_errors(false)
            .with_ansi(std::io::stderr().is_terminal())
            .init(),
        None => tracing_subscriber::registry().with(Collector).init(),
    }
}

/// Prints the warnings collected so far on stderr, grouped, and forgets them.
pub fn flush() {
    let warnings = std::mem::take(&mut *WARNINGS.lock().unwrap_or_else(|e| e.into_inner()));
    if warnings.is_empty() {
        return;
    }
    let mut text = String::new();
    for line in group(&warnings) {
        let _ = writeln!(text, "warning: {line}");
    }
    crate::say_raw!("{text}");
}

/// Collects warning events; says error events at once; drops the rest.
struct Collector;

impl<S: Subscriber> Layer<S> for Collector {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        if level != Level::WARN && level != Level::ERROR {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        if level == Level::ERROR {
            crate::say!("error: {}", message.0);
            return;
        }
        WARNINGS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(message.0);
    }
}

/// The `message` field of an event, followed by any other fields as `name=value`.
struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.insert_str(0, value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.insert_str(0, &format!("{value:?}"));
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

/// Splits `warning` into its leading place (`path:line:column`) and the rest, when it
/// starts with one.
pub fn split_place(warning: &str) -> Option<(&str, &str)> {
    let mut from = 0;
    while let Some(at) = warning[from..].find(": ").map(|i| i + from) {
        let place = &warning[..at];
        let mut parts = place.rsplitn(3, ':');
        let column = parts.next().unwrap_or_default();
        let line = parts.next().unwrap_or_default();
        let path = parts.next().unwrap_or_default();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !path.is_empty() && digits(line) && digits(column) {
            return Some((place, &warning[at + 2..]));
        }
        from = at + 2;
    }
    None
}

/// Groups warnings: the same text at several places is said once, with the number of
/// places and the first few of them; the same text said several times
/// without a place is said once with a count. Order: first appearance.
pub fn group(warnings: &[String]) -> Vec<String> {
    // (text without place, first warning in full, places, times)
    let mut groups: Vec<(&str, &str, Vec<&str>, usize)> = Vec::new();
    for warning in warnings {
        let (place, rest) =
            split_place(warning).map_or((None, warning.as_str()), |(p, r)| (Some(p), r));
        match groups.iter_mut().find(|group| group.0 == rest) {
            Some((_, _, places, times)) => {
                places.extend(place);
                *times += 1;
            }
            None => groups.push((rest, warning, place.into_iter().collect(), 1)),
        }
    }
    groups
        .into_iter()
        .map(|(text, first, places, times)| match (places.len(), times) {
            (_, 1) => first.to_owned(),
            (0, times) => format!("{text} (said {times} times)"),
            (n, times) => {
                let mut shown = places[..n.min(PLACES_SHOWN)].join(", ");
                if n > PLACES_SHOWN {
                    let _ = write!(shown, " and {} more", n - PLACES_SHOWN);
                }
                let unplaced = times - n;
                let extra = if unplaced > 0 {
                    format!("; said {unplaced} more times without a place")
                } else {
                    String::new()
                };
                format!("{text} (at {n} places: {shown}{extra})")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_same_warning_in_many_files_is_said_once_with_a_count() {
        let legacy = "datasets:customer_id: legacy key, ignored; you can remove it";
        let warnings: Vec<String> = (0..10)
            .map(|i| format!("stacks/Pulumi.ds-{i}.yaml:3:3: {legacy}"))
            .chain(["dataset x: depends on y".to_owned()])
            .collect();
        assert_eq!(
            group(&warnings),
            [
                format!(
                    "{legacy} (at 10 places: stacks/Pulumi.ds-0.yaml:3:3, stacks/Pulumi.ds-1.yaml:3:3, stacks/Pulumi.ds-2.yaml:3:3 and 7 more)"
                ),
                "dataset x: depends on y".to_owned(),
            ]
        );
    }

    #[test]
    fn single_and_unplaced_warnings_keep_their_text() {
        let warnings = strings(&["a.yaml:1:2: key: one", "b: two", "b: two"]);
        assert_eq!(
            group(&warnings),
            ["a.yaml:1:2: key: one", "b: two (said 2 times)"]
        );
    }

    #[test]
    fn places_are_path_line_column() {
        assert_eq!(
            split_place("C:x/Pulumi.a.yaml:12:7: datasets:k: m"),
            Some(("C:x/Pulumi.a.yaml:12:7", "datasets:k: m"))
        );
        assert_eq!(split_place("dataset a: datasets:k: m"), None);
        assert_eq!(split_place("x:1: m"), None);
    }
}
