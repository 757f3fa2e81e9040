//! The same workload on the other patterns, with the same service sizing,
//! and the request volumes at which two patterns cost the same.

use rust_decimal::Decimal;
use serde::Serialize;

use super::carry::{self, Limitation, limitations};
use super::estimate::{CostOptions, Pricer, Traffic};
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
    let mut curves = Curves { models, pricers, volumes: &volumes, sampled: vec![vec![None; volumes.len()]; models.len()] };
    let mut found = Vec::new();
    for i in 0..models.len() {
        for j in i + 1..models.len() {
            let mut windows = Vec::new();
            curves.sign_changes(i, j, 0, volumes.len() - 1, &mut windows);
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
/// pricing is most of `policy cost`'s time (docs/performance.md).
struct Curves<'a> {
    models: &'a [Model],
    pricers: Vec<Pricer<'a>>,
    volumes: &'a [u64],
    sampled: Vec<Vec<Option<Decimal>>>,
}

impl Curves<'_> {
    fn at(&mut self, model: usize, k: usize) -> Decimal {
        if let Some(cost) = self.sampled[model][k] {
            return cost;
        }
        let cost = self.pricers[model].monthly_total(Traffic::Requests(self.volumes[k])).as_decimal();
        self.sampled[model][k] = Some(cost);
        cost
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
        let (ilo, ihi, jlo, jhi) = (self.at(i, lo), self.at(i, hi), self.at(j, lo), self.at(j, hi));
        if ihi + Decimal::ONE < jlo || jhi + Decimal::ONE < ilo {
            return;
        }
        if hi == lo + 1 {
            let (dlo, dhi) = (ilo - jlo, ihi - jhi);
            if !dlo.is_zero() && !dhi.is_zero() && dlo.is_sign_negative() != dhi.is_sign_negative() {
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
        let below = (self.at(i, w) - self.at(j, w)).is_sign_negative();
        let (a, b) = (&self.pricers[i], &self.pricers[j]);
        let cost = |p: &Pricer<'_>, r: u64| p.monthly_total(Traffic::Requests(r)).as_decimal();
        let diff = |r: u64| cost(a, r) - cost(b, r);
        // Bisect in log space to the nearest request. Once the ends round
        // to neighbouring volumes, every later midpoint rounds to one of
        // them and moves that end only: the volume where the sign changes,
        // `volume_at(h)`, is found.
        let (mut l, mut h) = ((lo as f64).log10(), (hi as f64).log10());
        for _ in 0..48 {
            if volume_at(h).saturating_sub(volume_at(l)) <= 1 {
                break;
            }
            let mid = (l + h) / 2.0;
            if diff(volume_at(mid)).is_sign_negative() == below {
                l = mid;
            } else {
                h = mid;
            }
        }
        let at = volume_at(h);
        if !carries(i, at) || !carries(j, at) {
            return None;
        }
        Some(BreakEven {
            between: [self.models[i].pattern(), self.models[j].pattern()],
            requests_per_month: at,
            monthly: Money::from_decimal(cost(a, at)),
        })
    }
}
