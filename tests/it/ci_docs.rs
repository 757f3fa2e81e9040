//! The commands of docs/ci.md, run as the workflow and the hook run them.

use crate::common;
use crate::common::ci;

use ci::{sh, workspace};
use common::code_blocks;

/// The YAML block of docs/ci.md that holds `text`.
fn yaml_block(doc: &str, text: &str) -> String {
    code_blocks(doc, "yaml")
        .into_iter()
        .find(|b| b.contains(text))
        .unwrap_or_else(|| panic!("no yaml block with `{text}`"))
}

/// The `run:` commands of the workflow that use `policy` (the build step is `cargo build`).
fn workflow_commands() -> Vec<String> {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let workflow = yaml_block(&doc, "POLICY_SRC");
    workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: "))
        .filter(|cmd| cmd.starts_with("policy "))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_workflow_commands_run() {
    let commands = workflow_commands();
    assert_eq!(commands.len(), 3, "{commands:?}");
    let dir = workspace();
    let (code, out) = sh(dir.path(), &commands[0]);
    assert_eq!(code, 0, "{}: {out}", commands[0]);
    let (code, out) = sh(dir.path(), &commands[1]);
    assert_eq!(code, 0, "{}: {out}", commands[1]);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("archpolicy.sarif")).unwrap()).unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    // The examples break policies on purpose: the last step fails the job, with annotations.
    let (code, out) = sh(dir.path(), &commands[2]);
    assert_eq!(code, 1, "{}: {out}", commands[2]);
    assert!(out.contains("::error file=examples/"), "{out}");
}

#[test]
fn the_pre_commit_hook_checks_staged_proposals() {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let hook = &code_blocks(&doc, "sh")[0];
    let dir = workspace();
    let run = |script: &str| sh(dir.path(), script);
    assert_eq!(run("git init -q . && git config user.email t@example.com && git config user.name t").0, 0);
    std::fs::write(dir.path().join("hook.sh"), hook).unwrap();
    assert_eq!(run("git add examples/fargate_alb.arch.yaml").0, 0);
    let (code, out) = run("sh hook.sh");
    assert_eq!(code, 0, "a clean proposal passes: {out}");
    assert_eq!(run("git add examples/breaks_on_purpose/public_tasks.arch.yaml").0, 0);
    let (code, out) = run("sh hook.sh");
    assert_eq!(code, 1, "a proposal with a deny finding stops the commit: {out}");
    assert!(out.contains("deny(private-compute)"), "{out}");
    // An unformatted policy stops it too.
    std::fs::write(dir.path().join("policies/extra.policy"), "policy x:warn{require true}\n").unwrap();
    assert_eq!(run("git reset -q examples/breaks_on_purpose/public_tasks.arch.yaml").0, 0);
    let (code, out) = run("sh hook.sh");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("would reformat"), "{out}");
}

#[test]
fn the_pre_commit_framework_hook_runs() {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let config = yaml_block(&doc, "repo: local");
    let entry = config.lines().find_map(|l| l.trim().strip_prefix("entry: ")).unwrap();
    let dir = workspace();
    let (code, out) =
        sh(dir.path(), &format!("{entry} examples/fargate_alb.arch.yaml examples/lambda_api_gateway.arch.yaml"));
    assert_eq!(code, 0, "{out}");
}
