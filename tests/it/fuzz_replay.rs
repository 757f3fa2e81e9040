//! Replays every fuzz target's committed seeds and every past crash on
//! stable `cargo test`, so CI needs no nightly: fuzz/seeds/TARGET and
//! fuzz/regressions/TARGET (docs/fuzzing.md). The working corpus,
//! fuzz/corpus/, is rebuilt from the seeds and kept out of git.

#[path = "../../fuzz/harness.rs"]
mod harness;
#[path = "../../fuzz/import_harness.rs"]
mod import_harness;

use std::path::Path;

/// Issue 29: what the repository carries of fuzzing is small: seeds under
/// 1 MB in all, every target seeded, and no corpus in git.
#[test]
fn seeds_are_small_and_the_corpus_is_not_tracked() {
    let mut total = 0u64;
    let mut targets = Vec::new();
    for target in std::fs::read_dir("fuzz/seeds").unwrap() {
        let target = target.unwrap();
        targets.push(target.file_name().to_string_lossy().into_owned());
        for file in std::fs::read_dir(target.path()).unwrap() {
            total += file.unwrap().metadata().unwrap().len();
        }
    }
    assert!(total < 1024 * 1024, "fuzz/seeds holds {total} bytes");
    let declared = std::fs::read_to_string("fuzz/Cargo.toml").unwrap();
    for name in declared.lines().filter_map(|l| l.strip_prefix("name = \"")).filter_map(|l| l.strip_suffix('"')) {
        if name != "archpolicy-fuzz" {
            assert!(targets.iter().any(|t| t == name), "the fuzz target `{name}` has no fuzz/seeds/{name}");
        }
    }
    let ignored = std::fs::read_to_string(".gitignore").unwrap();
    assert!(ignored.lines().any(|l| l == "/fuzz/corpus"), "fuzz/corpus is ignored");
    let tracked = std::process::Command::new("git").args(["ls-files", "fuzz/corpus"]).output();
    if let Some(out) = tracked.ok().filter(|o| o.status.success()) {
        assert!(out.stdout.is_empty(), "fuzz/corpus is tracked: {}", String::from_utf8_lossy(&out.stdout));
    }
}

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for dir in ["fuzz/seeds", "fuzz/regressions"] {
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
    assert!(!inputs.is_empty(), "no seeds for `{target}` in fuzz/seeds/{target}");
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
