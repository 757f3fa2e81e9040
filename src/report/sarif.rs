//! SARIF 2.1.0, for GitHub code scanning and other viewers: a rule per
//! policy, a result per finding with its place in the proposal, and the
//! policy's clause as a related location. Waived findings carry a suppression.

use std::collections::BTreeMap;
use std::path::Path;

use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool,
    ToolComponent,
};

use super::{Location, Report, relative_path};
use crate::policy::{PolicySet, Severity};

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

/// The report as a SARIF log; `root` is the repository root that file URIs are relative to.
pub fn render(report: &Report, policies: &PolicySet, root: Option<&Path>) -> String {
    let mut rules: Vec<ReportingDescriptor> = Vec::new();
    let mut index: BTreeMap<String, i64> = BTreeMap::new();
    for policy in policies.policies() {
        let ast = &policy.ast;
        let title = ast.title().map(|t| t.template()).unwrap_or_else(|| ast.id.name.clone());
        let full = ast.docs().map(|d| d.template()).unwrap_or_else(|| title.clone());
        let help = ast.help().map(|h| h.template()).unwrap_or_else(|| title.clone());
        index.insert(ast.id.name.clone(), rules.len() as i64);
        rules.push(
            ReportingDescriptor::builder()
                .id(ast.id.name.clone())
                .name(ast.id.name.clone())
                .short_description(text(title))
                .full_description(text(full))
                .help(text(help))
                .default_configuration(
                    ReportingConfiguration::builder().level(serde_json::json!(level_name(ast.severity))).build(),
                )
                .build(),
        );
    }
    let mut results = Vec::new();
    for proposal in &report.proposals {
        for f in &proposal.findings {
            if !index.contains_key(&f.policy) {
                index.insert(f.policy.clone(), rules.len() as i64);
                rules.push(
                    ReportingDescriptor::builder()
                        .id(f.policy.clone())
                        .short_description(text(f.title.clone()))
                        .help(text(f.help.clone().unwrap_or_default()))
                        .default_configuration(
                            ReportingConfiguration::builder().level(serde_json::json!(level_name(f.severity))).build(),
                        )
                        .build(),
                );
            }
            let mut message = f.message.clone();
            if let Some(help) = &f.help {
                message.push_str(&format!("\n\n{help}"));
            }
            let primary = match &f.proposal_location {
                Some(l) => location(l, root, None),
                None => SarifLocation::builder()
                    .physical_location(
                        PhysicalLocation::builder()
                            .artifact_location(
                                ArtifactLocation::builder().uri(relative_path(&proposal.file, root)).build(),
                            )
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
                .rule_index(index[&f.policy])
                .level(level(f.severity))
                .message(Message::builder().text(message).build())
                .locations(vec![primary])
                .related_locations(related)
                .build();
            if let Some(w) = f.waiver.as_ref().filter(|w| w.applied) {
                result.suppressions = Some(vec![
                    Suppression::builder()
                        .kind(serde_json::json!("external"))
                        .status(serde_json::json!("accepted"))
                        .justification(format!("{} (approved by {}, until {})", w.reason, w.approved_by, w.expires))
                        .build(),
                ]);
            }
            results.push(result);
        }
    }
    let driver = ToolComponent::builder().name("archpolicy").version(env!("CARGO_PKG_VERSION")).rules(rules).build();
    let run = Run::builder().tool(Tool::builder().driver(driver).build()).results(results).build();
    let log = Sarif::builder().schema(SCHEMA).version(serde_json::json!("2.1.0")).runs(vec![run]).build();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
