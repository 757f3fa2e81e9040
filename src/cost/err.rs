//! Errors of the cost stage: reading a price table, writing a chart.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum PriceError {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(archpolicy::cost::io))]
    Io { path: String, reason: String },

    #[error("the price table is empty")]
    #[diagnostic(code(archpolicy::cost::empty), help("start from data/prices-us-east-1.yaml"))]
    Empty,

    #[error("{message}")]
    #[diagnostic(code(archpolicy::cost::syntax))]
    Syntax {
        message: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code(archpolicy::cost::shape), help("the format is that of data/prices-us-east-1.yaml"))]
    Shape {
        message: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("unknown {what} `{name}`")]
    #[diagnostic(code(archpolicy::cost::unknown), help("{help}"))]
    Unknown {
        what: String,
        name: String,
        #[label("not a known {what}")]
        span: SourceSpan,
        help: String,
    },

    #[error("missing {what}")]
    #[diagnostic(
        code(archpolicy::cost::missing),
        help("every item of data/prices-us-east-1.yaml is needed: the cost model reads them all")
    )]
    Missing {
        what: String,
        #[label("missing here")]
        span: SourceSpan,
    },

    #[error("`{id}`: {message}")]
    #[diagnostic(code(archpolicy::cost::value), help("{help}"))]
    BadValue {
        id: String,
        message: String,
        #[label("here")]
        span: SourceSpan,
        help: String,
    },
}

/// The tree's errors in a price table: both are syntax errors of the table.
impl From<crate::yaml::YamlError> for PriceError {
    fn from(error: crate::yaml::YamlError) -> Self {
        let span = error.span().unwrap_or_else(|| SourceSpan::from((0, 0)));
        PriceError::Syntax { message: error.to_string(), span }
    }
}

/// The chart could not be written.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("cannot write the chart to `{path}`: {reason}")]
#[diagnostic(code(archpolicy::cost::chart), help("check that the directory exists and is writable"))]
pub struct ChartError {
    pub path: String,
    pub reason: String,
}
