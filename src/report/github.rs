//! GitHub Actions workflow commands: one annotation per finding, shown on
//! the pull request's diff (`::error file=...,line=...::message`).

use std::path::{Path, PathBuf};

use super::safe::escape;
use super::{Problem, ProposalReport, Report, Severity, Stream, Summary, relative_path, render_with};

/// Escapes a property value (`file=`, `title=`): control characters and
/// bidi overrides made visible first, so none reaches the log.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes the message.
fn data(text: &str) -> String {
    escape(text).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
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
            // The place may be in the template the proposal stands on.
            let file = f.proposal_location.as_ref().map_or(proposal.file.as_str(), |l| l.file.as_str());
            let mut props = vec![format!("file={}", property(&relative_path(file, self.root.as_deref())))];
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
    /// An `::error` at the file (and the place in it) for each error.
    fn refused(&self, problems: &[Problem]) -> super::Part {
        let mut out = String::new();
        for p in problems {
            let mut props = Vec::new();
            if !p.file.is_empty() {
                props.push(format!("file={}", property(&relative_path(&p.file, self.root.as_deref()))));
            }
            if let (Some(line), Some(column), false) = (p.line, p.column, p.file.is_empty()) {
                props.push(format!("line={line}"));
                props.push(format!("col={column}"));
            }
            props.push(format!("title={}", property(p.code.as_deref().unwrap_or("archpolicy::load"))));
            // The annotation is at the file, which may be the template a proposal stands on.
            let mut message =
                if p.file.is_empty() { p.message.clone() } else { format!("did not load: {}", p.message) };
            if let Some(help) = &p.help {
                message.push_str(&format!("\n\nhelp: {help}"));
            }
            out.push_str(&format!("::error {}::{}\n", props.join(","), data(&message)));
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
