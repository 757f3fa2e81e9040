//! The cost model: monthly, idle and per-request cost of each pattern, from a
//! sourced price table (data/prices-us-east-1.yaml). docs/cost.md explains
//! the model, its assumptions and what it approximates.
//!
//! ```
//! use archpolicy::cost::{CostOptions, report};
//!
//! let proposal = archpolicy::load_file("examples/scenario_a_saas_api.arch.yaml").unwrap();
//! let costs = report(&proposal, &CostOptions::embedded());
//! assert!(costs.idle().monthly.as_decimal().is_zero()); // Lambda without provisioned concurrency
//! // The synchronous patterns, not a queue's, whose API answers 202 to callers who wait.
//! use archpolicy::model::Pattern;
//! assert!(costs.comparison().iter().any(|c| c.pattern == Pattern::FargateAlb));
//! assert!(costs.comparison().iter().all(|c| c.pattern != Pattern::QueueWorker));
//! ```

pub mod capacity;
pub mod carry;
#[cfg(feature = "chart")]
pub mod chart;
pub mod compare;
mod err;
mod estimate;
mod prices;

use serde::Serialize;

pub use compare::{BreakEven, alternative, break_evens};
pub use err::{ChartError, PriceError};
pub use estimate::{
    CostOptions, DEFAULT_PAYLOAD, Estimate, HOURS_PER_MONTH, Interval, LineItem, Pricer, Traffic, estimate, monthly_total,
};
pub use prices::{EMBEDDED_PRICES, PriceFailure, PriceItem, Prices};

use crate::model::{Model, Pattern, Proposal};
use crate::patterns::settings::Denials;
use crate::units::Money;
use crate::untrusted::Untrusted;

/// The cost of one more million requests at the declared workload.
pub fn per_million_requests(model: &Model, options: &CostOptions) -> Money {
    per_million_requests_above(model, options, monthly_total(model, options, Traffic::Declared))
}

/// [`per_million_requests`] when the declared workload's total, `monthly`, is known.
pub fn per_million_requests_above(model: &Model, options: &CostOptions, monthly: Money) -> Money {
    Pricer::new(model, options).per_million_requests_above(monthly)
}

/// Money as AWS bills it, for JSON: a decimal string rounded to the cent
/// (`"787.10"`), in the report's `currency`.
pub fn billed_text(m: Money) -> String {
    format!("{:.2}", m.to_cents().as_decimal())
}

pub(crate) fn billed<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&billed_text(*m))
}

/// Significant digits a quantity keeps in JSON.
pub const QUANTITY_DIGITS: u32 = 6;

/// A quantity to [`QUANTITY_DIGITS`] significant digits, never dropping a
/// digit of its whole part, as a decimal string without trailing zeros
/// (`4.444444444444444444444444453` is `"4.44444"`, 112500 is `"112500"`).
pub fn quantity_text(q: rust_decimal::Decimal) -> String {
    let whole = q.abs().trunc();
    let rounded = if whole >= rust_decimal::Decimal::from(10u64.pow(QUANTITY_DIGITS - 1)) {
        q.round_dp(0)
    } else {
        q.round_sf(QUANTITY_DIGITS).unwrap_or(q)
    };
    rounded.normalize().to_string()
}

pub(crate) fn significant<S: serde::Serializer>(q: &rust_decimal::Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&quantity_text(*q))
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
    /// The deny findings of the policy set on it (`policy-id: message`),
    /// after the settings below.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub denied_by: Vec<Untrusted>,
    /// The settings an alternative was given to satisfy the policy set
    /// (src/patterns/settings.rs); none for the proposal, priced as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<String>,
    /// Why it is not the cheapest mark: it cannot carry the workload, is
    /// beyond its capacity, is denied, or costs more than the one marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_cheapest: Option<String>,
}

impl PatternCost {
    /// It carries the declared workload within its capacity, and no deny
    /// rule of the policy set refuses it: it may be marked cheapest.
    pub fn eligible(&self) -> bool {
        self.cannot_carry.is_empty() && self.beyond_capacity.is_none() && self.denied_by.is_empty()
    }
}

