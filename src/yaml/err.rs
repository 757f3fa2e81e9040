//! Errors of reading YAML into the spanned tree: syntax, and the budget that
//! keeps reading bounded. Each reader (proposals, price tables) wraps them in
//! its own error with its own help.

use granit_parser::{ErrorKind, ScanError};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// Text that is not a YAML document the tree can hold.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum YamlError {
    /// YAML (or JSON) that does not parse, or a shape the tree refuses
    /// (duplicate keys, a merge of a non-mapping, several documents).
    #[error("{message}")]
    #[diagnostic(code(archpolicy::yaml::syntax), help("{help}"))]
    Syntax {
        help: String,
        message: String,
        #[label("here")]
        span: SourceSpan,
    },

    /// Input that trips a budget: an alias bomb, deep nesting, too many nodes.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::yaml::budget))]
    Budget {
        message: String,
        #[label("limit reached here")]
        span: Option<SourceSpan>,
    },
}

impl YamlError {
    /// The primary span, where there is one.
    pub fn span(&self) -> Option<SourceSpan> {
        match self {
            YamlError::Syntax { span, .. } => Some(*span),
            YamlError::Budget { span, .. } => *span,
        }
    }
}

/// A parser error as the tree's: a budget when nesting is too deep, syntax
/// otherwise, at the parser's byte offset.
pub(super) fn scan_error(error: &ScanError, text: &str, depth: usize) -> YamlError {
    let marker = error.marker();
    // A `str` input always gives byte offsets.
    let offset = marker.byte_offset().unwrap_or(text.len());
    let span = SourceSpan::from((offset.min(text.len()), 0));
    let message = lowercase_first(error.kind().to_string().trim_end_matches('.'));
    match error.kind() {
        ErrorKind::RecursionLimitExceeded => {
            YamlError::Budget { message: format!("nesting deeper than {depth} levels"), span: Some(span) }
        }
        ErrorKind::TabNotAllowed | ErrorKind::TabInBlockIndentation => YamlError::Syntax {
            help: "indent with spaces: YAML does not allow tabs for indentation".into(),
            message,
            span,
        },
        _ => YamlError::Syntax {
            help: "check the indentation and that every `[`, `{` and quote is closed; quote text that contains `: ` or ` #`".into(),
            message,
            span,
        },
    }
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "invalid YAML".into(),
    }
}
