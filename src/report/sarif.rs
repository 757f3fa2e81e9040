//! SARIF 2.1.0, for GitHub code scanning and other viewers: a rule per
//! policy, a result per finding with its place in the proposal, and the
//! policy's clause as a related location. Waived findings carry a suppression.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Suppression, Tool, ToolComponent,
};

use super::safe::escape;
use super::{Location, Problem, Report, RuleInfo, Severity, Stream, Summary, relative_path, render_with};

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
    MultiformatMessageString::builder().text(escape(&s.into()).into_owned()).build()
}

fn message(s: &str) -> Message {
    Message::builder().text(escape(s).into_owned()).build()
}

/// The base of the user's files' URIs.
const SRCROOT: &str = "SRCROOT";
/// The base of the embedded standard pack's files, which are not in the user's repository.
const STANDARD: &str = "ARCHPOLICY_STANDARD";

/// A path as a URI reference (RFC 3986): every byte but the unreserved
/// characters and `/` percent-encoded.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where files are: the base the user's files are relative to, and the
/// names of files that are not on disk (the embedded standard pack).
#[derive(Debug, Clone, Default)]
pub struct Base {
    pub dir: Option<PathBuf>,
    pub embedded: Vec<String>,
}

impl Base {
    /// A file's artifact location: relative to `SRCROOT` when under the
    /// base, an absolute `file://` URI when not, relative to
    /// `ARCHPOLICY_STANDARD` for the embedded pack.
    fn artifact(&self, file: &str) -> ArtifactLocation {
        if self.embedded.iter().any(|e| e == file) {
            let name = file.strip_prefix("policies/").unwrap_or(file);
            return ArtifactLocation::builder().uri(percent_encode(name)).uri_base_id(STANDARD).build();
        }
        let path = relative_path(file, self.dir.as_deref());
        if Path::new(&path).is_absolute() {
            let path = if path.starts_with('/') { path } else { format!("/{path}") };
            ArtifactLocation::builder().uri(format!("file://{}", percent_encode(&path))).build()
        } else {
            ArtifactLocation::builder().uri(percent_encode(&path)).uri_base_id(SRCROOT).build()
        }
    }

    /// The run's `originalUriBaseIds`.
    fn original_uri_base_ids(&self) -> serde_json::Value {
        let mut ids = serde_json::Map::new();
        let root = match &self.dir {
            Some(dir) => {
                let dir = dir.to_string_lossy().replace('\\', "/");
                let dir = if dir.starts_with('/') { dir } else { format!("/{dir}") };
                let dir = if dir.ends_with('/') { dir } else { format!("{dir}/") };
                serde_json::json!({ "uri": format!("file://{}", percent_encode(&dir)) })
            }
            None => serde_json::json!({ "description": { "text": "the directory policy check ran in" } }),
        };
        ids.insert(SRCROOT.into(), root);
        if !self.embedded.is_empty() {
            let text = format!("the standard policies embedded in archpolicy {}", env!("CARGO_PKG_VERSION"));
            ids.insert(STANDARD.into(), serde_json::json!({ "description": { "text": text } }));
        }
        serde_json::Value::Object(ids)
    }
}

fn location(l: &Location, base: &Base, message: Option<String>) -> SarifLocation {
    let end = l.source.line_col(l.offset + l.length);
    let region = Region::builder()
        .start_line(l.line as i64)
        .start_column(l.column as i64)
        .end_line(end.0 as i64)
        .end_column(end.1 as i64)
        .build();
    let physical = PhysicalLocation::builder().artifact_location(base.artifact(&l.file)).region(region).build();
    match message {
        Some(m) => SarifLocation::builder().physical_location(physical).message(self::message(&m)).build(),
        None => SarifLocation::builder().physical_location(physical).build(),
    }
}

/// SARIF, results written as proposals are checked.
pub struct SarifStream {
    base: Base,
    rules: Vec<ReportingDescriptor>,
    index: BTreeMap<String, i64>,
}

