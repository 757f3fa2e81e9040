//! SARIF 2.1.0, for GitHub code scanning and other viewers: a rule per
//! policy, a result per finding with its place in the proposal, and the
//! policy's clause as a related location. Waived findings carry a suppression.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Suppression, Tool, ToolComponent,
};

use super::{Location, Report, RuleInfo, Severity, Stream, Summary, relative_path, render_with};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Deny => ResultLevel::Error,
        Severity::Warn => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Deny => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    }
}

fn text(s: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.into()).build()
}

fn location(l: &Location, root: Option<&Path>, message: Option<String>) -> SarifLocation {
    let end = l.source.line_col(l.offset + l.length);
    let region = Region::builder()
        .start_line(l.line as i64)
        .start_column(l.column as i64)
        .end_line(end.0 as i64)
        .end_column(end.1 as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(relative_path(&l.file, root)).build())
        .region(region)
        .build();
    match message {
        Some(m) => {
            SarifLocation::builder().physical_location(physical).message(Message::builder().text(m).build()).build()
        }
        None => SarifLocation::builder().physical_location(physical).build(),
    }
}

/// SARIF, results written as proposals are checked.
pub struct SarifStream {
    root: Option<PathBuf>,
    rules: Vec<ReportingDescriptor>,
    index: BTreeMap<String, i64>,
}

fn rule(info: &RuleInfo) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(info.id.clone())
        .name(info.id.clone())
        .short_description(text(info.title.clone()))
        .full_description(text(info.description.clone()))
        .help(text(info.help.clone()))
        .default_configuration(
            ReportingConfiguration::builder().level(serde_json::json!(level_name(info.severity))).build(),
        )
        .build()
}

impl SarifStream {
    /// A SARIF rule per rule given: the caller lists every rule a finding may name.
    pub fn new(rules: &[RuleInfo], root: Option<&Path>) -> SarifStream {
        let index = rules.iter().enumerate().map(|(i, r)| (r.id.clone(), i as i64)).collect();
        SarifStream { root: root.map(Path::to_path_buf), rules: rules.iter().map(rule).collect(), index }
    }

    fn result(&self, proposal: &super::ProposalReport, f: &super::Finding) -> SarifResult {
        let root = self.root.as_deref();
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str(&format!("\n\n{help}"));
        }
        let primary = match &f.proposal_location {
            Some(l) => location(l, root, None),
            None => SarifLocation::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(relative_path(&proposal.file, root)).build())
                        .build(),
                )
                .build(),
        };
        let related: Vec<SarifLocation> = f
            .policy_location
            .iter()
            .map(|l| location(l, root, Some(format!("required by `{}`: {}", f.policy, f.title))))
            .collect();
        let mut result = SarifResult::builder()
            .rule_id(f.policy.clone())
            .level(level(f.severity))
            .message(Message::builder().text(message).build())
            .locations(vec![primary])
            .related_locations(related)
            .build();
        result.rule_index = self.index.get(&f.policy).copied();
        if let Some(w) = f.waiver.as_ref().filter(|w| w.applied) {
            result.suppressions = Some(vec![
                Suppression::builder()
                    .kind(serde_json::json!("external"))
                    .status(serde_json::json!("accepted"))
                    .justification(format!("{} (approved by {}, until {})", w.reason, w.approved_by, w.expires))
                    .build(),
            ]);
        }
        result
    }
}

impl Stream for SarifStream {
    fn begin(&mut self) -> String {
        let driver = ToolComponent::builder()
            .name("archpolicy")
            .version(env!("CARGO_PKG_VERSION"))
            .rules(std::mem::take(&mut self.rules))
            .build();
        let tool = serde_json::to_string(&Tool::builder().driver(driver).build()).unwrap_or_default();
        format!(
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {tool},\n      \"results\": ["
        )
    }
    fn part(&self, proposal: &super::ProposalReport) -> super::Part {
        let items = proposal
            .findings
            .iter()
            .map(|f| format!("\n        {}", serde_json::to_string(&self.result(proposal, f)).unwrap_or_default()))
            .collect();
        super::Part { items, deferred: Vec::new() }
    }
    fn separator(&self) -> &'static str {
        ","
    }
    fn end(&self, _: &Summary, _: super::Joiner) -> String {
        "\n      ]\n    }\n  ]\n}\n".to_string()
    }
}

/// The report as a SARIF log; `root` is the repository root that file URIs are relative to.
pub fn render(report: &Report, rules: &[RuleInfo], root: Option<&Path>) -> String {
    render_with(&mut SarifStream::new(rules, root), report)
}
