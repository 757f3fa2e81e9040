//! The evaluator: total and deterministic. Every value of every type has a
//! defined result for every operator (absent optionals compare unequal,
//! division by zero gives zero, arithmetic saturates), so a checked policy
//! never fails here. Quantifiers range over the proposal's finite lists, so
//! evaluation ends in time linear in policy size times proposal size.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::facts::{FactValue, Facts, Record};
use crate::policy::ast::BinOp;
use crate::policy::ir::{Ir, Value};
use crate::units::{Duration, Money, Size, Vcpu};

/// What a value in a failing condition was read from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Blame {
    /// A fact, by its full path (`data[1].kind` for a list element's field).
    Fact(String),
    Param(usize),
}

pub(crate) struct Env<'a> {
    facts: &'a Facts,
    params: &'a [Value],
    /// Records bound by quantifiers: (list path, index, record).
    bound: Vec<(&'a str, usize, &'a Record)>,
}

impl<'a> Env<'a> {
    pub(crate) fn new(facts: &'a Facts, params: &'a [Value]) -> Self {
        Env { facts, params, bound: Vec::new() }
    }

    fn records(&self, list: &str) -> &'a [Record] {
        match self.facts.get(list).map(|f| &f.value) {
            Some(FactValue::List(records)) => records,
            _ => &[],
        }
    }

    pub(crate) fn eval(&mut self, ir: &'a Ir) -> Value {
        match ir {
            Ir::Const(v) => v.clone(),
            Ir::Fact { path, .. } => self.facts.get(path).map_or(Value::Absent, |f| Value::from_fact(&f.value)),
            Ir::Param(i) => self.params.get(*i).cloned().unwrap_or(Value::Absent),
            Ir::Field { depth, field } => match self.bound.get(*depth) {
                Some((_, _, record)) => record.get(field).map_or(Value::Absent, |f| Value::from_fact(&f.value)),
                None => Value::Absent,
            },
            Ir::Not(a) => Value::Bool(!self.truth(a)),
            Ir::Neg(a) => match self.eval(a) {
                Value::Int(i) => Value::Int(i.checked_neg().unwrap_or(i64::MAX)),
                Value::Decimal(d) => Value::Decimal(-d),
                other => other,
            },
            Ir::And(a, b) => Value::Bool(self.truth(a) && self.truth(b)),
            Ir::Or(a, b) => Value::Bool(self.truth(a) || self.truth(b)),
            Ir::Implies(a, b) => Value::Bool(!self.truth(a) || self.truth(b)),
            Ir::Compare(op, a, b) => {
                let (x, y) = (self.eval(a), self.eval(b));
                Value::Bool(compare(*op, &x, &y))
            }
            Ir::Arith(op, a, b) => {
                let (x, y) = (self.eval(a), self.eval(b));
                arithmetic(*op, &x, &y)
            }
            Ir::In { expr, list, negated } => {
                let x = self.eval(expr);
                let found = x != Value::Absent && list.iter().any(|item| compare(BinOp::Eq, &x, &self.eval(item)));
                Value::Bool(found != *negated)
            }
            Ir::IsSet { expr, negated } => Value::Bool((self.eval(expr) != Value::Absent) != *negated),
            Ir::Quantified { all, list, body } => {
                let records = self.records(list);
                let mut result = *all;
                for (i, record) in records.iter().enumerate() {
                    self.bound.push((list, i, record));
                    let holds = self.truth(body);
                    self.bound.pop();
                    if holds != *all {
                        result = !*all;
                        break;
                    }
                }
                Value::Bool(result)
            }
            Ir::Count { list, filter } => {
                let records = self.records(list);
                let count = match filter {
                    None => records.len(),
                    Some(body) => {
                        let mut n = 0;
                        for (i, record) in records.iter().enumerate() {
                            self.bound.push((list, i, record));
                            if self.truth(body) {
                                n += 1;
                            }
                            self.bound.pop();
                        }
                        n
                    }
                };
                Value::Int(i64::try_from(count).unwrap_or(i64::MAX))
            }
        }
    }

    pub(crate) fn truth(&mut self, ir: &'a Ir) -> bool {
        self.eval(ir).as_bool()
    }

    /// The values that decided a false condition, in reading order.
    pub(crate) fn blame(&mut self, ir: &'a Ir, out: &mut Vec<Blame>) {
        match ir {
            Ir::And(a, b) => {
                if !self.truth(a) {
                    self.blame(a, out);
                } else {
                    self.blame(b, out);
                }
            }
            Ir::Or(a, b) => {
                // The later alternative is usually the requirement, the earlier a guard
                // (`pattern == fargate_alb or gateway.waf`): name it first.
                self.blame(b, out);
                self.blame(a, out);
            }
            Ir::Implies(a, b) => {
                self.blame(b, out);
                self.reads(a, out);
            }
            Ir::Not(a) => self.reads(a, out),
            Ir::Quantified { all: true, list, body } => {
                let records = self.records(list);
                for (i, record) in records.iter().enumerate() {
                    self.bound.push((list, i, record));
                    let holds = self.truth(body);
                    if !holds {
                        self.blame(body, out);
                    }
                    self.bound.pop();
                    if !holds {
                        return;
                    }
                }
            }
            other => self.reads(other, out),
        }
    }

    /// Every fact and param an expression reads.
    fn reads(&mut self, ir: &'a Ir, out: &mut Vec<Blame>) {
        let mut push = |b: Blame| {
            if !out.contains(&b) {
                out.push(b);
            }
        };
        match ir {
            Ir::Const(_) => {}
            Ir::Fact { path, .. } => push(Blame::Fact(path.clone())),
            Ir::Param(i) => push(Blame::Param(*i)),
            Ir::Field { depth, field } => {
                if let Some((list, index, _)) = self.bound.get(*depth) {
                    push(Blame::Fact(format!("{list}[{index}].{field}")));
                }
            }
            Ir::Not(a) | Ir::Neg(a) => self.reads(a, out),
            Ir::And(a, b) | Ir::Or(a, b) | Ir::Implies(a, b) | Ir::Compare(_, a, b) | Ir::Arith(_, a, b) => {
                self.reads(a, out);
                self.reads(b, out);
            }
            Ir::In { expr, list, .. } => {
                self.reads(expr, out);
                for item in list {
                    self.reads(item, out);
                }
            }
            Ir::IsSet { expr, .. } => self.reads(expr, out),
            Ir::Quantified { list, .. } | Ir::Count { list, .. } => push(Blame::Fact(list.clone())),
        }
    }
}

