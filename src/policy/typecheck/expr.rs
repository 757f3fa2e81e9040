//! Typing expressions: literals, operators, membership, quantifiers and
//! `count`, with the unit and ordering rules of the language.

use super::{Scope, TypeChecker, Typed, top_level_facts};
use crate::facts::schema::{FactType, SCHEMA};
use crate::policy::ast::*;
use crate::policy::err::CheckError;
use crate::policy::fmt::expr_to_string;
use crate::policy::ir::{Ir, Type, Value};
use crate::suggest;

impl TypeChecker<'_> {
    pub(super) fn expr(&mut self, expr: &Expr, scope: &Scope, expected: Option<Type>) -> Typed {
        match &expr.kind {
            ExprKind::Bool(b) => Typed::constant(Value::Bool(*b), Type::Bool),
            ExprKind::Int(i) => Typed::constant(Value::Int(*i), Type::Int),
            ExprKind::Decimal(d) => Typed::constant(Value::Decimal(*d), Type::Decimal),
            ExprKind::Str(s) => match expected {
                Some(Type::Enum(e)) => self.quoted_enum_value(e, s, expr.span),
                _ => Typed::constant(Value::Text(s.clone()), Type::Text),
            },
            ExprKind::Quantity(q) => quantity(q),
            ExprKind::Path(path) => self.path(path, scope, expected),
            ExprKind::Not(inner) => {
                let t = self.expect_bool(inner, scope, "the operand of `not`");
                Typed::bool(Ir::Not(Box::new(t)))
            }
            ExprKind::Neg(inner) => self.negation(inner, scope),
            ExprKind::Binary(op, a, b) if op.is_logical() => self.logical(*op, a, b, scope),
            ExprKind::Binary(op, a, b) if op.is_comparison() => self.comparison(*op, a, b, scope),
            ExprKind::Binary(op, a, b) => self.arithmetic(*op, a, b, scope),
            ExprKind::In { expr: item, list, negated } => self.membership(item, list, *negated, scope),
            ExprKind::IsSet { expr: item, negated } => {
                if let Some(component) = super::component_test(item) {
                    return Typed::bool(super::component_ir(component, *negated));
                }
                let t = self.expr(item, scope, None);
                if !t.optional && t.ty != Type::Error {
                    let always = if *negated { "never" } else { "always" };
                    self.error(CheckError::AlwaysSet { expr: expr_to_string(item), always, span: item.span });
                }
                Typed::bool(Ir::IsSet { expr: Box::new(t.ir), negated: *negated })
            }
            ExprKind::Quantified { quantifier, var, list, body } => {
                let Some((list_path, inner)) = self.bind(var, list, scope) else { return Typed::error() };
                let body = self.expect_bool(body, &inner, "a quantifier's body");
                Typed::bool(Ir::Quantified {
                    all: *quantifier == Quantifier::All,
                    list: list_path.to_string(),
                    body: Box::new(body),
                })
            }
            ExprKind::Count { list, filter } => self.count(list, filter.as_ref(), scope),
        }
    }

    fn negation(&mut self, inner: &Expr, scope: &Scope) -> Typed {
        let t = self.expr(inner, scope, None);
        self.guard(&t, inner);
        match t.ty {
            Type::Int | Type::Decimal | Type::Error => Typed { ir: Ir::Neg(Box::new(t.ir)), ty: t.ty, optional: false },
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

    /// `and`, `or`, `implies`: the left side narrows the scope of the right.
    fn logical(&mut self, op: BinOp, a: &Expr, b: &Expr, scope: &Scope) -> Typed {
        let left = self.expect_bool(a, scope, &format!("each side of `{}`", op.symbol()));
        let right_scope = match op {
            BinOp::And | BinOp::Implies => scope.narrowed(&self.narrow(a, true)),
            _ => scope.narrowed(&self.narrow(a, false)),
        };
        let right = self.expect_bool(b, &right_scope, &format!("each side of `{}`", op.symbol()));
        let (l, r) = (Box::new(left), Box::new(right));
        Typed::bool(match op {
            BinOp::And => Ir::And(l, r),
            BinOp::Or => Ir::Or(l, r),
            _ => Ir::Implies(l, r),
        })
    }

    /// `x in [..]`: the elements are literals comparable with `x`.
    fn membership(&mut self, item: &Expr, list: &[Expr], negated: bool, scope: &Scope) -> Typed {
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
        Typed::bool(Ir::In { expr: Box::new(left.ir), list: irs, negated })
    }

    /// `count(LIST)` or `count(x in LIST: COND)`.
    fn count(&mut self, list: &Expr, filter: Option<&(Ident, Box<Expr>)>, scope: &Scope) -> Typed {
        let Some((var, body)) = filter else {
            let t = self.expr(list, scope, None);
            return match t.ty {
                Type::List(path) => {
                    Typed { ir: Ir::Count { list: path.to_string(), filter: None }, ty: Type::Int, optional: false }
                }
                Type::Error => Typed::error(),
                other => {
                    self.not_a_list(list, other);
                    Typed::error()
                }
            };
        };
        let Some((list_path, inner)) = self.bind(var, list, scope) else { return Typed::error() };
        let body = self.expect_bool(body, &inner, "`count`'s condition");
        Typed {
            ir: Ir::Count { list: list_path.to_string(), filter: Some(Box::new(body)) },
            ty: Type::Int,
            optional: false,
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
    pub(super) fn bind(&mut self, var: &Ident, list: &Expr, scope: &Scope) -> Option<(&'static str, Scope)> {
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
        let iterations = scope.iterations.saturating_mul(crate::facts::schema::longest_list(path));
        if iterations > QUANTIFIER_BUDGET {
            self.error(CheckError::TooCostly { span: list.span, iterations, budget: QUANTIFIER_BUDGET });
            return None;
        }
        let mut inner = scope.clone();
        inner.vars.push((var.name.clone(), path));
        inner.iterations = iterations;
        Some((path, inner))
    }

    /// An expression that must be a bool: a clause's condition, an operand of
    /// `and`/`or`/`not`, a quantifier's body.
    pub(super) fn expect_bool(&mut self, expr: &Expr, scope: &Scope, context: &str) -> Ir {
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
                path: expr_to_string(expr),
                span: expr.span,
                help: format!("test it with `{} is set` first", expr_to_string(expr)),
            });
        }
        t.ir
    }

    /// An unguarded optional fact in an ordering or arithmetic.
    pub(super) fn guard(&mut self, t: &Typed, expr: &Expr) {
        if t.optional {
            let text = expr_to_string(expr);
            self.error(CheckError::UnguardedOptional {
                path: text.clone(),
                span: expr.span,
                help: format!("it may be absent: test it first, e.g. `when {text} is set` or `{text} is set and ...`"),
            });
        }
    }

    /// Checks both sides; a bare name on one side is read as a value of the other's enum.
    fn operands(&mut self, a: &Expr, b: &Expr, scope: &Scope) -> (Typed, Typed) {
        // After an error on one side, a bare name on the other would only
        // repeat it; a bare name or a string literal takes the other side's type.
        let deferred = |e: &Expr| self.is_unresolved_name(e, scope) || matches!(e.kind, ExprKind::Str(_));
        if deferred(a) && !deferred(b) {
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

/// The most times a quantifier's body may run for one proposal: nested
/// quantifiers multiply the lengths of their lists (at most 100 data stores
/// each), so two levels fit and a third is refused before anything runs.
pub const QUANTIFIER_BUDGET: u64 = 10_000;

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

fn quantity(q: &Quantity) -> Typed {
    let (value, ty) = match q {
        Quantity::Duration(d) => (Value::Duration(*d), Type::Duration),
        Quantity::Size(s) => (Value::Size(*s), Type::Size),
        Quantity::Money(m) => (Value::Money(*m), Type::Money),
        Quantity::Percent(p) => (Value::Percent(*p), Type::Percent),
        Quantity::Vcpu(v) => (Value::Vcpu(*v), Type::Vcpu),
    };
    Typed::constant(value, ty)
}
