//! action.yml, run as GitHub runs a composite action: its `run:` steps in
//! bash (`-eo pipefail`) with the inputs given and action.yml's defaults, its
//! `env:`, `if:` and `working-directory:`, step outputs through
//! `GITHUB_OUTPUT` and `GITHUB_PATH`, stopping at the first step that fails;
//! against a copy of the examples. The two `uses:` steps are stood in for:
//! actions/cache restores a `policy` (the binary under test, so the build step
//! is skipped as on a cache hit) and upload-sarif records the file it would
//! upload. The uses of the action in docs/ci.md and .github/workflows are run
//! with their inputs.
//!
//! The expressions this runner understands are the few action.yml uses; any
//! other fails the test, so the action stays that simple or this grows.

use crate::common;
use crate::common::ci;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What a run of the action did.
#[derive(Debug, Default)]
struct Run {
    /// The names of the steps that ran, in order.
    ran: Vec<String>,
    /// The step that failed, and its exit code.
    failed: Option<(String, i32)>,
    /// Every step's stdout then stderr.
    log: String,
    /// The outputs of the steps that have an `id`.
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// The SARIF file and category the upload step was given.
    uploaded: Option<(PathBuf, String)>,
}

impl Run {
    fn output(&self, step: &str, name: &str) -> &str {
        self.outputs.get(step).and_then(|o| o.get(name)).map_or("", String::as_str)
    }
}

fn action() -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string("action.yml").unwrap()).unwrap()
}

struct Context<'a> {
    inputs: &'a BTreeMap<String, String>,
    outputs: &'a BTreeMap<String, BTreeMap<String, String>>,
}

impl Context<'_> {
    /// The value of one expression, `inputs.paths` or `steps.check.outputs.exit-code`.
    fn value(&self, expr: &str) -> String {
        let parts: Vec<&str> = expr.trim().split('.').collect();
        match parts.as_slice() {
            ["inputs", name] => self
                .inputs
                .get(*name)
                .unwrap_or_else(|| panic!("action.yml reads an undeclared input `{name}`"))
                .clone(),
            ["steps", id, "outputs", name] => {
                self.outputs.get(*id).and_then(|o| o.get(*name)).cloned().unwrap_or_default()
            }
            ["runner", "os"] => "Linux".into(),
            ["runner", "arch"] => "X64".into(),
            _ => panic!("the test's runner does not know `{expr}`: simplify action.yml or teach tests/it/ci_action.rs"),
        }
    }

    /// A text with every `${{ ... }}` replaced by its value.
    fn interpolate(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("an unclosed `${{`") + start;
            out.push_str(&self.value(&rest[start + 3..end]));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// An `if:` condition: comparisons with a quoted string, joined by `&&`.
    fn condition(&self, expr: &str) -> bool {
        expr.split("&&").all(|part| {
            let (left, right, equal) = if let Some((l, r)) = part.split_once("!=") {
                (l, r, false)
            } else if let Some((l, r)) = part.split_once("==") {
                (l, r, true)
            } else {
                panic!("the test's runner does not know the condition `{part}`")
            };
            let literal = right.trim().strip_prefix('\'').and_then(|r| r.strip_suffix('\'')).expect("a quoted string");
            (self.value(left) == literal) == equal
        })
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a scalar: {other}"),
    }
}

/// `KEY=VALUE` lines of a `GITHUB_OUTPUT` file (the action writes no multi-line values).
fn read_outputs(file: &Path) -> BTreeMap<String, String> {
    let content = std::fs::read_to_string(file).unwrap_or_default();
    content.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A runner's files and directories for one run, in a temporary directory.
struct Runner<'a> {
    dir: tempfile::TempDir,
    workspace: &'a Path,
}

/// What a `run:` step did.
struct StepResult {
    code: i32,
    log: String,
    outputs: BTreeMap<String, String>,
}

