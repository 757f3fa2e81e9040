//! Errors of the cost stage: reading a price table, writing a chart.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// Why a price table did not load ([`CostOptions::from_price_file`],
/// [`CostOptions::from_price_str`], `policy cost --pricing`): each a
/// diagnostic with a stable code (`archpolicy::cost::*`, docs/diagnostics.md),
/// labelled in the table.
///
/// ```
/// use archpolicy::{CostOptions, PriceError};
/// let failure = CostOptions::from_price_str("p.yaml", "currency: USD\n").unwrap_err();
/// assert!(failure.errors().iter().any(|e| matches!(e, PriceError::Missing { what, .. } if what == "`items`")), "{failure}");
/// assert_eq!(CostOptions::from_price_str("p.yaml", "").unwrap_err().errors()[0], PriceError::Empty);
/// ```
///
/// [`CostOptions::from_price_file`]: crate::CostOptions::from_price_file
/// [`CostOptions::from_price_str`]: crate::CostOptions::from_price_str
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum PriceError {
    /// The file could not be read (missing, refused by the gate, not UTF-8).
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(archpolicy::cost::io))]
    Io {
        /// The path, as given.
        path: String,
        /// Why it could not be read.
        reason: String,
    },

    /// The file holds no table.
    #[error("the price table is empty")]
    #[diagnostic(code(archpolicy::cost::empty), help("start from data/prices-us-east-1.yaml"))]
    Empty,

    /// Not YAML (or JSON), or over the reader's budget.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::cost::syntax))]
    Syntax {
        /// What is wrong.
        message: String,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },

    /// A value of the wrong kind where the format wants another (a
    /// currency other than USD, a list where a mapping goes).
    #[error("{message}")]
    #[diagnostic(code(archpolicy::cost::shape), help("the format is that of data/prices-us-east-1.yaml"))]
    Shape {
        /// What is wrong.
        message: String,
        /// Where.
        #[label("here")]
        span: SourceSpan,
    },

    #[error("unknown {what} `{name}`")]
    #[diagnostic(code(archpolicy::cost::unknown), help("{help}"))]
    /// A key the format does not have (with a "did you mean").
    Unknown {
        /// What kind of key (`item`, `key`).
        what: String,
        /// The key, as written.
        name: String,
        /// Where.
        #[label("not a known {what}")]
        span: SourceSpan,
        /// What to write instead.
        help: String,
    },

    #[error("missing {what}")]
    #[diagnostic(
        code(archpolicy::cost::missing),
        help("every item of data/prices-us-east-1.yaml is needed: the cost model reads them all")
    )]
    /// A key or price item the cost model reads is not there.
    Missing {
        /// What is missing, e.g. `` `items` `` or `` item `lambda.requests` ``.
        what: String,
        /// Where it belongs.
        #[label("missing here")]
        span: SourceSpan,
    },

    #[error("`{id}`: {message}")]
    #[diagnostic(code(archpolicy::cost::value), help("{help}"))]
    /// A price item's value that does not read (a price without `$`, a
    /// negative tier bound).
    BadValue {
        /// The item's id.
        id: String,
        /// What is wrong.
        message: String,
        /// Where.
        #[label("here")]
        span: SourceSpan,
        /// What to write instead.
        help: String,
    },
}

impl PriceError {
    /// The tree's errors in a price table: both are syntax errors of the table.
    pub(crate) fn syntax(error: crate::yaml::YamlError) -> Self {
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
