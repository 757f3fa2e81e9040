//! The abstract domain of the analysis: conditions in disjunctive normal
//! form over atoms that compare one fact with constants, and per fact the
//! values still possible: an interval (numbers, durations, sizes, money,
//! vCPU) or a set of members (enums, bools). Everything else is an unknown
//! atom, which constrains nothing: the analysis only ever proves that a
//! conjunction *cannot* hold, so dropping a constraint keeps it sound.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::ranges;
use crate::facts::schema::{self, FactType, PatternSet};
use crate::model::{NamedEnum, Pattern};
use crate::policy::ast::BinOp;
use crate::policy::ir::{Ir, Value};

/// A test of one fact against constants.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Atom {
    /// `fact op constant`, over the values' order.
    Compare(String, BinOp, Key),
    /// `fact in [members]`, by position in the enum (bool: 0 false, 1 true).
    Member(String, u64),
}

/// A constant as the analysis orders it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Key {
    Number(Decimal),
    /// A member by position.
    Member(u64),
}

/// A literal of a disjunct: an atom that holds (or fails), or a fact of
/// the condition the analysis cannot read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Atom(Atom, bool),
    Const(bool),
    Unknown,
}

/// A condition as a disjunction of conjunctions; `None` when it would have
/// more than [`MAX_DISJUNCTS`] (the analysis gives up there).
pub(crate) type Dnf = Vec<Vec<Lit>>;

/// The most disjuncts a condition may expand to before the analysis gives up.
pub(crate) const MAX_DISJUNCTS: usize = 256;

/// `ir` (or its negation when `polarity` is false) in disjunctive normal form.
pub(crate) fn dnf(ir: &Ir, polarity: bool) -> Option<Dnf> {
    match ir {
        Ir::Not(inner) => dnf(inner, !polarity),
        Ir::And(a, b) if polarity => product(dnf(a, true)?, dnf(b, true)?),
        Ir::And(a, b) => sum(dnf(a, false)?, dnf(b, false)?),
        Ir::Or(a, b) if polarity => sum(dnf(a, true)?, dnf(b, true)?),
        Ir::Or(a, b) => product(dnf(a, false)?, dnf(b, false)?),
        Ir::Implies(a, b) if polarity => sum(dnf(a, false)?, dnf(b, true)?),
        Ir::Implies(a, b) => product(dnf(a, true)?, dnf(b, false)?),
        Ir::Const(Value::Bool(b)) => Some(vec![vec![Lit::Const(*b == polarity)]]),
        // `x not in L` is `not (x in L)`.
        Ir::In { expr, list, negated: true } => {
            dnf(&Ir::In { expr: expr.clone(), list: list.clone(), negated: false }, !polarity)
        }
        _ => Some(vec![vec![match atom(ir) {
            Some(a) => Lit::Atom(a, polarity),
            None => Lit::Unknown,
        }]]),
    }
}

fn sum(mut a: Dnf, b: Dnf) -> Option<Dnf> {
    a.extend(b);
    (a.len() <= MAX_DISJUNCTS).then_some(a)
}

pub(crate) fn product(a: Dnf, b: Dnf) -> Option<Dnf> {
    if a.len().saturating_mul(b.len()) > MAX_DISJUNCTS {
        return None;
    }
    Some(a.iter().flat_map(|x| b.iter().map(move |y| x.iter().chain(y).cloned().collect())).collect())
}

/// A non-optional fact the analysis reads, with its schema type.
fn fact(ir: &Ir) -> Option<(&str, FactType)> {
    let Ir::Fact { path, optional: false } = ir else { return None };
    let def = schema::lookup(path)?;
    (!def.optional).then_some((path.as_str(), def.ty))
}

fn key(ty: FactType, v: &Value) -> Option<Key> {
    Some(match (ty, v) {
        (FactType::Enum(e), Value::Enum(_, name)) => Key::Member(e.position(name)? as u64),
        (FactType::Bool, Value::Bool(b)) => Key::Member(u64::from(*b)),
        (FactType::Int | FactType::Vcpu, Value::Int(i)) => Key::Number(Decimal::from(*i)),
        (FactType::Vcpu, Value::Decimal(d)) => Key::Number(*d),
        (FactType::Vcpu, Value::Vcpu(c)) => Key::Number(c.as_decimal()),
        (FactType::Duration, Value::Duration(d)) => Key::Number(Decimal::from(d.as_millis())),
        (FactType::Size, Value::Size(s)) => Key::Number(Decimal::from(s.as_bytes())),
        (FactType::Money, Value::Money(m)) => Key::Number(m.as_decimal()),
        _ => return None,
    })
}