impl Runner<'_> {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs step `i`'s script in bash as GitHub does, with the `PATH` that `GITHUB_PATH` built.
    fn shell_step(&self, i: usize, step: &Value, context: &Context) -> StepResult {
        let name = step["name"].as_str().unwrap();
        assert_eq!(step["shell"].as_str(), Some("bash"), "step `{name}`");
        let script = self.path(&format!("step{i}.sh"));
        std::fs::write(&script, context.interpolate(step["run"].as_str().unwrap())).unwrap();
        let output_file = self.path(&format!("output{i}"));
        let dir = match step["working-directory"].as_str() {
            Some(d) => self.workspace.join(context.interpolate(d)),
            None => self.workspace.to_path_buf(),
        };
        let added = std::fs::read_to_string(self.path("github_path")).unwrap_or_default();
        let mut path: Vec<String> = added.lines().rev().map(str::to_string).collect();
        path.push(std::env::var("PATH").unwrap_or_default());
        std::fs::create_dir_all(self.path("temp")).unwrap();
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(dir)
            .env("PATH", path.join(":"))
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("GITHUB_WORKSPACE", self.workspace)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", self.path("github_path"))
            .env("RUNNER_TEMP", self.path("temp"))
            .env("RUNNER_TOOL_CACHE", self.path("tool_cache"))
            .env_remove("NO_COLOR");
        for (key, value) in step["env"].as_object().into_iter().flatten() {
            command.env(key, context.interpolate(&text(value)));
        }
        let out = command.output().unwrap();
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        StepResult { code: out.status.code().unwrap_or(-1), log, outputs: read_outputs(&output_file) }
    }
}

/// The inputs of a run: those given, and action.yml's defaults for the others.
fn inputs(action: &Value, with: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let declared = action["inputs"].as_object().unwrap();
    for name in with.keys() {
        assert!(declared.contains_key(name), "`{name}` is not an input of action.yml");
    }
    declared
        .iter()
        .map(|(name, input)| (name.clone(), with.get(name).cloned().unwrap_or_else(|| text(&input["default"]))))
        .collect()
}

/// Runs action.yml in `workspace` with the inputs `with`.
fn run_action(workspace: &Path, with: &BTreeMap<String, String>) -> Run {
    let action = action();
    let inputs = inputs(&action, with);
    let runner = Runner { dir: tempfile::tempdir().unwrap(), workspace };
    let mut run = Run::default();
    for (i, step) in action["runs"]["steps"].as_array().unwrap().iter().enumerate() {
        let name = step["name"].as_str().unwrap().to_string();
        let context = Context { inputs: &inputs, outputs: &run.outputs };
        if let Some(condition) = step["if"].as_str()
            && !context.condition(condition)
        {
            continue;
        }
        let step_with: BTreeMap<String, String> = step["with"]
            .as_object()
            .map(|w| w.iter().map(|(k, v)| (k.clone(), context.interpolate(&text(v)))).collect())
            .unwrap_or_default();
        let outputs = match step["uses"].as_str() {
            Some(uses) if uses.starts_with("actions/cache@") => {
                // A cache hit: the binary under test, where the action's build would install it.
                let bin = PathBuf::from(&step_with["path"]).join("bin");
                std::fs::create_dir_all(&bin).unwrap();
                std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_policy"), bin.join("policy")).unwrap();
                BTreeMap::from([("cache-hit".to_string(), "true".to_string())])
            }
            Some(uses) if uses.starts_with("github/codeql-action/upload-sarif@") => {
                let file = PathBuf::from(&step_with["sarif_file"]);
                // Read before the runner's temporary directory goes.
                let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_default())
                    .unwrap_or_else(|e| panic!("the uploaded {} is not SARIF: {e}", file.display()));
                assert_eq!(sarif["version"], "2.1.0");
                run.log.push_str(&format!("\nuploaded SARIF: {sarif}\n"));
                run.uploaded = Some((file, step_with["category"].clone()));
                BTreeMap::new()
            }
            Some(uses) => panic!("the test's runner cannot stand in for `{uses}`"),
            None => {
                let result = runner.shell_step(i, step, &context);
                run.log.push_str(&result.log);
                if result.code != 0 {
                    run.failed = Some((name.clone(), result.code));
                }
                result.outputs
            }
        };
        run.ran.push(name);
        if let Some(id) = step["id"].as_str() {
            run.outputs.insert(id.to_string(), outputs);
        }
        if run.failed.is_some() {
            break;
        }
    }
    run
}

