//! Where a deployment is: a line as each stack starts (`==> stack N of M (<dataset>):
//! <command>`) and as it finishes (`<== stack N of M (<dataset>): done in 12.3s`), and
//! a table of every stack's result and time at the end. Plain lines, the same on a
//! terminal and in a CI log (no cursor movement, no colour), so a log shows the
//! progress as it happened.

use std::fmt::Write;
use std::time::Duration;

use cpg_infra_abstraction::render::text::count;
use cpg_infra_config::DatasetName;

use super::DeployReport;

/// A stack starting or finishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// A stack started.
    Started {
        /// The stack.
        dataset: &'a DatasetName,
        /// Its number in start order, from 1.
        number: usize,
        /// How many stacks the run has.
        total: usize,
    },
    /// A stack finished.
    Finished {
        /// The stack.
        dataset: &'a DatasetName,
        /// Its number in start order, from 1.
        number: usize,
        /// How many stacks the run has.
        total: usize,
        /// Why it failed, when it did.
        failure: Option<&'a str>,
        /// How long it took.
        elapsed: Duration,
    },
}

/// `12.3s`, `2m05s`: a duration for people.
pub fn duration(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1}s")
    } else {
        let whole = elapsed.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}

/// The line said for `event`; `command` is what runs for a starting stack.
pub fn line(event: &Event<'_>, command: &str) -> String {
    match *event {
        Event::Started {
            dataset,
            number,
            total,
        } => format!("==> stack {number} of {total} ({dataset}): {command}"),
        Event::Finished {
            dataset,
            number,
            total,
            failure,
            elapsed,
        } => match failure {
            None => format!(
                "<== stack {number} of {total} ({dataset}): done in {}",
                duration(elapsed)
            ),
            Some(reason) => format!(
                "<== stack {number} of {total} ({dataset}): failed in {}: {reason}",
                duration(elapsed)
            ),
        },
    }
}

/// A row of the table: number, stack, result, time.
type Row<'a> = (String, &'a str, &'a str, String);

/// The table that ends a run: every stack in the order it started (then those not
/// run), with its result and time, and the counts and the run's time.
pub fn table(report: &DeployReport, elapsed: Duration) -> String {
    let mut rows: Vec<Row<'_>> = Vec::new();
    for (i, (dataset, took)) in report.ran.iter().enumerate() {
        let result = if report.failed.iter().any(|(d, _)| d == dataset) {
            "failed"
        } else if report.done.contains(dataset) {
            "done"
        } else {
            "running"
        };
        rows.push((
            (i + 1).to_string(),
            dataset.as_str(),
            result,
            duration(*took),
        ));
    }
    for dataset in &report.not_run {
        rows.push(("-".to_owned(), dataset.as_str(), "not run", "-".to_owned()));
    }
    let width = |column: &dyn Fn(&Row<'_>) -> usize, title: &str| {
        rows.iter()
            .map(column)
            .chain([title.len()])
            .max()
            .unwrap_or_default()
    };
    let number = width(&|r| r.0.len(), "#");
    let stack = width(&|r| r.1.len(), "stack");
    let result = width(&|r| r.2.len(), "result");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:>number$}  {:<stack$}  {:<result$}  time",
        "#", "stack", "result"
    );
    for (n, dataset, outcome, took) in &rows {
        let _ = writeln!(
            out,
            "  {n:>number$}  {dataset:<stack$}  {outcome:<result$}  {took}"
        );
    }
    let _ = writeln!(
        out,
        "{}: {} done, {} failed, {} not run, in {}",
        count(rows.len(), "stack"),
        report.done.len(),
        report.failed.len(),
        report.not_run.len(),
        duration(elapsed)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> DatasetName {
        DatasetName::parse(s).expect("name")
    }

    #[test]
    fn durations_read_as_seconds_then_minutes() {
        assert_eq!(duration(Duration::from_millis(1234)), "1.2s");
        assert_eq!(duration(Duration::from_secs(125)), "2m05s");
    }

    #[test]
    fn lines_say_the_number_the_total_and_the_result() {
        let dataset = name("alpha-study");
        let started = Event::Started {
            dataset: &dataset,
            number: 2,
            total: 5,
        };
        assert_eq!(
            line(&started, "pulumi up --stack alpha-study"),
            "==> stack 2 of 5 (alpha-study): pulumi up --stack alpha-study"
        );
        let failed = Event::Finished {
            dataset: &dataset,
            number: 2,
            total: 5,
            failure: Some("boom"),
            elapsed: Duration::from_millis(500),
        };
        assert_eq!(
            line(&failed, ""),
            "<== stack 2 of 5 (alpha-study): failed in 0.5s: boom"
        );
    }

    #[test]
    fn the_table_lists_every_stack_in_start_order() {
        let report = DeployReport {
            done: vec![name("reference")],
            failed: vec![(name("alpha-study"), "boom".to_owned())],
            not_run: vec![name("beta-cohort")],
            ran: vec![
                (name("reference"), Duration::from_secs(3)),
                (name("alpha-study"), Duration::from_millis(1500)),
            ],
        };
        assert_eq!(
            table(&report, Duration::from_secs(5)),
            "  #  stack        result   time\n  1  reference    done     3.0s\n  2  alpha-study  failed   1.5s\n  -  beta-cohort  not run  -\n3 stacks: 1 done, 1 failed, 1 not run, in 5.0s\n"
        );
    }
}
