//! The abstract syntax of policy files. Every node carries its span.

use miette::SourceSpan;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::report::Severity;
use crate::units::{Duration, Money, Size, Vcpu};

/// A byte range in a policy file.
pub type Span = SourceSpan;

/// A parsed `.policy` file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PolicyFile {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Item {
    Param(Param),
    Policy(Policy),
    Test(TestBlock),
}

/// `test "name" { proposal "file"  given PATH = VALUE  expect ID: OUTCOME }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestBlock {
    pub name: Message,
    pub clauses: Vec<TestClause>,
    #[serde(with = "span_pair")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestClause {
    /// The base proposal, relative to the policy file.
    Proposal(Message),
    /// A fact set to a value over the proposal's own.
    Given(Path, Expr),
    /// The outcome expected of a policy.
    Expect { policy: Ident, outcome: Ident },
}

impl TestBlock {
    pub fn proposal(&self) -> Option<&Message> {
        self.clauses.iter().find_map(|c| match c {
            TestClause::Proposal(m) => Some(m),
            _ => None,
        })
    }
}

/// A name with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ident {
    pub name: String,
    #[serde(with = "span_pair")]
    pub span: Span,
}

/// `param NAME: TYPE = DEFAULT "doc"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub name: Ident,
    pub ty: Ident,
    pub default: Expr,
    pub doc: Option<Message>,
    #[serde(with = "span_pair")]
    pub span: Span,
}

/// `policy ID: SEVERITY { clauses }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub id: Ident,
    pub severity: Severity,
    #[serde(with = "span_pair")]
    pub severity_span: Span,
    /// In the order written.
    pub clauses: Vec<Clause>,
    #[serde(with = "span_pair")]
    pub span: Span,
}

impl Policy {
    pub fn title(&self) -> Option<&Message> {
        self.clauses.iter().find_map(|c| match c {
            Clause::Title(m) => Some(m),
            _ => None,
        })
    }
    pub fn help(&self) -> Option<&Message> {
        self.clauses.iter().find_map(|c| match c {
            Clause::Help(m) => Some(m),
            _ => None,
        })
    }
    pub fn docs(&self) -> Option<&Message> {
        self.clauses.iter().find_map(|c| match c {
            Clause::Docs(m) => Some(m),
            _ => None,
        })
    }
    pub fn whens(&self) -> impl Iterator<Item = &Expr> {
        self.clauses.iter().filter_map(|c| match c {
            Clause::When(e) => Some(e),
            _ => None,
        })
    }
    pub fn requires(&self) -> impl Iterator<Item = &Require> {
        self.clauses.iter().filter_map(|c| match c {
            Clause::Require(r) => Some(r),
            _ => None,
        })
    }
    /// Whether waivers in proposals apply to this policy (they do unless `waivable false`).
    pub fn waivable(&self) -> bool {
        !self.clauses.iter().any(|c| matches!(c, Clause::Waivable(false)))
    }

    pub fn tags(&self) -> impl Iterator<Item = &Ident> {
        self.clauses.iter().flat_map(|c| match c {
            Clause::Tags(tags) => tags.as_slice(),
            _ => &[],
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clause {
    Title(Message),
    When(Expr),
    Require(Require),
    Help(Message),
    Docs(Message),
    Tags(Vec<Ident>),
    /// `waivable false`: waivers do not apply.
    Waivable(bool),
}

/// `require EXPR else "message"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Require {
    pub expr: Expr,
    pub message: Option<Message>,
    /// The whole clause, from `require` to the end of its message.
    #[serde(with = "span_pair")]
    pub span: Span,
}

/// A string, possibly with `{fact.path}` interpolations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub parts: Vec<MessagePart>,
    #[serde(with = "span_pair")]
    pub span: Span,
}

impl Message {
    /// The text with interpolations shown as `{path}`.
    pub fn template(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                MessagePart::Text(t) => t.clone(),
                MessagePart::Interpolation(path) => format!("{{{}}}", path.dotted()),
            })
            .collect()
    }

