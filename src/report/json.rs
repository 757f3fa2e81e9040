//! JSON output: the [`super::Report`] as documented in docs/json.md.

use super::Report;

/// The report as pretty-printed JSON, with the schema version first.
pub fn render(report: &Report) -> String {
    let value = serde_json::json!({
        "version": 1,
        "summary": report.summary,
        "proposals": report.proposals,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