/// The one rule for the cheapest mark, in `policy cost`, its chart and
/// `policy recommend`: the lowest monthly cost among those that carry the
/// workload within their capacity and pass the policy set's deny rules.
/// Each other one says why it is not marked.
pub fn mark_cheapest(comparison: &mut [PatternCost]) {
    let best = comparison.iter().filter(|c| c.eligible()).min_by_key(|c| c.monthly).map(|c| (c.pattern, c.monthly));
    for c in comparison.iter_mut() {
        c.cheapest = best.is_some_and(|(_, min)| c.eligible() && c.monthly == min);
        c.not_cheapest = if c.cheapest {
            None
        } else if !c.cannot_carry.is_empty() {
            Some("it cannot carry the workload".into())
        } else if c.beyond_capacity.is_some() {
            Some("the declared workload is beyond its capacity".into())
        } else if !c.denied_by.is_empty() {
            Some("the policy set denies it".into())
        } else {
            best.map(|(p, min)| {
                format!(
                    "it costs ${} more a month than `{p}`",
                    billed_text(Money::from_decimal(c.monthly.as_decimal() - min.as_decimal()))
                )
            })
        };
    }
}

/// Everything `policy cost` shows: the proposal's bill at its workload and
/// at zero traffic, what a million more requests add, and every other
/// pattern priced for the same workload. The totals are methods; the whole
/// report, line items and comparison included, is its JSON
/// ([`to_json`](CostReport::to_json), the `policy cost --format json` of
/// docs/cost.md).
///
/// ```
/// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
/// let cost = archpolicy::price(&proposal, &archpolicy::CostOptions::embedded());
/// // A Fargate service pays for its tasks when no request comes.
/// assert!(cost.idle_monthly() > archpolicy::Money::ZERO);
/// let json = cost.to_json();
/// assert_eq!(json["name"], "storefront");
/// assert!(!json["idle"]["items"].as_array().unwrap().is_empty());
/// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostReport {
    /// The proposal's file, as named.
    pub(crate) file: Untrusted,
    /// The proposal's `name`.
    pub(crate) name: Untrusted,
    /// The proposal's pattern.
    pub(crate) pattern: Pattern,
    /// The currency of every amount (the price table's).
    pub(crate) currency: Untrusted,
    /// The price table's file: `data/prices-us-east-1.yaml` when embedded, or the file `--pricing` names.
    pub(crate) prices: Untrusted,
    /// When the price table's prices were read from AWS.
    pub(crate) prices_read: Untrusted,
    /// Whether AWS's free tiers were subtracted.
    pub(crate) free_tier: bool,
    /// The bill at the declared workload, line by line.
    pub(crate) declared: Estimate,
    /// The bill at zero traffic, line by line.
    pub(crate) idle: Estimate,
    #[serde(serialize_with = "billed")]
    /// What a million more requests add at the declared workload.
    pub(crate) per_million_requests: Money,
    /// Every pattern of the registry, the proposal's first.
    pub(crate) comparison: Vec<PatternCost>,
    /// The volumes where another pattern becomes cheaper or dearer.
    pub(crate) break_evens: Vec<BreakEven>,
    #[serde(skip)]
    /// The model of each pattern in `comparison`, same order (for the chart).
    pub(crate) models: Vec<Model>,
}

/// Prices a proposal, and its workload on the other patterns, with no
/// policy set (`policy cost` uses [`crate::recommend::cost_report`], which
/// judges by one).
pub fn report(proposal: &Proposal, options: &CostOptions) -> CostReport {
    report_with(proposal, options, &|_: &Model| Some(Vec::new()))
}