/// The atom `ir` is, if it compares a fact with constants the analysis orders.
fn atom(ir: &Ir) -> Option<Atom> {
    match ir {
        Ir::Fact { .. } => {
            let (path, ty) = fact(ir)?;
            (ty == FactType::Bool).then(|| Atom::Member(path.to_string(), 0b10))
        }
        Ir::Compare(op, a, b) => {
            let (op, f, c) = match (fact(a), &**b, fact(b), &**a) {
                (Some(f), Ir::Const(c), _, _) => (*op, f, c),
                (_, _, Some(f), Ir::Const(c)) => (flip(*op), f, c),
                _ => return None,
            };
            let (path, ty) = f;
            let ordered = matches!(ty, FactType::Enum(e) if e.ordered);
            match key(ty, c)? {
                Key::Member(m) if matches!(op, BinOp::Eq | BinOp::Ne) => {
                    let one = Atom::Member(path.to_string(), 1 << m);
                    Some(if op == BinOp::Eq { one } else { Atom::Compare(path.to_string(), BinOp::Ne, Key::Member(m)) })
                }
                k @ Key::Member(_) if ordered => Some(Atom::Compare(path.to_string(), op, k)),
                k @ Key::Number(_) => Some(Atom::Compare(path.to_string(), op, k)),
                Key::Member(_) => None,
            }
        }
        Ir::In { expr, list, .. } => {
            let (path, ty) = fact(expr)?;
            let mut mask = 0u64;
            for item in list {
                let Ir::Const(c) = item else { return None };
                match key(ty, c)? {
                    Key::Member(m) => mask |= 1 << m,
                    Key::Number(_) => return None,
                }
            }
            Some(Atom::Member(path.to_string(), mask))
        }
        _ => None,
    }
}

fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    }
}

/// The values one fact may still take.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Domain {
    /// Bounds, each inclusive or not, and points excluded by `!=`.
    Range { lo: Option<(Decimal, bool)>, hi: Option<(Decimal, bool)>, not: Vec<Decimal>, integral: bool },
    /// The members still possible, as a bit mask.
    Members(u64),
}

impl Domain {
    /// What the schema and AWS's limits allow for `path` before any test.
    pub(crate) fn of(path: &str) -> Option<Domain> {
        let def = schema::lookup(path)?;
        Some(match def.ty {
            FactType::Enum(e) if e.values.len() <= 63 => Domain::Members((1u64 << e.values.len()) - 1),
            FactType::Bool => Domain::Members(0b11),
            FactType::Int | FactType::Duration | FactType::Size | FactType::Money | FactType::Vcpu => {
                let (lo, hi) = ranges::range(path);
                Domain::Range {
                    lo: lo.map(|v| (v, true)),
                    hi: hi.map(|v| (v, true)),
                    not: Vec::new(),
                    integral: matches!(def.ty, FactType::Int | FactType::Duration | FactType::Size),
                }
            }
            _ => return None,
        })
    }

    fn restrict(&mut self, op: BinOp, k: Key) {
        match (self, k) {
            (Domain::Members(mask), Key::Member(m)) => {
                let below = (1u64 << m) - 1;
                let at = 1u64 << m;
                *mask &= match op {
                    BinOp::Eq => at,
                    BinOp::Ne => !at,
                    BinOp::Lt => below,
                    BinOp::Le => below | at,
                    BinOp::Gt => !(below | at),
                    BinOp::Ge => !below,
                    _ => u64::MAX,
                };
            }
            (Domain::Range { lo, hi, not, .. }, Key::Number(v)) => match op {
                BinOp::Eq => {
                    tighten_lo(lo, v, true);
                    tighten_hi(hi, v, true);
                }
                BinOp::Ne => not.push(v),
                BinOp::Lt => tighten_hi(hi, v, false),
                BinOp::Le => tighten_hi(hi, v, true),
                BinOp::Gt => tighten_lo(lo, v, false),
                BinOp::Ge => tighten_lo(lo, v, true),
                _ => {}
            },
            _ => {}
        }
    }