/// A number as an exact decimal, for comparing across numeric types.
fn as_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Decimal(d) | Value::Percent(d) => Some(*d),
        Value::Vcpu(c) => Some(c.as_decimal()),
        _ => None,
    }
}

fn order(x: &Value, y: &Value) -> Option<Ordering> {
    match (x, y) {
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::Duration(a), Value::Duration(b)) => Some(a.cmp(b)),
        (Value::Size(a), Value::Size(b)) => Some(a.cmp(b)),
        (Value::Money(a), Value::Money(b)) => Some(a.cmp(b)),
        (Value::Vcpu(a), Value::Vcpu(b)) => Some(a.cmp(b)),
        (Value::Enum(t, a), Value::Enum(_, b)) => match (t.position(a), t.position(b)) {
            (Some(i), Some(j)) => Some(i.cmp(&j)),
            _ => Some(a.cmp(b)),
        },
        (a, b) => Some(as_decimal(a)?.cmp(&as_decimal(b)?)),
    }
}

/// `x op y`; an absent value is unequal to everything and unordered.
pub(crate) fn compare(op: BinOp, x: &Value, y: &Value) -> bool {
    if *x == Value::Absent || *y == Value::Absent {
        return op == BinOp::Ne;
    }
    let Some(ordering) = order(x, y) else {
        return op == BinOp::Ne;
    };
    match op {
        BinOp::Eq => ordering == Ordering::Equal,
        BinOp::Ne => ordering != Ordering::Equal,
        BinOp::Lt => ordering == Ordering::Less,
        BinOp::Le => ordering != Ordering::Greater,
        BinOp::Gt => ordering == Ordering::Greater,
        BinOp::Ge => ordering != Ordering::Less,
        _ => false,
    }
}

