//! The type checker: resolves every name against the fact schema and the
//! params, types every expression, and narrows the patterns a policy can
//! apply to, so that a checked policy cannot fail at evaluation.

use std::collections::BTreeSet;

use super::ast::*;
use super::err::CheckError;
use super::ir::{Ir, Type, Value};
use crate::facts::schema::{self, FactType, PatternSet, SCHEMA};
use crate::model::Pattern;
use crate::model::named_enum::{EnumType, NamedEnum};
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

/// What is known at a point of a policy: the patterns still possible, the
/// optional facts known to be set, and the names bound by quantifiers.
#[derive(Debug, Clone)]
struct Scope {
    patterns: PatternSet,
    set: BTreeSet<String>,
    vars: Vec<(String, &'static str)>,
}

impl Scope {
    fn all() -> Scope {
        Scope { patterns: PatternSet::ALL, set: BTreeSet::new(), vars: Vec::new() }
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

pub(crate) struct Checker<'p> {
    pub(crate) params: &'p [CheckedParam],
    pub(crate) used_params: Vec<bool>,
    pub(crate) errors: Vec<(usize, CheckError)>,
    file: usize,
}

impl<'p> Checker<'p> {
    pub(crate) fn new(params: &'p [CheckedParam]) -> Self {
        Checker { params, used_params: vec![false; params.len()], errors: Vec::new(), file: 0 }
    }

