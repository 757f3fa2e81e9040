//! Examples in docs/ are real: every YAML proposal in a doc loads, and the
//! model reference names every key of the format.

use crate::common;

use common::{code_blocks, files_in};

#[test]
fn every_proposal_in_the_docs_loads() {
    let mut checked = 0;
    for path in files_in("docs", ".md").into_iter().chain([std::path::PathBuf::from("README.md")]) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, block) in code_blocks(&text, "yaml").into_iter().enumerate() {
            let stands_on_a_template = block.contains("\nimport:");
            if !block.contains("pattern:") && !stands_on_a_template {
                continue; // a fragment, such as the modeline
            }
            // A proposal standing on a template is examples/imported/'s, read beside its template.
            let name = match stands_on_a_template {
                true => format!("examples/imported/{}#{i}", path.display()).replace("docs/", "docs-"),
                false => format!("{}#{i}", path.display()),
            };
            if let Err(failure) = archpolicy::load_str(&name, &block) {
                panic!("{name} does not load: {failure}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 3, "the model reference has examples");
}

#[test]
fn every_policy_example_in_the_docs_parses_and_checks() {
    let mut checked = 0;
    for path in files_in("docs", ".md") {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, block) in code_blocks(&text, "policy").into_iter().enumerate() {
            let name = format!("{}#{i}", path.display());
            if let Err(failure) = archpolicy::PolicySet::from_str(&name, &block) {
                panic!("{name} does not check: {failure}\n{block}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 7, "docs/language.md has an example per construct, found {checked}");
}

#[test]
fn the_json_reference_matches_the_report() {
    let doc = std::fs::read_to_string("docs/json.md").unwrap();
    let example: serde_json::Value = serde_json::from_str(&code_blocks(&doc, "json")[0]).unwrap();
    let set = archpolicy::PolicySet::standard().unwrap();
    let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_without_waiver.arch.yaml").unwrap();
    let report = archpolicy::Report::new(vec![set.check(&proposal)], set.policies().len());
    let actual: serde_json::Value = serde_json::from_str(&archpolicy::render_json(&report)).unwrap();
    // Same keys at every level the example shows.
    fn keys(v: &serde_json::Value) -> Vec<String> {
        v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
    }
    assert_eq!(keys(&example), keys(&actual));
    assert_eq!(keys(&example["summary"]), keys(&actual["summary"]));
    let (e, a) = (&example["proposals"][0], &actual["proposals"][0]);
    assert_eq!(keys(e), keys(a));
    assert_eq!(keys(&e["findings"][0]), keys(&a["findings"][0]));
    assert_eq!(keys(&e["findings"][0]["proposal_location"]), keys(&a["findings"][0]["proposal_location"]));
    assert_eq!(e["findings"][0]["message"], a["findings"][0]["message"]);
    assert_eq!(e["findings"][0]["proposal_location"]["line"], a["findings"][0]["proposal_location"]["line"]);
}