fn with(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A user's repository whose `policies` are the organization's own: one policy
/// of the standard pack under another id.
fn org_workspace() -> tempfile::TempDir {
    let dir = ci::workspace();
    let pack = std::fs::read_to_string("policies/operations.policy").unwrap();
    let start = pack.find("policy production-tracing:").unwrap();
    let end = start + pack[start..].find("\n}\n").unwrap() + 3;
    let org = pack[start..end].replace("policy production-tracing:", "policy org-production-tracing:");
    std::fs::remove_dir_all(dir.path().join("policies")).unwrap();
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    std::fs::write(dir.path().join("policies/org.policy"), org).unwrap();
    dir
}

const CLEAN: &str = "examples/fargate_alb.arch.yaml examples/lambda_api_gateway.arch.yaml";

#[test]
fn the_action_annotates_uploads_and_fails_on_the_examples() {
    let dir = ci::workspace();
    let run = run_action(dir.path(), &with(&[]));
    assert_eq!(run.failed, Some(("Fail on findings".to_string(), 1)), "{run:#?}");
    assert_eq!(run.output("check", "exit-code"), "1");
    assert!(run.log.contains("::error file=examples/breaks_on_purpose/"), "{}", run.log);
    let (file, category) = run.uploaded.as_ref().expect("the SARIF upload runs");
    assert_eq!(category, "archpolicy");
    assert_eq!(file.to_str().unwrap(), run.output("check", "sarif-file"));
    assert!(run.log.contains("\"ruleId\""), "the SARIF has results: {}", run.log);
    assert!(run.ran.contains(&"Put policy on the PATH".to_string()) && !run.ran.contains(&"Build policy".to_string()));
}

#[test]
fn clean_proposals_pass_with_the_organizations_policies_beside_the_standard_pack() {
    let dir = org_workspace();
    let run = run_action(dir.path(), &with(&[("paths", CLEAN), ("policies", "policies"), ("with-standard", "true")]));
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.output("check", "exit-code"), "0");
}

#[test]
fn soft_fail_reports_findings_and_lets_the_job_go_on() {
    let dir = ci::workspace();
    let run = run_action(dir.path(), &with(&[("soft-fail", "true"), ("format", "human")]));
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.output("check", "exit-code"), "1");
    assert!(run.log.contains("::warning::archpolicy found problems at or above deny"), "{}", run.log);
    assert!(run.log.contains("deny(private-compute)"), "the human format in the log: {}", run.log);
}

#[test]
fn a_policy_that_does_not_load_fails_the_job_even_with_soft_fail_and_is_uploaded() {
    let dir = ci::workspace();
    std::fs::write(dir.path().join("policies/broken.policy"), "policy x: deny {\n").unwrap();
    let run = run_action(dir.path(), &with(&[("policies", "policies"), ("soft-fail", "true")]));
    assert_eq!(run.failed, Some(("Fail on findings".to_string(), 2)), "{run:#?}");
    assert!(run.log.contains("broken.policy"), "{}", run.log);
    assert!(run.uploaded.is_some(), "the report of a failed load is uploaded too");
}

#[test]
fn without_the_upload_no_sarif_is_written() {
    let dir = ci::workspace();
    let run = run_action(dir.path(), &with(&[("upload-sarif", "false"), ("paths", CLEAN)]));
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.uploaded, None);
    assert_eq!(run.output("check", "sarif-file"), "");
}

#[test]
fn inputs_reach_policy_as_its_flags() {
    let dir = ci::workspace();
    // Each input, given a value `policy` refuses, shows in `policy`'s own message (exit 2).
    for (input, value, said) in [
        ("fail-on", "never", "possible values: deny, warn, info"),
        ("format", "yaml", "possible values: human, json, sarif, github, junit"),
        ("today", "tomorrow", "tomorrow"),
        ("params", "no_such_param=1", "no_such_param"),
        ("paths", "examples/missing.arch.yaml", "examples/missing.arch.yaml"),
    ] {
        let run = run_action(dir.path(), &with(&[(input, value), ("upload-sarif", "false")]));
        assert_eq!(run.failed.as_ref().map(|f| f.1), Some(2), "{input}: {run:#?}");
        assert!(run.log.contains(said), "{input}: {}", run.log);
    }
    // `working-directory` is where `paths` are found; `fail-on` lowers the bar (a proposal with a warn finding).
    for (level, code) in [("deny", "0"), ("warn", "1")] {
        let run = run_action(
            dir.path(),
            &with(&[
                ("working-directory", "examples/breaks_on_purpose"),
                ("paths", "long_requests_without_waiver.arch.yaml"),
                ("fail-on", level),
            ]),
        );
        assert_eq!(run.output("check", "exit-code"), code, "{level}: {run:#?}");
        assert!(run.log.contains("::warning file=long_requests_without_waiver.arch.yaml"), "{}", run.log);
    }
}

