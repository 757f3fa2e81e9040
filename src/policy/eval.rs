//! Evaluation: a checked policy set applied to proposals, giving a report.
//! `env` evaluates one condition; `findings` turns a failed `require`
//! into a finding; `waivers` applies a proposal's waivers.

mod env;
mod findings;
mod waivers;

use env::Env;
use findings::Detail;
pub use waivers::WaiverError;

use super::set::PolicySet;
use crate::cost::CostOptions;
use crate::facts::Facts;
use crate::model::{NamedEnum, Proposal};
use super::typecheck::CheckedPolicy;
use crate::report::{Finding, Outcome, ProposalReport, Report, RuleInfo, Severity, Status};
use crate::units::Date;

/// What a run brings to evaluation besides the policies: how the `cost.*`
/// facts are priced, and the day waivers are judged on.
///
/// ```
/// use archpolicy::{CostOptions, PolicySet, RunOptions};
/// let proposal = archpolicy::load_file("examples/lambda_alb.arch.yaml")?;
/// let set = PolicySet::standard()?;
/// // Its waiver of `max-request-time` expires 2027-11-30.
/// let before = RunOptions { cost: CostOptions::embedded_ref(), today: "2026-12-07".parse()? };
/// let after = RunOptions { today: "2027-12-01".parse()?, ..before };
/// assert!(set.check_with(&proposal, &before).findings.iter().all(|f| f.is_waived()));
/// assert!(set.check_with(&proposal, &after).findings.iter().any(|f| !f.is_waived()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// The price table and free tiers the `cost.*` facts are priced with.
    pub cost: &'a CostOptions,
    /// The day waivers expire against and runtime dates count from (`--today`).
    pub today: Date,
}

impl RunOptions<'static> {
    /// The embedded price table, free tiers off, and today.
    ///
    /// ```
    /// use archpolicy::{CostOptions, Date, RunOptions};
    /// let run = RunOptions::standard();
    /// assert_eq!((run.cost, run.today), (CostOptions::embedded_ref(), Date::today()));
    /// ```
    pub fn standard() -> Self {
        RunOptions { cost: CostOptions::embedded_ref(), today: Date::today() }
    }
}