/// Prices a proposal, and its workload on the other two patterns, each
/// alternative configured to clear the deny findings `denied` reports
/// (src/patterns/settings.rs), the way `policy recommend` configures its
/// candidates; a model still denied is never marked cheapest.
pub fn report_with(proposal: &Proposal, options: &CostOptions, denied: Denials<'_>) -> CostReport {
    let model = &proposal.model;
    // The proposal priced as written; each alternative as configured, with
    // the denials its configuration ended on.
    let mut models = vec![crate::patterns::settings::Configured {
        model: model.clone(),
        settings: Vec::new(),
        denials: denied(model).unwrap_or_default(),
    }];
    for pattern in Pattern::ALL {
        if pattern != model.pattern()
            && let Some(alt) = alternative(model, pattern)
        {
            models.push(crate::patterns::settings::configure(&alt, denied));
        }
    }
    let mut comparison: Vec<PatternCost> = models
        .iter()
        .map(|configured| {
            let mut c = pattern_cost(&configured.model, model, options);
            c.denied_by = configured
                .denials
                .iter()
                .map(|f| Untrusted::new(format!("{}: {}", f.policy, f.message).as_str()))
                .collect();
            c.settings.clone_from(&configured.settings);
            c
        })
        .collect();
    mark_cheapest(&mut comparison);
    let models: Vec<Model> = models.into_iter().map(|c| c.model).collect();
    let declared = estimate(model, options, Traffic::Declared);
    CostReport {
        file: Untrusted::new(proposal.source.name()),
        name: Untrusted::new(model.common.name.as_str()),
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
    let pricer = Pricer::new(m, options);
    let monthly = pricer.monthly_total(Traffic::Declared);
    let limits = carry::limitations(m);
    let declared = m.common.workload.requests_per_month;
    let applying: Vec<&carry::Limitation> = carry::at(&limits, declared).collect();
    let mut cannot_carry: Vec<Untrusted> =
        applying.iter().filter(|l| !l.capacity).map(|l| Untrusted::new(l.reason.as_str())).collect();
    // An internal proposal's alternatives are judged as internal services:
    // one callers reach from the internet is no alternative to it.
    if crate::patterns::exposure(proposal) == crate::model::Exposure::Internal
        && let Some(door) = crate::patterns::public_front_door(m)
    {
        cannot_carry.push(Untrusted::new(format!("the proposal is an internal service, and this has {door}").as_str()));
    }
    // Callers who present tokens to an authorizer cannot call a function URL,
    // which authenticates with IAM (SigV4) or not at all: AWS's decision
    // guide sends token callers to API Gateway.
    if m.function_url().is_some()
        && let Some(authorizer) = proposal.gateway().map(|g| g.authorizer)
        && !matches!(authorizer, crate::model::Authorizer::None | crate::model::Authorizer::Iam)
    {
        cannot_carry.push(Untrusted::new(
            format!(
                "the proposal's callers are authorized by a `{authorizer}` authorizer, and {}",
                crate::model::limits::function_url::IAM_OR_NONE
            )
            .as_str(),
        ));
    }
    PatternCost {
        pattern: m.pattern(),
        title: crate::patterns::title_of(m).to_string(),
        monthly,
        idle_monthly: pricer.monthly_total(Traffic::Idle),
        per_million_requests: pricer.per_million_requests_above(monthly),
        proposed: m.pattern() == proposal.pattern(),
        cheapest: false,
        cannot_carry,
        beyond_capacity: applying.iter().find(|l| l.capacity).map(|l| Untrusted::new(l.reason.as_str())),
        denied_by: Vec::new(),
        settings: Vec::new(),
        not_cheapest: None,
    }
}

impl CostReport {
    /// The proposal's pattern, as the file spells it.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// assert_eq!(archpolicy::price(&proposal, &archpolicy::CostOptions::embedded()).pattern(), "fargate_alb");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn pattern(&self) -> &'static str {
        crate::model::NamedEnum::name(self.pattern)
    }

    /// The currency of every amount: the price table's (`USD`).
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// assert_eq!(archpolicy::price(&proposal, &archpolicy::CostOptions::embedded()).currency(), "USD");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn currency(&self) -> &str {
        self.currency.raw()
    }

    /// The monthly bill at the declared workload: the sum of its lines, each
    /// rounded to the cent (the `cost.monthly` fact).
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// let cost = archpolicy::price(&proposal, &archpolicy::CostOptions::embedded());
    /// assert_eq!(Some(cost.monthly().to_string()), proposal.facts().get("cost.monthly").map(|f| f.value.to_string()));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn monthly(&self) -> Money {
        self.declared.monthly
    }

    /// The monthly bill at zero traffic (the `cost.idle_monthly` fact).
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/scenario_a_saas_api.arch.yaml")?;
    /// let cost = archpolicy::price(&proposal, &archpolicy::CostOptions::embedded());
    /// assert_eq!(cost.idle_monthly(), archpolicy::Money::ZERO, "Lambda without provisioned concurrency");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn idle_monthly(&self) -> Money {
        self.idle.monthly
    }

    /// What a million more requests add to the monthly bill at the declared
    /// workload (the `cost.per_million_requests` fact).
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let cost = archpolicy::price(&proposal, &archpolicy::CostOptions::embedded());
    /// assert!(cost.per_million_requests() > archpolicy::Money::ZERO);
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn per_million_requests(&self) -> Money {
        self.per_million_requests
    }

    /// The pattern marked cheapest: the lowest monthly cost among those
    /// that carry the workload (and that the policy set does not deny, with
    /// [`price_against`](crate::price_against)); none when none can.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/scenario_b_image_processing.arch.yaml")?;
    /// let cost = archpolicy::price(&proposal, &archpolicy::CostOptions::embedded());
    /// let cheapest = cost.cheapest().unwrap();
    /// let json = cost.to_json();
    /// let row = json["comparison"].as_array().unwrap().iter().find(|c| c["pattern"] == cheapest).unwrap();
    /// assert_eq!(row["cheapest"], true);
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn cheapest(&self) -> Option<&'static str> {
        self.comparison.iter().find(|c| c.cheapest).map(|c| crate::model::NamedEnum::name(c.pattern))
    }

    /// The whole report as the JSON of `policy cost --format json`
    /// (docs/cost.md): the bills line by line, the comparison with every
    /// other pattern and why each is or is not the cheapest, break-even
    /// volumes.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let json = archpolicy::price(&proposal, &archpolicy::CostOptions::embedded()).to_json();
    /// assert_eq!(json["pattern"], "lambda_api_gateway");
    /// assert!(json["comparison"].as_array().unwrap().iter().any(|c| c["proposed"] == true));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

