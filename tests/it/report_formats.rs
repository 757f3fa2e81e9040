//! `policy check --format sarif|github|junit|json`, and waivers.

use crate::common;

use common::*;

const TODAY: &str = "2026-11-27";

#[test]
fn sarif_validates_against_the_official_schema() {
    // The official schema's `language` patterns have a stray `]` that ECMAScript
    // reads as a literal and Rust's regex engine refuses; escaping it is the one edit.
    let text = std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap();
    let stray = r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#;
    assert_eq!(text.matches(stray).count(), 2);
    let text = text.replace(stray, r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$"#);
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for target in ["examples", "tests/fixtures/waivers/waived.arch.yaml", "tests/fixtures/waivers/expired.arch.yaml"] {
        let out = policy(&["check", target, "--format", "sarif", "--today", TODAY]);
        let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{target}: {errors:#?}");
    }
}

#[test]
fn sarif_has_a_rule_per_policy_and_located_results() {
    let out = policy(&[
        "check",
        "examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml",
        "--format",
        "sarif",
        "--today",
        TODAY,
    ]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 38, "a rule per policy, and one for expired waivers");
    assert!(rules.iter().any(|r| r["id"] == "waiver-expired"));
    let rule = rules.iter().find(|r| r["id"] == "gateway-sync-limit").unwrap();
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert!(rule["shortDescription"]["text"].as_str().unwrap().starts_with("Synchronous requests"));
    assert!(rule["fullDescription"]["text"].as_str().unwrap().contains("29 s"));
    assert!(rule["help"]["text"].as_str().unwrap().contains("queue"));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "max-request-time");
    assert_eq!(result["level"], "warning");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "max-request-time");
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"], "examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml",
        "relative to the repository root"
    );
    assert_eq!(physical["region"]["startLine"], 12);
    assert_eq!(physical["region"]["startColumn"], 25);
    let related = &result["relatedLocations"][0]["physicalLocation"];
    // The embedded pack is not in the user's repository: it has a base of its own.
    assert_eq!(related["artifactLocation"]["uri"], "request-path.policy");
    assert_eq!(related["artifactLocation"]["uriBaseId"], "ARCHPOLICY_STANDARD");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "SRCROOT");
    assert_eq!(related["region"]["startLine"], 19);
}

#[test]
fn sarif_suppresses_waived_findings() {
    let out = policy(&["check", "tests/fixtures/waivers/waived.arch.yaml", "--format", "sarif", "--today", TODAY]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert!(result["suppressions"][0]["justification"].as_str().unwrap().contains("renders move to a queue"));
}

#[test]
fn github_annotations_are_workflow_commands() {
    let out = policy(&["check", "examples", "--format", "github", "--today", TODAY]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line.starts_with("::error ") || line.starts_with("::warning ") || line.starts_with("::notice "),
            "{line}"
        );
        let (props, message) = line.split_once("::").and_then(|(_, rest)| rest.split_once("::")).unwrap();
        assert!(props.contains("file=examples/"), "{line}");
        assert!(!message.contains('\n'));
        let _ = message;
    }
    let deny = lines.iter().find(|l| l.contains("private-compute")).unwrap();
    assert!(
        deny.starts_with(
            "::error file=examples/breaks_on_purpose/public_tasks.arch.yaml,line=23,col=12,title=private-compute%3A "
        ),
        "{deny}"
    );
    let warn = lines.iter().find(|l| l.contains("max-request-time")).unwrap();
    assert!(warn.starts_with("::warning "), "{warn}");
    let waived =
        stdout(&policy(&["check", "tests/fixtures/waivers/waived.arch.yaml", "--format", "github", "--today", TODAY]));
    assert!(waived.starts_with("::notice ") && waived.contains("(waived)"), "{waived}");
}

#[test]
fn junit_is_xml_with_a_suite_per_proposal_and_a_case_per_policy() {
    let out = policy(&["check", "examples", "--format", "junit", "--today", TODAY]);
    let text = stdout(&out);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 15);
    for suite in &suites {
        let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        assert_eq!(cases.len(), 37, "{:?}", suite.attribute("name"));
        assert_eq!(suite.attribute("tests"), Some("37"));
        let failures = cases.iter().filter(|c| c.children().any(|n| n.has_tag_name("failure"))).count();
        assert_eq!(suite.attribute("failures").unwrap().parse::<usize>().unwrap(), failures);
    }
    let broken = Some("examples/breaks_on_purpose/public_tasks.arch.yaml");
    let suite = suites.iter().find(|s| s.attribute("name") == broken).unwrap();
    let case = suite.children().find(|n| n.attribute("name") == Some("private-compute")).unwrap();
    let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("deny"));
    assert!(failure.text().unwrap().contains("public_tasks.arch.yaml:23:12"));
}

#[test]
fn a_waived_finding_is_reported_but_fails_nothing() {
    let out = policy(&["check", "tests/fixtures/waivers/waived.arch.yaml", "--fail-on", "warn", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("waived(max-request-time)"), "{text}");
    assert!(text.contains("1 waived"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&policy(&[
        "check",
        "tests/fixtures/waivers/waived.arch.yaml",
        "--format",
        "json",
        "--today",
        TODAY,
    ])))
    .unwrap();
    assert_eq!(json["proposals"][0]["findings"][0]["waiver"]["applied"], true);
    assert_eq!(json["summary"]["waived"], 1);
}

#[test]
fn an_expired_waiver_is_a_finding_and_waives_nothing() {
    let out = policy(&["check", "tests/fixtures/waivers/expired.arch.yaml", "--fail-on", "warn", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("warn(waiver-expired)"), "{text}");
    assert!(text.contains("the waiver of `max-request-time` expired on 2026-06-30"), "{text}");
    assert!(text.contains("warn(max-request-time)"), "{text}");
    // The same file judged on a day before it expired: waived.
    let before =
        policy(&["check", "tests/fixtures/waivers/expired.arch.yaml", "--fail-on", "warn", "--today", "2026-06-30"]);
    assert_eq!(before.status.code(), Some(0), "{}", stdout(&before));
}

#[test]
fn a_waiver_of_an_unknown_policy_is_an_error_with_a_suggestion() {
    let out = policy(&["check", "tests/fixtures/waivers/unknown.arch.yaml", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("the waiver names an unknown policy `max-request-tme`"), "{err}");
    assert!(err.contains("did you mean `max-request-time`?"), "{err}");
    assert!(err.contains("unknown.arch.yaml:8:15"), "{err}");
}

#[test]
fn a_policy_that_is_not_waivable_ignores_waivers_and_says_so() {
    let out = policy(&[
        "check",
        "tests/fixtures/waivers/waives-strict.arch.yaml",
        "--policies",
        "tests/fixtures/waivers/strict.policy",
        "--today",
        TODAY,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("deny(strict-request-time)"), "{text}");
    assert!(text.contains("the policy is not waivable: the waiver is ignored"), "{text}");
}

#[test]
fn bad_dates_and_formats_are_usage_errors() {
    let out = policy(&["check", "examples", "--today", "2026-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("there is no such day"), "{}", stderr(&out));
    let out = policy(&["check", "examples", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for format in ["human", "json", "sarif", "github", "junit"] {
        assert!(err.contains(format), "the error lists `{format}`: {err}");
    }
}
