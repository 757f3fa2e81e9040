//! Policies that can never matter, found before any proposal is read, as
//! Cedar's validator finds them: a `when` that can never hold, a `require`
//! that always holds (or never holds) where its policy applies, and two
//! policies that no proposal both apply to can pass together.
//!
//! The analysis reasons over intervals and sets of members of the typed
//! facts (see [`domain`]), within AWS's limits ([`ranges`]). It only ever
//! reports what it proves: a condition it cannot read (a param, arithmetic,
//! a quantifier, an optional fact, a comparison of two facts) constrains
//! nothing, so it may stay quiet, but it never warns falsely.
//! docs/language.md ("Analysis") says exactly what it decides.

mod domain;
pub mod ranges;

use std::collections::BTreeSet;

use domain::{Dnf, Lit, Solution, dnf, product, show, solve};

use super::err::{CheckError, Located};
use super::ir::Ir;
use super::typecheck::CheckedPolicy;
use crate::facts::schema::PatternSet;
use crate::source::SourceFile;

/// Whether some disjunct of `condition` may hold on `patterns`: `Some(false)`
/// when none can (proved), `Some(true)` when one is fully read and holds.
fn satisfiable(condition: &Dnf, patterns: PatternSet) -> Option<bool> {
    let mut unknown = false;
    for conjunction in condition {
        match solve(conjunction, patterns) {
            Some(s) if s.complete => return Some(true),
            Some(_) => unknown = true,
            None => {}
        }
    }
    if unknown { None } else { Some(false) }
}

fn never(condition: Option<&Dnf>, patterns: PatternSet) -> bool {
    condition.is_some_and(|c| satisfiable(c, patterns) == Some(false))
}

fn all(parts: &[&Ir]) -> Option<Dnf> {
    parts.iter().try_fold(vec![vec![Lit::Const(true)]], |acc, ir| product(acc, dnf(ir, true)?))
}

/// A proposal fragment: the facts a solution fixes, smallest values first.
fn fragment(solution: &Solution) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = domain::first_pattern(solution) {
        use crate::model::NamedEnum;
        parts.push(format!("pattern: {}", p.name()));
    }
    for (path, d) in &solution.domains {
        if path == "pattern" || domain::Domain::of(path).as_ref() == Some(d) {
            continue;
        }
        if let Some(k) = d.witness() {
            parts.push(format!("{path}: {}", show(path, k)));
        }
    }
    parts.join(", ")
}

/// One policy's findings.
fn policy(p: &CheckedPolicy, file: &SourceFile, out: &mut Vec<Located>) {
    let id = p.ast.id.name.clone();
    let when_spans: Vec<_> = p.ast.whens().map(|w| w.span).collect();
    let whens: Vec<&Ir> = p.whens.iter().collect();
    let w = all(&whens);
    if never(w.as_ref(), p.patterns) {
        // The fewest clauses that show it: one, else two, else the first and last.
        let (span, other) = (0..whens.len())
            .find(|&i| never(all(&[whens[i]]).as_ref(), p.patterns))
            .map(|i| (when_spans[i], None))
            .or_else(|| {
                (0..whens.len()).flat_map(|i| (i + 1..whens.len()).map(move |j| (i, j))).find_map(|(i, j)| {
                    never(all(&[whens[i], whens[j]]).as_ref(), p.patterns).then(|| (when_spans[i], Some(when_spans[j])))
                })
            })
            .unwrap_or((when_spans[0], when_spans.last().copied()));
        let help =
            "no proposal meets them all within AWS's limits and the facts' values; remove the contradiction".into();
        out.push(Located::at(file, CheckError::WhenNeverHolds { id, span, other, help }));
        return;
    }
    let when = when_spans.first().copied();
    for (require, ast) in p.requires.iter().zip(p.ast.requires()) {
        let mut holds = whens.clone();
        holds.push(&require.ir);
        if never(all(&holds).as_ref(), p.patterns) {
            out.push(Located::at(file, CheckError::RequireNeverHolds { id: id.clone(), span: ast.expr.span, when }));
            continue;
        }
        let fails = w.clone().zip(dnf(&require.ir, false)).and_then(|(w, r)| product(w, r));
        if never(fails.as_ref(), p.patterns) {
            out.push(Located::at(file, CheckError::RequireAlwaysHolds { id: id.clone(), span: ast.expr.span, when }));
        }
    }
}

