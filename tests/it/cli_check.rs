//! `policy check`, `list` and `explain` as a user runs them: output, exit codes, bad input.

use crate::common;

use common::{example_files, policy_command, policy_inheriting_env, raw_stderr, stderr, stdout, write};

#[test]
fn check_reports_findings_with_labels_in_both_files_and_a_summary() {
    let out = policy_inheriting_env(&[
        "check",
        "examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml",
        "--fail-on",
        "warn",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", raw_stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("warn(max-request-time)"), "{text}");
    assert!(text.contains("╭─[examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml:12:25]"), "{text}");
    assert!(text.contains("╭─[policies/request-path.policy:"), "{text}");
    assert!(text.ends_with("checked 1 proposal against 37 policies: 0 deny, 1 warn, 0 info\n"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colors into a pipe");
}

#[test]
fn fail_on_sets_the_failing_severity() {
    let file = "examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml";
    assert_eq!(policy_inheriting_env(&["check", file]).status.code(), Some(0), "a warning does not fail by default");
    assert_eq!(policy_inheriting_env(&["check", file, "--fail-on", "warn"]).status.code(), Some(1));
    assert_eq!(policy_inheriting_env(&["check", file, "--fail-on", "info"]).status.code(), Some(1));
    assert_eq!(
        policy_inheriting_env(&["check", "examples/breaks_on_purpose/public_tasks.arch.yaml"]).status.code(),
        Some(1),
        "a deny fails"
    );
}

#[test]
fn json_output_is_the_report() {
    let out = policy_inheriting_env(&["check", "--format", "json", "examples"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["summary"]["proposals"], 15);
    let proposals = json["proposals"].as_array().unwrap();
    let files: Vec<&str> = proposals.iter().map(|p| p["file"].as_str().unwrap()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "sorted by file");
    let finding = proposals.iter().flat_map(|p| p["findings"].as_array().unwrap()).next().unwrap();
    for key in ["policy", "severity", "title", "message", "help", "values", "proposal_location", "policy_location"] {
        assert!(finding.get(key).is_some(), "finding has `{key}`: {finding}");
    }
}

#[test]
fn policies_replace_the_standard_pack_and_with_standard_adds_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let own = write(dir.path(), "org.policy", "policy small: deny {\n  require workload.peak_rps <= 10\n}\n");
    let out = policy_inheriting_env(&["check", "examples/fargate_alb.arch.yaml", "--policies", &own]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("against 1 policy"), "{}", stdout(&out));
    let out =
        policy_inheriting_env(&["check", "examples/fargate_alb.arch.yaml", "--policies", &own, "--with-standard"]);
    assert!(stdout(&out).contains("against 38 policies"), "{}", stdout(&out));
    let out = policy_inheriting_env(&[
        "check",
        "examples/fargate_alb.arch.yaml",
        "--policies",
        &dir.path().display().to_string(),
    ]);
    assert!(stdout(&out).contains("against 1 policy"), "a directory is searched for .policy files");
}

#[test]
fn params_are_typed() {
    let file = "examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml";
    let out = policy_inheriting_env(&["check", file, "--fail-on", "warn", "--param", "max_request_time=2m"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = policy_inheriting_env(&["check", file, "--param", "max_request_time=$20"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("the value is money, not duration"), "{err}");
    assert!(err.contains("--param max_request_time"), "the span is in the param's text: {err}");
    let out = policy_inheriting_env(&["check", file, "--param", "max_request_tme=20s"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown param `max_request_tme`"));
    assert!(stderr(&out).contains("did you mean `max_request_time`?"));
    let deep = format!("max_request_time={}30s{}", "(".repeat(10_000), ")".repeat(10_000));
    let out = policy_inheriting_env(&["check", file, "--param", &deep]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nesting deeper than"), "{}", raw_stderr(&out));
    let out = policy_inheriting_env(&["check", file, "--param", "max_request_time"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no value"));
}

#[test]
fn bad_policy_files_exit_2_with_a_span() {
    let dir = tempfile::tempdir().unwrap();
    let proposal = "examples/fargate_alb.arch.yaml";
    for (name, text, expected) in [
        ("syntax.policy", "policy p: deny {\n  require workload.peak_rps <=\n}\n", "expected an expression"),
        ("fact.policy", "policy p: deny {\n  require workload.peak_rsp <= 3\n}\n", "did you mean `workload.peak_rps`?"),
        ("dup.policy", "policy p: deny { require true }\npolicy p: warn { require true }\n", "duplicate policy id `p`"),
        (
            "interp.policy",
            "policy p: deny {\n  require true else \"{workload.peak_rps\"\n}\n",
            "this interpolation is not closed",
        ),
        (
            "parens.policy",
            &format!("policy p: deny {{ require {}true{} }}", "(".repeat(10_000), ")".repeat(10_000)),
            "nesting deeper than",
        ),
        (
            "chain.policy",
            &format!("policy p: deny {{ require true{} }}", " and true".repeat(5_000)),
            "more than 2000 parts",
        ),
    ] {
        let path = write(dir.path(), name, text);
        let out = policy_inheriting_env(&["check", proposal, "--policies", &path]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", raw_stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(err.contains(&format!("{name}:")), "{name}: the error points into the file: {err}");
        // Nothing was checked, and stdout does not count a run of nothing as one.
        assert_eq!(stdout(&out), "nothing checked: the policies did not load\n", "{name}");
    }
}

#[test]
fn a_10_mb_policy_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("# {}\n", "x".repeat(10 * 1024 * 1024));
    let path = write(dir.path(), "huge.policy", &text);
    let out = policy_inheriting_env(&["check", "examples", "--policies", &path]);
    assert_eq!(out.status.code(), Some(2));
    // The message names the file now, so it may wrap: compare words.
    let words = stderr(&out).split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(words.contains("more than the 1MiB a policy file may have"), "{}", raw_stderr(&out));
}

#[test]
fn a_proposal_that_does_not_load_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.arch.yaml", "name: x\npattern: lambda\n");
    let out = policy_inheriting_env(&["check", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "never a pass");
}

#[test]
fn list_and_explain() {
    let out = policy_inheriting_env(&["list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).lines().any(|l| l.starts_with("gateway-sync-limit") && l.contains("deny")));
    let out = policy_inheriting_env(&["explain", "gateway-sync-limit"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("gateway-sync-limit (deny)\n"), "{text}");
    assert!(text.contains("help: The smallest timeout"), "{text}");
    assert!(text.contains("source: policies/request-path.policy:"), "{text}");
    assert!(text.contains("require workload.max_request_duration <= request.sync_limit"), "{text}");
    let out = policy_inheriting_env(&["explain", "gateway-sync-limt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `gateway-sync-limit`?"));
}

/// Enough files to take the parallel path: the report lists them in path order, and each
/// proposal's findings are those it gets when checked alone.
#[test]
fn many_files_are_checked_in_parallel_and_reported_in_path_order() {
    let examples = example_files();
    let alone: Vec<serde_json::Value> = examples
        .iter()
        .map(|p| {
            let json: serde_json::Value = serde_json::from_str(&stdout(&policy_inheriting_env(&[
                "check",
                "--format",
                "json",
                &p.display().to_string(),
            ])))
            .unwrap();
            json["proposals"][0]["findings"].clone()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let count = 70;
    for i in 0..count {
        let text = std::fs::read_to_string(&examples[i % examples.len()]).unwrap();
        // Names in reverse of the generation order, so that path order is not creation order.
        write(dir.path(), &format!("{:03}.arch.yaml", count - i), &text);
    }
    let out = policy_inheriting_env(&["check", "--format", "json", &dir.path().display().to_string()]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let proposals = json["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), count);
    for (position, proposal) in proposals.iter().enumerate() {
        let number = position + 1;
        let file = proposal["file"].as_str().unwrap();
        assert!(file.ends_with(&format!("{number:03}.arch.yaml")), "position {position} holds {file}");
        let source = (count - number) % examples.len();
        // The proposal's own file name appears in its locations; everything else must be equal.
        let strip = |findings: &serde_json::Value, name: &str| findings.to_string().replace(name, "FILE");
        assert_eq!(
            strip(&proposal["findings"], file),
            strip(&alone[source], &examples[source].display().to_string()),
            "{file} is a copy of {}",
            examples[source].display()
        );
    }
}

#[test]
fn files_that_fail_to_load_among_many_are_reported_in_path_order_and_fail_the_run() {
    let good = std::fs::read_to_string("examples/fargate_alb.arch.yaml").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let count = 100;
    let broken: Vec<usize> = (0..count).filter(|i| i % 7 == 3).collect();
    for i in 0..count {
        let text = if broken.contains(&i) { "name: [unclosed\n".to_string() } else { good.clone() };
        write(dir.path(), &format!("{i:03}.arch.yaml"), &text);
    }
    let out = policy_inheriting_env(&["check", "--format", "json", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "a file that does not load fails the run");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("the JSON stays whole");
    let files: Vec<&str> = json["proposals"].as_array().unwrap().iter().map(|p| p["file"].as_str().unwrap()).collect();
    let expected: Vec<String> =
        (0..count).filter(|i| !broken.contains(i)).map(|i| format!("{i:03}.arch.yaml")).collect();
    assert_eq!(files.len(), expected.len());
    for (file, name) in files.iter().zip(&expected) {
        assert!(file.ends_with(name.as_str()), "{file} where {name} was expected");
    }
    let err = raw_stderr(&out);
    let mut at = 0;
    for i in &broken {
        let name = format!("{i:03}.arch.yaml");
        let found = err[at..].find(&name).unwrap_or_else(|| panic!("{name} is not reported after byte {at}: {err}"));
        at += found + name.len();
    }
}

#[test]
fn a_closed_stdout_stops_the_run_quietly_and_it_does_not_pass() {
    use std::io::Read;
    let good = std::fs::read_to_string("examples/fargate_alb.arch.yaml").unwrap();
    let dir = tempfile::tempdir().unwrap();
    // About 4 KB of JSON each: far more than a pipe holds, so the writer
    // is still writing when the reader goes away.
    for i in 0..2_000 {
        write(dir.path(), &format!("{i:04}.arch.yaml"), &good);
    }
    let mut child = policy_command()
        .args(["check", "--format", "json", &dir.path().display().to_string()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut start = [0u8; 1024];
    stdout.read_exact(&mut start).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "an incomplete report is not a pass");
    assert_eq!(raw_stderr(&out), "", "the reader chose to stop: no message");
}