    /// Whether no value is left.
    pub(crate) fn is_empty(&self) -> bool {
        self.witness().is_none()
    }

    /// A value left, the smallest one the analysis finds.
    pub(crate) fn witness(&self) -> Option<Key> {
        match self {
            Domain::Members(mask) => (*mask != 0).then(|| Key::Member(u64::from(mask.trailing_zeros()))),
            Domain::Range { lo, hi, not, integral } => range_witness(*lo, *hi, not, *integral).map(Key::Number),
        }
    }
}

fn tighten_lo(lo: &mut Option<(Decimal, bool)>, v: Decimal, inclusive: bool) {
    let tighter = match lo {
        None => true,
        Some((x, inc)) => v > *x || (v == *x && *inc && !inclusive),
    };
    if tighter {
        *lo = Some((v, inclusive));
    }
}

fn tighten_hi(hi: &mut Option<(Decimal, bool)>, v: Decimal, inclusive: bool) {
    let tighter = match hi {
        None => true,
        Some((x, inc)) => v < *x || (v == *x && *inc && !inclusive),
    };
    if tighter {
        *hi = Some((v, inclusive));
    }
}

/// The smallest value in the range that no `!=` excludes, trying a few
/// candidates: the lower bound, the next values after it, the upper bound.
fn range_witness(
    lo: Option<(Decimal, bool)>,
    hi: Option<(Decimal, bool)>,
    not: &[Decimal],
    integral: bool,
) -> Option<Decimal> {
    let inside = |v: Decimal| {
        lo.is_none_or(|(l, inc)| v > l || (inc && v == l))
            && hi.is_none_or(|(h, inc)| v < h || (inc && v == h))
            && (!integral || v.fract().is_zero())
            && !not.contains(&v)
    };
    let step = if integral { Decimal::ONE } else { Decimal::new(1, 3) };
    let start = match (lo, hi) {
        (Some((l, _)), _) if integral => l.floor(),
        (Some((l, _)), _) => l,
        (None, Some((h, _))) if integral => h.floor() - Decimal::from(not.len() + 1),
        (None, Some((h, _))) => h - step * Decimal::from(not.len() + 1),
        (None, None) => Decimal::ZERO,
    };
    // At most `not.len() + 2` candidates in a row can be excluded or outside.
    let mut v = start;
    for _ in 0..not.len() + 3 {
        if inside(v) {
            return Some(v);
        }
        v += step;
    }
    if !integral {
        // Between two bounds closer than a step: the midpoint.
        if let (Some((l, _)), Some((h, _))) = (lo, hi) {
            let mid = (l + h) / Decimal::TWO;
            return inside(mid).then_some(mid);
        }
    }
    hi.map(|(h, _)| h).filter(|h| inside(*h))
}

/// The domains a conjunction leaves, starting from the patterns in
/// `patterns`; `None` when it cannot hold. `complete` is false when the
/// conjunction has a literal the analysis cannot read.
#[derive(Debug, Clone)]
pub(crate) struct Solution {
    pub(crate) domains: BTreeMap<String, Domain>,
    pub(crate) complete: bool,
}

