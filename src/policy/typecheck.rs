//! The type checker: resolves every name against the fact schema and the
//! params, types every expression, and narrows the patterns a policy can
//! apply to, so that a checked policy cannot fail at evaluation.

mod expr;
mod names;

pub use expr::QUANTIFIER_BUDGET;

use std::collections::BTreeSet;

use super::ast::*;
use super::err::CheckError;
use super::ir::{Ir, Type, Value};
use crate::facts::schema::{FactType, PatternSet, SCHEMA};
use crate::model::named_enum::{EnumType, NamedEnum};
use crate::model::{Component, Pattern};
use crate::suggest;

/// A param as the checker knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedParam {
    pub name: String,
    pub ty: Type,
    pub default: Value,
    pub doc: Option<String>,
    pub file: usize,
    pub span: Span,
}

/// A part of a checked message.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckedPart {
    Text(String),
    Fact(String),
    Param(usize),
}

/// A `require` ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRequire {
    pub ir: Ir,
    pub message: Option<Vec<CheckedPart>>,
    /// The expression as written, for the default message.
    pub source: String,
    pub span: Span,
}

/// A policy ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPolicy {
    pub ast: Policy,
    /// Index of its file in the policy set.
    pub file: usize,
    /// The patterns its `when` clauses let it apply to.
    pub patterns: PatternSet,
    pub whens: Vec<Ir>,
    pub requires: Vec<CheckedRequire>,
    pub help: Option<Vec<CheckedPart>>,
}

impl CheckedPolicy {
    /// Whether the policy reads a fact that satisfies `read`, in a
    /// condition or in the text of a finding (its messages and help).
    pub fn reads_fact(&self, read: &dyn Fn(&str) -> bool) -> bool {
        let in_text = |parts: &[CheckedPart]| parts.iter().any(|p| matches!(p, CheckedPart::Fact(path) if read(path)));
        self.whens.iter().any(|w| w.reads_fact(read))
            || self.requires.iter().any(|r| r.ir.reads_fact(read) || r.message.as_deref().is_some_and(in_text))
            || self.help.as_deref().is_some_and(in_text)
    }
}

/// What is known at a point of a policy: the patterns still possible, the
/// optional facts known to be set, and the names bound by quantifiers.
#[derive(Debug, Clone)]
struct Scope {
    patterns: PatternSet,
    set: BTreeSet<String>,
    vars: Vec<(String, &'static str)>,
    /// How many times a body here runs at most: the product of the longest
    /// lists of the enclosing quantifiers.
    iterations: u64,
}

impl Scope {
    fn all() -> Scope {
        Scope { patterns: PatternSet::ALL, set: BTreeSet::new(), vars: Vec::new(), iterations: 1 }
    }

    fn narrowed(&self, by: &Narrowing) -> Scope {
        let mut scope = self.clone();
        scope.patterns = scope.patterns.intersect(by.patterns);
        scope.set.extend(by.set.iter().cloned());
        scope
    }
}

/// What a condition tells when it holds (or fails).
#[derive(Debug, Clone)]
struct Narrowing {
    patterns: PatternSet,
    set: BTreeSet<String>,
}

impl Narrowing {
    fn none() -> Narrowing {
        Narrowing { patterns: PatternSet::ALL, set: BTreeSet::new() }
    }
    fn both(a: Narrowing, b: Narrowing) -> Narrowing {
        Narrowing { patterns: a.patterns.intersect(b.patterns), set: a.set.union(&b.set).cloned().collect() }
    }
    fn either(a: Narrowing, b: Narrowing) -> Narrowing {
        Narrowing { patterns: a.patterns.union(b.patterns), set: a.set.intersection(&b.set).cloned().collect() }
    }
}

/// A checked expression: its IR, its type, and whether it may be absent.
struct Typed {
    ir: Ir,
    ty: Type,
    optional: bool,
}

impl Typed {
    fn constant(value: Value, ty: Type) -> Typed {
        Typed { ir: Ir::Const(value), ty, optional: false }
    }
    fn bool(ir: Ir) -> Typed {
        Typed { ir, ty: Type::Bool, optional: false }
    }
    fn error() -> Typed {
        Typed { ir: Ir::Const(Value::Bool(false)), ty: Type::Error, optional: false }
    }
}

/// The enum types of the fact schema, for param types and name clashes.
pub fn schema_enums() -> Vec<&'static EnumType> {
    let mut enums: Vec<&'static EnumType> = Vec::new();
    for def in SCHEMA {
        if let FactType::Enum(e) = def.ty
            && !enums.iter().any(|x| x.name == e.name)
        {
            enums.push(e);
        }
    }
    enums
}

/// The first segments of fact paths: names a param may not take.
pub fn top_level_facts() -> BTreeSet<&'static str> {
    SCHEMA.iter().map(|d| d.path.split(['.', '[']).next().unwrap_or(d.path)).collect()
}

