//! A failed `require` as a finding: its message and help rendered with the
//! proposal's values, the values it read and where each came from, and the
//! place in the proposal to point at.

use super::env::Blame;
use crate::facts::{Fact, FactValue, Facts, Provenance};
use crate::model::Proposal;
use crate::policy::set::PolicySet;
use crate::policy::typecheck::{CheckedPart, CheckedPolicy, CheckedRequire};
use crate::report::{Finding, Location, ValueUsed};

/// How much of a finding to write out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    /// Everything a report shows.
    Full,
    /// What judging an alternative reads: the policy, its message, the
    /// names of the values it read, and the places findings sort by. The
    /// title is the policy's id; the help, and each value and where it came
    /// from, are left out (an alternative is judged about ten times a
    /// proposal).
    Brief,
}

impl PolicySet {
    /// The finding of `require`, which failed on `facts`; `Detail::Brief`
    /// leaves out what only a report shows (see [`Detail`]).
    pub(super) fn finding(
        &self,
        policy: &CheckedPolicy,
        require: &CheckedRequire,
        blamed: &[Blame],
        proposal: &Proposal,
        facts: &Facts,
        detail: Detail,
    ) -> Finding {
        let full = detail == Detail::Full;
        let title = match policy.ast.title().and_then(|t| t.plain()) {
            Some(title) if full => title,
            _ => policy.ast.id.name.clone(),
        };
        let message = match &require.message {
            Some(parts) => self.render(parts, facts),
            None => format!("requirement not met: `{}`", require.source),
        };
        let help = policy.help.as_ref().filter(|_| full).map(|parts| self.render(parts, facts));
        let (values, span) = self.values_used(blamed, proposal, facts, detail);
        // Nothing the policy read was written: point at the proposal's own
        // `import` (its pattern may be the template's) or its `pattern`.
        let span = span
            .or_else(|| proposal.origins.declared_span("import"))
            .or_else(|| proposal.origins.declared_span("pattern"));
        Finding {
            policy: policy.ast.id.name.clone(),
            severity: policy.ast.severity,
            title,
            message,
            help,
            values,
            proposal_location: span.map(|s| Location::new(&proposal.source, s)),
            policy_location: Some(Location::new(&self.files[policy.file], require.span)),
            waiver: None,
        }
    }

    /// The values a failed condition read, and the proposal span of the first fact among them.
    fn values_used(
        &self,
        blamed: &[Blame],
        proposal: &Proposal,
        facts: &Facts,
        detail: Detail,
    ) -> (Vec<ValueUsed>, Option<miette::SourceSpan>) {
        let mut values = Vec::new();
        let mut span = None;
        for blame in blamed {
            match blame {
                Blame::Fact(path) => {
                    let Some(fact) = fact_at(facts, path) else {
                        // An optional fact the proposal does not have: point at its section.
                        if span.is_none() {
                            span = proposal.origins.span_or_parent(path);
                        }
                        values.push(ValueUsed {
                            name: path.clone(),
                            value: "not set".into(),
                            from: "not in the proposal".into(),
                        });
                        continue;
                    };
                    if span.is_none() {
                        span = best_span(facts, proposal, path, 0);
                    }
                    let (value, from) = match detail {
                        Detail::Full => (display_fact(&fact.value), describe(facts, proposal, fact)),
                        Detail::Brief => (String::new(), String::new()),
                    };
                    values.push(ValueUsed { name: path.clone(), value, from });
                }
                Blame::Param(i) => {
                    let Some(param) = self.params.get(*i) else { continue };
                    if detail == Detail::Brief {
                        values.push(ValueUsed { name: param.name.clone(), value: String::new(), from: String::new() });
                        continue;
                    }
                    let from = if self.overridden[*i] {
                        "--param".to_string()
                    } else {
                        format!("param default in {}", self.files[param.file].name())
                    };
                    values.push(ValueUsed { name: param.name.clone(), value: self.values[*i].to_string(), from });
                }
            }
        }
        (values, span)
    }

    fn render(&self, parts: &[CheckedPart], facts: &Facts) -> String {
        parts
            .iter()
            .map(|part| match part {
                CheckedPart::Text(t) => t.clone(),
                CheckedPart::Fact(path) => {
                    facts.get(path).map_or_else(|| "not set".to_string(), |f| display_fact(&f.value))
                }
                CheckedPart::Param(i) => self.values.get(*i).map(|v| v.to_string()).unwrap_or_default(),
            })
            .collect()
    }
}

/// Text facts without quotes, as a message reads them.
fn display_fact(value: &FactValue) -> String {
    match value {
        FactValue::Text(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A fact, or a list element's field (`data[1].kind`).
fn fact_at<'f>(facts: &'f Facts, path: &str) -> Option<&'f Fact> {
    if let Some(fact) = facts.get(path) {
        return Some(fact);
    }
    let (list, rest) = path.split_once('[')?;
    let (index, field) = rest.split_once("].")?;
    let index: usize = index.parse().ok()?;
    match &facts.get(list)?.value {
        FactValue::List(records) => records.get(index)?.get(field),
        _ => None,
    }
}

/// Where in the proposal to point for a fact: its own span, the span of the
/// fact that decided a derived value, or the section a default belongs to.
fn best_span(facts: &Facts, proposal: &Proposal, path: &str, depth: usize) -> Option<miette::SourceSpan> {
    // Derivations are shallow; the bound only guards against a cycle.
    if depth > 8 {
        return None;
    }
    let fact = fact_at(facts, path)?;
    match &fact.provenance {
        Provenance::Declared { span, .. } => Some(*span),
        Provenance::Default { path, .. } => proposal.origins.span_or_parent(path),
        Provenance::Derived { decided_by: Some(next), .. } => best_span(facts, proposal, next, depth + 1),
        Provenance::Derived { from, .. } => from.iter().find_map(|f| best_span(facts, proposal, f, depth + 1)),
    }
}

/// Where a value came from, following a derivation to the value that decided it.
fn describe(facts: &Facts, proposal: &Proposal, fact: &Fact) -> String {
    let own = fact.describe_provenance(&proposal.source);
    match &fact.provenance {
        Provenance::Derived { decided_by: Some(next), .. } => match facts.get(next) {
            Some(decider) => format!(
                "{own}; set by `{next}` = {} ({})",
                display_fact(&decider.value),
                decider.describe_provenance(&proposal.source)
            ),
            None => own,
        },
        _ => own,
    }
}
