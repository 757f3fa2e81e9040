//! Evaluation: a checked policy set applied to proposals, giving a report.
//! `env` evaluates one condition; `findings` turns a failed `require`
//! into a finding; `waivers` applies a proposal's waivers.

mod env;
mod findings;
mod waivers;

use env::Env;
pub use waivers::WaiverError;

use super::set::PolicySet;
use crate::cost::CostOptions;
use crate::facts::Facts;
use crate::model::{NamedEnum, Proposal};
use crate::report::{Outcome, ProposalReport, Report, RuleInfo, Status};
use crate::units::Date;

/// What a run brings to evaluation besides the policies: how the `cost.*`
/// facts are priced, and the day waivers are judged on.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// The price table and free tiers the `cost.*` facts are priced with.
    pub cost: &'a CostOptions,
    /// The day waivers expire against and runtime dates count from (`--today`).
    pub today: Date,
}

impl RunOptions<'static> {
    /// The embedded price table, free tiers off, and today.
    pub fn standard() -> Self {
        RunOptions { cost: CostOptions::embedded_ref(), today: Date::today() }
    }
}

impl PolicySet {
    /// Checks one proposal against every policy, with the embedded price table, as of today.
    /// Waivers naming no policy are ignored here: see [`PolicySet::check_waivers`].
    pub fn check(&self, proposal: &Proposal) -> ProposalReport {
        self.check_with(proposal, &RunOptions::standard())
    }

    /// Checks one proposal against every policy.
    pub fn check_with(&self, proposal: &Proposal, options: &RunOptions<'_>) -> ProposalReport {
        self.check_facts(proposal, &proposal.facts_on(options.cost, options.today), options.today)
    }

    /// Checks several proposals; the report is sorted by file.
    pub fn check_all<'a>(&self, proposals: impl IntoIterator<Item = &'a Proposal>) -> Report {
        let options = RunOptions::standard();
        Report::new(proposals.into_iter().map(|p| self.check_with(p, &options)).collect(), self.policies.len())
    }

    /// Checks one proposal with facts given (derived from it, then perhaps
    /// changed: `policy test`); waivers are judged as of `today`.
    pub fn check_facts(&self, proposal: &Proposal, facts: &Facts, today: Date) -> ProposalReport {
        let pattern = proposal.model.pattern();
        let mut findings = Vec::new();
        let mut outcomes = Vec::new();
        for policy in &self.policies {
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
                    findings.push(self.finding(policy, require, &blamed, proposal, facts));
                }
            }
            outcomes.push(Outcome { policy: policy.ast.id.name.clone(), severity: policy.ast.severity, status });
        }
        let outcomes = self.apply_waivers(proposal, today, &mut findings, outcomes);
        findings.sort_by(|a, b| {
            (&a.policy, a.proposal_location.as_ref().map(|l| l.offset), a.policy_location.as_ref().map(|l| l.offset))
                .cmp(&(
                    &b.policy,
                    b.proposal_location.as_ref().map(|l| l.offset),
                    b.policy_location.as_ref().map(|l| l.offset),
                ))
        });
        ProposalReport {
            file: proposal.source.name().to_string(),
            name: proposal.model.common.name.clone(),
            pattern: pattern.name().to_string(),
            findings,
            outcomes,
            source: proposal.source.clone(),
        }
    }

    /// What renderers show of every rule a finding may name: each policy, by
    /// id, then the expired-waiver finding.
    pub fn rules(&self) -> Vec<RuleInfo> {
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
