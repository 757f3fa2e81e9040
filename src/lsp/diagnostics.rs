//! The loader's, the checker's and the evaluator's results as the
//! protocol's diagnostics: the message with the help after it, the primary
//! label as the range, the other labels as related information, and a
//! did-you-mean's replacement kept in `data` for the quick fix.

use lsp_types::{Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Uri};
use miette::{LabeledSpan, SourceSpan};

use super::text::LineIndex;
use super::uri;
use crate::report::{Finding, Severity};
use crate::source::SourceFile;

/// Where the diagnostics go: the document's URI and its text's positions.
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub index: &'a LineIndex<'a>,
}

impl Target<'_> {
    /// Where a span of the proposal's span space is: in the document, or in
    /// a file it stands on (its template), whose own URI and positions are
    /// used. `None` for a file that is not on disk.
    fn location(&self, source: Option<&SourceFile>, span: SourceSpan) -> Option<Location> {
        match source.map(|s| (s, s.locate(span))) {
            Some((document, (file, local))) if !std::ptr::eq(file, document) => in_file(file, local, self.index),
            _ => Some(Location::new(self.uri.clone(), self.index.range(span))),
        }
    }

    /// Where a proposal that stands on a template names it: the `import` key.
    fn import_key(&self) -> Range {
        let text = self.index.text();
        let at = if text.starts_with("import:") { Some(0) } else { text.find("\nimport:").map(|i| i + 1) };
        at.map_or_else(Range::default, |i| self.index.range(SourceSpan::from((i, "import".len()))))
    }
}

/// What the quick fix of a did-you-mean writes over the diagnostic's range.
pub fn suggestion(help: &str) -> Option<&str> {
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    rest.find('`').map(|end| &rest[..end])
}

/// A place in a file the document stands on, by the file's path.
fn in_file(file: &SourceFile, local: SourceSpan, document: &LineIndex<'_>) -> Option<Location> {
    let uri = uri::from_path(std::path::Path::new(file.name()))?;
    let index = LineIndex::new(file.text(), document.encoding());
    Some(Location::new(uri, index.range(local)))
}

/// A miette diagnostic of the target's text; `source` is the proposal's
/// source when it has files attached (a template), whose labels become
/// related information in those files.
pub fn from_miette(diag: &dyn miette::Diagnostic, target: &Target<'_>, source: Option<&SourceFile>) -> Diagnostic {
    let labels: Vec<LabeledSpan> = diag.labels().map(Iterator::collect).unwrap_or_default();
    let in_document = |l: &LabeledSpan| source.is_none_or(|s| std::ptr::eq(s.locate(*l.inner()).0, s));
    // The range is in the document: a label there, else the `import` key.
    let primary = labels
        .iter()
        .position(|l| l.primary() && in_document(l))
        .or_else(|| labels.iter().position(in_document))
        .unwrap_or(usize::MAX);
    let range = labels.get(primary).map_or_else(|| target.import_key(), |l| target.index.range(*l.inner()));
    let help = diag.help().map(|h| h.to_string());
    let mut message = diag.to_string();
    // The label as the terminal shows it under the span, unless the message says it already
    // ("unknown key `x`" labelled "unknown key").
    if let Some(label) = labels.get(primary).and_then(LabeledSpan::label)
        && !message.to_lowercase().contains(&label.to_lowercase())
    {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != primary)
        .filter_map(|(_, l)| {
            Some(DiagnosticRelatedInformation {
                location: target.location(source, *l.inner())?,
                message: l.label().unwrap_or("here").to_string(),
            })
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
pub fn from_finding(
    finding: &Finding,
    target: &Target<'_>,
    source: &SourceFile,
    policy_uri: &dyn Fn(&str) -> Option<Uri>,
) -> Diagnostic {
    // A location in a file the proposal stands on (its template): the range
    // is the `import` key, the template's place is related information.
    let in_template = finding.proposal_location.as_ref().filter(|l| source.attached().contains(&l.source));
    let range = match (in_template, &finding.proposal_location) {
        (Some(_), _) => target.import_key(),
        (None, Some(l)) => target.index.range(l.span()),
        (None, None) => Range::default(),
    };
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
    let mut related: Vec<DiagnosticRelatedInformation> = in_template
        .and_then(|l| in_file(&l.source, l.span(), target.index))
        .map(|location| DiagnosticRelatedInformation { location, message: "in the template".into() })
        .into_iter()
        .collect();
    related.extend(finding.policy_location.as_ref().and_then(|l| {
        let uri = policy_uri(&l.file)?;
        let index = LineIndex::new(l.source.text(), target.index.encoding());
        let location = Location::new(uri, index.range(l.span()));
        Some(DiagnosticRelatedInformation { location, message: format!("policy `{}`", finding.policy) })
    }));
    let related = (!related.is_empty()).then_some(related);
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
