//! `policy recommend`: the guide's decision as a command. From a needs file
//! (a proposal without a pattern), a candidate proposal for each pattern
//! of the registry, sized from the workload; each loaded like any proposal,
//! checked against the needs and the organization's policies, and priced.
//! The compliant ones are ranked by monthly cost; each of the others has the
//! findings that rule it out and the smallest change that would admit it.
//! docs/recommend.md describes the needs file and the answer.
//!
//! ```
//! use archpolicy::policy::RunOptions;
//! use archpolicy::recommend::{load_needs_file, recommend};
//!
//! let needs = load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref()).unwrap();
//! let set = archpolicy::PolicySet::standard().unwrap();
//! let answer = recommend(&needs, &set, &RunOptions::standard());
//! assert_eq!(answer.recommended(), Some("lambda_api_gateway"));
//! ```

mod candidate;
mod err;
mod explain;
mod judge;
mod needs;
pub mod render;

use crate::untrusted::Untrusted;
use serde::Serialize;

pub use candidate::{api_for, candidate};
pub use err::{NeedsError, NeedsFailure};
pub use judge::{Change, Ruling, denials, proposal_text};
pub use needs::{NEEDS_EXTENSIONS, Needs, NeedsFile, Requirements, load_needs_file, load_needs_str};

use crate::cost::{self, BreakEven, CostOptions, CostReport};
use crate::model::{Model, Pattern};
use crate::policy::{PolicySet, RunOptions};
use crate::units::Money;

/// One pattern's candidate, judged.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub pattern: Pattern,
    pub title: String,
    /// Nothing in the needs or the policies (at deny) rules it out.
    pub compliant: bool,
    /// 1 for the cheapest compliant candidate; absent for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    #[serde(serialize_with = "crate::cost::billed")]
    pub monthly: Money,
    #[serde(serialize_with = "crate::cost::billed")]
    pub idle_monthly: Money,
    #[serde(serialize_with = "crate::cost::billed")]
    pub per_million_requests: Money,
    /// How it was sized, component by component, and the settings the
    /// policy set's deny rules required.
    pub sizing: Vec<String>,
    pub ruled_out_by: Vec<Ruling>,
    /// Findings below deny: they do not rule it out.
    pub warnings: Vec<Ruling>,
    /// For a ruled-out candidate, the smallest change found that admits it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smallest_change: Option<Change>,
    /// The file `--write` gives it.
    pub file: String,
    #[serde(skip)]
    pub model: Model,
    /// The proposal as written, loaded and checked.
    #[serde(skip)]
    pub text: String,
}

/// Everything `policy recommend` answers: the pattern recommended, why,
/// and the proposal written for it. Every candidate, with its price, the
/// findings that rule it out and the smallest change that would admit it,
/// is in its JSON ([`to_json`](Recommendation::to_json), the
/// `policy recommend --format json` of docs/recommend.md).
///
/// ```
/// use archpolicy::{CostOptions, PolicySet};
/// let needs = archpolicy::load_needs_file("examples/scenario_b_image_processing.needs.yaml".as_ref())?;
/// let answer = archpolicy::recommend(&needs, &PolicySet::standard()?, &CostOptions::embedded());
/// assert_eq!(answer.recommended(), Some("fargate_alb"));
/// assert!(!answer.explanation().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// The needs file, as named.
    pub(crate) file: Untrusted,
    /// The needs file's `name`.
    pub(crate) name: Untrusted,
    /// The currency of every amount (the price table's).
    pub(crate) currency: Untrusted,
    /// The monthly requests the candidates were sized for.
    pub(crate) requests_per_month: u64,
    /// The cheapest compliant pattern; absent when none is compliant.
    pub(crate) recommended: Option<Pattern>,
    /// Compliant candidates by monthly cost, then the others in the pattern table's order.
    pub(crate) candidates: Vec<Candidate>,
    /// Where the recommended candidate and the runner-up cost the same.
    pub(crate) break_evens: Vec<BreakEven>,
    /// Two or three sentences in the guide's terms, from the facts above.
    pub(crate) explanation: Vec<Untrusted>,
}

