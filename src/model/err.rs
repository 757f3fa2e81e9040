//! Errors of loading a proposal: reading, YAML syntax, shape, units and AWS's limits.


use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Failure;
use crate::yaml::YamlError;

/// One problem with a proposal file. Each has a stable code, a label on the
/// offending text where there is one, and help that says what to write.
///
/// ```
/// use miette::Diagnostic;
/// let text = "name: a\npattern: lambda_api_gateway\nenvironment: prodution\n";
/// let failure = archpolicy::load_str("a.arch.yaml", text).unwrap_err();
/// let error = failure.errors().iter().find(|e| e.to_string().contains("prodution")).unwrap();
/// assert_eq!(error.code_str(), "archpolicy::load::unknown_value");
/// assert!(error.help().unwrap().to_string().contains("production"), "did you mean");
/// assert_eq!(error.span().map(|s| s.offset()), text.find("prodution"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(archpolicy::load::io))]
    Io {
        /// The file, as named.
        path: String,
        /// Why it could not be read: the operating system's reason, in lower case, or the gate's.
        reason: String,
    },

    /// A path names nothing, or a directory holds no proposals.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::load::no_proposals), help("{help}"))]
    NoProposals {
        /// The message, as shown.
        message: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// Larger than a proposal can reasonably be.
    #[error("`{path}` is {}, more than the {} a proposal may have", crate::units::Size::from_bytes(*size), crate::units::Size::from_bytes(*limit))]
    #[diagnostic(
        code(archpolicy::load::too_large),
        help("a proposal describes one service in a few hundred lines; check that this is the right file")
    )]
    TooLarge {
        /// The file, as named.
        path: String,
        /// The file's size in bytes.
        size: u64,
        /// The most bytes a proposal may have.
        limit: u64,
    },

    /// Not UTF-8 text.
    #[error("the file is not UTF-8 text")]
    #[diagnostic(
        code(archpolicy::load::not_utf8),
        help(
            "save the proposal as UTF-8; a template's logical ID whose bytes are not UTF-8 is read with \
             U+FFFD in their place: name it so, as `policy import --write` does (or write `\\uFFFD` in a \
             double-quoted string)"
        )
    )]
    NotUtf8 {
        /// The offending text.
        #[label("invalid UTF-8 starts here")]
        span: SourceSpan,
    },

    /// Empty, or only comments.
    #[error("`{path}` is empty")]
    #[diagnostic(
        code(archpolicy::load::empty),
        help(
            "a proposal needs at least `name`, `pattern`, `environment` and `workload`; docs/model.md lists every key"
        )
    )]
    Empty {
        /// The file, as named.
        path: String,
    },

    /// YAML (or JSON) that does not parse.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::load::syntax), help("{help}"))]
    Syntax {
        /// What to write instead (the diagnostic's help).
        help: String,
        /// The message, as shown.
        message: String,
        /// The offending text.
        #[label("here")]
        span: SourceSpan,
    },

    /// Input that trips a parsing budget: an alias bomb, deep nesting, too many nodes.
    #[error("{message}")]
    #[diagnostic(
        code(archpolicy::load::budget),
        help(
            "proposals are small and flat; anchors, aliases and nesting this large are refused to keep loading bounded"
        )
    )]
    Budget {
        /// The message, as shown.
        message: String,
        /// Where the limit was reached, where known.
        #[label("limit reached here")]
        span: Option<SourceSpan>,
    },

    /// A key the section does not have.
    #[error("unknown key `{key}` in {section}")]
    #[diagnostic(code(archpolicy::load::unknown_key), help("{help}"))]
    UnknownKey {
        /// The key, as written.
        key: String,
        /// The section it is in, e.g. `gateway`, or `the proposal`.
        section: String,
        /// The offending text.
        #[label("unknown key")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A required key is missing.
    #[error("missing key `{key}` in {section}")]
    #[diagnostic(code(archpolicy::load::missing_key), help("{help}"))]
    MissingKey {
        /// The missing key.
        key: String,
        /// The section that lacks it, e.g. `gateway`, or `the proposal`.
        section: String,
        /// The section that lacks it.
        #[label("{section} is here")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A component that belongs to another pattern.
    #[error("`{component}` is not part of the `{pattern}` pattern")]
    #[diagnostic(code(archpolicy::load::foreign_component), help("{help}"))]
    ForeignComponent {
        /// The component's key.
        component: String,
        /// The declared pattern.
        pattern: String,
        /// The offending text.
        #[label("not a component of `{pattern}`")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// Another tool's file given as a proposal: a template, a manifest, an API document.
    #[error("expected an archpolicy proposal, found {what}")]
    #[diagnostic(
        code(archpolicy::load::foreign_file),
        help(
            "a proposal describes the service in archpolicy's own terms (`name`, `pattern`, `workload`, ...); docs/model.md shows one, and examples/ has one per pattern"
        )
    )]
    ForeignFile {
        /// What the file looks like, e.g. "a CloudFormation template".
        what: String,
        /// The offending text.
        #[label("this key marks {what}")]
        span: SourceSpan,
    },

    /// A list or mapping longer than a proposal may hold.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::load::too_many), help("{help}"))]
    TooMany {
        /// The message, as shown.
        message: String,
        /// The offending text.
        #[label("too many")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// Text that says nothing: empty or only spaces, where someone must say something.
    #[error("`{key}` is blank")]
    #[diagnostic(code(archpolicy::load::blank_text), help("write it in visible characters, e.g. `{example}`"))]
    BlankText {
        /// The key, as written.
        key: String,
        /// The offending text.
        #[label("blank")]
        span: SourceSpan,
        /// A value to write in its place.
        example: String,
    },

    /// A value of the wrong kind: a list for a number, text for a bool.
    #[error("{what} expects {expected}, found {found}")]
    #[diagnostic(code(archpolicy::load::wrong_type), help("{help}"))]
    WrongType {
        /// The key in backticks, or "the proposal".
        what: String,
        /// What the key takes, e.g. `a number`.
        expected: String,
        /// What the file has instead.
        found: String,
        /// The offending text.
        #[label("expected {expected}")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A quantity without its unit or with a unit it does not take.
    #[error("`{key}`: {message}")]
    #[diagnostic(code(archpolicy::load::unit), help("{help}"))]
    Unit {
        /// The key, as written.
        key: String,
        /// What is wrong with the quantity.
        message: String,
        /// The offending text.
        #[label("{label}")]
        span: SourceSpan,
        /// The label on `span`.
        label: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A name that is not one of the accepted values.
    #[error("unknown {kind} `{value}` for `{key}`")]
    #[diagnostic(code(archpolicy::load::unknown_value), help("{help}"))]
    UnknownValue {
        /// The key, as written.
        key: String,
        /// What kind of name the key takes, e.g. `runtime`.
        kind: String,
        /// The value, as written.
        value: String,
        /// The offending text.
        #[label("not a known {kind}")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A value outside AWS's hard limits.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::load::limit), help("{help}"))]
    OutOfLimit {
        /// The message, as shown.
        message: String,
        /// The offending text.
        #[label("{label}")]
        span: SourceSpan,
        /// The label on `span`.
        label: String,
        /// The limit and where AWS states it.
        help: String,
    },

    /// Settings that contradict each other or the pattern.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::load::conflict), help("{help}"))]
    Conflict {
        /// The message, as shown.
        message: String,
        /// The offending text.
        #[label("{label}")]
        span: SourceSpan,
        /// The label on `span`.
        label: String,
        /// The other value it conflicts with, where written.
        #[label("{other_label}")]
        other: Option<SourceSpan>,
        /// The label on `other`.
        other_label: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// The template a proposal stands on (`import:`) cannot be read, or holds
    /// no service by the name selected.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::load::import), help("{help}"))]
    Import {
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

    /// The template a proposal stands on needs more work to import than the
    /// budget allows (`import::fuel`): refused, not worked out.
    #[error("the template `{template}` needs more work to import than the budget allows: {work} spent most of it")]
    #[diagnostic(
        code(archpolicy::import::budget),
        help(
            "a template is imported under a work budget (docs/security.md); simplify its {work}, or stand on a template that holds only the service"
        )
    )]
    ImportBudget {
        /// The template's file, as named.
        template: String,
        /// What spent most of the budget, e.g. `references`.
        work: String,
        /// Where the budget ran out.
        #[label("the budget ran out here")]
        span: SourceSpan,
    },

    /// `import.select` names more than one service of the template (by
    /// logical ID or by CDK construct path, of the compute resource or of
    /// the front door): none is picked.
    #[error("`{select}` names {count} services of the template: {names}")]
    #[diagnostic(
        code(archpolicy::load::import_ambiguous),
        help("select one of them by a name that is its alone: {ids}")
    )]
    ImportAmbiguous {
        /// The proposal's `import.select`.
        select: String,
        /// How many services it matches.
        count: usize,
        /// The services it matches, for the message.
        names: String,
        /// The names that select each one alone, for the help.
        ids: String,
        /// The offending text.
        #[label("selects more than one service")]
        span: SourceSpan,
        /// A label on each service it matches (its compute resource, or its
        /// front door when the compute is shared), in the template.
        #[label(collection, "this one")]
        matches: Vec<miette::LabeledSpan>,
    },

    /// A template value that cannot be known from the files named: a
    /// parameter with no value, another stack's export, an attribute known
    /// only once deployed.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::load::import_unresolved), help("{help}"))]
    ImportUnresolved {
        /// The message, as shown.
        message: String,
        /// Where the value is used.
        #[label("used here")]
        used: SourceSpan,
        /// Where it is declared, where that is known.
        #[label("declared here")]
        declared: Option<SourceSpan>,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A key the proposal sets differently from the template it stands on.
    #[error("`{path}` is {proposal} in the proposal, but {template} in the template it stands on")]
    #[diagnostic(code(archpolicy::load::import_conflict), help("{help}"))]
    ImportConflict {
        /// The key's path, e.g. `function.timeout`.
        path: String,
        /// The proposal's value.
        proposal: String,
        /// The template's value.
        template: String,
        /// The proposal's value in its file.
        #[label("{proposal_label}")]
        proposal_span: SourceSpan,
        /// The label on `proposal_span`.
        proposal_label: String,
        /// The template's value, in the template.
        #[label("{template_label}")]
        template_span: SourceSpan,
        /// The label on `template_span`.
        template_label: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },
}

impl LoadError {
    /// The primary span, where there is one.
    ///
    /// ```
    /// let text = std::fs::read_to_string("examples/fargate_alb.arch.yaml")?;
    /// let failure = archpolicy::load_str("a.arch.yaml", &text.replace("environment: production", "environment: prod")).unwrap_err();
    /// let error = &failure.errors()[0];
    /// assert_eq!(failure.source.as_ref().unwrap().slice(error.span().unwrap()), Some("prod"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn span(&self) -> Option<SourceSpan> {
        match self {
            LoadError::Io { .. }
            | LoadError::NoProposals { .. }
            | LoadError::TooLarge { .. }
            | LoadError::Empty { .. } => None,
            LoadError::Budget { span, .. } => *span,
            LoadError::NotUtf8 { span }
            | LoadError::Syntax { span, .. }
            | LoadError::UnknownKey { span, .. }
            | LoadError::MissingKey { span, .. }
            | LoadError::ForeignComponent { span, .. }
            | LoadError::ForeignFile { span, .. }
            | LoadError::TooMany { span, .. }
            | LoadError::BlankText { span, .. }
            | LoadError::WrongType { span, .. }
            | LoadError::Unit { span, .. }
            | LoadError::UnknownValue { span, .. }
            | LoadError::OutOfLimit { span, .. }
            | LoadError::Conflict { span, .. }
            | LoadError::Import { span, .. }
            | LoadError::ImportBudget { span, .. }
            | LoadError::ImportAmbiguous { span, .. } => Some(*span),
            LoadError::ImportUnresolved { used, .. } => Some(*used),
            LoadError::ImportConflict { proposal_span, .. } => Some(*proposal_span),
        }
    }

    /// The stable code, e.g. `archpolicy::load::unit`.
    ///
    /// ```
    /// let failure = archpolicy::load_str("a.arch.yaml", "name: a\n").unwrap_err();
    /// assert_eq!(failure.errors()[0].code_str(), "archpolicy::load::missing_key");
    /// ```
    pub fn code_str(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }
}

/// A proposal that did not load: every error found in it, with the file.
///
/// ```
/// let failure = archpolicy::load_str("a.arch.yaml", "name: a\npattern: lambda_api_gateway\n").unwrap_err();
/// // Every error of the file at once, each with its stable code.
/// let codes: Vec<String> = failure.errors().iter().map(|e| e.code_str()).collect();
/// assert!(codes.iter().all(|c| c.starts_with("archpolicy::load::")), "{codes:?}");
/// assert!(codes.len() > 1, "{codes:?}");
/// ```
pub type LoadFailure = Failure<LoadError>;

impl LoadError {
    /// The tree's errors, with a proposal's help: the codes stay those of
    /// loading. Not `From`: the tree's error type is no part of the API.
    pub(crate) fn from_yaml(error: YamlError) -> Self {
        match error {
            YamlError::Syntax { help, message, span } => LoadError::Syntax { help, message, span },
            YamlError::Budget { message, span } => LoadError::Budget { message, span },
        }
    }
}
