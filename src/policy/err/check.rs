//! Type errors (typecheck) and what the analysis proves (analyze).

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A type error, in [`PolicyError::Check`](super::PolicyError::Check): the policy is well formed but
/// does not fit the fact schema, or (the variants of warning severity) the
/// analysis proved it cannot matter. Codes `archpolicy::check::*` and
/// `archpolicy::analyze::*`.
///
/// ```
/// use archpolicy::{CheckError, PolicyError};
/// let failure = archpolicy::PolicySet::from_str("org.policy", "policy p: deny { require request.sync_limt <= 29s }").unwrap_err();
/// let PolicyError::Check(CheckError::UnknownFact { path, help, .. }) = &failure.errors()[0].error else { panic!() };
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
