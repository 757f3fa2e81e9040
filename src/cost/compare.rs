//! The same workload on the other patterns, with the same service sizing,
//! and the request volumes at which two patterns cost the same.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::Serialize;

use super::carry::{self, Limitation, limitations};
use super::estimate::{CostOptions, Interval, Pricer, Traffic};
use crate::model::{Model, Pattern};
use crate::patterns;
use crate::units::Money;

/// The proposal's workload on `to`, sized like the proposal's compute
/// (each pattern's file in [`crate::patterns`] says how). `None` when the
/// result would not load: it is validated like any proposal.
pub fn alternative(model: &Model, to: Pattern) -> Option<Model> {
    if model.pattern() == to {
        return Some(model.clone());
    }
    let components = (patterns::def(to).alternative)(model)?;
    let mut candidate = Model { pattern: to, components, waivers: Vec::new(), ..model.clone() };
    patterns::sizing::network_for(&mut candidate);
    crate::load::validate(&candidate).ok().map(|()| candidate)
}

/// Two patterns cost the same at this volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakEven {
    pub between: [Pattern; 2],
    pub requests_per_month: u64,
    #[serde(serialize_with = "super::billed")]
    pub monthly: Money,
}

/// The request volumes charted: 10^4 to 10^10, twenty points a decade.
pub fn sample_volumes() -> Vec<u64> {
    (0..=120).map(|i| volume_at(f64::from(i) / 20.0 + 4.0)).collect()
}

fn volume_at(log10: f64) -> u64 {
    10f64.powf(log10).round() as u64
}

/// Where the cost curves of each pair of models cross between 10^4 and
/// 10^10 requests, at volumes both can carry (a crossing where one of them
/// cannot carry the workload, or is beyond its service's capacity, is no
/// choice between them).
pub fn break_evens(models: &[Model], options: &CostOptions) -> Vec<BreakEven> {
    let volumes = sample_volumes();
    let limits: Vec<Vec<Limitation>> = models.iter().map(limitations).collect();
    let pricers: Vec<Pricer<'_>> = models.iter().map(|m| Pricer::new(m, options)).collect();
    let (exact, bounds) = (vec![vec![None; volumes.len()]; models.len()], vec![vec![None; volumes.len()]; models.len()]);
    let mut curves = Curves { models, pricers, volumes: &volumes, exact, bounds };
    // The sampled volumes each model carries: those below the first volume
    // a limitation applies from (it applies at every volume above). A
    // window from a volume either cannot carry holds no break-even point
    // (`bisect`), so none is priced.
    let carried: Vec<usize> = limits
        .iter()
        .map(|l| {
            let first = l.iter().map(|l| l.from_requests).min();
            volumes.partition_point(|&v| first.is_none_or(|first| v < first))
        })
        .collect();
    let mut found = Vec::new();
    for i in 0..models.len() {
        for j in i + 1..models.len() {
            // Windows 0..top, between samples 0..=top.
            let top = carried[i].min(carried[j]).min(volumes.len() - 1);
            if top == 0 {
                continue;
            }
            let mut windows = Vec::new();
            curves.sign_changes(i, j, 0, top, &mut windows);
            for w in windows {
                if let Some(b) = curves.bisect(i, j, w, &limits) {
                    found.push(b);
                }
            }
        }
    }
    found.sort_by_key(|b| b.requests_per_month);
    found
}

/// Each model's cost at the sampled volumes, priced when first asked for:
/// pricing is most of `policy cost`'s time (docs/performance.md). A
/// comparison reads the bounds an interval bill gives first, and prices
/// exactly only where they overlap: the answers are the exact bills'.
struct Curves<'a> {
    models: &'a [Model],
    pricers: Vec<Pricer<'a>>,
    volumes: &'a [u64],
    exact: Vec<Vec<Option<Decimal>>>,
    bounds: Vec<Vec<Option<Interval>>>,
}

