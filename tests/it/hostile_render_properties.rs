//! Every human renderer of `policy`, on random hostile text (issue 22).
//! The renderer's own property, a label anywhere on a line of 60 000 to
//! 200 000 characters drawn bounded and escaped (issue 14), is a unit test
//! beside it (src/report/tests.rs).

use crate::common;

use archpolicy::report::safe::is_unsafe;
use proptest::prelude::*;

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