#[test]
fn a_boolean_input_is_true_or_false() {
    let dir = ci::workspace();
    for input in ["with-standard", "upload-sarif", "soft-fail"] {
        let run = run_action(dir.path(), &with(&[(input, "yes"), ("paths", CLEAN)]));
        assert_eq!(run.failed.as_ref().map(|f| f.1), Some(2), "{input}: {run:#?}");
        assert!(run.log.contains(&format!("::error::{input} is `yes`: true or false")), "{}", run.log);
    }
}

/// The `with:` of every step of `workflow` that `uses` the action as `uses(...)` says.
fn uses_of_the_action(workflow: &str, is_action: impl Fn(&str) -> bool) -> Vec<(String, BTreeMap<String, String>)> {
    let workflow: Value = serde_saphyr::from_str(workflow).unwrap();
    let mut found = Vec::new();
    // A YAML block that is not a workflow has no `jobs`.
    for job in workflow["jobs"].as_object().into_iter().flat_map(|jobs| jobs.values()) {
        for step in job["steps"].as_array().unwrap() {
            if step["uses"].as_str().is_some_and(&is_action) {
                let given = step["with"].as_object().into_iter().flatten().map(|(k, v)| (k.clone(), text(v))).collect();
                found.push((step["uses"].as_str().unwrap().to_string(), given));
            }
        }
    }
    found
}

#[test]
fn the_docs_workflow_runs_the_action() {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let uses: Vec<_> = common::code_blocks(&doc, "yaml")
        .iter()
        .flat_map(|block| uses_of_the_action(block, |u| u.starts_with("your-org/archpolicy@")))
        .collect();
    assert!(!uses.is_empty(), "docs/ci.md uses the action");
    for (_, given) in uses {
        let dir = org_workspace();
        let run = run_action(dir.path(), &given);
        // The examples break policies on purpose: annotated, uploaded, and the job fails.
        assert_eq!(run.failed, Some(("Fail on findings".to_string(), 1)), "{given:?}: {run:#?}");
        assert!(run.log.contains("::error file=examples/"), "{}", run.log);
        assert!(run.uploaded.is_some());
    }
}

#[test]
fn the_repositorys_workflow_runs_the_action_on_the_examples() {
    let mut count = 0;
    for entry in std::fs::read_dir(".github/workflows").unwrap() {
        let workflow = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (_, given) in uses_of_the_action(&workflow, |u| u == "./") {
            count += 1;
            let dir = ci::workspace();
            let run = run_action(dir.path(), &given);
            assert_eq!(run.failed, None, "{given:?}: {run:#?}");
            // A soft-failing step is one that checks proposals broken on purpose.
            let expected = if given.get("soft-fail").is_some_and(|s| s == "true") { "1" } else { "0" };
            assert_eq!(run.output("check", "exit-code"), expected, "{given:?}: {run:#?}");
        }
    }
    assert!(count >= 2, "the workflow uses the action");
}

#[test]
fn docs_ci_md_lists_every_input_with_its_default() {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let rows: BTreeMap<String, String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| {
            let (name, rest) = l.split_once("` | ")?;
            Some((name.to_string(), rest.split(" | ").next()?.to_string()))
        })
        .filter(|(name, _)| !name.starts_with("policy-"))
        .collect();
    let action = action();
    let inputs = action["inputs"].as_object().unwrap();
    let documented: BTreeSet<&String> = rows.keys().collect();
    assert_eq!(documented, inputs.keys().collect::<BTreeSet<_>>(), "the inputs in docs/ci.md's table");
    for (name, input) in inputs {
        let default = text(&input["default"]);
        let documented = &rows[name];
        if default.is_empty() {
            assert!(!documented.starts_with('`'), "`{name}` has no default, docs/ci.md says {documented}");
        } else {
            assert_eq!(documented, &format!("`{default}`"), "the default of `{name}`");
        }
    }
}
