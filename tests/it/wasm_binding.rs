//! The WebAssembly binding (bindings/wasm) answers what the `policy` command
//! answers: its functions, compiled natively here (the browser runs the same
//! Rust), against the command's JSON, byte for byte, on every file under
//! examples/ and on each kind of error.

use std::path::{Path, PathBuf};

use crate::common;

/// A fixed day, so that waivers and runtime dates do not move under the test.
const TODAY: &str = "2026-12-06";

/// Every file under examples/, proposals or not: what is no proposal must
/// be refused by both with the same errors.
fn every_example_file() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { walk(&path, out) } else { out.push(path) }
        }
    }
    let mut files = Vec::new();
    walk(Path::new("examples"), &mut files);
    files.sort();
    files
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn name(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

#[test]
fn check_gives_the_commands_json_on_every_example() {
    let files = every_example_file();
    assert!(files.len() >= 15, "{files:?}");
    let mut refused = 0;
    for file in &files {
        let cli = common::stdout(&common::policy(&["check", "--format", "json", "--today", TODAY, &name(file)]));
        let binding = archpolicy_wasm::check(&name(file), &text(file), "", "", true, TODAY);
        assert_eq!(binding, cli, "{}", file.display());
        refused += usize::from(cli.contains("\"code\": \"archpolicy::load"));
    }
    // Both kinds were compared: proposals that load and files that do not.
    assert!(refused >= 5 && refused < files.len() - 10, "{refused} of {}", files.len());
}

#[test]
fn facts_and_cost_give_the_commands_json_on_every_example_proposal() {
    let today = archpolicy::Date::today().to_string();
    for file in common::files_in("examples", ".arch.yaml") {
        let facts = common::stdout(&common::policy(&["facts", "--format", "json", "--today", TODAY, &name(&file)]));
        assert_eq!(archpolicy_wasm::facts(&name(&file), &text(&file), TODAY), facts, "{}", file.display());
        // `policy cost` judges the alternatives as of today, and has no `--today`.
        let cost = common::stdout(&common::policy(&["cost", "--format", "json", &name(&file)]));
        assert_eq!(archpolicy_wasm::cost(&name(&file), &text(&file), "", "", true, &today), cost, "{}", file.display());
    }
}

/// An organization's policy beside the standard pack, and alone.
const ORG: &str = r#"policy short-requests: warn {
  title   "Requests finish within 20 s"
  require workload.max_request_duration <= 20s
          else "requests run up to {workload.max_request_duration}"
}
"#;

#[test]
fn a_users_policy_with_and_without_the_standard_pack_gives_the_commands_json() {
    let dir = tempfile::tempdir().unwrap();
    let org = common::write(dir.path(), "org.policy", ORG);
    let file = Path::new("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml");
    for standard in [true, false] {
        let mut args = vec!["check", "--format", "json", "--today", TODAY, "--policies", &org];
        if standard {
            args.push("--with-standard");
        }
        args.push(file.to_str().unwrap());
        let cli = common::stdout(&common::policy(&args));
        let binding = archpolicy_wasm::check(&name(file), &text(file), &org, ORG, standard, TODAY);
        assert_eq!(binding, cli, "standard: {standard}");
        assert!(cli.contains("short-requests"), "{cli}");
        assert_eq!(cli.contains("gateway-sync-limit"), standard, "{cli}");
    }
}

#[test]
fn errors_in_a_policy_a_proposal_and_a_waiver_give_the_commands_json() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "policy broken: warn {\n  require workload.max_request_duraton <= 20s\n}\n";
    let org = common::write(dir.path(), "org.policy", broken);
    let proposal = "examples/lambda_api_gateway.arch.yaml";
    let cli =
        common::stdout(&common::policy(&["check", "--format", "json", "--today", TODAY, "--policies", &org, proposal]));
    assert!(cli.contains("archpolicy::check::unknown_fact"), "{cli}");
    let binding = archpolicy_wasm::check(proposal, &text(Path::new(proposal)), &org, broken, false, TODAY);
    assert_eq!(binding, cli);

    let waiver = text(Path::new(proposal))
        + "waivers:\n  - { policy: no-such-policy, reason: x, expires: 2027-01-01, approved_by: \"@a\" }\n";
    let unwaivable = common::write(dir.path(), "w.arch.yaml", &waiver);
    let cli = common::stdout(&common::policy(&["check", "--format", "json", "--today", TODAY, &unwaivable]));
    assert!(cli.contains("no-such-policy"), "{cli}");
    assert_eq!(archpolicy_wasm::check(&unwaivable, &waiver, "", "", true, TODAY), cli);

    // Facts and cost of what does not load: its errors as check lists them.
    let answer: serde_json::Value =
        serde_json::from_str(&archpolicy_wasm::facts("p.arch.yaml", "name: p\n", TODAY)).unwrap();
    assert_eq!(answer["errors"][0]["code"], "archpolicy::load::missing_key", "{answer}");
    assert_eq!(answer["errors"][0]["line"], 1, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&archpolicy_wasm::cost(
        proposal,
        &text(Path::new(proposal)),
        "o.policy",
        broken,
        true,
        TODAY,
    ))
    .unwrap();
    assert_eq!(answer["errors"][0]["file"], "o.policy", "{answer}");
    let answer: serde_json::Value =
        serde_json::from_str(&archpolicy_wasm::check("p.arch.yaml", "", "", "", true, "tomorrow")).unwrap();
    assert_eq!(answer["errors"][0]["message"], "`tomorrow` is not a day: expected a date written as `YYYY-MM-DD`");
}

#[test]
fn fmt_writes_what_policy_fmt_writes() {
    let dir = tempfile::tempdir().unwrap();
    let messy = "# keep me\npolicy p:warn{require environment!=\"sandbox\"   # and me\n}\n";
    let file = common::write(dir.path(), "p.policy", messy);
    let out = common::policy(&["fmt", &file]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert_ne!(formatted, messy);
    let answer: serde_json::Value = serde_json::from_str(&archpolicy_wasm::fmt("p.policy", messy)).unwrap();
    assert_eq!(answer["formatted"], formatted.as_str());
    let answer: serde_json::Value = serde_json::from_str(&archpolicy_wasm::fmt("p.policy", "policy {")).unwrap();
    assert_eq!(answer["errors"][0]["code"], "archpolicy::parse::syntax", "{answer}");
}