pub(crate) fn fact_type(ty: FactType, path: &'static str) -> Type {
    match ty {
        FactType::Bool => Type::Bool,
        FactType::Int => Type::Int,
        FactType::Text => Type::Text,
        FactType::Duration => Type::Duration,
        FactType::Size => Type::Size,
        FactType::Money => Type::Money,
        FactType::Vcpu => Type::Vcpu,
        FactType::Enum(e) => Type::Enum(e),
        FactType::List => Type::List(path),
    }
}

fn pattern_names(set: PatternSet) -> String {
    let names: Vec<&str> = set.patterns().map(|p| p.name()).collect();
    suggest::one_of(&names)
}

pub(crate) struct TypeChecker<'p> {
    pub(crate) params: &'p [CheckedParam],
    pub(crate) used_params: Vec<bool>,
    pub(crate) errors: Vec<(usize, CheckError)>,
    /// Warnings (deprecated forms), by file; they never stop a run.
    pub(crate) warnings: Vec<(usize, CheckError)>,
    file: usize,
    /// Added patterns the policy being checked reads a fact of that they
    /// lack: it does not apply to them ([`CheckError::NotOnAddedPattern`]).
    beyond: PatternSet,
}

impl<'p> TypeChecker<'p> {
    pub(crate) fn new(params: &'p [CheckedParam]) -> Self {
        TypeChecker {
            params,
            used_params: vec![false; params.len()],
            errors: Vec::new(),
            warnings: Vec::new(),
            file: 0,
            beyond: PatternSet::NONE,
        }
    }

    fn error(&mut self, error: CheckError) {
        self.errors.push((self.file, error));
    }

    fn warning(&mut self, warning: CheckError) {
        self.warnings.push((self.file, warning));
    }

    /// Checks a param's default: a literal of the declared type.
    pub(crate) fn param_default(&mut self, file: usize, ty: Type, expr: &Expr) -> Option<Value> {
        self.param_value(file, ty, expr, "the default")
    }

    /// Checks a param's value (`what` names it in messages): a literal of the declared type.
    pub(crate) fn param_value(&mut self, file: usize, ty: Type, expr: &Expr, what: &str) -> Option<Value> {
        self.file = file;
        let typed = self.expr(expr, &Scope::all(), Some(ty));
        match typed.ir {
            Ir::Const(value) if self.assignable(ty, typed.ty) => Some(coerce(value, ty)),
            _ if typed.ty == Type::Error => None,
            Ir::Const(_) => {
                self.error(CheckError::TypeMismatch {
                    message: format!("{what} is {}, not {}", typed.ty.name(), ty.name()),
                    left: expr.span,
                    left_label: format!("expected {}", ty.name()),
                    right: None,
                    right_label: String::new(),
                    help: "write a literal of the param's type, e.g. `30s`, `$50`, `true`".into(),
                });
                None
            }
            _ => {
                self.error(CheckError::NotALiteral {
                    message: format!("{what} of a param is a literal"),
                    span: expr.span,
                    help: "write a value such as `30s`, `$50` or `portable`; facts are not known when params are read"
                        .into(),
                });
                None
            }
        }
    }

    fn assignable(&self, to: Type, from: Type) -> bool {
        to == from || (to == Type::Decimal && from == Type::Int) || (to == Type::Vcpu && from.is_numeric())
    }

    pub(crate) fn policy(&mut self, file: usize, policy: &Policy) -> Option<CheckedPolicy> {
        self.file = file;
        self.beyond = PatternSet::NONE;
        let errors_before = self.errors.len();
        let mut scope = Scope::all();
        let mut whens = Vec::new();
        for when in policy.whens() {
            let typed = self.expect_bool(when, &scope, "a `when` condition");
            whens.push(typed);
            scope = scope.narrowed(&self.narrow(when, true));
            if scope.patterns.is_empty() {
                self.error(CheckError::NeverApplies { id: policy.id.name.clone(), span: when.span });
                return None;
            }
        }
        let mut requires = Vec::new();
        for require in policy.requires() {
            let ir = self.expect_bool(&require.expr, &scope, "a `require` condition");
            let message = require.message.as_ref().map(|m| self.message(m, &scope));
            requires.push(CheckedRequire {
                ir,
                message,
                source: super::fmt::expr_to_string(&require.expr),
                span: require.span,
            });
        }
        if requires.is_empty() {
            self.error(CheckError::NoRequire { id: policy.id.name.clone(), span: policy.id.span });
        }
        let help = policy.help().map(|m| self.message(m, &scope));
        (self.errors.len() == errors_before).then(|| CheckedPolicy {
            ast: policy.clone(),
            file,
            patterns: scope.patterns.minus(self.beyond),
            whens,
            requires,
            help,
        })
    }

    fn message(&mut self, message: &Message, scope: &Scope) -> Vec<CheckedPart> {
        let mut parts = Vec::new();
        for part in &message.parts {
            match part {
                MessagePart::Text(t) => parts.push(CheckedPart::Text(t.clone())),
                MessagePart::Interpolation(path) => {
                    let expr = Expr { kind: ExprKind::Path(path.clone()), span: path.span };
                    let typed = self.expr(&expr, scope, None);
                    match typed.ir {
                        Ir::Fact { path, .. } => parts.push(CheckedPart::Fact(path)),
                        Ir::Param(i) => parts.push(CheckedPart::Param(i)),
                        _ if typed.ty == Type::Error => {}
                        _ => self.error(CheckError::NotInterpolable { path: path.dotted(), span: path.span }),
                    }
                }
            }
        }
        parts
    }

