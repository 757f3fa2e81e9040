//! The answer for people: plain text for a terminal, and Markdown for a
//! design document or a pull request comment.

use std::fmt::Write;

use super::explain::{dollars, volume};
use super::{Candidate, Recommendation};

/// The answer as plain text.
pub fn human(r: &Recommendation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): {} requests a month",
        r.name.terminal(),
        r.file.terminal(),
        volume(r.requests_per_month)
    );
    match r.recommended {
        Some(p) => {
            let _ = writeln!(out, "recommended: {p}\n");
        }
        None => {
            let _ = writeln!(out, "recommended: none (no compliant pattern)\n");
        }
    }
    for c in &r.candidates {
        candidate_text(&mut out, c);
    }
    for be in &r.break_evens {
        let [a, b] = be.between;
        let _ = writeln!(
            out,
            "break-even: {a} and {b} at {} requests a month ({} a month)",
            volume(be.requests_per_month),
            dollars(be.monthly)
        );
    }
    if !r.break_evens.is_empty() {
        out.push('\n');
    }
    for sentence in &r.explanation {
        let _ = writeln!(out, "{}", sentence.terminal());
    }
    out
}

fn candidate_text(out: &mut String, c: &Candidate) {
    let verdict = match c.rank {
        Some(rank) => format!("#{rank} compliant"),
        None => "ruled out".to_string(),
    };
    let _ = writeln!(
        out,
        "{} ({}): {verdict}, {} a month, {} idle, {} per million more",
        c.pattern,
        c.title,
        dollars(c.monthly),
        dollars(c.idle_monthly),
        dollars(c.per_million_requests)
    );
    for line in &c.sizing {
        let _ = writeln!(out, "  sized: {line}");
    }
    for ruling in &c.ruled_out_by {
        let _ = writeln!(out, "  ruled out by {}: {}", source(ruling), ruling.message.terminal());
    }
    for ruling in &c.warnings {
        let _ = writeln!(out, "  warning {}: {}", source(ruling), ruling.message.terminal());
    }
    if let Some(change) = &c.smallest_change {
        let _ = writeln!(out, "  admitted by: {} ({} a month)", change.change, dollars(change.monthly));
    }
    out.push('\n');
}

fn source(r: &super::Ruling) -> String {
    match r.severity {
        Some(severity) => format!("`{}` ({severity})", r.source),
        None => format!("the needs ({})", r.topic),
    }
}

/// The answer as Markdown: a heading, the explanation, the comparison table
/// and each ruled-out candidate's reasons; `chart` is the path of the cost
/// chart to embed.
pub fn markdown(r: &Recommendation, chart: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Recommendation for {}: {}\n",
        r.name.markdown_code(),
        r.recommended.map_or("none".into(), |p| format!("`{p}`"))
    );
    for sentence in &r.explanation {
        let _ = writeln!(out, "{}", sentence.markdown_prose());
    }
    let _ = writeln!(out, "\n| | pattern | monthly | idle | per million more | verdict |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|---|");
    for c in &r.candidates {
        let verdict = match (&c.rank, c.ruled_out_by.first()) {
            (Some(_), _) if c.warnings.is_empty() => "compliant".to_string(),
            (Some(_), _) => {
                format!("compliant, {} warning{}", c.warnings.len(), if c.warnings.len() == 1 { "" } else { "s" })
            }
            (None, Some(ruling)) => format!("ruled out: {}", ruling.message.markdown_prose()),
            (None, None) => "ruled out".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` {} | {} | {} | {} | {verdict} |",
            c.rank.map_or("-".to_string(), |n| n.to_string()),
            c.pattern,
            escape(&c.title),
            dollars(c.monthly),
            dollars(c.idle_monthly),
            dollars(c.per_million_requests)
        );
    }
    for be in &r.break_evens {
        let [a, b] = be.between;
        let _ = writeln!(
            out,
            "\nBreak-even: `{a}` and `{b}` at {} requests a month ({}).",
            volume(be.requests_per_month),
            dollars(be.monthly)
        );
    }
    for c in &r.candidates {
        let _ = writeln!(out, "\n<details><summary><code>{}</code></summary>\n", c.pattern);
        for line in &c.sizing {
            let _ = writeln!(out, "- sized: {}", escape(line));
        }
        for ruling in &c.ruled_out_by {
            let _ = writeln!(out, "- ruled out by {}: {}", source(ruling), ruling.message.markdown_prose());
        }
        for ruling in &c.warnings {
            let _ = writeln!(out, "- warning {}: {}", source(ruling), ruling.message.markdown_prose());
        }
        if let Some(change) = &c.smallest_change {
            let _ = writeln!(out, "- admitted by: {} ({} a month)", escape(&change.change), dollars(change.monthly));
        }
        let _ = writeln!(out, "\n</details>");
    }
    if let Some(chart) = chart {
        let _ = writeln!(out, "\n![Monthly cost by requests per month]({chart})");
    }
    out
}

/// Table cells keep their pipes out of the table.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}
