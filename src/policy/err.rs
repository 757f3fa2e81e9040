//! Errors of reading policies: syntax (parse and lower), types (typecheck),
//! `test` blocks, and reading a set's files and params.


use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::{Failure, SourceFile};

/// A syntax error, in [`PolicyError::Parse`]: the text is not a policy
/// file. Codes `archpolicy::parse::*`.
///
/// ```
/// use archpolicy::{ParseError, PolicyError};
/// let failure = archpolicy::PolicySet::from_str("org.policy", "policy p: deny {\n  require (((\n}\n").unwrap_err();
/// let error = &failure.errors.first().error;
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

/// A type error, in [`PolicyError::Check`]: the policy is well formed but
/// does not fit the fact schema, or (the variants of warning severity) the
/// analysis proved it cannot matter. Codes `archpolicy::check::*` and
/// `archpolicy::analyze::*`.
///
/// ```
/// use archpolicy::{CheckError, PolicyError};
/// let failure = archpolicy::PolicySet::from_str("org.policy", "policy p: deny { require request.sync_limt <= 29s }").unwrap_err();
/// let PolicyError::Check(CheckError::UnknownFact { path, help, .. }) = &failure.errors.first().error else { panic!() };
/// assert_eq!(path, "request.sync_limt");
/// assert!(help.contains("request.sync_limit"), "did you mean: {help}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum CheckError {
    /// A fact path the fact schema does not have.
    #[error("unknown fact `{path}`")]
    #[diagnostic(code(archpolicy::check::unknown_fact), help("{help}"))]
    UnknownFact {
        /// The fact path, as written.
        path: String,
        /// The offending text.
        #[label("not a fact")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A bare name that is no fact, param or enum value.
    #[error("unknown name `{name}`")]
    #[diagnostic(code(archpolicy::check::unknown_name), help("{help}"))]
    UnknownName {
        /// The name, as written.
        name: String,
        /// The offending text.
        #[label("not a fact, param or value")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A value its enum does not have.
    #[error("unknown {kind} value `{value}`")]
    #[diagnostic(code(archpolicy::check::unknown_enum_value), help("{help}"))]
    UnknownEnumValue {
        /// The enum type the context expects.
        kind: String,
        /// The value, as written.
        value: String,
        /// The offending text.
        #[label("not a value of `{kind}`")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A fact that some pattern the policy applies to does not have.
    #[error("`{path}` does not exist for {missing}")]
    #[diagnostic(code(archpolicy::check::fact_not_in_pattern), help("{help}"))]
    FactNotInPattern {
        /// The fact path, as written.
        path: String,
        /// The patterns that lack it, for the message.
        missing: String,
        /// The offending text.
        #[label("only for {present}")]
        span: SourceSpan,
        /// The patterns that have it, for the label.
        present: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A warning: a fact that a pattern added after the policy's language version does not have.
    #[error("`{path}` does not exist for {missing}, added after this policy's language: it does not apply there")]
    #[diagnostic(code(archpolicy::check::not_on_added_pattern), severity(Warning), help("{help}"))]
    NotOnAddedPattern {
        /// The fact path, as written.
        path: String,
        /// The patterns that lack it, for the message.
        missing: String,
        /// The offending text.
        #[label("only for {present}")]
        span: SourceSpan,
        /// The patterns that have it, for the label.
        present: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// Operands whose types do not fit: a duration against money, ordering an unordered enum.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::check::type_mismatch), help("{help}"))]
    TypeMismatch {
        /// The message, as shown.
        message: String,
        /// The left operand.
        #[label("{left_label}")]
        left: SourceSpan,
        /// The label on `left`.
        left_label: String,
        /// The right operand, where there is one.
        #[label("{right_label}")]
        right: Option<SourceSpan>,
        /// The label on `right`.
        right_label: String,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// An optional fact ordered or computed on without an `is set` guard.
    #[error("`{path}` may be absent here")]
    #[diagnostic(code(archpolicy::check::unguarded_optional), help("{help}"))]
    UnguardedOptional {
        /// The fact path, as written.
        path: String,
        /// The offending text.
        #[label("optional fact")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A policy id declared twice across the set's files.
    #[error("duplicate policy id `{id}`")]
    #[diagnostic(
        code(archpolicy::check::duplicate_policy),
        help("policy ids are unique across every policy file of a run; rename one")
    )]
    DuplicatePolicy {
        /// The policy id.
        id: String,
        /// The second definition.
        #[label("second definition")]
        span: SourceSpan,
        /// Where the first is, when it is in the same file.
        #[label("first definition")]
        first: Option<SourceSpan>,
        /// The file of the first definition.
        first_file: String,
    },

    /// A param declared twice across the set's files.
    #[error("duplicate param `{name}`")]
    #[diagnostic(
        code(archpolicy::check::duplicate_param),
        help("params are shared by every policy file of a run; declare each once")
    )]
    DuplicateParam {
        /// The param's name.
        name: String,
        /// The second declaration.
        #[label("second declaration")]
        span: SourceSpan,
        /// The first declaration, when it is in the same file.
        #[label("first declaration")]
        first: Option<SourceSpan>,
    },

    /// A param named as an enum value or a top-level fact.
    #[error("param `{name}` shadows {what}")]
    #[diagnostic(code(archpolicy::check::param_shadows), help("choose another name; a bare name must mean one thing"))]
    ParamShadows {
        /// The param's name.
        name: String,
        /// What it shadows, e.g. "the fact `environment`".
        what: String,
        /// The offending text.
        #[label("shadows {what}")]
        span: SourceSpan,
    },

    /// A param type the language does not have.
    #[error("unknown type `{name}`")]
    #[diagnostic(code(archpolicy::check::unknown_type), help("{help}"))]
    UnknownType {
        /// The type, as written.
        name: String,
        /// The offending text.
        #[label("not a type")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// Nested quantifiers beyond the work budget.
    #[error("nested quantifiers would run their body up to {iterations} times per proposal")]
    #[diagnostic(
        code(archpolicy::check::too_costly),
        help(
            "a policy's quantifiers may run their body {budget} times at most (each list holds up to 100 elements): un-nest them, or compare counts with `count(x in LIST: ...)`"
        )
    )]
    TooCostly {
        /// The quantifier that multiplies the work.
        #[label("this quantifier multiplies the work")]
        span: SourceSpan,
        /// How many times the body would run.
        iterations: u64,
        /// The most a policy's quantifiers may run their body.
        budget: u64,
    },

    /// An expression where a literal is required: a param's value, a list element.
    #[error("{message}")]
    #[diagnostic(code(archpolicy::check::not_a_literal), help("{help}"))]
    NotALiteral {
        /// The message, as shown.
        message: String,
        /// The offending text.
        #[label("not a literal")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A policy whose `when` clauses exclude every pattern.
    #[error("policy `{id}` can never apply")]
    #[diagnostic(
        code(archpolicy::check::never_applies),
        help("its `when` clauses exclude every pattern; remove the contradiction")
    )]
    NeverApplies {
        /// The policy id.
        id: String,
        /// The offending text.
        #[label("no pattern is left after this")]
        span: SourceSpan,
    },

    /// A policy without a `require`.
    #[error("policy `{id}` has no `require`")]
    #[diagnostic(
        code(archpolicy::check::no_require),
        help("add `require EXPR`: the condition every proposal the policy applies to must meet")
    )]
    NoRequire {
        /// The policy id.
        id: String,
        /// The offending text.
        #[label("nothing to check")]
        span: SourceSpan,
    },

    /// An interpolation that names no fact or param.
    #[error("`{path}` cannot be interpolated")]
    #[diagnostic(
        code(archpolicy::check::not_interpolable),
        help("interpolate a fact (`{{workload.max_request_duration}}`) or a param")
    )]
    NotInterpolable {
        /// The name in braces, as written.
        path: String,
        /// The offending text.
        #[label("not a fact or param")]
        span: SourceSpan,
    },

    /// A list used as an element of a list.
    #[error("a list is not an element of a list")]
    #[diagnostic(
        code(archpolicy::check::list_in_list),
        help("range over it: `any x in data: x.kind in [rds, aurora]`")
    )]
    ListInList {
        /// The offending text.
        #[label("a list")]
        span: SourceSpan,
    },

    /// `is set` on a fact that is always set.
    #[error("`{expr}` is {always} unset here: it is always set")]
    #[diagnostic(
        code(archpolicy::check::always_set),
        help("`is set` tests optional facts: `tags.KEY`, `gateway.throttle.*`, `function.vpc.subnets`")
    )]
    AlwaysSet {
        /// The expression, as written.
        expr: String,
        /// `always` for `is set`, `never` for `is not set`.
        always: &'static str,
        /// The offending text.
        #[label("always set")]
        span: SourceSpan,
    },

    /// A quantifier's element named as a fact or param.
    #[error("`{name}` already names a fact or param")]
    #[diagnostic(
        code(archpolicy::check::shadowing_element),
        help("choose another name for the element, such as `store`")
    )]
    ShadowingElement {
        /// The element's name.
        name: String,
        /// The offending text.
        #[label("shadows")]
        span: SourceSpan,
    },

    /// A quantifier's element used as a value rather than by its fields.
    #[error("`{name}` is an element of `{list}`, not a value")]
    #[diagnostic(code(archpolicy::check::element_not_value), help("use one of its fields: {fields}"))]
    ElementNotValue {
        /// The element's name.
        name: String,
        /// The list the element ranges over.
        list: String,
        /// The offending text.
        #[label("an element")]
        span: SourceSpan,
        /// The element's fields, for the help.
        fields: String,
    },

    /// A warning: an enum value in quotes (deprecated).
    #[error("`{kind}` value `{value}` is quoted")]
    #[diagnostic(code(archpolicy::check::quoted_enum_value), severity(Warning), help("{help}"))]
    QuotedEnumValue {
        /// The enum type.
        kind: String,
        /// The value, as written.
        value: String,
        /// The offending text.
        #[label("means `{value}`; quoted values are deprecated")]
        span: SourceSpan,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A warning of the analysis: `when` conditions that cannot all hold.
    #[error("policy `{id}` never applies: its `when` conditions cannot all hold")]
    #[diagnostic(code(archpolicy::analyze::when_never_holds), severity(Warning), help("{help}"))]
    WhenNeverHolds {
        /// The policy id.
        id: String,
        /// The `when` that cannot hold.
        #[label("this")]
        span: SourceSpan,
        /// The `when` it contradicts, where there is one.
        #[label("cannot hold with this")]
        other: Option<SourceSpan>,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A warning of the analysis: a `require` that always holds where the policy applies.
    #[error("a `require` of `{id}` always holds where the policy applies")]
    #[diagnostic(
        code(archpolicy::analyze::require_always_holds),
        severity(Warning),
        help("as written it never finds anything: tighten it, or remove it")
    )]
    RequireAlwaysHolds {
        /// The policy id.
        id: String,
        /// The `require`.
        #[label("always true here")]
        span: SourceSpan,
        /// The `when` clause that makes it so, where there is one.
        #[label("given this")]
        when: Option<SourceSpan>,
    },

    /// A warning of the analysis: a `require` that never holds where the policy applies.
    #[error("a `require` of `{id}` can never hold where the policy applies")]
    #[diagnostic(
        code(archpolicy::analyze::require_never_holds),
        severity(Warning),
        help("every proposal the policy applies to fails it: fix the bound, or the `when`")
    )]
    RequireNeverHolds {
        /// The policy id.
        id: String,
        /// The `require`.
        #[label("never true here")]
        span: SourceSpan,
        /// The `when` clause that makes it so, where there is one.
        #[label("given this")]
        when: Option<SourceSpan>,
    },

    /// A warning of the analysis: two policies that cannot both pass.
    #[error("policies `{first}` and `{second}` cannot both pass")]
    #[diagnostic(code(archpolicy::analyze::conflict), severity(Warning), help("{help}"))]
    Conflict {
        /// The first policy's id.
        first: String,
        /// The second policy's id.
        second: String,
        /// What the first policy requires.
        #[label("`{first}` requires this")]
        span: SourceSpan,
        /// What the second policy requires, where it is in the same file.
        #[label("`{second}` requires this")]
        other: Option<SourceSpan>,
        /// What to write instead (the diagnostic's help).
        help: String,
    },

    /// A warning: a param no policy uses.
    #[error("param `{name}` is never used")]
    #[diagnostic(code(archpolicy::check::unused_param), severity(Warning), help("remove it, or use it in a policy"))]
    UnusedParam {
        /// The param's name.
        name: String,
        /// The offending text.
        #[label("unused")]
        span: SourceSpan,
    },
}