    // ------------------------------------------------------------ narrowing

    /// What holds when `expr` evaluates to `polarity`.
    fn narrow(&self, expr: &Expr, polarity: bool) -> Narrowing {
        match &expr.kind {
            ExprKind::Not(inner) => self.narrow(inner, !polarity),
            ExprKind::Binary(BinOp::And, a, b) => {
                let na = self.narrow(a, polarity);
                let nb = self.narrow(b, polarity);
                if polarity { Narrowing::both(na, nb) } else { Narrowing::either(na, nb) }
            }
            ExprKind::Binary(BinOp::Or, a, b) => {
                let na = self.narrow(a, polarity);
                let nb = self.narrow(b, polarity);
                if polarity { Narrowing::either(na, nb) } else { Narrowing::both(na, nb) }
            }
            ExprKind::Binary(BinOp::Implies, a, b) => {
                // a implies b == not a or b
                let na = self.narrow(a, !polarity);
                let nb = self.narrow(b, polarity);
                if polarity { Narrowing::either(na, nb) } else { Narrowing::both(na, nb) }
            }
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne), a, b) => {
                let Some(pattern) = pattern_test(a, b) else { return Narrowing::none() };
                let equal = (*op == BinOp::Eq) == polarity;
                let one = PatternSet::of(pattern);
                let patterns = if equal { one } else { PatternSet::ALL.minus(one) };
                Narrowing { patterns, set: BTreeSet::new() }
            }
            ExprKind::In { expr, list, negated } => {
                if !is_pattern_path(expr) {
                    return Narrowing::none();
                }
                let mut set = PatternSet::NONE;
                for item in list {
                    match item_pattern(item) {
                        Some(p) => set = set.union(PatternSet::of(p)),
                        None => return Narrowing::none(),
                    }
                }
                let inside = *negated != polarity;
                Narrowing { patterns: if inside { set } else { PatternSet::ALL.minus(set) }, set: BTreeSet::new() }
            }
            ExprKind::IsSet { expr, negated } => {
                let holds = *negated != polarity;
                if let Some(component) = component_test(expr) {
                    let with = PatternSet::with(component);
                    let patterns = if holds { with } else { PatternSet::ALL.minus(with) };
                    return Narrowing { patterns, set: BTreeSet::new() };
                }
                match (&expr.kind, holds) {
                    (ExprKind::Path(p), true) => {
                        Narrowing { patterns: PatternSet::ALL, set: [p.dotted()].into_iter().collect() }
                    }
                    _ => Narrowing::none(),
                }
            }
            _ => Narrowing::none(),
        }
    }
}

fn coerce(value: Value, ty: Type) -> Value {
    match (value, ty) {
        (Value::Int(i), Type::Decimal) => Value::Decimal(rust_decimal::Decimal::from(i)),
        (Value::Int(i), Type::Vcpu) => {
            Value::Vcpu(crate::units::Vcpu::from_millis((i.clamp(0, 1_000_000) * 1_000) as u32))
        }
        (Value::Decimal(d), Type::Vcpu) => {
            let millis = (d * rust_decimal::Decimal::from(1_000)).round();
            Value::Vcpu(crate::units::Vcpu::from_millis(u32::try_from(millis).unwrap_or(0)))
        }
        (v, _) => v,
    }
}

/// `function is set`: the component a presence test names (`function`,
/// `gateway`, `service`, `load_balancer`, `vpc_link`).
pub(crate) fn component_test(e: &Expr) -> Option<Component> {
    match &e.kind {
        ExprKind::Path(p) => p.single().and_then(|one| Component::from_name(&one.name)),
        _ => None,
    }
}

/// A component is present exactly for the patterns built with it, so the
/// test is one of the pattern: a pattern added later with the component is
/// covered without a change to any policy.
pub(crate) fn component_ir(component: Component, negated: bool) -> Ir {
    let list =
        PatternSet::with(component).patterns().map(|p| Ir::Const(Value::Enum(Pattern::TYPE, p.name()))).collect();
    Ir::In { expr: Box::new(Ir::Fact { path: "pattern".into(), optional: false }), list, negated }
}

fn is_pattern_path(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Path(p) if p.dotted() == "pattern")
}

/// A pattern named in a test: bare, or quoted as the first release wrote it.
fn item_pattern(e: &Expr) -> Option<Pattern> {
    match &e.kind {
        ExprKind::Path(p) => p.single().and_then(|one| Pattern::from_name(&one.name)),
        ExprKind::Str(s) => Pattern::from_name(s),
        _ => None,
    }
}

/// `pattern == X` or `X == pattern`: the pattern named.
fn pattern_test(a: &Expr, b: &Expr) -> Option<Pattern> {
    if is_pattern_path(a) {
        item_pattern(b)
    } else if is_pattern_path(b) {
        item_pattern(a)
    } else {
        None
    }
}
