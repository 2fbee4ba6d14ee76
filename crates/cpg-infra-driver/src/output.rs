//! Writing a command's result to stdout, and telling a reader that has gone (`plan |
//! head`) from a real failure.

use std::io::Write;

use anyhow::{Context, Result};

/// Writes `text` to stdout in one piece (nothing is printed on failure paths).
pub fn emit(text: &str) -> Result<()> {
    emit_bytes(text.as_bytes())
}

/// Writes `bytes` to stdout in one piece.
pub fn emit_bytes(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes).context("writing to stdout")?;
    stdout.flush().context("writing to stdout")
}

/// Whether writing failed because the reader of stdout has gone (`plan | head`).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            // serde_json's writer wraps the error without exposing it as a source.
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