impl Recommendation {
    /// The recommended pattern, as a proposal spells it: the cheapest
    /// compliant candidate; none when every pattern is ruled out.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet};
    /// let needs = archpolicy::load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref())?;
    /// let answer = archpolicy::recommend(&needs, &PolicySet::standard()?, &CostOptions::embedded());
    /// assert_eq!(answer.recommended(), Some("lambda_api_gateway"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recommended(&self) -> Option<&'static str> {
        self.recommended.map(crate::model::NamedEnum::name)
    }

    /// The recommended pattern's proposal, as `policy recommend --write`
    /// writes it: it loads, and passes the policies it was judged by.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet};
    /// let needs = archpolicy::load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref())?;
    /// let policies = PolicySet::standard()?;
    /// let answer = archpolicy::recommend(&needs, &policies, &CostOptions::embedded());
    /// let proposal = archpolicy::load_str("invoicing.arch.yaml", answer.proposal_text().unwrap())?;
    /// assert_eq!(Some(proposal.pattern()), answer.recommended());
    /// assert!(policies.check(&proposal).findings.iter().all(|f| f.severity != archpolicy::Severity::Deny));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn proposal_text(&self) -> Option<&str> {
        self.chosen().map(|c| c.text.as_str())
    }

    /// Two or three sentences in the guide's terms: why this pattern, or
    /// why none.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet};
    /// let needs = archpolicy::load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref())?;
    /// let answer = archpolicy::recommend(&needs, &PolicySet::standard()?, &CostOptions::embedded());
    /// assert!(answer.explanation().iter().any(|s| s.contains("lambda_api_gateway")), "{:?}", answer.explanation());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explanation(&self) -> Vec<&str> {
        self.explanation.iter().map(Untrusted::raw).collect()
    }

    /// The monthly requests the candidates were sized for (the needs file's workload).
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet};
    /// let needs = archpolicy::load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref())?;
    /// let answer = archpolicy::recommend(&needs, &PolicySet::standard()?, &CostOptions::embedded());
    /// assert_eq!(answer.to_json()["requests_per_month"], answer.requests_per_month());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn requests_per_month(&self) -> u64 {
        self.requests_per_month
    }

    /// The whole answer as the JSON of `policy recommend --format json`
    /// (docs/recommend.md): every candidate, ranked or ruled out, with its
    /// price, sizing, findings and smallest change.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet};
    /// let needs = archpolicy::load_needs_file("examples/scenario_b_image_processing.needs.yaml".as_ref())?;
    /// let json = archpolicy::recommend(&needs, &PolicySet::standard()?, &CostOptions::embedded()).to_json();
    /// assert_eq!(json["recommended"], "fargate_alb");
    /// assert_eq!(json["candidates"][0]["rank"], 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    internal! {
        /// The recommended candidate: the cheapest compliant one.
        fn chosen(&self) -> Option<&Candidate> {
            self.candidates.first().filter(|c| c.compliant)
        }
    }

    /// The chart of the candidates' monthly cost against requests per month, as SVG.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet};
    /// let needs = archpolicy::load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref())?;
    /// let answer = archpolicy::recommend(&needs, &PolicySet::standard()?, &CostOptions::embedded());
    /// let svg = answer.chart_svg(&CostOptions::embedded());
    /// assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "chart")]
    pub fn chart_svg(&self, options: &CostOptions) -> String {
        use crate::cost::{PatternCost, Traffic};
        let first = self.chosen().unwrap_or(&self.candidates[0]);
        let models: Vec<Model> = self.candidates.iter().map(|c| candidate::unbounded(&c.model)).collect();
        let comparison = self
            .candidates
            .iter()
            .map(|c| PatternCost {
                pattern: c.pattern,
                title: c.title.clone(),
                monthly: c.monthly,
                idle_monthly: c.idle_monthly,
                per_million_requests: c.per_million_requests,
                proposed: c.pattern == first.pattern,
                cheapest: Some(c.pattern) == self.recommended,
                cannot_carry: c
                    .ruled_out_by
                    .iter()
                    .filter(|r| r.source == "needs")
                    .map(|r| r.message.clone())
                    .collect(),
                beyond_capacity: None,
                denied_by: c
                    .ruled_out_by
                    .iter()
                    .filter(|r| r.source != "needs")
                    .map(|r| Untrusted::new(format!("{}: {}", r.source, r.message.raw()).as_str()))
                    .collect(),
                settings: Vec::new(),
                not_cheapest: None,
            })
            .collect();
        let report = CostReport {
            file: self.file.clone(),
            name: self.name.clone(),
            pattern: first.pattern,
            currency: self.currency.clone(),
            prices: Untrusted::new(options.prices.file.as_str()),
            prices_read: Untrusted::new(options.prices.read.as_str()),
            free_tier: options.free_tier,
            declared: cost::estimate(&first.model, options, Traffic::Declared),
            idle: cost::estimate(&first.model, options, Traffic::Idle),
            per_million_requests: first.per_million_requests,
            comparison,
            break_evens: cost::break_evens(&models, options),
            models,
        };
        report.chart_svg(options)
    }
}

