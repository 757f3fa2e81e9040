//! Errors of reading policies: syntax (parse and lower), types (typecheck),
//! `test` blocks, and reading a set's files and params.


use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::{Failure, SourceFile};

/// A syntax error: the text is not a policy file.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum ParseError {
    #[error("{message}")]
    #[diagnostic(code(archpolicy::parse::syntax), help("{help}"))]
    Syntax {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        help: String,
    },

    #[error("the policy file is {}, more than the {} a policy file may have", crate::units::Size::from_bytes(*size), crate::units::Size::from_bytes(*limit))]
    #[diagnostic(code(archpolicy::parse::too_large), help("split the policies into several files"))]
    TooLarge {
        size: u64,
        limit: u64,
    },

    #[error("nesting deeper than {limit} levels")]
    #[diagnostic(
        code(archpolicy::parse::too_deep),
        help(
            "parentheses, lists and quantifiers nest at most {limit} deep; name parts of the condition as separate `require` clauses"
        )
    )]
    TooDeep {
        limit: usize,
        #[label("too deep here")]
        span: SourceSpan,
    },

    #[error("this expression has more than {limit} parts (operands and operators)")]
    #[diagnostic(code(archpolicy::parse::too_long), help("split it into several `require` or `when` clauses"))]
    TooLong {
        limit: usize,
        #[label("too long")]
        span: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code(archpolicy::parse::literal), help("{help}"))]
    Literal {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        help: String,
    },

    #[error("a policy may have one `{clause}` clause")]
    #[diagnostic(code(archpolicy::parse::duplicate_clause), help("remove one of them"))]
    DuplicateClause {
        clause: String,
        #[label("second `{clause}`")]
        span: SourceSpan,
        #[label("first `{clause}`")]
        first: SourceSpan,
    },

    #[error("interpolation is not allowed here")]
    #[diagnostic(
        code(archpolicy::parse::interpolation),
        help("`{{fact.path}}` interpolates in `else` messages and `help`; write `\\{{` for a literal brace")
    )]
    Interpolation {
        #[label("not interpolated here")]
        span: SourceSpan,
    },
}

