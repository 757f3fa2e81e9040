//! Human output: miette's graphical diagnostics, for load errors and findings.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Report, SourceCode};

use super::safe::shown;
use super::window::Safe;
use super::{Finding, Report as CheckReport};

/// How to draw diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// No colors, fixed width: what tests snapshot and pipes receive.
    pub const PLAIN: Style = Style { color: false, width: 100 };
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // Break lines at spaces only, so paths and `code` stay whole.
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false)
}

/// Renders one diagnostic as a user sees it.
pub fn render(report: &Report, style: Style) -> String {
    render_diagnostic(report.as_ref(), style)
}

/// Every diagnostic is drawn through [`Safe`]: long lines as a window
/// around the label, every text escaped.
fn render_diagnostic(diagnostic: &dyn Diagnostic, style: Style) -> String {
    let safe = Safe::new(diagnostic);
    let mut out = String::new();
    if handler(style).render_report(&mut out, &safe).is_err() {
        out = format!("{safe}\n");
    }
    out
}

/// A finding as a diagnostic: labelled in the proposal, with the policy's
/// clause as a related diagnostic labelled in the policy file.
#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    help: String,
}

#[derive(Debug)]
struct ClauseDiagnostic<'a> {
    finding: &'a Finding,
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.finding.severity, self.finding.policy)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.finding.severity.into())
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.finding.proposal_location.as_ref().map(|l| &l.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let location = self.finding.proposal_location.as_ref()?;
        let label = self
            .finding
            .values
            .first()
            .map(|v| format!("{} = {}", v.name, v.value))
            .unwrap_or_else(|| "here".to_string());
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some(label), location.span()))))
    }
}

impl fmt::Display for ClauseDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "required by `{}`: {}", self.finding.policy, self.finding.title)
    }
}

impl std::error::Error for ClauseDiagnostic<'_> {}

impl Diagnostic for ClauseDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.finding.policy_location.as_ref().map(|l| &l.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        // The clause's first line: `require EXPR`, without its message.
        let location = self.finding.policy_location.as_ref()?;
        let text = location.source.slice(location.span()).unwrap_or_default();
        let length = text.find('\n').map_or(location.length, |n| text[..n].trim_end().len());
        let span = miette::SourceSpan::from((location.offset, length));
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some("this requirement".into()), span))))
    }
}

/// One finding, rendered.
pub fn render_finding(finding: &Finding, style: Style) -> String {
    let mut help = finding.help.clone().unwrap_or_default();
    if !finding.values.is_empty() {
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str("values:");
        for v in &finding.values {
            help.push_str(&format!("\n  {} = {} ({})", v.name, v.value, v.from));
        }
    }
    // The policy's clause is its own note: miette draws one file per diagnostic.
    let mut out = render_diagnostic(&FindingDiagnostic { finding, help }, style);
    if finding.policy_location.is_some() {
        out.push_str(&render_diagnostic(&ClauseDiagnostic { finding }, style));
    }
    out
}

/// The summary line: `checked 7 proposals against 12 policies: 2 deny, 1 warn, 0 info`.
fn summary_line(s: &super::Summary) -> String {
    let s = *s;
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") };
    let waived = if s.waived > 0 { format!(", {} waived", s.waived) } else { String::new() };
    format!(
        "checked {} against {}: {} deny, {} warn, {} info{waived}",
        plural(s.proposals, "proposal", "proposals"),
        plural(s.policies, "policy", "policies"),
        s.deny,
        s.warn,
        s.info
    )
}

/// A waived finding in one line: reported, but not failing the run.
fn render_waived(file: &str, finding: &Finding) -> String {
    let w = finding.waiver.as_ref();
    let line = format!(
        "waived({}) {file}: {} [{}; approved by {}, until {}]",
        finding.policy,
        finding.message,
        w.map(|w| w.reason.as_str()).unwrap_or_default(),
        w.map(|w| w.approved_by.as_str()).unwrap_or_default(),
        w.map(|w| w.expires.as_str()).unwrap_or_default(),
    );
    // One line each, whatever the texts hold.
    format!("{}\n", shown(&line).replace('\n', " "))
}

/// Human output: each finding as a diagnostic, waived findings in a line
/// each at the end, then the summary line.
#[derive(Debug)]
pub struct Human {
    pub style: Style,
}

impl Human {
    pub fn new(style: Style) -> Human {
        Human { style }
    }
}

impl super::Stream for Human {
    fn begin(&mut self) -> String {
        String::new()
    }
    fn part(&self, proposal: &super::ProposalReport) -> super::Part {
        let mut part = super::Part::default();
        for finding in &proposal.findings {
            if finding.is_waived() {
                part.deferred.push(render_waived(&proposal.file, finding));
            } else {
                part.items.push(format!("{}\n", render_finding(finding, self.style)));
            }
        }
        part
    }
    fn end(&self, summary: &super::Summary, joined: super::Joiner) -> String {
        let mut out: String = joined.deferred.concat();
        out.push_str(&summary_line(summary));
        out.push('\n');
        out
    }
    fn end_refused(&self, joined: super::Joiner) -> String {
        // Not "checked 0 proposals against 0 policies": nothing was checked.
        joined.deferred.concat() + "nothing checked: the policies did not load\n"
    }
}

/// Every finding of a run, then the summary line.
pub fn render_report(report: &CheckReport, style: Style) -> String {
    super::render_with(&mut Human::new(style), report)
}
