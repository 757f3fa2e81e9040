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

/// One pattern's costs for the proposal's workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatternCost {
    pub pattern: Pattern,
    pub monthly: Money,
    pub idle_monthly: Money,
    pub per_million_requests: Money,
    /// This is the proposal's own pattern.
    pub proposed: bool,
    /// The lowest monthly cost of the three.
    pub cheapest: bool,
}

/// Everything `policy cost` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostReport {
    pub file: String,
    pub name: String,
    pub pattern: Pattern,
    pub prices: String,
    pub prices_read: String,
    pub free_tier: bool,
    pub declared: Estimate,
    pub idle: Estimate,
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
    let mut comparison: Vec<PatternCost> = models
        .iter()
        .map(|m| {
            let monthly = monthly_total(m, options, Traffic::Declared);
            PatternCost {
                pattern: m.pattern(),
                monthly,
                idle_monthly: monthly_total(m, options, Traffic::Idle),
                per_million_requests: per_million_requests_above(m, options, monthly),
                proposed: m.pattern() == model.pattern(),
                cheapest: false,
            }
        })
        .collect();
    if let Some(min) = comparison.iter().map(|c| c.monthly).min() {
        for c in &mut comparison {
            c.cheapest = c.monthly == min;
        }
    }
    let declared = estimate(model, options, Traffic::Declared);
    CostReport {
        file: proposal.source.name().to_string(),
        name: model.name.clone(),
        pattern: model.pattern(),
        prices: options.prices.file.clone(),
        prices_read: options.prices.read.clone(),
        free_tier: options.free_tier,
        per_million_requests: per_million_requests_above(model, options, declared.monthly),
        declared,
        idle: estimate(model, options, Traffic::Idle),
        break_evens: break_evens(&models, options),
        comparison,
        models,
    }
}

impl CostReport {
    /// The chart of the three patterns' costs, as SVG.
    pub fn chart_svg(&self, options: &CostOptions) -> String {
        chart::svg(&self.models, &self.break_evens, self.declared.requests_per_month, options)
    }
}
