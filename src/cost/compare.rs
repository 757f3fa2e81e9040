//! The same workload on the other patterns, with the same service sizing,
//! and the request volumes at which two patterns cost the same.

use rust_decimal::Decimal;
use serde::Serialize;

use super::carry::{self, Limitation, limitations};
use super::estimate::{CostOptions, Traffic, monthly_total};
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

fn cost_at(model: &Model, options: &CostOptions, requests: u64) -> Decimal {
    monthly_total(model, options, Traffic::Requests(requests)).as_decimal()
}

/// Where the cost curves of each pair of models cross between 10^4 and
/// 10^10 requests, at volumes both can carry (a crossing where one of them
/// cannot carry the workload, or is beyond its service's capacity, is no
/// choice between them).
pub fn break_evens(models: &[Model], options: &CostOptions) -> Vec<BreakEven> {
    let volumes = sample_volumes();
    let limits: Vec<Vec<Limitation>> = models.iter().map(limitations).collect();
    let carries = |i: usize, r: u64| carry::at(&limits[i], r).next().is_none();
    // Each model priced once per sampled volume, not once per pair and window:
    // pricing is most of `policy cost`'s time (docs/performance.md).
    let sampled: Vec<Vec<Decimal>> =
        models.iter().map(|m| volumes.iter().map(|&r| cost_at(m, options, r)).collect()).collect();
    let mut found = Vec::new();
    for (i, a) in models.iter().enumerate() {
        for (j, b) in models.iter().enumerate().skip(i + 1) {
            let diff = |r: u64| cost_at(a, options, r) - cost_at(b, options, r);
            for (w, pair) in volumes.windows(2).enumerate() {
                let (lo, hi) = (pair[0], pair[1]);
                let (dlo, dhi) = (sampled[i][w] - sampled[j][w], sampled[i][w + 1] - sampled[j][w + 1]);
                if dlo.is_zero() || dlo.is_sign_negative() == dhi.is_sign_negative() || dhi.is_zero() {
                    continue;
                }
                // A limitation applies from a volume on: one that applies at
                // `lo` applies at the crossing too, which is then no choice.
                if !carries(i, lo) || !carries(j, lo) {
                    continue;
                }
                // Bisect in log space to the nearest request. Once the ends
                // round to neighbouring volumes, every later midpoint rounds
                // to one of them and moves that end only: the volume where
                // the sign changes, `volume_at(h)`, is found.
                let (mut l, mut h) = ((lo as f64).log10(), (hi as f64).log10());
                for _ in 0..48 {
                    if volume_at(h).saturating_sub(volume_at(l)) <= 1 {
                        break;
                    }
                    let mid = (l + h) / 2.0;
                    if diff(volume_at(mid)).is_sign_negative() == dlo.is_sign_negative() {
                        l = mid;
                    } else {
                        h = mid;
                    }
                }
                let at = volume_at(h);
                if !carries(i, at) || !carries(j, at) {
                    continue;
                }
                found.push(BreakEven {
                    between: [a.pattern(), b.pattern()],
                    requests_per_month: at,
                    monthly: Money::from_decimal(cost_at(a, options, at)),
                });
            }
        }
    }
    found.sort_by_key(|b| b.requests_per_month);
    found
}
