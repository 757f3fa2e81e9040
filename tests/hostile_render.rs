//! Hostile inputs against what `policy` writes (issue 14): no panic on long
//! lines, no control character reaching a terminal or a CI log, valid SARIF
//! and JUnit whatever the names, load errors in every format, and exit 2
//! whenever a report could not be written whole.

mod common;

use std::process::Stdio;

use common::*;

/// Every command that writes a report to stdout, with arguments that make it write one.
fn reporting_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["check", "examples/fargate_alb.arch.yaml"],
        vec!["facts", "examples/fargate_alb.arch.yaml"],
        vec!["facts", "--format", "json", "examples/fargate_alb.arch.yaml"],
        vec!["cost", "examples/fargate_alb.arch.yaml"],
        vec!["cost", "--format", "json", "examples/fargate_alb.arch.yaml"],
        vec!["list"],
        vec!["schema"],
        vec!["schema", "--facts-markdown"],
        vec!["explain", "gateway-sync-limit"],
        vec!["test", "policies"],
    ]
}

#[test]
fn every_command_exits_2_when_stdout_is_full() {
    for args in reporting_commands() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = policy_command().args(&args).stdout(full).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "`policy {}` into /dev/full: {}", args.join(" "), stderr(&out));
        assert!(stderr(&out).contains("cannot write the report"), "`policy {}`: {}", args.join(" "), stderr(&out));
    }
}

#[test]
fn every_command_exits_2_quietly_when_stdout_is_closed() {
    for args in reporting_commands() {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = policy_command().args(&args).stdout(writer).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "`policy {}` into a closed pipe", args.join(" "));
        assert_eq!(raw_stderr(&out), "", "`policy {}`: the reader chose to stop, no message", args.join(" "));
    }
}

// ---- Item 1: long lines never reach a panic, and are shown as a window ----

/// No line of what `policy` wrote is longer than a window and its frame.
fn assert_lines_bounded(text: &str, what: &str) {
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest <= 1_500, "{what}: a line of {longest} characters");
}

#[test]
fn a_diagnostic_past_column_65535_is_shown_as_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "long.arch.yaml", format!("{{name: {}, pattern: nope}}\n", "a".repeat(65_600)));
    for args in [vec!["check", &file], vec!["facts", &file], vec!["cost", &file]] {
        let out = policy(&args);
        assert_eq!(out.status.code(), Some(2), "`policy {}`: {}", args[0], raw_stderr(&out));
        let err = raw_stderr(&out);
        assert!(err.contains("unknown pattern `nope` for `pattern`"), "{err}");
        // The header keeps the file's own line and column; the line is cut around the label.
        assert!(err.contains("long.arch.yaml:1:65619]"), "{err}");
        assert!(err.contains(" 1 │ …aaa") && err.contains("pattern: nope}"), "{err}");
        assert!(err.contains("╰── not a known pattern"), "{err}");
        assert_lines_bounded(&err, args[0]);
    }
}

#[test]
fn a_policy_error_on_a_long_line_is_shown_as_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("policy p: warn {{\n  require {}workload.nope == 1\n}}\n", " ".repeat(70_000));
    let file = write(dir.path(), "long.policy", text);
    for args in
        [vec!["check", "--policies", &file, "examples/fargate_alb.arch.yaml"], vec!["list", "--policies", &file]]
    {
        let out = policy(&args);
        assert_eq!(out.status.code(), Some(2), "`policy {}`: {}", args[0], raw_stderr(&out));
        let err = raw_stderr(&out);
        assert!(err.contains("`workload.nope`"), "{err}");
        assert!(err.contains("long.policy:2:70011]") && err.contains("…"), "{err}");
        assert_lines_bounded(&err, args[0]);
    }
}

#[test]
fn facts_and_list_take_values_past_65535_characters() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string("examples/fargate_alb.arch.yaml").unwrap();
    let long_name = "n".repeat(65_600);
    let proposal = example.replace("name: storefront", &format!("name: {long_name}"));
    let file = write(dir.path(), "long.arch.yaml", proposal);
    let out = policy(&["facts", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    assert!(stdout(&out).contains(&long_name));
    // A long value runs past its column instead of padding every row to its width.
    assert!(stdout(&out).len() < 3 * long_name.len(), "{} bytes", stdout(&out).len());

    let id = "p".repeat(65_600);
    let policy_file = write(dir.path(), "long.policy", format!("policy {id}: warn {{\n  require true\n}}\n"));
    let out = policy(&["list", "--policies", &policy_file]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    assert!(stdout(&out).starts_with(&format!("{id}  warn")), "{}", &stdout(&out)[..100]);
}

// ---- Item 12: control characters never reach a terminal ----

/// Whether a character may move a terminal's cursor, ring it, or reorder a line.
fn is_control(c: char) -> bool {
    archpolicy::report::safe::is_unsafe(c)
}

#[test]
fn control_characters_in_a_proposal_are_escaped_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ctl.arch.yaml", "name: \"x\"  # \u{202e} evil \u{1b}[31m red \u{7}\npattern: nope\n");
    let out = policy(&["check", &file]);
    assert_eq!(out.status.code(), Some(2));
    let err = raw_stderr(&out);
    assert!(!err.chars().any(is_control), "{err:?}");
    assert!(err.contains(r"# \u{202e} evil \u{1b}[31m red \u{7}"), "{err}");
}

#[test]
fn control_characters_in_a_policy_are_escaped_in_messages_and_lists() {
    let dir = tempfile::tempdir().unwrap();
    let title = "t\u{1b}]0;pwned\u{7} \u{2066}x\u{2069}";
    let file = write(dir.path(), "ctl.policy", format!("policy p: warn {{\n  title \"{title}\"\n  require true\n}}\n"));
    let out = policy(&["list", "--policies", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    assert!(!stdout(&out).chars().any(is_control), "{:?}", stdout(&out));
    assert!(stdout(&out).contains(r"t\u{1b}]0;pwned\u{7} \u{2066}x\u{2069}"), "{}", stdout(&out));
    // An error quoting the text escapes it too.
    let bad = write(dir.path(), "bad.policy", "policy p: warn {\n  require \u{1b}[2J == 1\n}\n");
    let out = policy(&["list", "--policies", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!raw_stderr(&out).chars().any(is_control), "{:?}", raw_stderr(&out));
}
