//! The TextMate grammar of editors/vscode: under Node, vscode-textmate
//! tokenizes the standard pack with it (when `npm install` has been run in
//! editors/vscode); always, every regular expression in it compiles and
//! every keyword of grammar/policy.pest gets a keyword scope.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const GRAMMAR: &str = "editors/vscode/syntaxes/archpolicy.tmLanguage.json";

fn grammar() -> Value {
    serde_json::from_str(&std::fs::read_to_string(GRAMMAR).unwrap()).unwrap()
}

/// Every (scope name, pattern) of a rule and its children.
fn patterns(rule: &Value, name: &str, out: &mut Vec<(String, String)>) {
    let name = rule["name"].as_str().unwrap_or(name);
    for key in ["match", "begin", "end"] {
        if let Some(pattern) = rule[key].as_str() {
            out.push((name.to_string(), pattern.to_string()));
        }
    }
    for child in rule["patterns"].as_array().into_iter().flatten() {
        patterns(child, name, out);
    }
    for child in rule["repository"].as_object().into_iter().flat_map(|r| r.values()) {
        patterns(child, name, out);
    }
}

#[test]
fn every_regex_compiles_and_every_keyword_has_a_keyword_scope() {
    let mut all = Vec::new();
    patterns(&grammar(), "", &mut all);
    assert!(all.len() > 20, "{} patterns", all.len());
    for (_, pattern) in &all {
        fancy_regex::Regex::new(pattern).unwrap_or_else(|e| panic!("`{pattern}` does not compile: {e}"));
    }
    let pest = std::fs::read_to_string("grammar/policy.pest").unwrap();
    let words = fancy_regex::Regex::new(r#""([a-z]{2,})""#).unwrap();
    let keywords: Vec<String> = words
        .captures_iter(pest.as_str())
        .map(|c| c.unwrap()[1].to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(keywords.len() > 30, "{keywords:?}");
    let scoped = ["keyword.", "storage.type", "constant.language"];
    for word in &keywords {
        let found = all.iter().filter(|(name, _)| scoped.iter().any(|s| name.starts_with(s))).any(|(_, pattern)| {
            let regex = fancy_regex::Regex::new(pattern).unwrap();
            regex.find(word).ok().flatten().is_some_and(|m| m.as_str() == word)
        });
        assert!(found, "the keyword `{word}` has no keyword scope in the grammar");
    }
}

#[test]
fn vscode_textmate_tokenizes_the_standard_pack() {
    if !Path::new("editors/vscode/node_modules/vscode-textmate").exists() {
        eprintln!("skipped: run `npm install` in editors/vscode to tokenize with vscode-textmate");
        return;
    }
    let output = Command::new("node").arg("editors/vscode/test/tokenize.js").output().expect("node runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("tokenized 4 files"));
}
