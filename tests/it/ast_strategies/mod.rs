//! proptest strategies for policy ASTs: any tree the printer can print,
//! typed or not, for the print-and-parse round trip.

#![allow(dead_code)]

use archpolicy::policy::ast::*;
use archpolicy::units::{Duration, Money, Size, Vcpu};
use miette::SourceSpan;
use proptest::prelude::*;
use rust_decimal::Decimal;

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "implies", "in", "is", "set", "all", "any", "count", "true", "false", "else", "policy", "param",
];

fn zero() -> SourceSpan {
    SourceSpan::from((0, 0))
}

pub fn ident() -> impl Strategy<Value = Ident> {
    "[a-z_][a-z0-9_]{0,8}"
        .prop_filter("not a keyword", |s| !KEYWORDS.contains(&s.as_str()))
        .prop_map(|name| Ident { name, span: zero() })
}

pub fn path() -> impl Strategy<Value = Path> {
    proptest::collection::vec(ident(), 1..4).prop_map(|segments| Path { segments, span: zero() })
}

fn expr_of(kind: ExprKind) -> Expr {
    Expr { kind, span: zero() }
}

pub fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[ -~]{0,12}", Just("say \"hi\" {not} \\ \n\t".to_string())]
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (0i64..1_000_000, 0u32..5).prop_map(|(n, scale)| Decimal::new(n, scale).normalize())
}

pub fn literal() -> impl Strategy<Value = Expr> {
    prop_oneof![
        any::<bool>().prop_map(ExprKind::Bool),
        (0i64..1_000_000).prop_map(ExprKind::Int),
        decimal().prop_map(ExprKind::Decimal),
        text().prop_map(ExprKind::Str),
        (0u64..10_000_000).prop_map(|ms| ExprKind::Quantity(Quantity::Duration(Duration::from_millis(ms)))),
        (0u64..1u64 << 40).prop_map(|b| ExprKind::Quantity(Quantity::Size(Size::from_bytes(b)))),
        (0i64..10_000_000, 0u32..5)
            .prop_map(|(n, s)| ExprKind::Quantity(Quantity::Money(Money::from_decimal(Decimal::new(n, s))))),
        (0i64..100_000).prop_map(|n| ExprKind::Quantity(Quantity::Percent(Decimal::new(n, 4).normalize()))),
        (0u32..20_000).prop_map(|m| ExprKind::Quantity(Quantity::Vcpu(Vcpu::from_millis(m)))),
    ]
    .prop_map(expr_of)
}

fn binop() -> impl Strategy<Value = BinOp> {
    proptest::sample::select(BinOp::ALL.to_vec())
}

pub fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![literal(), path().prop_map(|p| expr_of(ExprKind::Path(p)))];
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(|e| expr_of(ExprKind::Not(Box::new(e)))),
            1 => inner.clone().prop_map(|e| expr_of(ExprKind::Neg(Box::new(e)))),
            4 => (binop(), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| expr_of(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
            1 => (inner.clone(), proptest::collection::vec(inner.clone(), 0..3), any::<bool>())
                .prop_map(|(e, list, negated)| expr_of(ExprKind::In { expr: Box::new(e), list, negated })),
            1 => (inner.clone(), any::<bool>())
                .prop_map(|(e, negated)| expr_of(ExprKind::IsSet { expr: Box::new(e), negated })),
            1 => (any::<bool>(), ident(), inner.clone(), inner.clone()).prop_map(|(all, var, list, body)| {
                let quantifier = if all { Quantifier::All } else { Quantifier::Any };
                expr_of(ExprKind::Quantified { quantifier, var, list: Box::new(list), body: Box::new(body) })
            }),
            1 => (inner.clone(), proptest::option::of((ident(), inner.clone()))).prop_map(|(list, filter)| {
                expr_of(ExprKind::Count { list: Box::new(list), filter: filter.map(|(v, b)| (v, Box::new(b))) })
            }),
        ]
    })
}

/// A message as the parser builds it: no empty or adjacent text parts.
pub fn message(interpolate: bool) -> impl Strategy<Value = Message> {
    let part = prop_oneof![
        "[ -~&&[^\"\\\\{}]]{1,10}".prop_map(MessagePart::Text),
        path().prop_map(MessagePart::Interpolation),
    ];
    proptest::collection::vec(part, 0..4).prop_map(move |parts| {
        let mut merged: Vec<MessagePart> = Vec::new();
        for part in parts {
            match (merged.last_mut(), part) {
                (_, MessagePart::Interpolation(_)) if !interpolate => {}
                (Some(MessagePart::Text(t)), MessagePart::Text(more)) => t.push_str(&more),
                (_, part) => merged.push(part),
            }
        }
        Message { parts: merged, span: zero() }
    })
}

fn policy_id() -> impl Strategy<Value = Ident> {
    "[a-z][a-z0-9-]{0,12}".prop_map(|name| Ident { name, span: zero() })
}

pub fn policy() -> impl Strategy<Value = Policy> {
    (
        policy_id(),
        proptest::sample::select(vec![Severity::Deny, Severity::Warn, Severity::Info]),
        proptest::option::of(message(false)),
        proptest::collection::vec(expr(), 0..3),
        proptest::collection::vec((expr(), proptest::option::of(message(true))), 1..3),
        proptest::option::of(message(true)),
        proptest::option::of(message(false)),
        proptest::option::of(proptest::collection::vec(policy_id(), 0..3)),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(id, severity, title, whens, requires, help, docs, tags, waivable)| {
            let mut clauses = Vec::new();
            clauses.extend(title.map(Clause::Title));
            clauses.extend(whens.into_iter().map(Clause::When));
            for (expr, message) in requires {
                clauses.push(Clause::Require(Require { expr, message, span: zero() }));
            }
            clauses.extend(help.map(Clause::Help));
            clauses.extend(docs.map(Clause::Docs));
            clauses.extend(tags.map(Clause::Tags));
            clauses.extend(waivable.map(Clause::Waivable));
            Policy { id, severity, severity_span: zero(), clauses, span: zero() }
        })
}

pub fn param() -> impl Strategy<Value = Param> {
    (ident(), ident(), literal(), proptest::option::of(message(false))).prop_map(|(name, ty, default, doc)| Param {
        name,
        ty,
        default,
        doc,
        span: zero(),
    })
}

pub fn test_block() -> impl Strategy<Value = TestBlock> {
    let clause = prop_oneof![
        (path(), literal()).prop_map(|(p, e)| TestClause::Given(p, e)),
        (policy_id(), proptest::sample::select(vec!["deny", "warn", "info", "pass", "skip"]))
            .prop_map(|(policy, o)| TestClause::Expect { policy, outcome: Ident { name: o.into(), span: zero() } }),
    ];
    (message(false), proptest::option::of(message(false)), proptest::collection::vec(clause, 0..4)).prop_map(
        |(name, proposal, rest)| {
            let mut clauses: Vec<TestClause> = proposal.into_iter().map(TestClause::Proposal).collect();
            clauses.extend(rest);
            TestBlock { name, clauses, span: zero() }
        },
    )
}

pub fn policy_file() -> impl Strategy<Value = PolicyFile> {
    proptest::collection::vec(
        prop_oneof![param().prop_map(Item::Param), policy().prop_map(Item::Policy), test_block().prop_map(Item::Test)],
        0..4,
    )
    .prop_map(|items| PolicyFile { items })
}
