//! Syntax errors: the text is not a policy file (parse and lower).

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A syntax error, in [`PolicyError::Parse`](super::PolicyError::Parse): the text is not a policy
/// file. Codes `archpolicy::parse::*`.
///
/// ```
/// use archpolicy::{ParseError, PolicyError};
/// let failure = archpolicy::PolicySet::from_str("org.policy", "policy p: deny {\n  require (((\n}\n").unwrap_err();
/// let error = &failure.errors()[0].error;
/// assert!(matches!(error, PolicyError::Parse(ParseError::Syntax { .. })), "{error:?}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum ParseError {
    /// Text the grammar does not accept.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::parse::syntax), help("{help}"))]
    Syntax {
        /// The message, as shown.
        message: String,
        /// The offending text.
        #[label("{label}")]
        span: SourceSpan,
        /// The label on `span`.
        label: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// Larger than a policy file may be.
    #[error("the policy file is {}, more than the {} a policy file may have", crate::units::Size::from_bytes(*size), crate::units::Size::from_bytes(*limit))]
    #[diagnostic(code(archpolicy::parse::too_large), help("split the policies into several files"))]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The most bytes a policy file may have.
        limit: u64,
    },

    /// Parentheses, lists or quantifiers nested too deep.
    #[error("nesting deeper than {limit} levels")]
    #[diagnostic(
        code(archpolicy::parse::too_deep),
        help(
            "parentheses, lists and quantifiers nest at most {limit} deep; name parts of the condition as separate `require` clauses"
        )
    )]
    TooDeep {
        /// The deepest nesting allowed.
        limit: usize,
        /// The offending text.
        #[label("too deep here")]
        span: SourceSpan,
    },

    /// An expression with too many parts.
    #[error("this expression has more than {limit} parts (operands and operators)")]
    #[diagnostic(code(archpolicy::parse::too_long), help("split it into several `require` or `when` clauses"))]
    TooLong {
        /// The most parts an expression may have.
        limit: usize,
        /// The offending text.
        #[label("too long")]
        span: SourceSpan,
    },

    /// A literal that does not read: an unknown unit, a number too large, a string too long.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::parse::literal), help("{help}"))]
    Literal {
        /// The message, as shown.
        message: String,
        /// The offending text.
        #[label("{label}")]
        span: SourceSpan,
        /// The label on `span`.
        label: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A clause a policy may have once, written twice.
    #[error("a policy may have one `{clause}` clause")]
    #[diagnostic(code(archpolicy::parse::duplicate_clause), help("remove one of them"))]
    DuplicateClause {
        /// The clause keyword, e.g. `title`.
        clause: String,
        /// The second one.
        #[label("second `{clause}`")]
        span: SourceSpan,
        /// The first one.
        #[label("first `{clause}`")]
        first: SourceSpan,
    },

    /// `{...}` where nothing is interpolated.
    #[error("interpolation is not allowed here")]
    #[diagnostic(
        code(archpolicy::parse::interpolation),
        help("`{{fact.path}}` interpolates in `else` messages and `help`; write `\\{{` for a literal brace")
    )]
    Interpolation {
        /// The offending text.
        #[label("not interpolated here")]
        span: SourceSpan,
    },
}