internal! {
    impl CostReport {
        pub fn declared(&self) -> &Estimate {
            &self.declared
        }

        pub fn idle(&self) -> &Estimate {
            &self.idle
        }

        pub fn comparison(&self) -> &[PatternCost] {
            &self.comparison
        }

        pub fn break_evens(&self) -> &[BreakEven] {
            &self.break_evens
        }

        pub fn models(&self) -> &[Model] {
            &self.models
        }
    }
}

#[cfg(feature = "chart")]
impl CostReport {
    /// The chart of every pattern's costs, as SVG.
    ///
    /// ```
    /// use archpolicy::CostOptions;
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// let svg = archpolicy::price(&proposal, &CostOptions::embedded()).chart_svg(&CostOptions::embedded());
    /// assert!(svg.contains("<svg") && svg.contains("Monthly cost by requests per month: storefront"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn chart_svg(&self, options: &CostOptions) -> String {
        chart::svg(self, options)
    }
}

#[cfg(test)]
mod tests {
    use super::quantity_text;
    use rust_decimal::Decimal;

    #[test]
    fn quantities_keep_six_significant_digits_and_their_whole_part() {
        let q = |s: &str| quantity_text(s.parse::<Decimal>().unwrap());
        // 40 GB-hours / 9 = 4.444...: six significant digits.
        assert_eq!(q("4.444444444444444444444444453"), "4.44444");
        assert_eq!(q("0.000123456789"), "0.000123457");
        assert_eq!(q("112500.000"), "112500");
        // Whole units are never rounded away: 1,234,567 requests.
        assert_eq!(q("1234567.89"), "1234568");
        assert_eq!(q("0"), "0");
        assert_eq!(q("730"), "730");
    }
}
