//! The loader's, the checker's and the evaluator's results as the
//! protocol's diagnostics: the message with the help after it, the primary
//! label as the range, the other labels as related information, and a
//! did-you-mean's replacement kept in `data` for the quick fix.

use lsp_types::{Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Uri};
use miette::LabeledSpan;

use super::text::LineIndex;
use crate::report::{Finding, Severity};

/// Where the diagnostics go: the document's URI and its text's positions.
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub index: &'a LineIndex<'a>,
}

/// What the quick fix of a did-you-mean writes over the diagnostic's range.
pub fn suggestion(help: &str) -> Option<&str> {
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    rest.find('`').map(|end| &rest[..end])
}

/// A miette diagnostic of the target's text.
pub fn from_miette(diag: &dyn miette::Diagnostic, target: &Target<'_>) -> Diagnostic {
    let labels: Vec<LabeledSpan> = diag.labels().map(Iterator::collect).unwrap_or_default();
    let primary = labels.iter().position(LabeledSpan::primary).unwrap_or(0);
    let range = labels.get(primary).map_or_else(Range::default, |l| target.index.range(*l.inner()));
    let help = diag.help().map(|h| h.to_string());
    let mut message = diag.to_string();
    if let Some(label) = labels.get(primary).and_then(LabeledSpan::label) {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != primary)
        .map(|(_, l)| DiagnosticRelatedInformation {
            location: Location::new(target.uri.clone(), target.index.range(*l.inner())),
            message: l.label().unwrap_or("here").to_string(),
        })
        .collect();
    let severity = match diag.severity() {
        Some(miette::Severity::Warning) => DiagnosticSeverity::WARNING,
        Some(miette::Severity::Advice) => DiagnosticSeverity::INFORMATION,
        _ => DiagnosticSeverity::ERROR,
    };
    Diagnostic {
        range,
        severity: Some(severity),
        code: diag.code().map(|c| NumberOrString::String(c.to_string())),
        source: Some("archpolicy".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: help.as_deref().and_then(suggestion).map(|s| serde_json::json!({ "replace": s })),
        ..Diagnostic::default()
    }
}

/// A finding of a policy on the target proposal; `policy_uri` says where
/// a policy file is, by its name in the set.
pub fn from_finding(finding: &Finding, target: &Target<'_>, policy_uri: &dyn Fn(&str) -> Option<Uri>) -> Diagnostic {
    let range = finding.proposal_location.as_ref().map_or_else(Range::default, |l| target.index.range(l.span()));
    let mut message = format!("{}: {}", finding.title, finding.message);
    for value in &finding.values {
        message.push_str(&format!("\n{} = {} ({})", value.name, value.value, value.from));
    }
    if let Some(help) = &finding.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let severity = match (&finding.waiver, finding.severity) {
        (Some(w), _) if w.applied => {
            message.push_str(&format!("\nwaived until {}: {}", w.expires, w.reason));
            DiagnosticSeverity::HINT
        }
        (_, Severity::Deny) => DiagnosticSeverity::ERROR,
        (_, Severity::Warn) => DiagnosticSeverity::WARNING,
        (_, Severity::Info) => DiagnosticSeverity::INFORMATION,
    };
    let related = finding.policy_location.as_ref().and_then(|l| {
        let uri = policy_uri(&l.file)?;
        let index = LineIndex::new(l.source.text(), target.index.encoding());
        let location = Location::new(uri, index.range(l.span()));
        Some(vec![DiagnosticRelatedInformation { location, message: format!("policy `{}`", finding.policy) }])
    });
    Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.policy.clone())),
        source: Some("archpolicy".into()),
        message,
        related_information: related,
        ..Diagnostic::default()
    }
}

/// A problem that has no place in the document (the workspace's policies do
/// not check): at its first line.
pub fn at_start(message: String, severity: DiagnosticSeverity) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(severity),
        source: Some("archpolicy".into()),
        message,
        ..Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_suggestion_in_a_help() {
        assert_eq!(suggestion("did you mean `timeout`? `function` accepts ..."), Some("timeout"));
        assert_eq!(suggestion("remove it"), None);
    }
}