fn saturate_u64(d: Decimal) -> u64 {
    if d.is_sign_negative() { 0 } else { u64::try_from(d.round()).unwrap_or(u64::MAX) }
}

fn decimal_op(op: BinOp, a: Decimal, b: Decimal) -> Decimal {
    let result = match op {
        BinOp::Add => a.checked_add(b),
        BinOp::Sub => a.checked_sub(b),
        BinOp::Mul => a.checked_mul(b),
        BinOp::Div if b.is_zero() => Some(Decimal::ZERO),
        BinOp::Div => a.checked_div(b),
        _ => Some(Decimal::ZERO),
    };
    result.unwrap_or(if (a.is_sign_negative() != b.is_sign_negative()) && op != BinOp::Add {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// A quantity's magnitude and a constructor back from it.
/// Rebuilds a quantity of one unit from its magnitude.
type FromMagnitude = fn(Decimal) -> Value;

fn magnitude(v: &Value) -> Option<(Decimal, FromMagnitude)> {
    Some(match v {
        Value::Duration(d) => {
            (Decimal::from(d.as_millis()), |m| Value::Duration(Duration::from_millis(saturate_u64(m))))
        }
        Value::Size(s) => (Decimal::from(s.as_bytes()), |m| Value::Size(Size::from_bytes(saturate_u64(m)))),
        Value::Money(m) => (m.as_decimal(), |m| Value::Money(Money::from_decimal(m.max(Decimal::ZERO)))),
        Value::Vcpu(c) => (Decimal::from(c.as_millis()), |m| {
            Value::Vcpu(Vcpu::from_millis(u32::try_from(saturate_u64(m)).unwrap_or(u32::MAX)))
        }),
        Value::Percent(p) => (*p, Value::Percent),
        _ => return None,
    })
}

pub(crate) fn arithmetic(op: BinOp, x: &Value, y: &Value) -> Value {
    match (x, y) {
        (Value::Absent, _) | (_, Value::Absent) => Value::Absent,
        (Value::Int(a), Value::Int(b)) if op != BinOp::Div => Value::Int(match op {
            BinOp::Add => a.saturating_add(*b),
            BinOp::Sub => a.saturating_sub(*b),
            _ => a.saturating_mul(*b),
        }),
        (Value::Percent(a), Value::Percent(b)) => match op {
            BinOp::Div => Value::Decimal(decimal_op(op, *a, *b)),
            _ => Value::Percent(decimal_op(op, *a, *b)),
        },
        (
            Value::Int(_) | Value::Decimal(_) | Value::Percent(_),
            Value::Int(_) | Value::Decimal(_) | Value::Percent(_),
        ) => {
            let (a, b) = (as_decimal(x).unwrap_or_default(), as_decimal(y).unwrap_or_default());
            Value::Decimal(decimal_op(op, a, b))
        }
        _ => match (magnitude(x), magnitude(y)) {
            // Same unit: add, subtract, or a ratio.
            (Some((a, make)), Some((b, _))) if std::mem::discriminant(x) == std::mem::discriminant(y) => match op {
                BinOp::Div => Value::Decimal(decimal_op(op, a, b)),
                BinOp::Mul => make(decimal_op(op, a, b)),
                _ => make(decimal_op(op, a, b)),
            },
            // A quantity scaled by a number or a percent.
            (Some((a, make)), _) => make(decimal_op(op, a, as_decimal(y).unwrap_or_default())),
            (_, Some((b, make))) => make(decimal_op(op, as_decimal(x).unwrap_or_default(), b)),
            _ => Value::Absent,
        },
    }
}