/// The facts a condition reads, to pair only policies that share one.
fn facts_read(ir: &Ir, out: &mut BTreeSet<String>) {
    match ir {
        Ir::Fact { path, .. } => {
            out.insert(path.clone());
        }
        Ir::Not(a) | Ir::Neg(a) => facts_read(a, out),
        Ir::And(a, b) | Ir::Or(a, b) | Ir::Implies(a, b) | Ir::Compare(_, a, b) | Ir::Arith(_, a, b) => {
            facts_read(a, out);
            facts_read(b, out);
        }
        Ir::In { expr, .. } | Ir::IsSet { expr, .. } => facts_read(expr, out),
        _ => {}
    }
}

/// What the pair analysis needs of one policy: the solutions of its `when`
/// conditions, and of its `when` conditions with its `require`s (passing).
struct Summary<'a> {
    policy: &'a CheckedPolicy,
    applies: Vec<Solution>,
    passes: Vec<Solution>,
    reads: BTreeSet<String>,
}

fn solutions(condition: Option<Dnf>, patterns: PatternSet) -> Option<Vec<Solution>> {
    Some(condition?.iter().filter_map(|c| solve(c, patterns)).collect())
}

fn summary(p: &CheckedPolicy) -> Option<Summary<'_>> {
    let whens: Vec<&Ir> = p.whens.iter().collect();
    let mut passing = whens.clone();
    passing.extend(p.requires.iter().map(|r| &r.ir));
    let mut reads = BTreeSet::new();
    p.requires.iter().for_each(|r| facts_read(&r.ir, &mut reads));
    reads.remove("pattern");
    Some(Summary {
        policy: p,
        applies: solutions(all(&whens), p.patterns)?,
        passes: solutions(all(&passing), p.patterns)?,
        reads,
    })
}

/// Any solution of both, a complete one first.
fn any_meet(a: &[Solution], b: &[Solution]) -> Option<Solution> {
    let mut found = None;
    for x in a {
        for y in b {
            if let Some(s) = domain::meet(x, y) {
                if s.complete {
                    return Some(s);
                }
                found.get_or_insert(s);
            }
        }
    }
    found
}

/// Two policies that no proposal both apply to passes, with a fragment.
fn pair(a: &Summary<'_>, b: &Summary<'_>) -> Option<String> {
    if a.policy.patterns.intersect(b.policy.patterns).is_empty() || a.reads.is_disjoint(&b.reads) {
        return None;
    }
    // Proved: no solution passes both.
    if a.passes.iter().any(|x| b.passes.iter().any(|y| domain::meet(x, y).is_some())) {
        return None;
    }
    // Each passes on its own where both apply (else its own `require` is
    // the finding), shown by a fragment read in full.
    let passes_a = any_meet(&a.passes, &b.applies)?;
    let passes_b = any_meet(&b.passes, &a.applies)?;
    let (shown, passes, fails) = match (passes_a.complete, passes_b.complete) {
        (true, _) => (passes_a, &a.policy.ast.id.name, &b.policy.ast.id.name),
        (_, true) => (passes_b, &b.policy.ast.id.name, &a.policy.ast.id.name),
        _ => return None,
    };
    Some(format!("no proposal both apply to passes both: `{}` passes `{passes}` and fails `{fails}`", fragment(&shown)))
}

/// Every finding of the analysis on a set's policies (each knows the index
/// of its file in `files`), warnings all.
pub(crate) fn analyze(policies: &[CheckedPolicy], files: &[SourceFile]) -> Vec<Located> {
    let mut out = Vec::new();
    let file = |i: usize| files.get(i).cloned().unwrap_or_else(|| SourceFile::new("", ""));
    for p in policies {
        policy(p, &file(p.file), &mut out);
    }
    let summaries: Vec<Summary<'_>> = policies.iter().filter_map(summary).collect();
    for (i, a) in summaries.iter().enumerate() {
        for b in &summaries[i + 1..] {
            let Some(help) = pair(a, b) else { continue };
            let (pa, pb) = (a.policy, b.policy);
            let span = pa.requires.first().map_or(pa.ast.id.span, |r| r.span);
            let other_span = pb.requires.first().map_or(pb.ast.id.span, |r| r.span);
            let (other, help) = if pa.file == pb.file {
                (Some(other_span), help)
            } else {
                let f = file(pb.file);
                let (line, _) = f.line_col(other_span.offset());
                (None, format!("{help}; `{}` is at {}:{line}", pb.ast.id.name, f.name()))
            };
            let first = pa.ast.id.name.clone();
            let second = pb.ast.id.name.clone();
            out.push(Located::at(&file(pa.file), CheckError::Conflict { first, second, span, other, help }));
        }
    }
    out
}
