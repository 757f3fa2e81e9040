//! JUnit XML: a testsuite per proposal and a testcase per policy, so CI
//! systems that read test reports show policies as tests.

use super::{Problem, ProposalReport, Report, Status, Stream, Summary, render_with};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no place for other control characters, U+FFFE or
            // U+FFFF; bidi overrides would reorder what a dashboard shows.
            c => super::safe::push_escaped(&mut out, c),
        }
    }
    out
}

/// JUnit XML, one `<testsuite>` per proposal as it is checked.
#[derive(Debug, Default)]
pub struct Junit;

impl Stream for Junit {
    fn begin(&mut self) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"archpolicy\">\n".to_string()
    }
    fn part(&self, p: &ProposalReport) -> super::Part {
        super::Part::item(suite(p))
    }
    /// A suite for the file with one test case in error: `load`.
    fn refused(&self, problems: &[Problem]) -> super::Part {
        let Some(first) = problems.first() else {
            return super::Part::default();
        };
        let file = escape(&first.file);
        let body: Vec<String> = problems
            .iter()
            .map(|p| {
                let at = match (p.line, p.column) {
                    (Some(line), Some(column)) => format!("{}:{line}:{column}", p.file),
                    _ => p.file.clone(),
                };
                let help = p.help.as_ref().map(|h| format!("\nhelp: {h}")).unwrap_or_default();
                format!("{at}: {}{help}", p.message)
            })
            .collect();
        super::Part::item(format!(
            "  <testsuite name=\"{file}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"load\" classname=\"{file}\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n  </testsuite>\n",
            escape(&format!("the file did not load: {}", first.message)),
            escape(first.code.as_deref().unwrap_or("archpolicy::load")),
            escape(&body.join("\n"))
        ))
    }
    fn end(&self, _: &Summary, _: super::Joiner) -> String {
        "</testsuites>\n".to_string()
    }
}

pub fn render(report: &Report) -> String {
    render_with(&mut Junit, report)
}

fn suite(p: &ProposalReport) -> String {
    let extra = p.findings.iter().filter(|f| !p.outcomes.iter().any(|o| o.policy == f.policy)).count();
    let mut out = String::new();
    let count = |s: Status| p.outcomes.iter().filter(|o| o.status == s).count();
    out.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        escape(&p.file),
        p.outcomes.len() + extra,
        count(Status::Fail) + extra,
        count(Status::Skip) + count(Status::Waived)
    ));
    for o in &p.outcomes {
        let open = format!("    <testcase name=\"{}\" classname=\"{}\"", escape(&o.policy), escape(&p.file));
        let findings: Vec<_> = p.findings.iter().filter(|f| f.policy == o.policy).collect();
        match o.status {
            Status::Pass => out.push_str(&format!("{open}/>\n")),
            Status::Skip => out.push_str(&format!(
                "{open}>\n      <skipped message=\"the policy does not apply\"/>\n    </testcase>\n"
            )),
            Status::Waived => {
                let reason =
                    findings.iter().find_map(|f| f.waiver.as_ref()).map(|w| w.reason.clone()).unwrap_or_default();
                out.push_str(&format!(
                    "{open}>\n      <skipped message=\"waived: {}\"/>\n    </testcase>\n",
                    escape(&reason)
                ));
            }
            Status::Fail => {
                out.push_str(&format!("{open}>\n"));
                for f in findings {
                    let location = f
                        .proposal_location
                        .as_ref()
                        .map(|l| format!("{}:{}:{}", l.file, l.line, l.column))
                        .unwrap_or_else(|| p.file.clone());
                    let mut body = format!("{location}: {}", f.message);
                    if let Some(help) = &f.help {
                        body.push_str(&format!("\nhelp: {help}"));
                    }
                    for v in &f.values {
                        body.push_str(&format!("\n{} = {} ({})", v.name, v.value, v.from));
                    }
                    out.push_str(&format!(
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                        escape(&f.message),
                        f.severity,
                        escape(&body)
                    ));
                }
                out.push_str("    </testcase>\n");
            }
        }
    }
    // Findings about the proposal itself (an expired waiver) have no policy outcome.
    for f in p.findings.iter().filter(|f| !p.outcomes.iter().any(|o| o.policy == f.policy)) {
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
            escape(&f.policy),
            escape(&p.file),
            escape(&f.message),
            f.severity,
            escape(f.help.as_deref().unwrap_or_default())
        ));
    }
    out.push_str("  </testsuite>\n");
    out
}
