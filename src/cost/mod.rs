//! The cost model: monthly, idle and per-request cost of each pattern, from a
//! sourced price table (data/prices-us-east-1.yaml). docs/cost.md explains
//! the model, its assumptions and what it approximates.
//!
//! ```
//! use archpolicy::cost::{CostOptions, report};
//!
//! let proposal = archpolicy::load_file("examples/scenario_a_saas_api.arch.yaml").unwrap();
//! let costs = report(&proposal, &CostOptions::embedded());
//! assert!(costs.idle.monthly.as_decimal().is_zero()); // Lambda without provisioned concurrency
//! assert_eq!(costs.comparison.len(), 3);
//! ```

pub mod capacity;
pub mod carry;
pub mod chart;
pub mod compare;
mod err;
mod estimate;
mod prices;

use serde::Serialize;

pub use compare::{BreakEven, alternative, break_evens};
pub use err::{ChartError, PriceError};
pub use estimate::{
    CostOptions, DEFAULT_PAYLOAD, Estimate, HOURS_PER_MONTH, LineItem, Traffic, estimate, monthly_total,
};
pub use prices::{EMBEDDED_PRICES, PriceFailure, PriceItem, Prices};

use crate::model::{Model, Pattern, Proposal};
use crate::units::Money;
use crate::untrusted::Untrusted;

/// The cost of one more million requests at the declared workload.
pub fn per_million_requests(model: &Model, options: &CostOptions) -> Money {
    per_million_requests_above(model, options, monthly_total(model, options, Traffic::Declared))
}

/// [`per_million_requests`] when the declared workload's total, `monthly`, is known.
pub fn per_million_requests_above(model: &Model, options: &CostOptions, monthly: Money) -> Money {
    let now = monthly.as_decimal();
    let more =
        monthly_total(model, options, Traffic::Requests(model.workload.requests_per_month.saturating_add(1_000_000)))
            .as_decimal();
    Money::from_decimal((more - now).max(rust_decimal::Decimal::ZERO))
}

/// Money as AWS bills it, for JSON: a decimal string rounded to the cent
/// (`"787.10"`), in the report's `currency`.
pub fn billed_text(m: Money) -> String {
    let cents = m.as_decimal().round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{cents:.2}")
}

pub(crate) fn billed<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&billed_text(*m))
}

/// A unit price keeps every digit (`"0.0000166667"`), without the `$`.
pub(crate) fn exact<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    let amount = m.as_decimal().normalize();
    let text = if amount.scale() < 2 { format!("{amount:.2}") } else { amount.to_string() };
    s.serialize_str(&text)
}

/// One pattern's costs for the proposal's workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatternCost {
    pub pattern: Pattern,
    /// Its human name, e.g. "Lambda behind API Gateway".
    pub title: String,
    #[serde(serialize_with = "billed")]
    pub monthly: Money,
    #[serde(serialize_with = "billed")]
    pub idle_monthly: Money,
    #[serde(serialize_with = "billed")]
    pub per_million_requests: Money,
    /// This is the proposal's own pattern.
    pub proposed: bool,
    /// The lowest monthly cost of the patterns that can carry the workload.
    pub cheapest: bool,
    /// Why it cannot carry the declared workload; empty when it can.
    pub cannot_carry: Vec<Untrusted>,
    /// Its service's peaks need more than `tasks.max` at the declared
    /// workload: priced at `tasks.max`, a lower bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beyond_capacity: Option<Untrusted>,
}

/// Everything `policy cost` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostReport {
    /// The proposal's file, as named.
    pub file: Untrusted,
    /// The proposal's `name`.
    pub name: Untrusted,
    pub pattern: Pattern,
    /// The currency of every amount (the price table's).
    pub currency: Untrusted,
    /// The price table: `embedded`, or the file `--pricing` names.
    pub prices: Untrusted,
    /// When the price table's prices were read from AWS.
    pub prices_read: Untrusted,
    pub free_tier: bool,
    pub declared: Estimate,
    pub idle: Estimate,
    #[serde(serialize_with = "billed")]
    pub per_million_requests: Money,
    /// The three patterns, the proposal's first.
    pub comparison: Vec<PatternCost>,
    pub break_evens: Vec<BreakEven>,
    #[serde(skip)]
    pub models: Vec<Model>,
}

/// Prices a proposal, and its workload on the other two patterns.
pub fn report(proposal: &Proposal, options: &CostOptions) -> CostReport {
    let model = &proposal.model;
    let mut models = vec![model.clone()];
    for pattern in Pattern::ALL {
        if pattern != model.pattern() {
            models.extend(alternative(model, pattern));
        }
    }
    let mut comparison: Vec<PatternCost> = models.iter().map(|m| pattern_cost(m, model, options)).collect();
    let carriers = comparison.iter().filter(|c| c.cannot_carry.is_empty());
    if let Some(min) = carriers.map(|c| c.monthly).min() {
        for c in &mut comparison {
            c.cheapest = c.cannot_carry.is_empty() && c.monthly == min;
        }
    }
    let declared = estimate(model, options, Traffic::Declared);
    CostReport {
        file: Untrusted::new(proposal.source.name()),
        name: Untrusted::new(model.name.as_str()),
        pattern: model.pattern(),
        currency: Untrusted::new(options.prices.currency.as_str()),
        prices: Untrusted::new(options.prices.file.as_str()),
        prices_read: Untrusted::new(options.prices.read.as_str()),
        free_tier: options.free_tier,
        per_million_requests: per_million_requests_above(model, options, declared.monthly),
        declared,
        idle: estimate(model, options, Traffic::Idle),
        break_evens: break_evens(&models, options),
        comparison,
        models,
    }
}

/// `m`'s costs at the declared workload, and what it cannot carry.
fn pattern_cost(m: &Model, proposal: &Model, options: &CostOptions) -> PatternCost {
    let monthly = monthly_total(m, options, Traffic::Declared);
    let limits = carry::limitations(m);
    let declared = m.workload.requests_per_month;
    let applying: Vec<&carry::Limitation> = carry::at(&limits, declared).collect();
    PatternCost {
        pattern: m.pattern(),
        title: crate::patterns::def(m.pattern()).title.to_string(),
        monthly,
        idle_monthly: monthly_total(m, options, Traffic::Idle),
        per_million_requests: per_million_requests_above(m, options, monthly),
        proposed: m.pattern() == proposal.pattern(),
        cheapest: false,
        cannot_carry: applying.iter().filter(|l| !l.capacity).map(|l| Untrusted::new(l.reason.as_str())).collect(),
        beyond_capacity: applying.iter().find(|l| l.capacity).map(|l| Untrusted::new(l.reason.as_str())),
    }
}

impl CostReport {
    /// The chart of the three patterns' costs, as SVG.
    pub fn chart_svg(&self, options: &CostOptions) -> String {
        chart::svg(self, options)
    }
}
