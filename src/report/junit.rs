//! JUnit XML: a testsuite per proposal and a testcase per policy, so CI
//! systems that read test reports show policies as tests.

use super::{Report, Status};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no place for other control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let extra = |p: &super::ProposalReport| {
        p.findings.iter().filter(|f| !p.outcomes.iter().any(|o| o.policy == f.policy)).count()
    };
    let total: usize = report.proposals.iter().map(|p| p.outcomes.len() + extra(p)).sum();
    let failures: usize =
        report.proposals.iter().flat_map(|p| &p.outcomes).filter(|o| o.status == Status::Fail).count()
            + report.proposals.iter().map(extra).sum::<usize>();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<testsuites name=\"archpolicy\" tests=\"{total}\" failures=\"{failures}\">\n"));
    for p in &report.proposals {
        let count = |s: Status| p.outcomes.iter().filter(|o| o.status == s).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
            escape(&p.file),
            p.outcomes.len() + extra(p),
            count(Status::Fail) + extra(p),
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
    }
    out.push_str("</testsuites>\n");
    out
}
