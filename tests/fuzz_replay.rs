//! Replays every fuzz target's corpus and every past crash on stable
//! `cargo test`, so CI needs no nightly: fuzz/corpus/TARGET and
//! fuzz/regressions/TARGET (docs/fuzzing.md).

#[path = "../fuzz/harness.rs"]
mod harness;
#[path = "../fuzz/import_harness.rs"]
mod import_harness;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for dir in ["fuzz/corpus", "fuzz/regressions"] {
        let dir = Path::new(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                all.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    all.sort();
    all
}

fn replay(target: &str, body: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no corpus for `{target}`: run `bash fuzz/seed.sh`");
    for (name, data) in inputs {
        let result = std::panic::catch_unwind(|| body(&data));
        assert!(result.is_ok(), "{name} fails `{target}`");
    }
}

#[test]
fn parse_policy() {
    replay("parse_policy", harness::parse_policy);
}

#[test]
fn check_policy() {
    replay("check_policy", harness::check_policy);
}

#[test]
fn load_yaml() {
    replay("load_yaml", harness::load_yaml);
}

#[test]
fn load_json() {
    replay("load_json", harness::load_json);
}

#[test]
fn end_to_end() {
    replay("end_to_end", harness::end_to_end);
}

#[test]
fn fmt_roundtrip() {
    replay("fmt_roundtrip", harness::fmt_roundtrip);
}

#[test]
fn ast_roundtrip() {
    replay("ast_roundtrip", |data| {
        let mut u = arbitrary::Unstructured::new(data);
        if let Ok(file) = <harness::generate::GeneratedFile as arbitrary::Arbitrary>::arbitrary(&mut u) {
            harness::ast_roundtrip(&file.0);
        }
    });
}

#[test]
fn walk_tree() {
    replay("walk_tree", harness::walk_tree);
}

#[test]
fn render() {
    replay("render", harness::render);
}

#[test]
fn import_template() {
    replay("import_template", import_harness::import_template);
}

#[test]
fn import_proposal() {
    replay("import_proposal", import_harness::import_proposal);
}

#[test]
fn lsp_framing() {
    replay("lsp_framing", harness::lsp_framing);
}