/// A type error: the policy is well formed but does not fit the fact schema.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum CheckError {
    #[error("unknown fact `{path}`")]
    #[diagnostic(code(archpolicy::check::unknown_fact), help("{help}"))]
    UnknownFact {
        path: String,
        #[label("not a fact")]
        span: SourceSpan,
        help: String,
    },

    #[error("unknown name `{name}`")]
    #[diagnostic(code(archpolicy::check::unknown_name), help("{help}"))]
    UnknownName {
        name: String,
        #[label("not a fact, param or value")]
        span: SourceSpan,
        help: String,
    },

    #[error("unknown {kind} value `{value}`")]
    #[diagnostic(code(archpolicy::check::unknown_enum_value), help("{help}"))]
    UnknownEnumValue {
        kind: String,
        value: String,
        #[label("not a value of `{kind}`")]
        span: SourceSpan,
        help: String,
    },

    #[error("`{path}` does not exist for {missing}")]
    #[diagnostic(code(archpolicy::check::fact_not_in_pattern), help("{help}"))]
    FactNotInPattern {
        path: String,
        missing: String,
        #[label("only for {present}")]
        span: SourceSpan,
        present: String,
        help: String,
    },

    #[error("`{path}` does not exist for {missing}, added after this policy's language: it does not apply there")]
    #[diagnostic(code(archpolicy::check::not_on_added_pattern), severity(Warning), help("{help}"))]
    NotOnAddedPattern {
        path: String,
        missing: String,
        #[label("only for {present}")]
        span: SourceSpan,
        present: String,
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(archpolicy::check::type_mismatch), help("{help}"))]
    TypeMismatch {
        message: String,
        #[label("{left_label}")]
        left: SourceSpan,
        left_label: String,
        #[label("{right_label}")]
        right: Option<SourceSpan>,
        right_label: String,
        help: String,
    },

    #[error("`{path}` may be absent here")]
    #[diagnostic(code(archpolicy::check::unguarded_optional), help("{help}"))]
    UnguardedOptional {
        path: String,
        #[label("optional fact")]
        span: SourceSpan,
        help: String,
    },

    #[error("duplicate policy id `{id}`")]
    #[diagnostic(
        code(archpolicy::check::duplicate_policy),
        help("policy ids are unique across every policy file of a run; rename one")
    )]
    DuplicatePolicy {
        id: String,
        #[label("second definition")]
        span: SourceSpan,
        /// Where the first is, when it is in the same file.
        #[label("first definition")]
        first: Option<SourceSpan>,
        first_file: String,
    },

    #[error("duplicate param `{name}`")]
    #[diagnostic(
        code(archpolicy::check::duplicate_param),
        help("params are shared by every policy file of a run; declare each once")
    )]
    DuplicateParam {
        name: String,
        #[label("second declaration")]
        span: SourceSpan,
        #[label("first declaration")]
        first: Option<SourceSpan>,
    },

    #[error("param `{name}` shadows {what}")]
    #[diagnostic(code(archpolicy::check::param_shadows), help("choose another name; a bare name must mean one thing"))]
    ParamShadows {
        name: String,
        what: String,
        #[label("shadows {what}")]
        span: SourceSpan,
    },

    #[error("unknown type `{name}`")]
    #[diagnostic(code(archpolicy::check::unknown_type), help("{help}"))]
    UnknownType {
        name: String,
        #[label("not a type")]
        span: SourceSpan,
        help: String,
    },

    #[error("nested quantifiers would run their body up to {iterations} times per proposal")]
    #[diagnostic(
        code(archpolicy::check::too_costly),
        help(
            "a policy's quantifiers may run their body {budget} times at most (each list holds up to 100 elements): un-nest them, or compare counts with `count(x in LIST: ...)`"
        )
    )]
    TooCostly {
        #[label("this quantifier multiplies the work")]
        span: SourceSpan,
        iterations: u64,
        budget: u64,
    },

    #[error("{message}")]
    #[diagnostic(code(archpolicy::check::not_a_literal), help("{help}"))]
    NotALiteral {
        message: String,
        #[label("not a literal")]
        span: SourceSpan,
        help: String,
    },

    #[error("policy `{id}` can never apply")]
    #[diagnostic(
        code(archpolicy::check::never_applies),
        help("its `when` clauses exclude every pattern; remove the contradiction")
    )]
    NeverApplies {
        id: String,
        #[label("no pattern is left after this")]
        span: SourceSpan,
    },

    #[error("policy `{id}` has no `require`")]
    #[diagnostic(
        code(archpolicy::check::no_require),
        help("add `require EXPR`: the condition every proposal the policy applies to must meet")
    )]
    NoRequire {
        id: String,
        #[label("nothing to check")]
        span: SourceSpan,
    },

    #[error("`{path}` cannot be interpolated")]
    #[diagnostic(
        code(archpolicy::check::not_interpolable),
        help("interpolate a fact (`{{workload.max_request_duration}}`) or a param")
    )]
    NotInterpolable {
        path: String,
        #[label("not a fact or param")]
        span: SourceSpan,
    },

    #[error("a list is not an element of a list")]
    #[diagnostic(
        code(archpolicy::check::list_in_list),
        help("range over it: `any x in data: x.kind in [rds, aurora]`")
    )]
    ListInList {
        #[label("a list")]
        span: SourceSpan,
    },

    #[error("`{expr}` is {always} unset here: it is always set")]
    #[diagnostic(
        code(archpolicy::check::always_set),
        help("`is set` tests optional facts: `tags.KEY`, `gateway.throttle.*`, `function.vpc.subnets`")
    )]
    AlwaysSet {
        expr: String,
        /// `always` for `is set`, `never` for `is not set`.
        always: &'static str,
        #[label("always set")]
        span: SourceSpan,
    },

    #[error("`{name}` already names a fact or param")]
    #[diagnostic(
        code(archpolicy::check::shadowing_element),
        help("choose another name for the element, such as `store`")
    )]
    ShadowingElement {
        name: String,
        #[label("shadows")]
        span: SourceSpan,
    },

    #[error("`{name}` is an element of `{list}`, not a value")]
    #[diagnostic(code(archpolicy::check::element_not_value), help("use one of its fields: {fields}"))]
    ElementNotValue {
        name: String,
        list: String,
        #[label("an element")]
        span: SourceSpan,
        fields: String,
    },

    #[error("`{kind}` value `{value}` is quoted")]
    #[diagnostic(code(archpolicy::check::quoted_enum_value), severity(Warning), help("{help}"))]
    QuotedEnumValue {
        kind: String,
        value: String,
        #[label("means `{value}`; quoted values are deprecated")]
        span: SourceSpan,
        help: String,
    },

    #[error("policy `{id}` never applies: its `when` conditions cannot all hold")]
    #[diagnostic(code(archpolicy::analyze::when_never_holds), severity(Warning), help("{help}"))]
    WhenNeverHolds {
        id: String,
        #[label("this")]
        span: SourceSpan,
        #[label("cannot hold with this")]
        other: Option<SourceSpan>,
        help: String,
    },

    #[error("a `require` of `{id}` always holds where the policy applies")]
    #[diagnostic(
        code(archpolicy::analyze::require_always_holds),
        severity(Warning),
        help("as written it never finds anything: tighten it, or remove it")
    )]
    RequireAlwaysHolds {
        id: String,
        #[label("always true here")]
        span: SourceSpan,
        #[label("given this")]
        when: Option<SourceSpan>,
    },

    #[error("a `require` of `{id}` can never hold where the policy applies")]
    #[diagnostic(
        code(archpolicy::analyze::require_never_holds),
        severity(Warning),
        help("every proposal the policy applies to fails it: fix the bound, or the `when`")
    )]
    RequireNeverHolds {
        id: String,
        #[label("never true here")]
        span: SourceSpan,
        #[label("given this")]
        when: Option<SourceSpan>,
    },

    #[error("policies `{first}` and `{second}` cannot both pass")]
    #[diagnostic(code(archpolicy::analyze::conflict), severity(Warning), help("{help}"))]
    Conflict {
        first: String,
        second: String,
        #[label("`{first}` requires this")]
        span: SourceSpan,
        #[label("`{second}` requires this")]
        other: Option<SourceSpan>,
        help: String,
    },

    #[error("param `{name}` is never used")]
    #[diagnostic(code(archpolicy::check::unused_param), severity(Warning), help("remove it, or use it in a policy"))]
    UnusedParam {
        name: String,
        #[label("unused")]
        span: SourceSpan,
    },
}

