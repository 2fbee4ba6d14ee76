//! Writing to stderr without panicking when it is closed.
//!
//! `eprintln!` panics when stderr cannot be written (`validate 2>&1 >/dev/null | head -1`:
//! the reader has gone after its first line). A closed stderr is handled as a closed stdout
//! is: the run goes on quietly and its exit code is what it would have been, since a reader
//! that has gone can no longer be told anything.

use std::io::Write as _;

/// Writes `args` to stderr; a failed write (closed pipe, full disk) is ignored.
pub fn write(args: std::fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_fmt(args);
    let _ = stderr.flush();
}

/// `eprintln!` that never panics: a line on stderr, or nothing when stderr is closed.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::stderr::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that never panics.
#[macro_export]
macro_rules! say_raw {
    ($($arg:tt)*) => {
        $crate::stderr::write(format_args!($($arg)*))
    };
}
