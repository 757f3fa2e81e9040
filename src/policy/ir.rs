//! The checked form of expressions: names resolved, types known. The checker
//! produces it and the evaluator runs it; nothing in it can fail.

use std::fmt;

use rust_decimal::Decimal;

use super::ast::BinOp;
use crate::facts::FactValue;
use crate::model::named_enum::EnumType;
use crate::units::{Duration, Money, Size, Vcpu};

/// The type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Bool,
    Int,
    Decimal,
    Text,
    Duration,
    Size,
    Money,
    Percent,
    Vcpu,
    Enum(&'static EnumType),
    /// A list fact (`data`), by its path.
    List(&'static str),
    /// After an error, so one mistake is reported once.
    Error,
}

impl Type {
    pub fn name(self) -> String {
        match self {
            Type::Bool => "bool".into(),
            Type::Int => "integer".into(),
            Type::Decimal => "decimal".into(),
            Type::Text => "string".into(),
            Type::Duration => "duration".into(),
            Type::Size => "size".into(),
            Type::Money => "money".into(),
            Type::Percent => "percent".into(),
            Type::Vcpu => "vcpu".into(),
            Type::Enum(e) => format!("`{}`", e.name),
            Type::List(p) => format!("list `{p}`"),
            Type::Error => "unknown".into(),
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Type::Int | Type::Decimal)
    }

    /// Types a param may be declared with, besides the enums of the schema.
    pub fn from_name(name: &str) -> Option<Type> {
        Some(match name {
            "bool" => Type::Bool,
            "int" | "integer" => Type::Int,
            "decimal" => Type::Decimal,
            "string" => Type::Text,
            "duration" => Type::Duration,
            "size" => Type::Size,
            "money" => Type::Money,
            "percent" => Type::Percent,
            "vcpu" => Type::Vcpu,
            _ => return None,
        })
    }

    pub const BUILTIN_NAMES: &'static [&'static str] =
        &["bool", "integer", "decimal", "string", "duration", "size", "money", "percent", "vcpu"];
}

/// A runtime value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    Text(String),
    Duration(Duration),
    Size(Size),
    Money(Money),
    Percent(Decimal),
    Vcpu(Vcpu),
    Enum(&'static EnumType, &'static str),
    /// An optional fact that the proposal does not have.
    Absent,
}

impl Value {
    pub fn from_fact(value: &FactValue) -> Value {
        match value {
            FactValue::Bool(b) => Value::Bool(*b),
            FactValue::Int(i) => Value::Int(*i),
            FactValue::Text(s) => Value::Text(s.clone()),
            FactValue::Duration(d) => Value::Duration(*d),
            FactValue::Size(s) => Value::Size(*s),
            FactValue::Money(m) => Value::Money(*m),
            FactValue::Vcpu(v) => Value::Vcpu(*v),
            FactValue::Enum(ty, name) => Value::Enum(ty, name),
            // Lists are only ranged over, never compared as values.
            FactValue::List(_) => Value::Absent,
        }
    }

    pub fn as_bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Text(s) => f.write_str(s),
            Value::Duration(d) => write!(f, "{d}"),
            Value::Size(s) => write!(f, "{s}"),
            Value::Money(m) => write!(f, "{m}"),
            Value::Percent(p) => write!(f, "{}%", (*p * Decimal::from(100)).normalize()),
            Value::Vcpu(v) => write!(f, "{v}"),
            Value::Enum(_, name) => f.write_str(name),
            Value::Absent => f.write_str("not set"),
        }
    }
}

/// A checked expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ir {
    Const(Value),
    /// A fact by path; `optional` facts may be absent.
    Fact {
        path: String,
        optional: bool,
    },
    /// A param by index in the policy set.
    Param(usize),
    /// A field of the record bound at `depth` by a quantifier.
    Field {
        depth: usize,
        field: String,
    },
    Not(Box<Ir>),
    Neg(Box<Ir>),
    And(Box<Ir>, Box<Ir>),
    Or(Box<Ir>, Box<Ir>),
    Implies(Box<Ir>, Box<Ir>),
    Compare(BinOp, Box<Ir>, Box<Ir>),
    Arith(BinOp, Box<Ir>, Box<Ir>),
    In {
        expr: Box<Ir>,
        list: Vec<Ir>,
        negated: bool,
    },
    IsSet {
        expr: Box<Ir>,
        negated: bool,
    },
    /// `all` (or `any`) over the list fact at `list`.
    Quantified {
        all: bool,
        list: String,
        body: Box<Ir>,
    },
    Count {
        list: String,
        filter: Option<Box<Ir>>,
    },
}

impl Ir {
    /// Whether a fact this expression reads satisfies `read`: a fact
    /// compared, tested or counted, or a list a quantifier ranges over.
    pub fn reads_fact(&self, read: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Ir::Fact { path, .. } => read(path),
            Ir::Const(_) | Ir::Param(_) | Ir::Field { .. } => false,
            Ir::Not(a) | Ir::Neg(a) => a.reads_fact(read),
            Ir::And(a, b) | Ir::Or(a, b) | Ir::Implies(a, b) | Ir::Compare(_, a, b) | Ir::Arith(_, a, b) => {
                a.reads_fact(read) || b.reads_fact(read)
            }
            Ir::In { expr, list, .. } => expr.reads_fact(read) || list.iter().any(|item| item.reads_fact(read)),
            Ir::IsSet { expr, .. } => expr.reads_fact(read),
            Ir::Quantified { list, body, .. } => read(list) || body.reads_fact(read),
            Ir::Count { list, filter } => read(list) || filter.as_ref().is_some_and(|f| f.reads_fact(read)),
        }
    }
}