    fn error(&mut self, error: CheckError) {
        self.errors.push((self.file, error));
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
            patterns: scope.patterns,
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

    // ---------------------------------------------------------- expressions

    fn expr(&mut self, expr: &Expr, scope: &Scope, expected: Option<Type>) -> Typed {
        match &expr.kind {
            ExprKind::Bool(b) => Typed { ir: Ir::Const(Value::Bool(*b)), ty: Type::Bool, optional: false },
            ExprKind::Int(i) => Typed { ir: Ir::Const(Value::Int(*i)), ty: Type::Int, optional: false },
            ExprKind::Decimal(d) => Typed { ir: Ir::Const(Value::Decimal(*d)), ty: Type::Decimal, optional: false },
            ExprKind::Str(s) => Typed { ir: Ir::Const(Value::Text(s.clone())), ty: Type::Text, optional: false },
            ExprKind::Quantity(q) => {
                let (value, ty) = match q {
                    Quantity::Duration(d) => (Value::Duration(*d), Type::Duration),
                    Quantity::Size(s) => (Value::Size(*s), Type::Size),
                    Quantity::Money(m) => (Value::Money(*m), Type::Money),
                    Quantity::Percent(p) => (Value::Percent(*p), Type::Percent),
                    Quantity::Vcpu(v) => (Value::Vcpu(*v), Type::Vcpu),
                };
                Typed { ir: Ir::Const(value), ty, optional: false }
            }
            ExprKind::Path(path) => self.path(path, scope, expected),
            ExprKind::Not(inner) => {
                let t = self.expect_bool(inner, scope, "the operand of `not`");
                Typed { ir: Ir::Not(Box::new(t)), ty: Type::Bool, optional: false }
            }
            ExprKind::Neg(inner) => {
                let t = self.expr(inner, scope, None);
                self.guard(&t, inner);
                match t.ty {
                    Type::Int | Type::Decimal | Type::Error => {
                        Typed { ir: Ir::Neg(Box::new(t.ir)), ty: t.ty, optional: false }
                    }
                    other => {
                        self.error(CheckError::TypeMismatch {
                            message: format!("cannot negate {}", other.name()),
                            left: inner.span,
                            left_label: other.name(),
                            right: None,
                            right_label: String::new(),
                            help: "only numbers are negative; durations, sizes and money are not".into(),
                        });
                        Typed::error()
                    }
                }
            }
            ExprKind::Binary(op, a, b) if op.is_logical() => {
                let left = self.expect_bool(a, scope, &format!("each side of `{}`", op.symbol()));
                let right_scope = match op {
                    BinOp::And | BinOp::Implies => scope.narrowed(&self.narrow(a, true)),
                    _ => scope.narrowed(&self.narrow(a, false)),
                };
                let right = self.expect_bool(b, &right_scope, &format!("each side of `{}`", op.symbol()));
                let (l, r) = (Box::new(left), Box::new(right));
                let ir = match op {
                    BinOp::And => Ir::And(l, r),
                    BinOp::Or => Ir::Or(l, r),
                    _ => Ir::Implies(l, r),
                };
                Typed { ir, ty: Type::Bool, optional: false }
            }
            ExprKind::Binary(op, a, b) if op.is_comparison() => self.comparison(*op, a, b, scope),
            ExprKind::Binary(op, a, b) => self.arithmetic(*op, a, b, scope),
            ExprKind::In { expr: item, list, negated } => {
                let left = self.expr(item, scope, None);
                let mut irs = Vec::new();
                for element in list {
                    if left.ty == Type::Error {
                        break;
                    }
                    let t = self.expr(element, scope, Some(left.ty));
                    if !matches!(t.ir, Ir::Const(_)) && t.ty != Type::Error {
                        self.error(CheckError::NotALiteral {
                            message: "list elements are literals".into(),
                            span: element.span,
                            help: "write the values to compare with, e.g. `[jvm, dotnet]`".into(),
                        });
                    } else if !comparable(left.ty, t.ty) {
                        self.mismatch_in(item, element, left.ty, t.ty);
                    }
                    irs.push(t.ir);
                }
                if let Type::List(_) = left.ty {
                    self.error(CheckError::ListInList { span: item.span });
                }
                Typed {
                    ir: Ir::In { expr: Box::new(left.ir), list: irs, negated: *negated },
                    ty: Type::Bool,
                    optional: false,
                }
            }
            ExprKind::IsSet { expr: item, negated } => {
                let t = self.expr(item, scope, None);
                if !t.optional && t.ty != Type::Error {
                    let always = if *negated { "never" } else { "always" };
                    self.error(CheckError::AlwaysSet {
                        expr: super::fmt::expr_to_string(item),
                        always,
                        span: item.span,
                    });
                }
                Typed { ir: Ir::IsSet { expr: Box::new(t.ir), negated: *negated }, ty: Type::Bool, optional: false }
            }
            ExprKind::Quantified { quantifier, var, list, body } => {
                let Some((list_path, inner)) = self.bind(var, list, scope) else { return Typed::error() };
                let body = self.expect_bool(body, &inner, "a quantifier's body");
                Typed {
                    ir: Ir::Quantified {
                        all: *quantifier == Quantifier::All,
                        list: list_path.to_string(),
                        body: Box::new(body),
                    },
                    ty: Type::Bool,
                    optional: false,
                }
            }
            ExprKind::Count { list, filter } => match filter {
                None => {
                    let t = self.expr(list, scope, None);
                    match (t.ty, t.ir) {
                        (Type::List(path), _) => Typed {
                            ir: Ir::Count { list: path.to_string(), filter: None },
                            ty: Type::Int,
                            optional: false,
                        },
                        (Type::Error, _) => Typed::error(),
                        (other, _) => {
                            self.not_a_list(list, other);
                            Typed::error()
                        }
                    }
                }
                Some((var, body)) => {
                    let Some((list_path, inner)) = self.bind(var, list, scope) else { return Typed::error() };
                    let body = self.expect_bool(body, &inner, "`count`'s condition");
                    Typed {
                        ir: Ir::Count { list: list_path.to_string(), filter: Some(Box::new(body)) },
                        ty: Type::Int,
                        optional: false,
                    }
                }
            },
        }
    }

    fn not_a_list(&mut self, expr: &Expr, ty: Type) {
        let lists: Vec<&str> = SCHEMA.iter().filter(|d| d.ty == FactType::List).map(|d| d.path).collect();
        self.error(CheckError::TypeMismatch {
            message: format!("expected a list, found {}", ty.name()),
            left: expr.span,
            left_label: ty.name(),
            right: None,
            right_label: String::new(),
            help: format!("quantifiers and `count` range over a list fact: {}", suggest::one_of(&lists)),
        });
    }

    /// Binds `var` to the elements of `list` for a quantifier's body.
    fn bind(&mut self, var: &Ident, list: &Expr, scope: &Scope) -> Option<(&'static str, Scope)> {
        let t = self.expr(list, scope, None);
        let Type::List(path) = t.ty else {
            if t.ty != Type::Error {
                self.not_a_list(list, t.ty);
            }
            return None;
        };
        if self.param_index(&var.name).is_some() || top_level_facts().contains(var.name.as_str()) {
            self.error(CheckError::ShadowingElement { name: var.name.clone(), span: var.span });
            return None;
        }
        let mut inner = scope.clone();
        inner.vars.push((var.name.clone(), path));
        Some((path, inner))
    }

    /// An expression that must be a bool: a clause's condition, an operand of
    /// `and`/`or`/`not`, a quantifier's body.
    fn expect_bool(&mut self, expr: &Expr, scope: &Scope, context: &str) -> Ir {
        let t = self.expr(expr, scope, Some(Type::Bool));
        if t.ty != Type::Bool && t.ty != Type::Error {
            self.error(CheckError::TypeMismatch {
                message: format!("{context} must be a bool, not {}", t.ty.name()),
                left: expr.span,
                left_label: t.ty.name(),
                right: None,
                right_label: String::new(),
                help: "compare it with something, e.g. `workload.peak_rps <= 100`".into(),
            });
        }
        if t.optional {
            self.error(CheckError::UnguardedOptional {
                path: super::fmt::expr_to_string(expr),
                span: expr.span,
                help: format!("test it with `{} is set` first", super::fmt::expr_to_string(expr)),
            });
        }
        t.ir
    }

    fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    fn path(&mut self, path: &Path, scope: &Scope, expected: Option<Type>) -> Typed {
        let first = &path.segments[0];
        // A name bound by a quantifier: `store.kind`.
        if let Some(depth) = scope.vars.iter().rposition(|(name, _)| *name == first.name) {
            let list = scope.vars[depth].1;
            let [_, field] = path.segments.as_slice() else {
                let fields: Vec<String> = schema::list_fields(list)
                    .map(|d| format!("`{}.{}`", first.name, &d.path[list.len() + 3..]))
                    .collect();
                self.error(CheckError::ElementNotValue {
                    name: first.name.clone(),
                    list: list.to_string(),
                    span: path.span,
                    fields: fields.join(", "),
                });
                return Typed::error();
            };
            let full = format!("{list}[].{}", field.name);
            return match schema::lookup(&full) {
                Some(def) => Typed {
                    ir: Ir::Field { depth, field: field.name.clone() },
                    ty: fact_type(def.ty, def.path),
                    optional: def.optional,
                },
                None => {
                    let fields: Vec<&str> = schema::list_fields(list).map(|d| &d.path[list.len() + 3..]).collect();
                    let help = match suggest::did_you_mean(&field.name, fields.iter().copied()) {
                        Some(s) => format!("did you mean `{}.{s}`?", first.name),
                        None => format!("an element of `{list}` has {}", suggest::all_of(&fields)),
                    };
                    self.error(CheckError::UnknownFact { path: path.dotted(), span: field.span, help });
                    Typed::error()
                }
            };
        }
        let dotted = path.dotted();
        if let Some(one) = path.single()
            && let Some(i) = self.param_index(&one.name)
        {
            self.used_params[i] = true;
            return Typed { ir: Ir::Param(i), ty: self.params[i].ty, optional: false };
        }
        if let Some(def) = schema::lookup(&dotted) {
            if !def.patterns.is_superset_of(scope.patterns) {
                let missing = scope.patterns.minus(def.patterns);
                let has: Vec<String> = def.patterns.patterns().map(|p| format!("`{}`", p.name())).collect();
                let when = match def.patterns.patterns().collect::<Vec<_>>().as_slice() {
                    [one] => format!("`when pattern == {}`", one.name()),
                    many => {
                        format!("`when pattern in [{}]`", many.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "))
                    }
                };
                self.error(CheckError::FactNotInPattern {
                    path: dotted.clone(),
                    missing: pattern_names(missing),
                    span: path.span,
                    present: has.join(", "),
                    help: format!("add {when} to the policy, or guard the condition with it"),
                });
                return Typed::error();
            }
            let optional = def.optional && !scope.set.contains(&dotted);
            return Typed {
                ir: Ir::Fact { path: dotted, optional: def.optional },
                ty: fact_type(def.ty, def.path),
                optional,
            };
        }
        if let Some(one) = path.single() {
            if let Some(Type::Enum(e)) = expected {
                if let Some(i) = e.position(&one.name) {
                    return Typed { ir: Ir::Const(Value::Enum(e, e.values[i])), ty: Type::Enum(e), optional: false };
                }
                let help = match suggest::did_you_mean(&one.name, e.values.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? `{}` is one of {}", e.name, suggest::one_of(e.values)),
                    None => format!("`{}` is one of {}", e.name, suggest::one_of(e.values)),
                };
                self.error(CheckError::UnknownEnumValue {
                    kind: e.name.into(),
                    value: one.name.clone(),
                    span: one.span,
                    help,
                });
                return Typed::error();
            }
            let mut candidates: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
            candidates.extend(top_level_facts());
            let help = match suggest::did_you_mean(&one.name, candidates.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "a bare name is a param, a fact such as `pattern` or `portability`, or an enum value compared with a fact (`service.subnets == private`)".into()
                }
            };
            self.error(CheckError::UnknownName { name: one.name.clone(), span: one.span, help });
            return Typed::error();
        }
        let help = match suggest::did_you_mean(&dotted, schema::paths().filter(|p| !p.contains('*'))) {
            Some(s) => format!("did you mean `{s}`? docs/facts.md lists every fact"),
            None => "docs/facts.md lists every fact; `policy facts FILE` shows a proposal's".into(),
        };
        self.error(CheckError::UnknownFact { path: dotted, span: path.span, help });
        Typed::error()
    }

    /// An unguarded optional fact in an ordering or arithmetic.
    fn guard(&mut self, t: &Typed, expr: &Expr) {
        if t.optional {
            let text = super::fmt::expr_to_string(expr);
            self.error(CheckError::UnguardedOptional {
                path: text.clone(),
                span: expr.span,
                help: format!("it may be absent: test it first, e.g. `when {text} is set` or `{text} is set and ...`"),
            });
        }
    }

    /// Checks both sides; a bare name on one side is read as a value of the other's enum.
    fn operands(&mut self, a: &Expr, b: &Expr, scope: &Scope) -> (Typed, Typed) {
        // After an error on one side, a bare name on the other would only repeat it.
        if self.is_unresolved_name(a, scope) && !self.is_unresolved_name(b, scope) {
            let right = self.expr(b, scope, None);
            if right.ty == Type::Error {
                return (Typed::error(), right);
            }
            let left = self.expr(a, scope, Some(right.ty));
            (left, right)
        } else {
            let left = self.expr(a, scope, None);
            if left.ty == Type::Error && self.is_unresolved_name(b, scope) {
                return (left, Typed::error());
            }
            let right = self.expr(b, scope, Some(left.ty));
            (left, right)
        }
    }

    fn is_unresolved_name(&self, e: &Expr, scope: &Scope) -> bool {
        match &e.kind {
            ExprKind::Path(p) => match p.single() {
                Some(one) => {
                    self.param_index(&one.name).is_none()
                        && schema::lookup(&one.name).is_none()
                        && !scope.vars.iter().any(|(n, _)| *n == one.name)
                }
                None => false,
            },
            _ => false,
        }
    }

    fn comparison(&mut self, op: BinOp, a: &Expr, b: &Expr, scope: &Scope) -> Typed {
        let (left, right) = self.operands(a, b, scope);
        if left.ty == Type::Error || right.ty == Type::Error {
            return Typed::error();
        }
        if !comparable(left.ty, right.ty) {
            self.error(CheckError::TypeMismatch {
                message: format!("cannot compare {} with {}", left.ty.name(), right.ty.name()),
                left: a.span,
                left_label: left.ty.name(),
                right: Some(b.span),
                right_label: right.ty.name(),
                help: mismatch_help(left.ty, right.ty),
            });
            return Typed::error();
        }
        let ordering = !matches!(op, BinOp::Eq | BinOp::Ne);
        if ordering {
            self.guard(&left, a);
            self.guard(&right, b);
            let unordered = match left.ty {
                Type::Enum(e) if !e.ordered => Some(format!("`{}` values have no order", e.name)),
                Type::Bool => Some("bools have no order".into()),
                Type::Text => Some("strings have no order".into()),
                Type::List(_) => Some("lists have no order".into()),
                _ => None,
            };
            if let Some(why) = unordered {
                self.error(CheckError::TypeMismatch {
                    message: format!("cannot order {}: {why}", left.ty.name()),
                    left: a.span,
                    left_label: left.ty.name(),
                    right: Some(b.span),
                    right_label: right.ty.name(),
                    help: "compare with `==`, `!=` or `in [...]`".into(),
                });
                return Typed::error();
            }
        } else if matches!(left.ty, Type::List(_)) {
            self.not_a_list(a, left.ty);
            return Typed::error();
        }
        Typed { ir: Ir::Compare(op, Box::new(left.ir), Box::new(right.ir)), ty: Type::Bool, optional: false }
    }

    fn mismatch_in(&mut self, item: &Expr, element: &Expr, left: Type, right: Type) {
        self.error(CheckError::TypeMismatch {
            message: format!("cannot look for {} in a list of {}", left.name(), right.name()),
            left: item.span,
            left_label: left.name(),
            right: Some(element.span),
            right_label: right.name(),
            help: mismatch_help(left, right),
        });
    }

    fn arithmetic(&mut self, op: BinOp, a: &Expr, b: &Expr, scope: &Scope) -> Typed {
        let left = self.expr(a, scope, None);
        let right = self.expr(b, scope, None);
        if left.ty == Type::Error || right.ty == Type::Error {
            return Typed::error();
        }
        self.guard(&left, a);
        self.guard(&right, b);
        match arithmetic_type(op, left.ty, right.ty) {
            Some(ty) => Typed { ir: Ir::Arith(op, Box::new(left.ir), Box::new(right.ir)), ty, optional: false },
            None => {
                self.error(CheckError::TypeMismatch {
                    message: format!("cannot compute {} {} {}", left.ty.name(), op.symbol(), right.ty.name()),
                    left: a.span,
                    left_label: left.ty.name(),
                    right: Some(b.span),
                    right_label: right.ty.name(),
                    help: "add and subtract values of one unit; multiply or divide a quantity by a number or percent"
                        .into(),
                });
                Typed::error()
            }
        }
    }
}

/// Whether `==` and ordering between these types make sense.
fn comparable(a: Type, b: Type) -> bool {
    a == b
        || (a.is_numeric() && b.is_numeric())
        || (a == Type::Vcpu && b.is_numeric())
        || (b == Type::Vcpu && a.is_numeric())
        || a == Type::Error
        || b == Type::Error
}

fn mismatch_help(a: Type, b: Type) -> String {
    let unit = |t: Type| match t {
        Type::Duration => Some("`29s`"),
        Type::Size => Some("`512MiB`"),
        Type::Money => Some("`$50`"),
        Type::Percent => Some("`50%`"),
        _ => None,
    };
    match (a, b) {
        (x, y) if y.is_numeric() && unit(x).is_some() => {
            format!("write the number with its unit, e.g. {}", unit(x).unwrap_or_default())
        }
        (y, x) if y.is_numeric() && unit(x).is_some() => {
            format!("write the number with its unit, e.g. {}", unit(x).unwrap_or_default())
        }
        (Type::Enum(e), _) | (_, Type::Enum(e)) => {
            format!("`{}` is one of {}", e.name, suggest::one_of(e.values))
        }
        _ => "both sides need the same type: durations with durations, money with money".into(),
    }
}

/// The type of `a op b`, if the units allow it.
fn arithmetic_type(op: BinOp, a: Type, b: Type) -> Option<Type> {
    use Type::*;
    let quantity = |t: Type| matches!(t, Duration | Size | Money | Vcpu | Percent);
    let number = |t: Type| matches!(t, Int | Decimal | Percent);
    match op {
        BinOp::Add | BinOp::Sub => match (a, b) {
            (Int, Int) => Some(Int),
            (x, y) if x.is_numeric() && y.is_numeric() => Some(Decimal),
            (x, y) if x == y && quantity(x) => Some(x),
            _ => None,
        },
        BinOp::Mul => match (a, b) {
            (Int, Int) => Some(Int),
            (x, y) if number(x) && number(y) => Some(if x == Percent && y == Percent { Percent } else { Decimal }),
            (x, y) if quantity(x) && x != Percent && number(y) => Some(x),
            (y, x) if quantity(x) && x != Percent && number(y) => Some(x),
            _ => None,
        },
        BinOp::Div => match (a, b) {
            (x, y) if number(x) && number(y) => Some(Decimal),
            (x, y) if quantity(x) && x != Percent && number(y) => Some(x),
            (x, y) if x == y && quantity(x) => Some(Decimal),
            _ => None,
        },
        _ => None,
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

fn is_pattern_path(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Path(p) if p.dotted() == "pattern")
}

fn item_pattern(e: &Expr) -> Option<Pattern> {
    match &e.kind {
        ExprKind::Path(p) => p.single().and_then(|one| Pattern::from_name(&one.name)),
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
