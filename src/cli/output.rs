//! Exit codes and writing diagnostics to the terminal.

use std::io::{IsTerminal, Write};

use crate::model::LoadFailure;
use crate::report::human::{self, Style};
use crate::untrusted::Untrusted;
use crate::walk::{Existing, Reason, WriteError, WriteErrorKind, write_file};

/// The exit codes of `policy`, stable across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Nothing at or above the failing severity.
    Ok = 0,
    /// Findings at or above the failing severity.
    Findings = 1,
    /// Usage or input errors: nothing was checked, or not everything.
    Error = 2,
}

impl Exit {
    /// The process's exit code. A method, not `From<Exit> for ExitCode`:
    /// a public trait's impl would put this crate-private type in the API.
    pub fn code(self) -> std::process::ExitCode {
        std::process::ExitCode::from(self as u8)
    }
}

/// Colors only on a terminal, and never with NO_COLOR set.
pub fn stderr_style() -> Style {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100);
    Style { color, width }
}

/// Colors on stdout only on a terminal, and never with NO_COLOR set.
pub fn stdout_style() -> Style {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    Style { color, ..stderr_style() }
}

/// Writes text to stderr through the guard every human output passes
/// ([`crate::untrusted::guard_lines`]): no line of it is a GitHub
/// workflow command. The one route to stderr.
pub fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(crate::untrusted::guard_lines(text).as_bytes());
}

/// Writes a policy error or warning, with its file, to stderr.
pub fn print_located(located: &crate::policy::Located) {
    write_stderr(&human::render(&located.report(), stderr_style()));
}

/// Writes every error of a failed load to stderr.
pub fn print_load_failure(failure: &LoadFailure) {
    print_reports(&failure.reports());
}

/// Writes reports to stderr.
pub fn print_reports(reports: &[miette::Report]) {
    let style = stderr_style();
    let text: String = reports.iter().map(|report| human::render(report, style)).collect();
    write_stderr(&text);
}

/// Writes one error without a file to stderr.
pub fn print_error(error: impl miette::Diagnostic + Send + Sync + 'static) {
    let report = miette::Report::new(error);
    write_stderr(&human::render(&report, stderr_style()));
}

/// Writes `bytes` as the file `path` through the one writer
/// ([`crate::walk::write_file`]): a new file, or with `force` a
/// replaced one; `Err` exit, the error printed, when it was not written.
pub fn write_output(path: &std::path::Path, bytes: &[u8], force: bool) -> Result<(), Exit> {
    let existing = if force { Existing::Replace } else { Existing::Keep };
    write_file(path, bytes, existing).map(drop).map_err(|error| write_failed(&error))
}

/// A file the writer did not write, as a diagnostic: what is wrong, and what to do.
pub fn write_failed(error: &WriteError) -> Exit {
    let help = match &error.kind {
        WriteErrorKind::Exists => "pass `--force` to replace it, or name another path",
        WriteErrorKind::Refused(Reason::NotAFile(_)) => "name a file, not a directory",
        WriteErrorKind::Refused(Reason::Io(_)) | WriteErrorKind::Io(_) => {
            "check that the directory exists and can be written"
        }
        WriteErrorKind::Refused(_) => "write inside the repository, in a directory that is not a symlink out of it",
    };
    print_reports(&[miette::miette!(code = "archpolicy::io::write", help = help, "{error}")]);
    Exit::Error
}

/// Writes a command's output to stdout: [`Exit::Ok`] when it was written
/// whole, [`Exit::Error`] when not (a full disk, a closed pipe), so that
/// every command fails when its report is cut short.
#[must_use = "a command whose output was not written whole exits 2"]
pub fn print_stdout(text: &str) -> Exit {
    match write_stdout(text) {
        Ok(()) => Exit::Ok,
        Err(error) => unwritten(&error),
    }
}

/// The report could not be written whole, so the run does not pass. A
/// closed pipe is the reader's choice (`| head`): no message for it.
pub fn unwritten(error: &std::io::Error) -> Exit {
    if error.kind() != std::io::ErrorKind::BrokenPipe {
        print_reports(&[miette::miette!(
            code = "archpolicy::io",
            help = "check that stdout can be written (disk space, a closed file)",
            "cannot write the report: {error}"
        )]);
    }
    Exit::Error
}

/// Writes to stdout, for callers that stop when no one reads any more.
/// Every output but GitHub annotations passes the guard
/// ([`crate::untrusted::guard_lines`]): no line of a report is a GitHub
/// workflow command, whatever text an input put in it.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    write_stdout_unguarded(&crate::untrusted::guard_lines(text))
}

/// Writes GitHub workflow commands (`--format github`), whose renderer
/// escapes every value it writes (`%0A` for a line feed): the one output
/// whose lines are commands on purpose.
pub fn write_commands(text: &str) -> std::io::Result<()> {
    write_stdout_unguarded(text)
}

/// The language server's stdout: JSON-RPC frames, whose bodies are JSON
/// (every value escaped by serde_json), read by an editor, never a person.
pub fn protocol_stdout() -> std::io::StdoutLock<'static> {
    stdout_handle()
}

fn stdout_handle() -> std::io::StdoutLock<'static> {
    std::io::stdout().lock()
}

/// The one route to stdout for reports.
fn write_stdout_unguarded(text: &str) -> std::io::Result<()> {
    let mut stdout = stdout_handle();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Columns of a table are padded to at most this many characters; a longer
/// cell runs past its column instead of widening every row.
const MAX_COLUMN: usize = 60;

/// The width of a table's column: its widest cell, up to [`MAX_COLUMN`].
pub fn column_width<'a>(cells: impl IntoIterator<Item = &'a str>) -> usize {
    cells.into_iter().map(|c| c.chars().count()).filter(|&w| w <= MAX_COLUMN).max().unwrap_or(0)
}

/// A table cell, escaped and padded to `width` characters. `{:width$}`
/// would panic past 65 535 and pad every row to the longest value.
pub fn cell(text: &Untrusted, width: usize) -> String {
    let text = text.terminal().to_string();
    let pad = width.saturating_sub(text.chars().count());
    format!("{text}{}", " ".repeat(pad))
}
