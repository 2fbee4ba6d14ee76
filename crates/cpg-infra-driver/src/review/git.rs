//! Git plumbing for reading a configuration at a revision: running git in a folder,
//! and reading many files of one revision through one `git cat-file --batch`.

use std::path::Path;
use std::process::Command;

/// Runs git in `dir` and returns its stdout, or its stderr as the error.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            format!("cannot run git: {e}; install git or compare folders with --base-config")
        })?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// The contents of `files` at `rev`, read by one `git cat-file --batch`.
pub fn blobs(top: &Path, rev: &str, files: &[String]) -> Result<Vec<Vec<u8>>, String> {
    use std::io::{Read, Write};
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let request: String = files.iter().map(|f| format!("{rev}:{f}\n")).collect();
    // Written from a thread: git answers while it reads, and a full pipe would block.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut output = Vec::new();
    child
        .stdout
        .take()
        .ok_or("git cat-file: no stdout")?
        .read_to_end(&mut output)
        .map_err(|e| format!("git cat-file: {e}"))?;
    let _ = writer.join();
    let status = child.wait().map_err(|e| format!("git cat-file: {e}"))?;
    if !status.success() {
        return Err(format!("git cat-file --batch failed ({status})"));
    }
    let mut rest = output.as_slice();
    let mut found = Vec::with_capacity(files.len());
    for file in files {
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| format!("{file}: git cat-file gave a short answer"))?;
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = &rest[end + 1..];
        let size: usize = match header.split(' ').collect::<Vec<_>>().as_slice() {
            [_, "blob", size] => size
                .parse()
                .map_err(|_| format!("{file}: git cat-file: unexpected header `{header}`"))?,
            _ => return Err(format!("{file}: not a file at {rev} ({header})")),
        };
        if rest.len() < size + 1 {
            return Err(format!("{file}: git cat-file gave a short answer"));
        }
        found.push(rest[..size].to_vec());
        rest = &rest[size + 1..];
    }
    Ok(found)
}
