//! Errors of reading policies: syntax (parse and lower), types (typecheck),
//! `test` blocks, and reading a set's files and params.

use miette::Diagnostic;
use thiserror::Error;

use crate::source::{Failure, SourceFile};

mod check;
mod parse;
mod test;

pub use check::CheckError;
pub use parse::ParseError;
pub use test::TestError;

/// Any error of reading a policy set, with the file it points into.
///
/// ```
/// use miette::Diagnostic;
/// let text = "policy p: deny {\n  require request.sync_limt <= 29s\n}\n";
/// let failure = archpolicy::PolicySet::from_str("org.policy", text).unwrap_err();
/// let error = &failure.errors().iter().next().unwrap().error;
/// assert_eq!(error.code().unwrap().to_string(), "archpolicy::check::unknown_fact");
/// assert!(error.help().unwrap().to_string().contains("request.sync_limit"), "did you mean");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum PolicyError {
    /// A syntax error: the text is not a policy file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(#[from] ParseError),
    /// A type error: the policy does not fit the fact schema.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    /// An error of a `test` block.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Test(#[from] TestError),
    /// A policy file or directory that could not be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(archpolicy::policy::io))]
    Io {
        /// The file or directory, as named.
        path: String,
        /// Why it could not be read: the operating system's reason, in lower case, or the gate's.
        reason: String,
    },
    /// Paths that hold no policy: checking against none would pass everything, so it fails.
    #[error("no policies in `{path}`")]
    #[diagnostic(code(archpolicy::policy::no_policies), help("policy files end in `.policy`"))]
    NoPolicies {
        /// The paths named, joined.
        path: String,
    },
    /// More policies than one run checks.
    #[error("{count} policies, more than the {limit} a run may read")]
    #[diagnostic(
        code(archpolicy::policy::too_many_policies),
        help("split the policies into runs by team or by concern")
    )]
    TooManyPolicies {
        /// How many policies the set has.
        count: usize,
        /// The most a run checks.
        limit: usize,
    },
    /// `--param` names a param that no file declares.
    #[error("unknown param `{name}`")]
    #[diagnostic(code(archpolicy::policy::unknown_param), help("{help}"))]
    UnknownParam {
        /// The name, as given.
        name: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },
    /// `--param` without `=VALUE`.
    #[error("`--param {arg}` has no value")]
    #[diagnostic(
        code(archpolicy::policy::param_without_value),
        help("write `--param NAME=VALUE`, e.g. `--param max_request_time=20s`")
    )]
    ParamWithoutValue {
        /// The argument, as given.
        arg: String,
    },
    /// A policy id that no file of the set declares.
    #[error("unknown policy `{id}`")]
    #[diagnostic(code(archpolicy::policy::unknown_policy), help("{help}"))]
    UnknownPolicy {
        /// The policy id, as given.
        id: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },
    /// A command-line argument that does not fit (`policy cost --chart`, a repeated `--param`).
    #[error("{message}")]
    #[diagnostic(code(archpolicy::policy::param), help("{help}"))]
    Param {
        /// The message, as shown.
        message: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },
}

/// One error with the file it is in.
///
/// ```
/// let failure = archpolicy::PolicySet::from_str("org.policy", "policy p: deny { require nope }").unwrap_err();
/// let located = failure.errors().iter().next().unwrap();
/// assert_eq!(located.file.as_ref().map(|f| f.name()), Some("org.policy"));
/// // A miette report labelled in its own file.
/// assert!(format!("{:?}", located.report()).contains("nope"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file the error points into; absent when it is in none (a path that could not be read).
    pub file: Option<SourceFile>,
    /// The error.
    pub error: PolicyError,
}

impl Located {
    /// An error in `file`.
    pub(crate) fn at(file: &SourceFile, error: impl Into<PolicyError>) -> Located {
        Located { file: Some(file.clone()), error: error.into() }
    }

    /// The error as a miette report, labelled in its file.
    ///
    /// ```
    /// let failure = archpolicy::PolicySet::from_str("org.policy", "policy p: warn { require nope == 1 }").unwrap_err();
    /// let report = failure.errors()[0].report();
    /// assert!(report.source_code().is_some() && format!("{report:?}").contains("nope"));
    /// ```
    pub fn report(&self) -> miette::Report {
        crate::source::report_in(self.file.as_ref(), self.error.clone())
    }
}

/// Policies that could not be read: every error, each with its own file
/// (a set is read from several), so the failure itself names none.
///
/// ```
/// let failure = archpolicy::PolicySet::from_paths(&["no/such/dir".into()]).unwrap_err();
/// assert!(failure.to_string().contains("no/such/dir"), "{failure}");
/// ```
pub type PolicyFailure = Failure<Located>;

impl Failure<Located> {
    /// Each error as a report that carries its own file.
    ///
    /// ```
    /// let failure = archpolicy::PolicySet::from_str("org.policy", "policy p: warn { require nope == 1 }").unwrap_err();
    /// assert!(failure.reports().iter().all(|r| r.source_code().is_some()), "each in its own file");
    /// ```
    pub fn reports(&self) -> Vec<miette::Report> {
        self.errors.iter().map(Located::report).collect()
    }
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{}: {}", file.name(), self.error),
            None => write!(f, "{}", self.error),
        }
    }
}
