//! Errors of reading a needs file: the model's own (keys, units, AWS's
//! limits, did-you-mean), and what only a needs file can get wrong.


use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::model::LoadError;
use crate::source::Failure;

/// One problem with a needs file.
///
/// ```
/// use miette::Diagnostic;
/// let failure = archpolicy::load_needs_str("n.needs.yaml", "name: n\nfunction: {}\n").unwrap_err();
/// let codes: Vec<String> = failure.errors().iter().filter_map(|e| e.code()).map(|c| c.to_string()).collect();
/// assert!(codes.iter().any(|c| c == "archpolicy::recommend::component_section"), "{codes:?}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum NeedsError {
    /// A key, value or limit the proposal format refuses too.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(#[from] LoadError),

    /// Empty, or only comments.
    #[error("`{path}` is empty")]
    #[diagnostic(
        code(archpolicy::recommend::empty),
        help(
            "a needs file holds at least `name`, `environment` and `workload` (no `pattern`: that is what `policy recommend` chooses); docs/recommend.md shows one, and examples/*.needs.yaml"
        )
    )]
    Empty {
        /// The file, as named.
        path: String,
    },

    /// A needs file chooses no pattern: that is what `policy recommend` does.
    #[error("a needs file has no `pattern`")]
    #[diagnostic(
        code(archpolicy::recommend::pattern_key),
        help(
            "did you mean `policy check`? It checks a proposal that has chosen its pattern (`*.arch.yaml`); `policy recommend` chooses one: remove `pattern`"
        )
    )]
    PatternKey {
        /// The `pattern` key.
        #[label("the pattern is what `policy recommend` chooses")]
        span: SourceSpan,
    },

    /// A component section belongs to a proposal of one pattern.
    #[error("a needs file has no `{key}` section")]
    #[diagnostic(code(archpolicy::recommend::component_section), help("{help}"))]
    ComponentSection {
        /// The component's key.
        key: String,
        /// What to write instead (the diagnostic's help).
        help: String,
        /// The offending text.
        #[label("a component of a pattern")]
        span: SourceSpan,
    },

    /// Memory no compute of the three patterns offers.
    #[error("`requirements.memory` is {memory}, outside {least} to {most}")]
    #[diagnostic(
        code(archpolicy::recommend::memory),
        help(
            "the compute of the three patterns has from {least} (a Lambda function) to {most} (a 16 vCPU Fargate task)"
        )
    )]
    Memory {
        /// The memory asked for.
        memory: String,
        /// The least memory any compute offers (a Lambda function's).
        least: String,
        /// The most memory any compute offers (a Fargate task's).
        most: String,
        /// The offending text.
        #[label("no pattern's compute has this")]
        span: SourceSpan,
    },

    /// Two needs that no front door can meet together.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::recommend::contradiction), help("{help}"))]
    Contradiction {
        /// The message, as shown.
        message: String,
        /// What to write instead (the diagnostic's help).
        help: String,
        /// The requirement.
        #[label("{label}")]
        span: SourceSpan,
        /// The label on the requirement.
        label: String,
        /// The need it contradicts, where written.
        #[label("{other_label}")]
        other: Option<SourceSpan>,
        /// The label on `other`.
        other_label: String,
    },
}

impl NeedsError {
    /// Where it points, for reporting in file order.
    ///
    /// ```
    /// let failure = archpolicy::load_needs_str("n.needs.yaml", "name: n\npattern: fargate_alb\n").unwrap_err();
    /// let error = failure.errors().iter().find(|e| matches!(e, archpolicy::NeedsError::PatternKey { .. })).unwrap();
    /// let file = failure.source.as_ref().unwrap();
    /// assert_eq!(file.slice(error.span().unwrap()), Some("pattern"));
    /// ```
    pub fn span(&self) -> Option<SourceSpan> {
        match self {
            NeedsError::Load(e) => e.span(),
            NeedsError::Empty { .. } => None,
            NeedsError::PatternKey { span }
            | NeedsError::ComponentSection { span, .. }
            | NeedsError::Memory { span, .. }
            | NeedsError::Contradiction { span, .. } => Some(*span),
        }
    }
}

/// A needs file that did not load, with every error in it.
///
/// ```
/// let failure = archpolicy::load_needs_str("n.needs.yaml", "name: n\npattern: fargate_alb\n").unwrap_err();
/// assert!(failure.errors().iter().any(|e| e.to_string().contains("pattern")), "{failure}");
/// ```
pub type NeedsFailure = Failure<NeedsError>;