internal! {
    impl Recommendation {
        pub fn candidates(&self) -> &[Candidate] {
            &self.candidates
        }

        pub fn break_evens(&self) -> &[BreakEven] {
            &self.break_evens
        }

        pub fn recommended_pattern(&self) -> Option<Pattern> {
            self.recommended
        }
    }
}

/// `policy cost`'s report of `proposal`, each alternative configured to
/// satisfy `set`'s deny rules as a candidate is, and the cheapest mark only
/// on a model `set` does not deny.
pub fn cost_report(
    proposal: &crate::model::Proposal,
    options: &CostOptions,
    set: &PolicySet,
    run: &RunOptions<'_>,
) -> CostReport {
    cost::report_with(proposal, options, &|m: &Model| judge::denials(m, set, run))
}

/// Builds, judges and ranks the three candidates for `needs`.
pub fn recommend(needs: &NeedsFile, set: &PolicySet, run: &RunOptions<'_>) -> Recommendation {
    let from = needs.source.name();
    let judge = judge::Judge { set, run, from };
    let n = &needs.needs;
    let mut candidates: Vec<Candidate> = Pattern::ALL
        .into_iter()
        .filter_map(|pattern| {
            // A candidate that cannot be built is a bug in the sizing, not a
            // verdict: it is left out rather than judged.
            let configured = judge.configure(&candidate(n, pattern).ok()?);
            let judged = judge.judge(n, configured.model);
            let smallest_change = if judged.compliant() { None } else { judge.smallest_change(n, &judged) };
            Some(Candidate {
                pattern,
                title: crate::patterns::title_of(&judged.model).to_string(),
                compliant: judged.compliant(),
                rank: None,
                monthly: judged.monthly,
                idle_monthly: judged.idle_monthly,
                per_million_requests: judged.per_million_requests,
                sizing: explain::sizing(&judged.model, &configured.settings),
                ruled_out_by: judged.ruled_out_by,
                warnings: judged.warnings,
                smallest_change,
                file: judge.file_name(pattern),
                model: judged.model,
                text: judged.text,
            })
        })
        .collect();
    // Compliant first, by cost; ties and the others in the table's order.
    candidates.sort_by_key(|c| (!c.compliant, if c.compliant { c.monthly } else { Money::ZERO }, c.pattern as usize));
    let mut rank = 0;
    for c in candidates.iter_mut().filter(|c| c.compliant) {
        rank += 1;
        c.rank = Some(rank);
    }
    let recommended = candidates.first().filter(|c| c.compliant).map(|c| c.pattern);
    let break_evens = match (candidates.first(), candidates.get(1)) {
        (Some(a), Some(b)) if a.compliant && b.compliant => {
            cost::break_evens(&[candidate::unbounded(&a.model), candidate::unbounded(&b.model)], run.cost)
        }
        _ => Vec::new(),
    };
    let mut answer = Recommendation {
        file: Untrusted::new(from),
        name: Untrusted::new(n.common.name.as_str()),
        currency: Untrusted::new(run.cost.prices.currency.as_str()),
        requests_per_month: n.common.workload.requests_per_month,
        recommended,
        candidates,
        break_evens,
        explanation: Vec::new(),
    };
    answer.explanation = explain::explanation(n, &answer);
    answer
}
