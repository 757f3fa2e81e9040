//! From a loaded proposal to its facts.
//!
//! Declared facts copy the model and keep the origin the loader recorded;
//! derived facts say which facts they were computed from and, where one
//! value decided the result, which. Facts come from the components a model
//! has, not from its pattern's name: only portability is the pattern's own
//! ([`crate::patterns`]).

mod declared;
mod path;
mod posture;
mod queue;

use std::borrow::Cow;

pub use path::sync_limit;

use super::Facts;
use super::value::{Fact, FactValue, Provenance};
use crate::cost::{CostOptions, Pricer, Traffic};
use crate::model::{Origin, Origins, Proposal};
use crate::units::Date;

impl Proposal {
    /// The facts derived from this proposal, priced with the embedded table.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// assert_eq!(proposal.facts().get("network.entry").unwrap().value.to_string(), "alb");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn facts(&self) -> Facts {
        derive(self)
    }

    /// The facts, priced with another table or with free tiers.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let mut free = archpolicy::CostOptions::embedded();
    /// free.free_tier = true;
    /// let monthly = |facts: archpolicy::Facts| facts.get("cost.monthly").unwrap().value.to_string();
    /// assert_ne!(monthly(proposal.facts_with(&free)), monthly(proposal.facts()), "free tiers subtracted");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn facts_with(&self, cost: &CostOptions) -> Facts {
        derive_with(self, cost)
    }

    /// The facts as of `today`: the runtime's days to its deprecation and
    /// block dates count from it (a run's `--today`).
    ///
    /// ```
    /// use archpolicy::{CostOptions, Date};
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let days = |today: Date| proposal.facts_on(CostOptions::embedded_ref(), today).get("function.runtime_days_to_deprecation").unwrap().value.to_string();
    /// let (now, later) = (Date::new(2026, 12, 7)?, Date::new(2026, 12, 17)?);
    /// assert_eq!(days(now).parse::<i64>()? - days(later).parse::<i64>()?, 10);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn facts_on(&self, cost: &CostOptions, today: Date) -> Facts {
        derive_on(self, cost, today)
    }
}

pub(super) struct Builder<'a> {
    origins: &'a Origins,
    facts: super::FactMap,
}

impl Builder<'_> {
    pub(super) fn provenance(&self, path: Cow<'static, str>) -> Provenance {
        match self.origins.get(&path) {
            Some(Origin::Declared(span)) => Provenance::Declared { path, span },
            Some(Origin::Default(source)) => Provenance::Default { path, source },
            // A value the loader did not record (a component it filled in whole).
            None => Provenance::Default { path, source: None },
        }
    }

    /// A fact copied from the model value at the same path.
    pub(super) fn declared(&mut self, path: impl Into<Cow<'static, str>>, value: FactValue) {
        let path = path.into();
        let provenance = self.provenance(path.clone());
        self.facts.insert(path, Fact { value, provenance });
    }

    /// A fact whose value is the model value at `from`, another path (the
    /// finding's label sits on that value).
    pub(super) fn declared_as(&mut self, path: &'static str, from: &'static str, value: FactValue) {
        let provenance = self.provenance(Cow::Borrowed(from));
        self.facts.insert(Cow::Borrowed(path), Fact { value, provenance });
    }

    /// A fact that is AWS's figure, not the proposal's: its provenance is the source.
    pub(super) fn aws(&mut self, path: &'static str, value: FactValue, source: crate::model::limits::Source) {
        let provenance = Provenance::Default { path: Cow::Borrowed(path), source: Some(source) };
        self.facts.insert(Cow::Borrowed(path), Fact { value, provenance });
    }

    pub(super) fn derived(
        &mut self,
        path: &'static str,
        value: FactValue,
        from: &[&'static str],
        rule: &'static str,
        decided_by: Option<&'static str>,
    ) {
        let provenance = Provenance::Derived { from: from.to_vec(), rule, decided_by };
        self.facts.insert(Cow::Borrowed(path), Fact { value, provenance });
    }
}

