//! GitHub Actions workflow commands: one annotation per finding, shown on
//! the pull request's diff (`::error file=...,line=...::message`).

use std::path::{Path, PathBuf};

use super::Severity;
use super::{ProposalReport, Report, Stream, Summary, relative_path, render_with};

/// Escapes a property value (`file=`, `title=`).
fn property(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A").replace(':', "%3A").replace(',', "%2C")
}

/// Escapes the message.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// One workflow command per finding: `error` for deny, `warning` for warn,
/// `notice` for info and for waived findings. Paths are relative to `root`.
#[derive(Debug, Default)]
pub struct Github {
    pub root: Option<PathBuf>,
}

impl Stream for Github {
    fn begin(&mut self) -> String {
        String::new()
    }
    fn part(&self, proposal: &ProposalReport) -> super::Part {
        let mut out = String::new();
        for f in &proposal.findings {
            let command = match (f.is_waived(), f.severity) {
                (true, _) | (false, Severity::Info) => "notice",
                (false, Severity::Deny) => "error",
                (false, Severity::Warn) => "warning",
            };
            let mut props = vec![format!("file={}", property(&relative_path(&proposal.file, self.root.as_deref())))];
            if let Some(l) = &f.proposal_location {
                props.push(format!("line={}", l.line));
                props.push(format!("col={}", l.column));
            }
            let waived = if f.is_waived() { " (waived)" } else { "" };
            props.push(format!("title={}", property(&format!("{}{waived}: {}", f.policy, f.title))));
            let mut message = f.message.clone();
            if let Some(help) = &f.help {
                message.push_str("\n\n");
                message.push_str(help);
            }
            out.push_str(&format!("::{command} {}::{}\n", props.join(","), data(&message)));
        }
        super::Part::item(out)
    }
    fn end(&self, _: &Summary, _: super::Joiner) -> String {
        String::new()
    }
}

pub fn render(report: &Report, root: Option<&Path>) -> String {
    render_with(&mut Github { root: root.map(Path::to_path_buf) }, report)
}
