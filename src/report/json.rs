//! JSON output: the report as documented in docs/json.md, written one
//! proposal at a time.

use super::{Joiner, Part, Problem, ProposalReport, Report, Stream, Summary, render_with};

/// The JSON stream: `{"version": 1, "proposals": [...], "summary": {...}}`.
#[derive(Debug, Default)]
pub struct Json;

fn indented(value: &impl serde::Serialize, indent: &str) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    // One pass: JSON strings escape their line breaks, so every `\n` starts a line.
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str(line);
    }
    out
}

impl Stream for Json {
    fn begin(&mut self) -> String {
        "{\n  \"version\": 1,\n  \"proposals\": [".to_string()
    }
    fn part(&self, report: &ProposalReport) -> Part {
        Part::item(format!("\n{}", indented(report, "    ")))
    }
    fn separator(&self) -> &'static str {
        ","
    }
    /// Errors are written after the proposals, in `errors`.
    fn refused(&self, problems: &[Problem]) -> Part {
        Part { items: Vec::new(), deferred: problems.iter().map(|p| format!("\n{}", indented(p, "    "))).collect() }
    }
    fn end(&self, summary: &Summary, joined: Joiner) -> String {
        let close = if joined.items > 0 { "\n  ]" } else { "]" };
        let errors =
            if joined.deferred.is_empty() { "]".to_string() } else { format!("{}\n  ]", joined.deferred.join(",")) };
        format!("{close},\n  \"errors\": [{errors},\n  \"summary\": {}\n}}\n", indented(summary, "  ").trim_start())
    }
}

/// The report as JSON.
pub fn render(report: &Report) -> String {
    render_with(&mut Json, report)
}