/// Derives every fact of a proposal, pricing with the embedded table.
pub fn derive(proposal: &Proposal) -> Facts {
    derive_with(proposal, CostOptions::embedded_ref())
}

/// Derives every fact of a proposal, pricing with `cost`, as of today.
pub fn derive_with(proposal: &Proposal, cost: &CostOptions) -> Facts {
    derive_on(proposal, cost, Date::today())
}

/// Derives every fact of a proposal, pricing with `cost`, as of `today`.
pub fn derive_on(proposal: &Proposal, cost: &CostOptions, today: Date) -> Facts {
    derive_priced(proposal, cost, CostRead::ALL, today)
}

/// Which `cost.*` facts are wanted: each is a bill or two (the cost of a
/// million more requests prices the declared volume too), derived only
/// for policies that read it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CostRead {
    pub(crate) monthly: bool,
    pub(crate) idle_monthly: bool,
    pub(crate) per_million_requests: bool,
}

impl CostRead {
    pub(crate) const ALL: CostRead = CostRead { monthly: true, idle_monthly: true, per_million_requests: true };

    /// The `cost.*` facts that `reads` reads, given whether it reads a path.
    pub(crate) fn of(reads: impl Fn(&str) -> bool) -> CostRead {
        CostRead {
            monthly: reads("cost.monthly"),
            idle_monthly: reads("cost.idle_monthly"),
            per_million_requests: reads("cost.per_million_requests"),
        }
    }
}

/// Derives the facts of a proposal as of `today`, the `cost.*` facts that
/// `read` names priced with `cost` and the others left out.
pub(crate) fn derive_priced(proposal: &Proposal, cost: &CostOptions, read: CostRead, today: Date) -> Facts {
    let m = &proposal.model;
    // About a hundred facts and a proposal's tags, without growing.
    let facts = super::FactMap::with_capacity_and_hasher(160, Default::default());
    let mut b = Builder { origins: &proposal.origins, facts };
    declared::common(&mut b, m);
    declared::components(&mut b, m);
    if let Some(f) = m.function() {
        declared::runtime_dates(&mut b, f, today);
    }
    path::derive(&mut b, m);
    posture::derive(&mut b, m);
    queue::derive(&mut b, m);
    derive_cost(&mut b, proposal, cost, read);
    Facts { pattern: m.pattern(), values: b.facts }
}

/// The rule text of a cost fact names the table it was priced from.
fn cost_rule(cost: &CostOptions) -> &'static str {
    if cost.free_tier {
        "priced from the price table, with AWS's free tiers (docs/cost.md)"
    } else {
        "priced from the price table (docs/cost.md)"
    }
}

fn derive_cost(b: &mut Builder<'_>, proposal: &Proposal, cost: &CostOptions, read: CostRead) {
    let m = &proposal.model;
    let inputs: &[&str] = &["pattern", "workload.requests_per_month", "workload.avg_duration"];
    let rule = cost_rule(cost);
    // A bill is in cents: the facts are rounded as every report rounds them.
    let cents = |m: crate::units::Money| FactValue::Money(m.to_cents());
    if !(read.monthly || read.per_million_requests || read.idle_monthly) {
        return;
    }
    let pricer = Pricer::new(m, cost);
    if read.monthly || read.per_million_requests {
        let monthly = pricer.monthly_total(Traffic::Declared);
        b.derived("cost.monthly", cents(monthly), inputs, rule, None);
        if read.per_million_requests {
            let more = pricer.per_million_requests_above(monthly);
            b.derived("cost.per_million_requests", cents(more), inputs, rule, None);
        }
    }
    if read.idle_monthly {
        b.derived("cost.idle_monthly", cents(pricer.monthly_total(Traffic::Idle)), inputs, rule, None);
    }
}