    /// The literal text, if there is no interpolation.
    pub fn plain(&self) -> Option<String> {
        self.parts
            .iter()
            .map(|p| match p {
                MessagePart::Text(t) => Some(t.as_str()),
                MessagePart::Interpolation(_) => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.concat())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessagePart {
    Text(String),
    Interpolation(Path),
}

/// A dotted name: a fact path, a param, a bound name or an enum value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Path {
    pub segments: Vec<Ident>,
    #[serde(with = "span_pair")]
    pub span: Span,
}

impl Path {
    pub fn dotted(&self) -> String {
        self.segments.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(".")
    }
    /// The single name, if the path has one segment.
    pub fn single(&self) -> Option<&Ident> {
        match self.segments.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expr {
    pub kind: ExprKind,
    #[serde(with = "span_pair")]
    pub span: Span,
}

/// A literal value with a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quantity {
    Duration(Duration),
    Size(Size),
    Money(Money),
    /// A percentage, held as a fraction (`50%` is 0.5).
    Percent(#[serde(with = "compact::decimal")] Decimal),
    Vcpu(#[serde(with = "compact::vcpu")] Vcpu),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    Implies,
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    /// Every operator, for generators of ASTs (proptest strategies, the structure-aware fuzzer).
    pub const ALL: [BinOp; 13] = [
        BinOp::Implies,
        BinOp::Or,
        BinOp::And,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Implies => "implies",
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
    pub fn is_logical(self) -> bool {
        matches!(self, BinOp::Implies | BinOp::Or | BinOp::And)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quantifier {
    All,
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExprKind {
    Bool(bool),
    Int(i64),
    Decimal(#[serde(with = "compact::decimal")] Decimal),
    Str(String),
    Quantity(Quantity),
    Path(Path),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `x in [..]`, or `x not in [..]` when `negated`.
    In {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    /// `x is set`, or `x is not set` when `negated`.
    IsSet {
        expr: Box<Expr>,
        negated: bool,
    },
    /// `all x in LIST: BODY` / `any x in LIST: BODY`.
    Quantified {
        quantifier: Quantifier,
        var: Ident,
        list: Box<Expr>,
        body: Box<Expr>,
    },
    /// `count(LIST)` or `count(x in LIST: BODY)`.
    Count {
        list: Box<Expr>,
        filter: Option<(Ident, Box<Expr>)>,
    },
}

/// A copy with every span set to zero, to compare trees regardless of layout.
/// The numbers of the compiled standard pack (`policy/compiled.rs`), in a
/// form a binary format reads without asking what comes next: a decimal as
/// its 16 bytes, vCPU as thousandths.
mod compact {
    pub mod decimal {
        use rust_decimal::Decimal;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
            value.serialize().serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
            <[u8; 16]>::deserialize(deserializer).map(Decimal::deserialize)
        }
    }

    pub mod vcpu {
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        use crate::units::Vcpu;

        pub fn serialize<S: Serializer>(value: &Vcpu, serializer: S) -> Result<S::Ok, S::Error> {
            value.as_millis().serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vcpu, D::Error> {
            u32::deserialize(deserializer).map(Vcpu::from_millis)
        }
    }
}

/// A span in the compiled standard pack (`policy/compiled.rs`): `[offset, length]`.
mod span_pair {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Span;

    pub fn serialize<S: Serializer>(span: &Span, serializer: S) -> Result<S::Ok, S::Error> {
        (span.offset(), span.len()).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        let (offset, length) = <(usize, usize)>::deserialize(deserializer)?;
        Ok(Span::from((offset, length)))
    }
}

pub trait WithoutSpans {
    fn without_spans(&self) -> Self;
}

fn zero() -> Span {
    SourceSpan::from((0, 0))
}

impl WithoutSpans for Ident {
    fn without_spans(&self) -> Self {
        Ident { name: self.name.clone(), span: zero() }
    }
}

impl WithoutSpans for Path {
    fn without_spans(&self) -> Self {
        Path { segments: self.segments.iter().map(Ident::without_spans).collect(), span: zero() }
    }
}

impl WithoutSpans for Message {
    fn without_spans(&self) -> Self {
        let parts = self
            .parts
            .iter()
            .map(|p| match p {
                MessagePart::Text(t) => MessagePart::Text(t.clone()),
                MessagePart::Interpolation(path) => MessagePart::Interpolation(path.without_spans()),
            })
            .collect();
        Message { parts, span: zero() }
    }
}

impl WithoutSpans for Expr {
    fn without_spans(&self) -> Self {
        let b = |e: &Expr| Box::new(e.without_spans());
        let kind = match &self.kind {
            ExprKind::Path(p) => ExprKind::Path(p.without_spans()),
            ExprKind::Not(e) => ExprKind::Not(b(e)),
            ExprKind::Neg(e) => ExprKind::Neg(b(e)),
            ExprKind::Binary(op, l, r) => ExprKind::Binary(*op, b(l), b(r)),
            ExprKind::In { expr, list, negated } => {
                ExprKind::In { expr: b(expr), list: list.iter().map(Expr::without_spans).collect(), negated: *negated }
            }
            ExprKind::IsSet { expr, negated } => ExprKind::IsSet { expr: b(expr), negated: *negated },
            ExprKind::Quantified { quantifier, var, list, body } => {
                ExprKind::Quantified { quantifier: *quantifier, var: var.without_spans(), list: b(list), body: b(body) }
            }
            ExprKind::Count { list, filter } => {
                ExprKind::Count { list: b(list), filter: filter.as_ref().map(|(v, e)| (v.without_spans(), b(e))) }
            }
            other => other.clone(),
        };
        Expr { kind, span: zero() }
    }
}

impl WithoutSpans for PolicyFile {
    fn without_spans(&self) -> Self {
        let items = self
            .items
            .iter()
            .map(|item| match item {
                Item::Param(p) => Item::Param(Param {
                    name: p.name.without_spans(),
                    ty: p.ty.without_spans(),
                    default: p.default.without_spans(),
                    doc: p.doc.as_ref().map(Message::without_spans),
                    span: zero(),
                }),
                Item::Policy(p) => Item::Policy(Policy {
                    id: p.id.without_spans(),
                    severity: p.severity,
                    severity_span: zero(),
                    clauses: p
                        .clauses
                        .iter()
                        .map(|c| match c {
                            Clause::Title(m) => Clause::Title(m.without_spans()),
                            Clause::When(e) => Clause::When(e.without_spans()),
                            Clause::Require(r) => Clause::Require(Require {
                                expr: r.expr.without_spans(),
                                message: r.message.as_ref().map(Message::without_spans),
                                span: zero(),
                            }),
                            Clause::Help(m) => Clause::Help(m.without_spans()),
                            Clause::Docs(m) => Clause::Docs(m.without_spans()),
                            Clause::Tags(t) => Clause::Tags(t.iter().map(Ident::without_spans).collect()),
                            Clause::Waivable(w) => Clause::Waivable(*w),
                        })
                        .collect(),
                    span: zero(),
                }),
                Item::Test(t) => Item::Test(TestBlock {
                    name: t.name.without_spans(),
                    clauses: t
                        .clauses
                        .iter()
                        .map(|c| match c {
                            TestClause::Proposal(m) => TestClause::Proposal(m.without_spans()),
                            TestClause::Given(p, e) => TestClause::Given(p.without_spans(), e.without_spans()),
                            TestClause::Expect { policy, outcome } => {
                                TestClause::Expect { policy: policy.without_spans(), outcome: outcome.without_spans() }
                            }
                        })
                        .collect(),
                    span: zero(),
                }),
            })
            .collect();
        PolicyFile { items }
    }
}

#[cfg(test)]
mod tests {
    use super::BinOp;

    /// Its position in `BinOp::ALL`. The match has no wildcard, so a new
    /// operator does not compile until it is given a place there.
    fn position(op: BinOp) -> usize {
        match op {
            BinOp::Implies => 0,
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq => 3,
            BinOp::Ne => 4,
            BinOp::Lt => 5,
            BinOp::Le => 6,
            BinOp::Gt => 7,
            BinOp::Ge => 8,
            BinOp::Add => 9,
            BinOp::Sub => 10,
            BinOp::Mul => 11,
            BinOp::Div => 12,
        }
    }

    #[test]
    fn all_lists_every_operator_once() {
        for (i, op) in BinOp::ALL.iter().enumerate() {
            assert_eq!(position(*op), i, "{op:?}");
        }
    }
}
