//! What a checked policy applies to: the patterns its `when` clauses leave,
//! the components present in every one of them, and the components whose
//! facts it reads. `policy explain` shows it; the language server's hover on
//! a policy id can show the same (see [`reach`]).

use std::collections::BTreeSet;

use super::ast::*;
use super::typecheck::CheckedPolicy;
use crate::facts::schema::PatternSet;
use crate::model::{Component, NamedEnum, Pattern};

/// The patterns and components a policy applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The patterns its `when` clauses let it apply to.
    pub patterns: Vec<Pattern>,
    /// The components every one of those patterns has.
    pub components: Vec<Component>,
    /// The components whose facts it reads (`function.memory` reads `function`).
    pub reads: Vec<Component>,
}

/// What `policy` applies to.
pub fn reach(policy: &CheckedPolicy) -> Reach {
    let patterns: Vec<Pattern> = policy.patterns.patterns().collect();
    let components = Component::ALL
        .into_iter()
        .filter(|c| !patterns.is_empty() && PatternSet::with(*c).is_superset_of(policy.patterns))
        .collect();
    Reach { patterns, components, reads: components_read(&policy.ast).into_iter().collect() }
}

/// The components whose facts `policy` reads, in its conditions and messages.
pub fn components_read(policy: &Policy) -> BTreeSet<Component> {
    let mut out = BTreeSet::new();
    for clause in &policy.clauses {
        match clause {
            Clause::When(e) => expr_reads(e, &mut out),
            Clause::Require(r) => {
                expr_reads(&r.expr, &mut out);
                if let Some(m) = &r.message {
                    message_reads(m, &mut out);
                }
            }
            Clause::Help(m) => message_reads(m, &mut out),
            _ => {}
        }
    }
    out
}

fn path_reads(path: &Path, out: &mut BTreeSet<Component>) {
    if path.segments.len() < 2 {
        return;
    }
    if let Some(c) = Component::from_name(&path.segments[0].name) {
        out.insert(c);
        return;
    }
    // A fact named for what it measures rather than its component
    // (`job.completion_time`) belongs to the one component whose patterns
    // it exists for.
    let name: Vec<&str> = path.segments.iter().map(|s| s.name.as_str()).collect();
    if let Some(row) = crate::facts::schema::lookup(&name.join("."))
        && row.patterns != PatternSet::ALL
        && let Some(c) = Component::ALL.into_iter().find(|c| PatternSet::with(*c) == row.patterns)
    {
        out.insert(c);
    }
}

fn message_reads(message: &Message, out: &mut BTreeSet<Component>) {
    for part in &message.parts {
        if let MessagePart::Interpolation(path) = part {
            path_reads(path, out);
        }
    }
}

fn expr_reads(e: &Expr, out: &mut BTreeSet<Component>) {
    match &e.kind {
        ExprKind::Path(p) => path_reads(p, out),
        ExprKind::Not(inner) | ExprKind::Neg(inner) => expr_reads(inner, out),
        ExprKind::Binary(_, a, b) => {
            expr_reads(a, out);
            expr_reads(b, out);
        }
        ExprKind::In { expr, list, .. } => {
            expr_reads(expr, out);
            list.iter().for_each(|x| expr_reads(x, out));
        }
        ExprKind::IsSet { expr, .. } => expr_reads(expr, out),
        ExprKind::Quantified { list, body, .. } => {
            expr_reads(list, out);
            expr_reads(body, out);
        }
        ExprKind::Count { list, filter } => {
            expr_reads(list, out);
            if let Some((_, body)) = filter {
                expr_reads(body, out);
            }
        }
        _ => {}
    }
}