/// An error of a `test` block that only shows when the test is collected or run.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum TestError {
    #[error("this test names no proposal")]
    #[diagnostic(
        code(archpolicy::test::no_proposal),
        help("add `proposal \"path/to/file.arch.yaml\"`, relative to the policy file")
    )]
    NoProposal {
        #[label("test")]
        span: SourceSpan,
    },

    #[error("the test's proposal `{path}` does not load: {reason}")]
    #[diagnostic(
        code(archpolicy::test::proposal_not_loaded),
        help("the path is relative to the policy file; `policy facts FILE` shows what is wrong with a proposal")
    )]
    ProposalNotLoaded {
        path: String,
        reason: String,
        #[label("this proposal")]
        span: SourceSpan,
    },

    #[error("cannot read the test's proposal `{path}`: {reason}")]
    #[diagnostic(
        code(archpolicy::test::proposal_outside),
        help(
            "a test's proposal is a relative path inside the policy file's repository (outside a repository: the current directory, or the policy file's own), with no symlink out of it"
        )
    )]
    ProposalOutside {
        path: String,
        root: String,
        reason: String,
        #[label("read only inside `{root}`")]
        span: SourceSpan,
    },

    #[error("this test expects nothing")]
    #[diagnostic(code(archpolicy::test::no_expect), help("add `expect POLICY-ID: deny|warn|info|pass|skip`"))]
    NoExpect {
        #[label("test")]
        span: SourceSpan,
    },

    #[error("duplicate test name `{name}`")]
    #[diagnostic(
        code(archpolicy::test::duplicate_test),
        help("test names are unique across the files of a run; rename one")
    )]
    DuplicateTest {
        name: String,
        #[label("second test of this name")]
        span: SourceSpan,
    },
}

/// Any error of reading a policy set, with the file it points into.
///
/// ```
/// use miette::Diagnostic;
/// let text = "policy p: deny {\n  require request.sync_limt <= 29s\n}\n";
/// let failure = archpolicy::PolicySet::from_str("org.policy", text).unwrap_err();
/// let error = &failure.errors.iter().next().unwrap().error;
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
/// let located = failure.errors.iter().next().unwrap();
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
    /// let report = failure.errors.first().report();
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