impl Curves<'_> {
    fn exact(&mut self, model: usize, k: usize) -> Decimal {
        if let Some(cost) = self.exact[model][k] {
            return cost;
        }
        let bounds = self.bounds(model, k);
        let cost = exact(&self.pricers[model], bounds, self.volumes[k]);
        self.exact[model][k] = Some(cost);
        cost
    }

    fn bounds(&mut self, model: usize, k: usize) -> Interval {
        if let Some(bounds) = self.bounds[model][k] {
            return bounds;
        }
        let bounds = self.pricers[model].bounds(self.volumes[k]);
        self.bounds[model][k] = Some(bounds);
        bounds
    }

    /// Whether model `a` at sampled volume `ka` costs more than a dollar
    /// less than model `b` at `kb`.
    fn a_dollar_below(&mut self, (a, ka): (usize, usize), (b, kb): (usize, usize)) -> bool {
        let lower = self.bounds(a, ka) + Interval::ONE;
        match lower.order(self.bounds(b, kb)) {
            Some(order) => order == Ordering::Less,
            None => self.exact(a, ka).saturating_add(Decimal::ONE) < self.exact(b, kb),
        }
    }

    /// Which of `i` and `j` costs less at sampled volume `k`.
    fn order(&mut self, i: usize, j: usize, k: usize) -> Ordering {
        let bounds = (self.bounds(i, k), self.bounds(j, k));
        order_at((&self.pricers[i], &self.pricers[j]), bounds, self.volumes[k])
    }

    /// The windows `w` (between sampled volumes `w` and `w + 1`, within
    /// `lo..=hi`) where `i` and `j` change which is cheaper, in order. A
    /// bill never falls as the volume rises (the property tests
    /// `cost_never_falls_from_one_sampled_volume_to_the_next` and
    /// `cost_never_falls_as_requests_grow`), so where one model's cost at
    /// `hi` is below the other's at `lo` it is below it at every volume
    /// between, and those windows need not be priced. A dollar's margin
    /// covers what rounding a line to the cent could still move.
    fn sign_changes(&mut self, i: usize, j: usize, lo: usize, hi: usize, windows: &mut Vec<usize>) {
        if self.a_dollar_below((i, hi), (j, lo)) || self.a_dollar_below((j, hi), (i, lo)) {
            return;
        }
        if hi == lo + 1 {
            let (at_lo, at_hi) = (self.order(i, j, lo), self.order(i, j, hi));
            if at_lo != Ordering::Equal && at_hi != Ordering::Equal && at_lo != at_hi {
                windows.push(lo);
            }
            return;
        }
        let mid = lo + (hi - lo) / 2;
        self.sign_changes(i, j, lo, mid, windows);
        self.sign_changes(i, j, mid, hi, windows);
    }

    /// The volume in window `w` where `i` and `j` cost the same, to the
    /// request, if both carry the workload there.
    fn bisect(&mut self, i: usize, j: usize, w: usize, limits: &[Vec<Limitation>]) -> Option<BreakEven> {
        let carries = |m: usize, r: u64| carry::at(&limits[m], r).next().is_none();
        let (lo, hi) = (self.volumes[w], self.volumes[w + 1]);
        // A limitation applies from a volume on: one that applies at `lo`
        // applies at the crossing too, which is then no choice.
        if !carries(i, lo) || !carries(j, lo) {
            return None;
        }
        let below = self.order(i, j, w) == Ordering::Less;
        let (a, b) = (&self.pricers[i], &self.pricers[j]);
        // Whether `a` costs less at `r`, from the bounds where they decide.
        let cheaper = |r: u64| order_at((a, b), (a.bounds(r), b.bounds(r)), r) == Ordering::Less;
        // Bisect in log space to the nearest request. Once the ends round
        // to neighbouring volumes, every later midpoint rounds to one of
        // them and moves that end only: the volume where the sign changes,
        // `volume_at(h)`, is found.
        let (mut l, mut h) = ((lo as f64).log10(), (hi as f64).log10());
        let (mut at_l, mut at_h) = (volume_at(l), volume_at(h));
        for _ in 0..48 {
            if at_h.saturating_sub(at_l) <= 1 {
                break;
            }
            let mid = (l + h) / 2.0;
            let at_mid = volume_at(mid);
            if cheaper(at_mid) == below {
                (l, at_l) = (mid, at_mid);
            } else {
                (h, at_h) = (mid, at_mid);
            }
        }
        let at = at_h;
        if !carries(i, at) || !carries(j, at) {
            return None;
        }
        Some(BreakEven {
            between: [self.models[i].pattern(), self.models[j].pattern()],
            requests_per_month: at,
            monthly: a.monthly_total(Traffic::Requests(at)),
        })
    }
}

/// How the bills of `pricers` at `requests`, whose bounds are `bounds`,
/// compare: by the bounds where they decide, else exactly.
fn order_at((a, b): (&Pricer<'_>, &Pricer<'_>), (x, y): (Interval, Interval), requests: u64) -> Ordering {
    x.order(y).unwrap_or_else(|| exact(a, x, requests).cmp(&exact(b, y, requests)))
}

/// The exact total of `pricer`'s bill at `requests`, whose bounds are
/// `bounds`: read from them where they hold one whole cent alone.
fn exact(pricer: &Pricer<'_>, bounds: Interval, requests: u64) -> Decimal {
    bounds.exact_total().unwrap_or_else(|| pricer.exact_total(Traffic::Requests(requests))).as_decimal()
}
