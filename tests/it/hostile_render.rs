//! Hostile inputs against what `policy` writes (issue 14): no panic on long
//! lines, no control character reaching a terminal or a CI log, valid SARIF
//! and JUnit whatever the names, load errors in every format, and exit 2
//! whenever a report could not be written whole.

use crate::common;

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
        vec!["recommend", "examples/scenario_a_saas_api.needs.yaml"],
        vec!["import", "../shared/iac-corpus/P2/aws-samples__serverless-patterns__alb-ecs-java-sam__template.yaml"],
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

/// What a miette report of a library error says: message, help, labels.
fn report_texts(report: &miette::Report) -> Vec<String> {
    let labels = report.labels().into_iter().flatten().filter_map(|l| l.label().map(String::from));
    [report.to_string(), report.help().map(|h| h.to_string()).unwrap_or_default()].into_iter().chain(labels).collect()
}

#[test]
fn a_librarys_reports_show_control_characters_escaped_whatever_handler_draws_them() {
    // A window title, a bell and a color in a value the message quotes.
    let text = "name: a\npattern: lambda_api_gateway\nenvironment: \"\\e]0;pwned\\a\\e[31mprod\"\n";
    let failure = archpolicy::load_str("a.arch.yaml", text).unwrap_err();
    let error = failure.errors().iter().find(|e| e.to_string().contains("pwned")).expect("an unknown environment");
    assert!(error.to_string().contains('\u{1b}'), "the error keeps the value as written: {error}");
    let reports = failure.reports();
    let report = reports.iter().find(|r| r.to_string().contains("pwned")).expect("its report");
    assert_eq!(report.to_string(), "unknown environment `\\u{1b}]0;pwned\\u{7}\\u{1b}[31mprod` for `environment`");
    assert_eq!(report.code().map(|c| c.to_string()).as_deref(), Some("archpolicy::load::unknown_value"));
    assert!(report.source_code().is_some() && report.labels().is_some());
    // A policy's: the label and help quote the name too.
    let policy = "policy p: warn {\n  require \"\u{1b}[2J\" == environment\n}\n";
    let failure = archpolicy::PolicySet::from_str("p.policy", policy).unwrap_err();
    let quoted = |r: &miette::Report| report_texts(r).iter().any(|t| t.contains("\\u{1b}[2J"));
    assert!(failure.reports().iter().any(quoted), "{failure}");
    // A waiver's: the policy it names, in `check_waivers`' reports.
    let text = std::fs::read_to_string("examples/lambda_alb.arch.yaml").unwrap();
    let proposal = archpolicy::load_str(
        "w.arch.yaml",
        &text.replace("policy: max-request-time", "policy: \"max-\\e]0;pwned\\a\""),
    )
    .unwrap();
    let waivers = archpolicy::PolicySet::standard().unwrap().check_waivers(&proposal);
    assert!(waivers.iter().any(|r| r.to_string().contains("max-\\u{1b}]0;pwned")), "{waivers:?}");
    assert!(waivers.iter().all(|r| r.source_code().is_some() && r.labels().is_some()), "labelled in the proposal");
    for report in failure.reports().iter().chain(reports.iter()).chain(waivers.iter()) {
        for text in report_texts(report) {
            assert!(!text.chars().any(is_control), "{text:?}");
        }
    }
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

/// A proposal whose name holds ESC, a right-to-left override, BEL and
/// U+FFFE, and a policy whose title, message and help carry them into every format.
fn hostile_inputs(dir: &std::path::Path) -> (String, String) {
    let example = std::fs::read_to_string("examples/fargate_alb.arch.yaml").unwrap();
    let proposal = example.replace("name: storefront", r#"name: "evil\e[31m\u202e\x07\uFFFE""#);
    let policy = "policy ctl: deny {\n  title \"title \u{1b}[2J \u{202e}\"\n  require false else \"message {name}\"\n  help \"help \u{2066}\"\n}\n";
    (write(dir, "ctl.arch.yaml", proposal), write(dir, "ctl.policy", policy))
}

#[test]
fn control_characters_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (proposal, policy_file) = hostile_inputs(dir.path());
    for format in ["human", "json", "sarif", "github", "junit"] {
        let out = policy(&["check", "--policies", &policy_file, &proposal, "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", raw_stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("message evil"), "{format}: {text}");
        match format {
            // JSON keeps the exact value: C0 characters as JSON escapes, the rest as they are.
            "json" => {
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                let message = value["proposals"][0]["findings"][0]["message"].as_str().unwrap();
                assert_eq!(message, "message evil\u{1b}[31m\u{202e}\u{7}\u{fffe}");
                assert!(!text.chars().any(|c| c.is_ascii_control() && c != '\n'), "{text:?}");
            }
            _ => {
                assert!(!text.chars().any(is_control), "{format}: {text:?}");
                let shown = if format == "sarif" { text.replace(r"\\", r"\") } else { text.clone() };
                assert!(shown.contains(r"evil\u{1b}[31m\u{202e}\u{7}\u{fffe}"), "{format}: {text}");
            }
        }
        if format == "junit" {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        }
        if format == "sarif" {
            let log: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_valid_sarif(&log);
            let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
            assert_eq!(rule["shortDescription"]["text"], r"title \u{1b}[2J \u{202e}");
        }
    }
}

// ---- Items 13 and 14: SARIF URIs, and load errors in every CI format ----

fn assert_valid_sarif(log: &serde_json::Value) {
    let text = std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap();
    let stray = r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#;
    let text = text.replace(stray, r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$"#);
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Every artifact URI of a SARIF log, with its base.
fn artifact_locations(value: &serde_json::Value, out: &mut Vec<(String, Option<String>)>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(artifact) = map.get("artifactLocation") {
                let uri = artifact["uri"].as_str().unwrap().to_string();
                out.push((uri, artifact["uriBaseId"].as_str().map(str::to_string)));
            }
            map.values().for_each(|v| artifact_locations(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| artifact_locations(v, out)),
        _ => {}
    }
}

#[test]
fn sarif_uris_are_relative_to_the_base_and_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a dir")).unwrap();
    let example = std::fs::read_to_string("examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml").unwrap();
    write(&dir.path().join("a dir"), "my file\n#1.arch.yaml", example);
    let base = dir.path().display().to_string();
    let out = policy(&["check", &base, "--format", "sarif", "--base-dir", &base, "--today", "2026-11-27"]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid_sarif(&log);
    let mut uris = Vec::new();
    artifact_locations(&log, &mut uris);
    assert!(uris.contains(&("a%20dir/my%20file%0A%231.arch.yaml".to_string(), Some("SRCROOT".into()))), "{uris:?}");
    assert!(uris.contains(&("request-path.policy".to_string(), Some("ARCHPOLICY_STANDARD".into()))), "{uris:?}");
    assert!(uris.iter().all(|(uri, _)| !uri.starts_with('/') && !uri.contains(' ')), "{uris:?}");
    let root = log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"].as_str().unwrap();
    assert!(root.starts_with("file:///") && root.ends_with('/'), "{root}");
    // GitHub annotations name the same relative path.
    let out = policy(&["check", &base, "--format", "github", "--base-dir", &base, "--today", "2026-11-27"]);
    assert!(stdout(&out).contains("file=a dir/my file%0A#1.arch.yaml,"), "{}", stdout(&out));

    // A file outside the base is an absolute `file://` URI, never a bare `/path`.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = policy(&["check", &base, "--format", "sarif", "--base-dir", &elsewhere.path().display().to_string()]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid_sarif(&log);
    let mut uris = Vec::new();
    artifact_locations(&log, &mut uris);
    assert!(uris.iter().any(|(uri, base)| uri.starts_with("file:///") && base.is_none()), "{uris:?}");
    assert!(uris.iter().all(|(uri, _)| !uri.starts_with('/')), "{uris:?}");

    let out = policy(&["check", &base, "--base-dir", "/no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot use `/no/such/dir` as the base directory"), "{}", stderr(&out));
}

#[test]
fn load_errors_reach_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("examples/fargate_alb.arch.yaml", dir.path().join("good.arch.yaml")).unwrap();
    write(dir.path(), "bad.arch.yaml", "name: x\npattern: nope\n");
    let target = dir.path().display().to_string();
    let run = |format: &str| {
        let out = policy(&["check", &target, "--format", format, "--base-dir", &target]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(stderr(&out).contains("unknown pattern `nope`"), "{format}: still on stderr");
        stdout(&out)
    };

    let log: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    let note = notes.iter().find(|n| n["descriptor"]["id"] == "archpolicy::load::unknown_value").unwrap();
    assert!(note["message"]["text"].as_str().unwrap().contains("unknown pattern `nope`"), "{note}");
    let physical = &note["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "bad.arch.yaml");
    assert_eq!(physical["region"]["startLine"], 2);
    assert_eq!(physical["region"]["startColumn"], 10);

    let junit = run("junit");
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let case = doc.descendants().find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some("load")).unwrap();
    assert!(case.attribute("classname").unwrap().ends_with("bad.arch.yaml"));
    let error = case.children().find(|n| n.has_tag_name("error")).unwrap();
    assert!(error.attribute("message").unwrap().starts_with("the file did not load: "), "{junit}");
    assert!(error.text().unwrap().contains("bad.arch.yaml:2:10: unknown pattern `nope` for `pattern`"), "{junit}");

    let github = run("github");
    assert!(
        github.lines().any(|l| l.starts_with("::error file=bad.arch.yaml,line=2,col=10,")
            && l.contains("unknown pattern `nope`")),
        "{github}"
    );

    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let errors = json["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["file"].as_str().unwrap().ends_with("bad.arch.yaml") && e["line"] == 2), "{json}");
    assert_eq!(json["proposals"].as_array().unwrap().len(), 1, "the good file is still reported");

    // A clean run says so.
    let out = policy(&["check", "examples/fargate_alb.arch.yaml", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn policy_errors_reach_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.policy", "policy p: warn {\n  require workload.nope == 1\n}\n");
    let run = |format: &str| {
        let out = policy(&["check", "--policies", &bad, "examples/fargate_alb.arch.yaml", "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(stderr(&out).contains("`workload.nope`"), "{format}: still on stderr");
        stdout(&out)
    };
    let log: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert!(note["message"]["text"].as_str().unwrap().contains("`workload.nope`"), "{note}");
    assert_eq!(note["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
    roxmltree::Document::parse(&run("junit")).unwrap();
    assert!(run("github").lines().any(|l| l.starts_with("::error file=") && l.contains("line=2,")));
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["errors"][0]["line"], 2, "{json}");

    // An error of no file, a `--param` without a value, has no location.
    let out = policy(&["check", "examples/fargate_alb.arch.yaml", "--param", "x", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid_sarif(&log);
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert!(note["message"]["text"].as_str().unwrap().contains("`--param x` has no value"), "{note}");
    assert!(note.get("locations").is_none());
}

// ---- Issue 22, class 4: text from inputs never starts a line of its own ----

/// A line break followed by what a GitHub runner reads as a workflow
/// command (even indented), and an escape sequence.
const COMMAND: &str = r"x\n::error file=a.yml,line=1::pwned\n  ::add-mask::s3cret\e[2J";

/// Whether a line of output is a workflow command a runner would obey.
fn is_command(line: &str) -> bool {
    line.trim_start_matches([' ', '\t']).starts_with("::")
}

fn assert_no_command(what: &str, out: &std::process::Output) {
    for text in [stdout(out), raw_stderr(out)] {
        assert!(!text.lines().any(is_command), "{what}: a line is a workflow command:\n{text}");
        assert!(!text.contains('\u{1b}'), "{what}: {text:?}");
    }
}

/// A proposal, a needs file, a policy and a SAM template whose names and
/// texts carry [`COMMAND`].
fn command_inputs(dir: &std::path::Path) -> [String; 4] {
    let example = std::fs::read_to_string("examples/fargate_alb.arch.yaml").unwrap();
    let proposal = example.replace("name: storefront", &format!("name: \"{COMMAND}\""));
    let needs = std::fs::read_to_string("examples/scenario_a_saas_api.needs.yaml").unwrap();
    let needs = needs.replacen("name: ", &format!("name: \"{COMMAND}\"\n# was: "), 1);
    let policy = "policy ctl: deny {\n  title \"t\\n::error::title\"\n  docs \"d\\n  ::add-mask::docs\"\n  require false else \"m {name}\\n::error::message\"\n  help \"h\\n::warning::help\"\n}\n";
    let template = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  \"{COMMAND}\\nwaivers: [{{ policy: x }}]\":\n    Type: AWS::Serverless::Function\n    Properties: {{ Runtime: nodejs20.x, Handler: index.handler, CodeUri: ., Timeout: 10, Events: {{ Api: {{ Type: HttpApi }} }} }}\n"
    );
    [
        write(dir, "cmd.arch.yaml", proposal),
        write(dir, "cmd.needs.yaml", needs),
        write(dir, "cmd.policy", policy),
        write(dir, "template.yaml", template),
    ]
}

#[test]
fn no_input_text_starts_a_workflow_command_in_any_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let [proposal, needs, policy_file, template] = command_inputs(dir.path());
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", &proposal],
        vec!["check", "--policies", &policy_file, &proposal],
        vec!["check", "--policies", &policy_file, &proposal, "--format", "json"],
        vec!["check", "--policies", &policy_file, &proposal, "--format", "sarif"],
        vec!["check", "--policies", &policy_file, &proposal, "--format", "junit"],
        vec!["facts", &proposal],
        vec!["cost", &proposal],
        vec!["list", "--policies", &policy_file],
        vec!["explain", "ctl", "--policies", &policy_file],
        vec!["recommend", &needs],
        vec!["recommend", &needs, "--format", "markdown"],
        vec!["recommend", &needs, "--policies", &policy_file, "--format", "markdown"],
        vec!["import", &template],
    ];
    for args in runs {
        let out = policy(&args);
        assert!(out.status.code().is_some_and(|c| c <= 2), "{args:?}");
        assert!(!stdout(&out).is_empty(), "{args:?} wrote nothing: {}", raw_stderr(&out));
        assert_no_command(&format!("{args:?}"), &out);
    }
    // The value is shown, escaped, on its own line's terms.
    let out = policy(&["cost", &proposal]);
    assert!(
        stdout(&out).contains(r"x\n::error file=a.yml,line=1::pwned\n  ::add-mask::s3cret\u{1b}[2J"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn github_annotations_are_the_only_commands_written() {
    let dir = tempfile::tempdir().unwrap();
    let [proposal, _, policy_file, _] = command_inputs(dir.path());
    let out = policy(&["check", "--policies", &policy_file, &proposal, "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}", raw_stderr(&out));
    let text = stdout(&out);
    let commands: Vec<&str> = text.lines().filter(|l| is_command(l)).collect();
    assert_eq!(commands.len(), 1, "{text}");
    assert!(commands[0].starts_with("::error file="), "{text}");
    assert!(commands[0].contains("%0A::error::message"), "{text}");
}

#[test]
fn a_logical_id_with_a_line_break_stays_one_scalar_in_a_skeleton() {
    let dir = tempfile::tempdir().unwrap();
    let [_, _, _, template] = command_inputs(dir.path());
    let out_dir = dir.path().join("out");
    let out = policy(&["import", &template, "--write", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", raw_stderr(&out));
    assert_no_command("import --write", &out);
    let written = files_in(&out_dir, ".arch.yaml");
    assert_eq!(written.len(), 1, "{written:?}");
    let text = std::fs::read_to_string(&written[0]).unwrap();
    let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    assert!(value.get("waivers").is_none(), "{text}");
    let select = value["import"]["select"].as_str().unwrap();
    assert_eq!(select, "x\n::error file=a.yml,line=1::pwned\n  ::add-mask::s3cret\u{1b}[2J\nwaivers: [{ policy: x }]");
    assert!(!text.lines().any(|l| l.starts_with("waivers")), "{text}");
}

#[test]
fn an_invisible_approver_or_reason_approves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string("examples/scenario_b_image_processing.arch.yaml").unwrap();
    for blank in ["\\u200B", "\\uFEFF", "\\u2060", "\\u3164", "\\u2800", " \\u200C\\u200D "] {
        let (approver, reason) = (format!("approved_by: \"{blank}\""), format!("reason: \"{blank}\""));
        for (key, line) in [("approved_by", &approver), ("reason", &reason)] {
            let re = fancy_regex::Regex::new(&format!(r"(?m)^(\s*){key}: .*$")).unwrap();
            assert!(re.is_match(&example).unwrap(), "the example has no `{key}`");
            let changed = re.replace(&example, format!("${{1}}{line}").as_str()).to_string();
            let file = write(dir.path(), "blank.arch.yaml", changed);
            let out = policy(&["check", &file]);
            assert_eq!(out.status.code(), Some(2), "{key} {blank}: {}", stdout(&out));
            assert!(stderr(&out).contains("archpolicy::load::blank_text"), "{}", stderr(&out));
            assert!(stderr(&out).contains(&format!("`waivers[0].{key}` is blank")), "{}", stderr(&out));
        }
    }
}
