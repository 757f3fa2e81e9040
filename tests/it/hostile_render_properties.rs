//! Rendering diagnostics on hostile lines (issue 14, items 1 and 12): a
//! label anywhere on a line of 60 000 to 200 000 characters, multi-byte
//! characters and control characters included, never panics, and what is
//! drawn stays bounded and free of control characters.

use crate::common;

use archpolicy::SourceFile;
use archpolicy::report::human::{Style, render, render_finding};
use archpolicy::report::safe::is_unsafe;
use archpolicy::report::{Finding, Location, Severity, ValueUsed};
use proptest::prelude::*;

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
    #![proptest_config(common::proptest_config(48))]

    #[test]
    fn a_label_anywhere_on_a_long_line_renders_bounded_and_escaped((text, offset, len) in hostile_file()) {
        let file = SourceFile::new("hostile\u{1b}.arch.yaml", text.as_str());
        let value: String = text[offset..offset + len].chars().take(300).collect();
        let report = archpolicy::source::report_in(Some(&file), Hostile { value, span: (offset, len).into() });
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

// ---- Issue 22, class 4: every human renderer, on random hostile text ----

/// Pieces of text an attacker writes into a name, a title, a message or a
/// logical ID: controls, line breaks before workflow commands, bidi
/// overrides, invisible characters, Markdown and HTML.
fn hostile_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "api",
        " ",
        "\n",
        "\r",
        "\n::error file=a::pwned",
        "\n  ::add-mask::s3cret",
        "::warning::w",
        "\u{1b}[2J",
        "\u{1b}]0;title\u{7}",
        "\u{9b}31m",
        "\u{202e}",
        "\u{2067}",
        "\u{200b}",
        "\u{feff}",
        "\u{2028}",
        "| cell |",
        "<img src=x>",
        "`",
        "# h",
        "é✓𝄞",
    ])
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_piece(), 1..8).prop_map(|pieces| format!("n{}", pieces.concat()))
}

/// A policy string literal holding `text`: the language's escapes for
/// quotes, backslashes, braces and line feeds; every other character as it is.
fn policy_literal(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' | '\\' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn human_outputs(text: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let quoted = serde_json::to_string(text).unwrap();
    let example = std::fs::read_to_string("examples/fargate_alb.arch.yaml").unwrap();
    let proposal =
        common::write(dir.path(), "h.arch.yaml", example.replace("name: storefront", &format!("name: {quoted}")));
    let needs = std::fs::read_to_string("examples/scenario_a_saas_api.needs.yaml").unwrap();
    let needs = common::write(dir.path(), "h.needs.yaml", needs.replacen("name: ", &format!("name: {quoted}\n# "), 1));
    let literal = policy_literal(text);
    let policy_text = format!(
        "policy hostile: deny {{\n  title \"{literal}\"\n  docs \"{literal}\"\n  require false else \"{literal} {{name}}\"\n  help \"{literal}\"\n}}\n"
    );
    let policy_file = common::write(dir.path(), "h.policy", policy_text);
    let template = common::write(
        dir.path(),
        "template.yaml",
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  {quoted}:\n    Type: AWS::Serverless::Function\n    Properties: {{ Runtime: nodejs20.x, Handler: index.handler, CodeUri: ., Timeout: 10, Events: {{ Api: {{ Type: HttpApi }} }} }}\n"
        ),
    );
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "--policies", &policy_file, &proposal],
        vec!["check", &proposal, "--format", "junit"],
        vec!["facts", &proposal],
        vec!["cost", &proposal],
        vec!["list", "--policies", &policy_file],
        vec!["explain", "hostile", "--policies", &policy_file],
        vec!["recommend", &needs, "--policies", &policy_file],
        vec!["recommend", &needs, "--format", "markdown"],
        vec!["import", &template],
    ];
    runs.into_iter()
        .map(|args| {
            let out = common::policy(&args);
            (format!("{args:?}"), format!("{}{}", common::stdout(&out), common::raw_stderr(&out)))
        })
        .collect()
}

proptest! {
    #![proptest_config(common::proptest_config(6))]

    #[test]
    fn hostile_text_never_reaches_a_human_renderer_raw(text in hostile_text()) {
        for (run, out) in human_outputs(&text) {
            prop_assert!(!out.chars().any(is_unsafe), "{}: a control character was written: {:?}", run, out);
            let command = out.lines().find(|l| l.trim_start_matches([' ', '\t']).starts_with("::"));
            prop_assert!(command.is_none(), "{}: a workflow command was written: {:?}", run, command);
        }
    }
}
