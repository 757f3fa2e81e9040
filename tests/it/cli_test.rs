//! `policy test`: test blocks in policy files.

use crate::common;

use common::*;

const POLICY: &str = "policy small: warn {\n  require workload.peak_rps <= 100\n}\n";

/// The proposal the tests name, relative to their policy file: a test's
/// proposal must lie inside the policy file's tree (issue 14), so each test
/// copies it beside its policy file with [`copy_proposal`].
fn proposal_path() -> String {
    "scenario_b.arch.yaml".into()
}

fn copy_proposal(dir: &std::path::Path) {
    std::fs::copy("examples/scenario_b_image_processing.arch.yaml", dir.join(proposal_path())).unwrap();
}

#[test]
fn the_standard_pack_tests_pass_like_cargo_test() {
    let out = policy(&["test", "policies"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\nrunning 84 tests\n"), "{text}");
    assert!(text.ends_with("test result: ok. 84 passed; 0 failed\n"), "{text}");
}

#[test]
fn a_failing_expectation_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    copy_proposal(dir.path());
    let text = format!(
        "{POLICY}\ntest \"peak within bounds\" {{\n  proposal \"{}\"\n  expect small: pass\n}}\n\ntest \"what if it were busier\" {{\n  proposal \"{}\"\n  given workload.peak_rps = 20\n  expect small: warn\n}}\n",
        proposal_path(),
        proposal_path()
    );
    let file = write(dir.path(), "t.policy", &text);
    let out = policy(&["test", &file]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("test peak within bounds ... ok"), "{text}");
    assert!(text.contains("test what if it were busier ... FAILED"), "{text}");
    assert!(text.contains("expected small: warn, got pass"), "{text}");
    assert!(text.contains("test result: FAILED. 1 passed; 1 failed"), "{text}");
}

#[test]
fn a_test_naming_an_unknown_policy_or_fact_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_proposal(dir.path());
    let text = format!(
        "{POLICY}\ntest \"t\" {{\n  proposal \"{}\"\n  given workload.peak_rsp = 3\n  expect smal: pass\n}}\n",
        proposal_path()
    );
    let file = write(dir.path(), "t.policy", &text);
    let out = policy(&["test", &file]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown name `smal`") && err.contains("did you mean `small`?"), "{err}");
    assert!(
        err.contains("unknown fact `workload.peak_rsp`") && err.contains("did you mean `workload.peak_rps`?"),
        "{err}"
    );
}

#[test]
fn a_test_with_a_missing_proposal_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_proposal(dir.path());
    let file = write(
        dir.path(),
        "t.policy",
        format!("{POLICY}\ntest \"t\" {{\n  proposal \"nowhere.arch.yaml\"\n  expect small: pass\n}}\n"),
    );
    let out = policy(&["test", &file]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("nowhere.arch.yaml` does not load: no such file"), "{err}");
}

#[test]
fn a_given_value_of_the_wrong_type_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_proposal(dir.path());
    let text = format!(
        "{POLICY}\ntest \"t\" {{\n  proposal \"{}\"\n  given workload.peak_rps = 3s\n  expect small: pass\n}}\n",
        proposal_path()
    );
    let file = write(dir.path(), "t.policy", &text);
    let out = policy(&["test", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the value is duration, not integer"), "{}", stderr(&out));
}

#[test]
fn fmt_checks_rewrites_and_refuses_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_proposal(dir.path());
    let messy = write(dir.path(), "messy.policy", "policy p:warn{require workload.peak_rps<=3 # small\n}\n");
    let out = policy(&["fmt", "--check", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("would reformat"), "{}", stdout(&out));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "policy p:warn{require workload.peak_rps<=3 # small\n}\n",
        "--check changes nothing"
    );
    let out = policy(&["fmt", &messy]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "policy p: warn {\n  require workload.peak_rps <= 3  # small\n}\n"
    );
    assert_eq!(policy(&["fmt", "--check", &messy]).status.code(), Some(0));
    let broken = write(dir.path(), "broken.policy", "policy p: warn { require }\n");
    let out = policy(&["fmt", &broken]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("expected an expression"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "policy p: warn { require }\n",
        "a broken file is left alone"
    );
}
