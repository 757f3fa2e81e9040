//! Errors of reading YAML into the spanned tree: syntax, and the budget that
//! keeps reading bounded. Each reader (proposals, price tables) wraps them in
//! its own error with its own help.

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
