//! Rendering diagnostics on hostile lines (issue 14, items 1 and 12): a
//! label anywhere on a line of 60 000 to 200 000 characters, multi-byte
//! characters and control characters included, never panics, and what is
//! drawn stays bounded and free of control characters.

use proptest::prelude::*;

use super::human::{Style, render, render_finding};
use super::safe::is_unsafe;
use super::{Finding, Location, Severity, ValueUsed};
use crate::source::SourceFile;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("bad value `{value}`")]
#[diagnostic(code(test::hostile), help("fix `{value}`"))]
struct Hostile {
    value: String,
    #[label("{value} here")]
    span: miette::SourceSpan,
}

/// Characters a line is made of: ASCII, two-, three- and four-byte
/// characters, a tab, and characters a terminal must never receive.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "key: value ",
        "é",
        "✓",
        "𝄞",
        "\t",
        "\u{1b}[31m",
        "\u{7}",
        "\u{202e}",
        "\u{2066}",
        "\u{9b}",
        "\u{fffe}",
        "\r",
    ])
}

/// A file whose middle line is 60 000 to 200 000 characters, a span in it
/// (at character boundaries, possibly running to the next line), and a
/// value quoted in the message.
fn hostile_file() -> impl Strategy<Value = (String, usize, usize)> {
    (prop::collection::vec(piece(), 1..6), 60_000usize..200_000, 0.0f64..1.0, 0usize..2_000, any::<bool>()).prop_map(
        |(pieces, chars, at, len, context)| {
            let mut line = String::new();
            let mut count = 0;
            for p in pieces.iter().cycle() {
                if count >= chars {
                    break;
                }
                line.push_str(p);
                count += p.chars().count();
            }
            let text = if context { format!("first: 1\n{line}\nlast: 2\n") } else { line };
            let boundary = |mut i: usize| {
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let start = boundary((text.len() as f64 * at) as usize);
            let end = boundary((start + len).min(text.len()));
            (text, start, end - start)
        },
    )
}

fn assert_bounded_and_clean(out: &str) -> Result<(), TestCaseError> {
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    prop_assert!(longest <= 1_500, "a drawn line of {} characters", longest);
    prop_assert!(out.len() <= 32 * 1024, "{} bytes drawn", out.len());
    prop_assert!(!out.chars().any(is_unsafe), "a control character was drawn: {:?}", out);
    Ok(())
}

proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        ..Default::default()
    })]

    #[test]
    fn a_label_anywhere_on_a_long_line_renders_bounded_and_escaped((text, offset, len) in hostile_file()) {
        let file = SourceFile::new("hostile\u{1b}.arch.yaml", text.as_str());
        let value: String = text[offset..offset + len].chars().take(300).collect();
        let report = crate::source::report_in(Some(&file), Hostile { value, span: (offset, len).into() });
        let out = render(&report, Style::PLAIN);
        prop_assert!(out.contains("bad value"), "{}", out);
        assert_bounded_and_clean(&out)?;
    }

    #[test]
    fn a_finding_anywhere_on_a_long_line_renders_bounded_and_escaped((text, offset, len) in hostile_file()) {
        let file = SourceFile::new("hostile.arch.yaml", text.as_str());
        let location = Location::new(&file, (offset, len).into());
        let finding = Finding {
            policy: "p\u{1b}".into(),
            severity: Severity::Deny,
            title: "title \u{202e}".into(),
            message: format!("value `{}`", &text[offset..offset + len]),
            help: Some("help \u{7}".into()),
            values: vec![ValueUsed { name: "name".into(), value: text[offset..offset + len].into(), from: "here".into() }],
            proposal_location: Some(location.clone()),
            policy_location: Some(location),
            waiver: None,
        };
        let out = render_finding(&finding, Style::PLAIN);
        assert_bounded_and_clean(&out)?;
    }
}
