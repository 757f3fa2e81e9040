//! Files that could not be checked, as data every format can carry: a CI
//! dashboard shows why a run failed, not only stderr.

use serde::Serialize;

/// One error that kept a file from being checked (it did not load, or a
/// waiver names no policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file, as the user named it.
    pub file: String,
    /// The error's code (`archpolicy::load::unknown_key`).
    pub code: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// 1-based line and column of the error's first label, when it has one.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Problem {
    /// The error of a diagnostic about `file`: its place is in `file`, or in
    /// a file attached to it (the template a proposal stands on), whose name
    /// it then takes.
    pub fn from_diagnostic(file: &str, diagnostic: &dyn miette::Diagnostic) -> Problem {
        let labels: Vec<miette::LabeledSpan> = diagnostic.labels().map(Iterator::collect).unwrap_or_default();
        let label = labels.iter().find(|l| l.primary()).or(labels.first());
        let at = label.and_then(|l| diagnostic.source_code()?.read_span(l.inner(), 0, 0).ok());
        let file = at.as_ref().and_then(|c| c.name()).filter(|n| !n.is_empty()).unwrap_or(file);
        Problem {
            file: file.to_string(),
            code: diagnostic.code().map(|c| c.to_string()),
            message: diagnostic.to_string(),
            help: diagnostic.help().map(|h| h.to_string()),
            line: at.as_ref().map(|c| c.line() + 1),
            column: at.as_ref().map(|c| c.column() + 1),
        }
    }
}