impl PolicySet {
    /// Checks one proposal against every policy, with the embedded price table, as of today.
    /// Waivers naming no policy are ignored here: see [`PolicySet::check_waivers`].
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
    /// let report = archpolicy::PolicySet::standard()?.check(&proposal);
    /// let finding = report.findings.iter().find(|f| f.policy == "gateway-sync-limit").unwrap();
    /// assert_eq!(finding.severity, archpolicy::Severity::Deny);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, proposal: &Proposal) -> ProposalReport {
        self.check_with(proposal, &RunOptions::standard())
    }

    /// Checks one proposal against every policy.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet, RunOptions};
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let mut free = CostOptions::embedded();
    /// free.free_tier = true;
    /// let run = RunOptions { cost: &free, today: "2026-12-07".parse()? };
    /// let report = PolicySet::standard()?.check_with(&proposal, &run);
    /// assert_eq!(report.file, "examples/lambda_api_gateway.arch.yaml");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_with(&self, proposal: &Proposal, options: &RunOptions<'_>) -> ProposalReport {
        let facts = crate::facts::derive_priced(proposal, options.cost, self.cost_read, options.today);
        self.check_facts(proposal, &facts, options.today)
    }

    /// Checks several proposals; the report is sorted by file.
    ///
    /// ```
    /// let good = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// let bad = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
    /// let report = archpolicy::PolicySet::standard()?.check_all([&good, &bad]);
    /// assert_eq!(report.summary.proposals, 2);
    /// assert!(report.summary.deny >= 1, "a run fails when any proposal is denied");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_all<'a>(&self, proposals: impl IntoIterator<Item = &'a Proposal>) -> Report {
        let options = RunOptions::standard();
        Report::new(proposals.into_iter().map(|p| self.check_with(p, &options)).collect(), self.policies.len())
    }

    /// Checks one proposal with facts given (derived from it, then perhaps
    /// changed: `policy test`); waivers are judged as of `today`.
    ///
    /// ```
    /// use archpolicy::{FactValue, PolicySet};
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let set = PolicySet::from_str("org.policy", "policy core: info {\n  require tags.tier != \"core\"\n}\n")?;
    /// let mut facts = proposal.facts();
    /// assert!(set.check_facts(&proposal, &facts, "2026-12-07".parse()?).findings.is_empty());
    /// let mut tier = facts.get("tags.tier").unwrap().clone();
    /// tier.value = FactValue::Text("core".into());
    /// facts.set("tags.tier", tier);
    /// assert_eq!(set.check_facts(&proposal, &facts, "2026-12-07".parse()?).findings.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_facts(&self, proposal: &Proposal, facts: &Facts, today: Date) -> ProposalReport {
        let pattern = proposal.model.pattern();
        let (mut findings, outcomes) = self.evaluate(proposal, facts, |_| true, Detail::Full);
        let outcomes = self.apply_waivers(proposal, today, &mut findings, outcomes);
        sort_findings(&mut findings);
        ProposalReport {
            file: proposal.source.name().to_string(),
            name: proposal.model.common.name.clone(),
            pattern: pattern.name().to_string(),
            findings,
            outcomes,
            source: proposal.source.clone(),
        }
    }

    /// The deny findings on `proposal` that no waiver covers, in a
    /// report's order: what `policy cost` and `policy recommend` judge an alternative
    /// by, about ten times a proposal. Only the deny policies are
    /// evaluated, only the `cost.*` facts they read are priced, and each
    /// finding is written out briefly ([`Detail::Brief`]: its policy,
    /// message and the names of the values it read are a report's);
    /// [`PolicySet::check_with`] finds the same deny findings (the property
    /// `denials_are_the_deny_findings_of_a_check_on_every_fact`).
    pub(crate) fn denials(&self, proposal: &Proposal, options: &RunOptions<'_>) -> Vec<Finding> {
        let facts = crate::facts::derive_priced(proposal, options.cost, self.deny_cost_read, options.today);
        let (mut findings, outcomes) =
            self.evaluate(proposal, &facts, |p| p.ast.severity == Severity::Deny, Detail::Brief);
        self.apply_waivers(proposal, options.today, &mut findings, outcomes);
        findings.retain(|f| f.severity == Severity::Deny && !f.is_waived());
        sort_findings(&mut findings);
        findings
    }

    /// Each policy that `evaluated` keeps, applied to `facts`: its findings
    /// and its outcome, in policy order, before waivers.
    fn evaluate(
        &self,
        proposal: &Proposal,
        facts: &Facts,
        evaluated: impl Fn(&CheckedPolicy) -> bool,
        detail: Detail,
    ) -> (Vec<Finding>, Vec<Outcome>) {
        let pattern = proposal.model.pattern();
        let mut findings = Vec::new();
        let mut outcomes = Vec::new();
        for policy in self.policies.iter().filter(|p| evaluated(p)) {
            let mut env = Env::new(facts, &self.values);
            let applies = policy.patterns.contains(pattern) && policy.whens.iter().all(|w| env.truth(w));
            let mut status = if applies { Status::Pass } else { Status::Skip };
            if applies {
                for require in &policy.requires {
                    if env.truth(&require.ir) {
                        continue;
                    }
                    status = Status::Fail;
                    let mut blamed = Vec::new();
                    env.blame(&require.ir, &mut blamed);
                    findings.push(self.finding(policy, require, &blamed, proposal, facts, detail));
                }
            }
            outcomes.push(Outcome { policy: policy.ast.id.name.clone(), severity: policy.ast.severity, status });
        }
        (findings, outcomes)
    }

    internal! {
        /// What renderers show of every rule a finding may name: each policy, by
        /// id, then the expired-waiver finding.
        ///
        /// ```
        /// let set = archpolicy::PolicySet::standard()?;
        /// let rules = set.rules();
        /// assert_eq!(rules.len(), set.policies().len() + 1, "and the expired-waiver rule");
        /// assert!(rules.iter().any(|r| r.id == "gateway-sync-limit" && !r.help.is_empty()));
        /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
        /// ```
        fn rules(&self) -> Vec<RuleInfo> {
            let mut rules: Vec<RuleInfo> = self
                .policies
                .iter()
                .map(|policy| {
                    let ast = &policy.ast;
                    let title = ast.title().map(|t| t.template()).unwrap_or_else(|| ast.id.name.clone());
                    RuleInfo {
                        id: ast.id.name.clone(),
                        severity: ast.severity,
                        description: ast.docs().map(|d| d.template()).unwrap_or_else(|| title.clone()),
                        help: ast.help().map(|h| h.template()).unwrap_or_else(|| title.clone()),
                        title,
                    }
                })
                .collect();
            rules.push(waivers::expired_rule());
            rules
        }
    }
}

/// A report's order: by policy, then by where in the proposal and the policy.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.policy, a.proposal_location.as_ref().map(|l| l.offset), a.policy_location.as_ref().map(|l| l.offset)).cmp(
            &(&b.policy, b.proposal_location.as_ref().map(|l| l.offset), b.policy_location.as_ref().map(|l| l.offset)),
        )
    });
}