fn rule(info: &RuleInfo) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(escape(&info.id).into_owned())
        .name(escape(&info.id).into_owned())
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
    pub fn new(rules: &[RuleInfo], base: Base) -> SarifStream {
        let index = rules.iter().enumerate().map(|(i, r)| (r.id.clone(), i as i64)).collect();
        SarifStream { base, rules: rules.iter().map(rule).collect(), index }
    }

    fn result(&self, proposal: &super::ProposalReport, f: &super::Finding) -> SarifResult {
        let base = &self.base;
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str(&format!("\n\n{help}"));
        }
        let primary = match &f.proposal_location {
            Some(l) => location(l, base, None),
            None => SarifLocation::builder()
                .physical_location(PhysicalLocation::builder().artifact_location(base.artifact(&proposal.file)).build())
                .build(),
        };
        let related: Vec<SarifLocation> = f
            .policy_location
            .iter()
            .map(|l| location(l, base, Some(format!("required by `{}`: {}", f.policy, f.title))))
            .collect();
        let mut result = SarifResult::builder()
            .rule_id(escape(&f.policy).into_owned())
            .level(level(f.severity))
            .message(self::message(&message))
            .locations(vec![primary])
            .related_locations(related)
            .build();
        result.rule_index = self.index.get(&f.policy).copied();
        if let Some(w) = f.waiver.as_ref().filter(|w| w.applied) {
            result.suppressions = Some(vec![
                Suppression::builder()
                    .kind(serde_json::json!("external"))
                    .status(serde_json::json!("accepted"))
                    .justification(escape(&format!(
                        "{} (approved by {}, until {})",
                        w.reason, w.approved_by, w.expires
                    )))
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
        let ids = self.base.original_uri_base_ids();
        format!(
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {tool},\n      \"originalUriBaseIds\": {ids},\n      \"results\": ["
        )
    }
    /// Each error a tool execution notification, written with the invocation at the end.
    fn refused(&self, problems: &[Problem]) -> super::Part {
        let deferred = problems
            .iter()
            .map(|p| {
                let mut physical = serde_json::json!({ "artifactLocation": self.base.artifact(&p.file) });
                if let (Some(line), Some(column)) = (p.line, p.column) {
                    physical["region"] = serde_json::json!({ "startLine": line, "startColumn": column });
                }
                let mut text = if p.file.is_empty() {
                    p.message.clone()
                } else {
                    format!("`{}` did not load: {}", p.file, p.message)
                };
                if let Some(help) = &p.help {
                    text.push_str(&format!("\n\nhelp: {help}"));
                }
                let mut notification = serde_json::json!({
                    "level": "error",
                    "message": { "text": escape(&text) },
                    "descriptor": { "id": escape(p.code.as_deref().unwrap_or("archpolicy::load")) },
                });
                // An error of no file (a `--param`) has no location.
                if !p.file.is_empty() {
                    notification["locations"] = serde_json::json!([{ "physicalLocation": physical }]);
                }
                serde_json::to_string(&notification).unwrap_or_default()
            })
            .collect();
        super::Part { items: Vec::new(), deferred }
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
    fn end(&self, _: &Summary, joined: super::Joiner) -> String {
        let invocation = format!(
            "{{\"executionSuccessful\": {}, \"toolExecutionNotifications\": [{}]}}",
            joined.deferred.is_empty(),
            joined.deferred.iter().map(|n| format!("\n          {n}")).collect::<Vec<_>>().join(",")
        );
        format!("\n      ],\n      \"invocations\": [{invocation}]\n    }}\n  ]\n}}\n")
    }
}

/// The report as a SARIF log; `base` says what file URIs are relative to.
pub fn render(report: &Report, rules: &[RuleInfo], base: Base) -> String {
    render_with(&mut SarifStream::new(rules, base), report)
}