/// An error of a `test` block, in [`PolicyError::Test`], that shows when
/// the tests are collected or run. Codes `archpolicy::test::*`.
///
/// ```
/// use archpolicy::{PolicyError, TestError};
/// let text = "policy p: warn { require environment != sandbox }\ntest \"t\" {\n  proposal \"no/such.arch.yaml\"\n  expect p: pass\n}\n";
/// let (_, errors) = archpolicy::PolicySet::from_str("org.policy", text)?.run_tests();
/// assert!(matches!(errors[0].error, PolicyError::Test(TestError::ProposalNotLoaded { .. })), "{errors:?}");
/// # Ok::<(), archpolicy::PolicyFailure>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum TestError {
    /// A test that names no proposal.
    #[error("this test names no proposal")]
    #[diagnostic(
        code(archpolicy::test::no_proposal),
        help("add `proposal \"path/to/file.arch.yaml\"`, relative to the policy file")
    )]
    NoProposal {
        /// The test.
        #[label("test")]
        span: SourceSpan,
    },

    /// A test whose proposal does not load.
    #[error("the test's proposal `{path}` does not load: {reason}")]
    #[diagnostic(
        code(archpolicy::test::proposal_not_loaded),
        help("the path is relative to the policy file; `policy facts FILE` shows what is wrong with a proposal")
    )]
    ProposalNotLoaded {
        /// The proposal's path, as written.
        path: String,
        /// Why it does not load.
        reason: String,
        /// The proposal's path in the test.
        #[label("this proposal")]
        span: SourceSpan,
    },

    /// A test whose proposal is outside the files a policy file may read.
    #[error("cannot read the test's proposal `{path}`: {reason}")]
    #[diagnostic(
        code(archpolicy::test::proposal_outside),
        help(
            "a test's proposal is a relative path inside the policy file's repository (outside a repository: the current directory, or the policy file's own), with no symlink out of it"
        )
    )]
    ProposalOutside {
        /// The proposal's path, as written.
        path: String,
        /// The directory a test's proposal must lie in.
        root: String,
        /// Why, in lower case.
        reason: String,
        /// The proposal's path in the test.
        #[label("read only inside `{root}`")]
        span: SourceSpan,
    },

    /// A test with no `expect`.
    #[error("this test expects nothing")]
    #[diagnostic(code(archpolicy::test::no_expect), help("add `expect POLICY-ID: deny|warn|info|pass|skip`"))]
    NoExpect {
        /// The test.
        #[label("test")]
        span: SourceSpan,
    },

    /// A test name used twice across the set's files.
    #[error("duplicate test name `{name}`")]
    #[diagnostic(
        code(archpolicy::test::duplicate_test),
        help("test names are unique across the files of a run; rename one")
    )]
    DuplicateTest {
        /// The test's name.
        name: String,
        /// The second test of that name.
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