pub(crate) fn solve(conjunction: &[Lit], patterns: PatternSet) -> Option<Solution> {
    let mut domains: BTreeMap<String, Domain> = BTreeMap::new();
    let mut pattern_mask: u64 = patterns.patterns().map(|p| 1u64 << (p as u64)).sum();
    let mut complete = true;
    for lit in conjunction {
        let (atom, holds) = match lit {
            Lit::Const(true) => continue,
            Lit::Const(false) => return None,
            Lit::Unknown => {
                complete = false;
                continue;
            }
            Lit::Atom(atom, holds) => (atom, *holds),
        };
        let path = match atom {
            Atom::Compare(p, ..) | Atom::Member(p, _) => p,
        };
        // A fact is read only where the pattern has it (the checker's narrowing).
        if let Some(def) = schema::lookup(path) {
            pattern_mask &= def.patterns.patterns().map(|p| 1u64 << (p as u64)).sum::<u64>();
        }
        let Some(start) = Domain::of(path) else {
            complete = false;
            continue;
        };
        let domain = domains.entry(path.clone()).or_insert(start);
        match (atom, holds) {
            (Atom::Compare(_, op, k), true) => domain.restrict(*op, *k),
            (Atom::Compare(_, op, k), false) => domain.restrict(negate(*op), *k),
            (Atom::Member(_, mask), true) => {
                if let Domain::Members(m) = domain {
                    *m &= mask;
                }
            }
            (Atom::Member(_, mask), false) => {
                if let Domain::Members(m) = domain {
                    *m &= !mask;
                }
            }
        }
    }
    let pattern = domains.entry("pattern".into()).or_insert(Domain::Members(u64::MAX));
    if let Domain::Members(m) = pattern {
        *m &= pattern_mask;
    }
    if domains.values().any(Domain::is_empty) {
        return None;
    }
    Some(Solution { domains, complete })
}

impl Domain {
    /// The values both allow.
    fn meet(&self, other: &Domain) -> Domain {
        match (self, other) {
            (Domain::Members(a), Domain::Members(b)) => Domain::Members(a & b),
            (
                Domain::Range { lo, hi, not, integral },
                Domain::Range { lo: lo2, hi: hi2, not: not2, integral: integral2 },
            ) => {
                let (mut lo, mut hi) = (*lo, *hi);
                if let Some((v, inc)) = lo2 {
                    tighten_lo(&mut lo, *v, *inc);
                }
                if let Some((v, inc)) = hi2 {
                    tighten_hi(&mut hi, *v, *inc);
                }
                let not = not.iter().chain(not2).copied().collect();
                Domain::Range { lo, hi, not, integral: *integral || *integral2 }
            }
            // One fact has one type: this does not happen.
            (a, _) => a.clone(),
        }
    }
}

/// Both solutions at once, or `None` when they exclude each other.
pub(crate) fn meet(a: &Solution, b: &Solution) -> Option<Solution> {
    let mut domains = a.domains.clone();
    for (path, d) in &b.domains {
        let joined = match domains.get(path) {
            Some(x) => x.meet(d),
            None => d.clone(),
        };
        if joined.is_empty() {
            return None;
        }
        domains.insert(path.clone(), joined);
    }
    Some(Solution { domains, complete: a.complete && b.complete })
}

fn negate(op: BinOp) -> BinOp {
    match op {
        BinOp::Eq => BinOp::Ne,
        BinOp::Ne => BinOp::Eq,
        BinOp::Lt => BinOp::Ge,
        BinOp::Le => BinOp::Gt,
        BinOp::Gt => BinOp::Le,
        BinOp::Ge => BinOp::Lt,
        other => other,
    }
}

/// A value of `path` as a proposal's facts show it.
pub(crate) fn show(path: &str, key: Key) -> String {
    let Some(def) = schema::lookup(path) else { return String::new() };
    match (def.ty, key) {
        (FactType::Enum(e), Key::Member(m)) => e.values.get(m as usize).copied().unwrap_or_default().to_string(),
        (FactType::Bool, Key::Member(m)) => (m == 1).to_string(),
        (FactType::Duration, Key::Number(v)) => {
            crate::units::Duration::from_millis(u64::try_from(v).unwrap_or(0)).to_string()
        }
        (FactType::Size, Key::Number(v)) => crate::units::Size::from_bytes(u64::try_from(v).unwrap_or(0)).to_string(),
        (FactType::Money, Key::Number(v)) => crate::units::Money::from_decimal(v).to_string(),
        (_, Key::Number(v)) => v.normalize().to_string(),
        (_, Key::Member(m)) => m.to_string(),
    }
}

/// The pattern a solution allows first, for a fragment.
pub(crate) fn first_pattern(solution: &Solution) -> Option<Pattern> {
    match solution.domains.get("pattern")?.witness()? {
        Key::Member(m) => Pattern::ALL.get(m as usize).copied(),
        Key::Number(_) => None,
    }
    .filter(|p| Pattern::from_name(p.name()).is_some())
}
