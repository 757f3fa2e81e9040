//! A proposal's waivers: those naming no policy (an error a caller fails
//! closed on), those in force (the finding is reported but fails nothing),
//! and those expired (a finding of their own).

use crate::model::{Proposal, Waiver};
use crate::policy::set::PolicySet;
use crate::report::{Finding, Location, Outcome, RuleInfo, Severity, Status, ValueUsed, WaiverUse};
use crate::source::SourceFile;
use crate::suggest;
use crate::units::Date;

/// The id of the finding an expired waiver gives.
const WAIVER_EXPIRED: &str = "waiver-expired";

/// A waiver that names no policy of the set, from
/// [`PolicySet::check_waivers`]: a diagnostic (code
/// `archpolicy::check::unknown_waiver`) labelled in the proposal, with a
/// "did you mean" in its help. Not API: embedders get it as a miette report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("the waiver names an unknown policy `{policy}`")]
#[diagnostic(code(archpolicy::check::unknown_waiver), help("{help}"))]
pub struct WaiverError {
    /// The policy id the waiver names, as written.
    pub policy: String,
    /// The id in the proposal.
    #[label("not a policy of this run")]
    pub span: miette::SourceSpan,
    /// What to write instead (the diagnostic's help).
    pub help: String,
    /// The proposal's file, which `span` points into.
    #[source_code]
    pub file: SourceFile,
}

/// The rule behind the expired-waiver finding, for renderers that list rules.
pub(super) fn expired_rule() -> RuleInfo {
    RuleInfo {
        id: WAIVER_EXPIRED.into(),
        severity: Severity::Warn,
        title: "A waiver has expired".into(),
        description: "A proposal's waiver of a policy is past its `expires` day: the policy applies again.".into(),
        help: "Renew the waiver with a new `expires` and approval, or remove it.".into(),
    }
}

impl PolicySet {
    /// Waivers that name no policy of the set: a diagnostic each (code
    /// `archpolicy::check::unknown_waiver`), labelled in the proposal, with
    /// a "did you mean" in its help. [`PolicySet::check`] does not apply
    /// such a waiver; a caller that must fail closed, as `policy check`
    /// does, refuses the proposal when this is not empty (and can show the
    /// reports with [`render_json_with_errors`](crate::render_json_with_errors)
    /// or any miette handler).
    ///
    /// ```
    /// use miette::Diagnostic;
    /// let text = std::fs::read_to_string("examples/lambda_alb.arch.yaml")?;
    /// let proposal = archpolicy::load_str("a.arch.yaml", &text.replace("policy: max-request-time", "policy: max-request-tim"))?;
    /// let errors = archpolicy::PolicySet::standard()?.check_waivers(&proposal);
    /// assert_eq!(errors[0].to_string(), "the waiver names an unknown policy `max-request-tim`");
    /// assert_eq!(errors[0].code().unwrap().to_string(), "archpolicy::check::unknown_waiver");
    /// assert!(errors[0].help().unwrap().to_string().contains("max-request-time"), "a did you mean");
    /// // It carries the proposal: the report draws the label in it.
    /// assert!(format!("{:?}", errors[0]).contains("not a policy of this run"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_waivers(&self, proposal: &Proposal) -> Vec<miette::Report> {
        // Through `report_in`, as every report the library hands out: the
        // policy id is the proposal's text, shown escaped.
        let file = Some(&proposal.source);
        self.waiver_errors(proposal).into_iter().map(|error| crate::source::report_in(file, error)).collect()
    }

    /// [`PolicySet::check_waivers`] as values, for the language server.
    pub(crate) fn waiver_errors(&self, proposal: &Proposal) -> Vec<WaiverError> {
        let ids: Vec<&str> = self.policies.iter().map(|p| p.ast.id.name.as_str()).collect();
        let mut errors = Vec::new();
        for (i, waiver) in proposal.model.waivers.iter().enumerate() {
            if ids.contains(&waiver.policy.as_str()) {
                continue;
            }
            let span = proposal.origins.span_or_parent(&format!("waivers[{i}].policy"));
            let help = match suggest::did_you_mean(&waiver.policy, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? `policy list` shows every policy"),
                None => "`policy list` shows every policy".into(),
            };
            errors.push(WaiverError {
                policy: waiver.policy.clone(),
                span: span.unwrap_or_else(|| miette::SourceSpan::from((0, 0))),
                help,
                file: proposal.source.clone(),
            });
        }
        errors
    }

    /// Marks findings covered by a waiver in force; an expired waiver is a finding of its own.
    pub(super) fn apply_waivers(
        &self,
        proposal: &Proposal,
        today: Date,
        findings: &mut Vec<Finding>,
        mut outcomes: Vec<Outcome>,
    ) -> Vec<Outcome> {
        let mut expired = Vec::new();
        for (i, waiver) in proposal.model.waivers.iter().enumerate() {
            let Some(policy) = self.checked_policy(&waiver.policy) else { continue };
            if waiver.expires < today {
                expired.push(expired_finding(proposal, i, waiver));
                continue;
            }
            let applied = policy.ast.waivable();
            let mut any = false;
            for finding in findings.iter_mut().filter(|f| f.policy == waiver.policy) {
                any = true;
                finding.waiver = Some(WaiverUse {
                    reason: waiver.reason.clone(),
                    expires: waiver.expires.to_string(),
                    approved_by: waiver.approved_by.clone(),
                    applied,
                });
                if !applied {
                    finding.help = Some(format!(
                        "{}\nthe proposal waives `{}`, but the policy is not waivable: the waiver is ignored",
                        finding.help.clone().unwrap_or_default(),
                        waiver.policy
                    ));
                }
            }
            if any && applied {
                for outcome in outcomes.iter_mut().filter(|o| o.policy == waiver.policy) {
                    outcome.status = Status::Waived;
                }
            }
        }
        findings.extend(expired);
        outcomes
    }
}

/// The finding for the proposal's waiver at `index`, past its `expires` day.
fn expired_finding(proposal: &Proposal, index: usize, waiver: &Waiver) -> Finding {
    let rule = expired_rule();
    let span = proposal.origins.span_or_parent(&format!("waivers[{index}].expires"));
    Finding {
        policy: rule.id,
        severity: rule.severity,
        title: rule.title,
        message: format!("the waiver of `{}` expired on {}", waiver.policy, waiver.expires),
        help: Some(format!(
            "renew it with a new `expires` and approval, or remove it: `{}` applies again",
            waiver.policy
        )),
        values: vec![ValueUsed {
            name: format!("waivers[{index}].expires"),
            value: waiver.expires.to_string(),
            from: format!("approved by {}: {}", waiver.approved_by, waiver.reason),
        }],
        proposal_location: span.map(|s| Location::new(&proposal.source, s)),
        policy_location: None,
        waiver: None,
    }
}
