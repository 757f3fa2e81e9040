//! The architecture holds: layers only point down, no two files of a module
//! need each other, and each section's keys are stated once (the keys its
//! reader asks for), in agreement with the JSON Schema and docs/model.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The library's modules in layer order, as lib.rs declares them: one name
/// a line in its `stages!` blocks, after "In layer order".
fn layers() -> Vec<String> {
    let lib = std::fs::read_to_string("src/lib.rs").unwrap();
    let start = lib.find("// In layer order").expect("lib.rs states the layer order");
    lib[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("mod ") && !l.starts_with("pub use"))
        .filter_map(|l| l.trim().strip_suffix(','))
        .filter(|m| m.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first segment of every `crate::` path in the text, `use crate::{a, b}` included.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                found.insert(name);
            }
        } else {
            found.insert(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    found
}

/// A file's text without comments, so a doc link is not a dependency.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

#[test]
fn layers_only_point_down() {
    let layers = layers();
    assert!(layers.len() >= 10, "lib.rs lists its modules in layer order: {layers:?}");
    let rank = |m: &str| layers.iter().position(|l| l == m);
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut upward = Vec::new();
    for file in files {
        let relative = file.strip_prefix("src").unwrap();
        let module = relative.iter().next().unwrap().to_string_lossy().trim_end_matches(".rs").to_string();
        let Some(own) = rank(&module) else { continue }; // main.rs, cli/, api.rs: above every layer
        for used in crate_references(&code(&file)) {
            if let Some(r) = rank(&used).filter(|r| *r > own) {
                upward.push(format!("{} uses `{}` ({} is below it)", file.display(), layers[r], module));
            }
        }
    }
    assert!(upward.is_empty(), "a layer reaches up:\n{}", upward.join("\n"));
}

/// Edges between sibling files of one directory (`super::b` in a.rs, or
/// `crate::m::b` in src/m/a.rs); `mod.rs` declares its children and is left out.
fn sibling_edges(dir: &Path, module_path: &str) -> BTreeMap<String, BTreeSet<String>> {
    let siblings: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .filter(|s| s != "mod")
        .collect();
    let mut edges = BTreeMap::new();
    for name in &siblings {
        let text = code(&dir.join(format!("{name}.rs")));
        let mut uses = BTreeSet::new();
        for prefix in ["super::".to_string(), format!("crate::{module_path}::")] {
            for (i, _) in text.match_indices(&prefix) {
                let rest = &text[i + prefix.len()..];
                let first: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let group = rest.strip_prefix('{').map(|g| &g[..g.find('}').unwrap_or(g.len())]);
                let names: Vec<String> = match group {
                    Some(g) => g.split(',').map(|s| s.trim().split("::").next().unwrap_or("").to_string()).collect(),
                    None => vec![first],
                };
                uses.extend(names.into_iter().filter(|n| siblings.contains(n) && n != name));
            }
        }
        edges.insert(name.clone(), uses);
    }
    edges
}

#[test]
fn no_two_files_of_a_module_need_each_other() {
    let mut dirs = vec![PathBuf::from("src")];
    let mut loops = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            }
        }
        let module_path = dir.strip_prefix("src").unwrap().to_string_lossy().replace('/', "::");
        let edges = sibling_edges(&dir, &module_path);
        for (a, uses) in &edges {
            for b in uses {
                if a < b && edges.get(b).is_some_and(|u| u.contains(a)) {
                    loops.push(format!("{}: {a}.rs <-> {b}.rs", dir.display()));
                }
            }
        }
    }
    assert!(loops.is_empty(), "files that need each other:\n{}", loops.join("\n"));
}

/// The properties a schema node has, following `$ref`, `anyOf` and `items`.
fn properties<'a>(root: &'a Value, node: &'a Value) -> BTreeSet<String> {
    if let Some(reference) = node["$ref"].as_str() {
        let name = reference.trim_start_matches("#/$defs/");
        return properties(root, &root["$defs"][name]);
    }
    let mut keys: BTreeSet<String> =
        node["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    for choice in node["anyOf"].as_array().into_iter().chain(node["oneOf"].as_array()).flatten() {
        keys.extend(properties(root, choice));
    }
    if node["items"].is_object() {
        keys.extend(properties(root, &node["items"]));
    }
    keys
}

/// The schema node of a section path such as `gateway.throttle`.
fn section_node<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = root;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let mut next = None;
        let mut candidates = vec![node];
        while let Some(n) = candidates.pop() {
            if let Some(reference) = n["$ref"].as_str() {
                candidates.push(&root["$defs"][reference.trim_start_matches("#/$defs/")]);
            }
            for key in ["anyOf", "oneOf"] {
                candidates.extend(n[key].as_array().into_iter().flatten());
            }
            if n["items"].is_object() {
                candidates.push(&n["items"]);
            }
            if let Some(found) = n["properties"].get(segment) {
                next = Some(found);
            }
        }
        node = next?;
    }
    Some(node)
}

#[test]
fn every_section_reads_exactly_the_keys_of_the_schema_and_the_docs() {
    let schema = archpolicy::json_schema::proposal_schema();
    let reference = std::fs::read_to_string("docs/model.md").unwrap();
    let mut read: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, keys) in archpolicy::load::key_catalogue() {
        read.entry(path).or_default().extend(keys.iter().map(|k| k.to_string()));
    }
    for section in
        ["", "workload", "gateway", "gateway.throttle", "function", "function.vpc", "service", "service.tasks"]
    {
        assert!(read.contains_key(section), "the catalogue has no `{section}`: {:?}", read.keys());
    }
    for (path, keys) in &read {
        if path == "tags" {
            continue; // free-form
        }
        let node = section_node(&schema, path).unwrap_or_else(|| panic!("the schema has no section `{path}`"));
        assert_eq!(&properties(&schema, node), keys, "`{path}`: the schema's keys and the keys the loader reads");
        for key in keys {
            assert!(
                reference.contains(&format!("`{key}")) || reference.contains(&format!(".{key}`")),
                "docs/model.md does not name `{path}.{key}`"
            );
        }
    }
}

#[test]
fn every_diagnostic_code_is_documented() {
    let doc = std::fs::read_to_string("docs/diagnostics.md").unwrap();
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // `#[diagnostic(code(...))]`, and `miette!(code = "...")` in the CLI.
        let derived = text.match_indices("code(archpolicy::").map(|(i, _)| i + "code(".len());
        let built = text.match_indices("code = \"archpolicy::").map(|(i, _)| i + "code = \"".len());
        for i in derived.chain(built).collect::<Vec<_>>() {
            let rest = &text[i..];
            let code: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            // `archpolicy::stage::name`; a bare prefix is a test looking for codes, not a code.
            if code.split("::").filter(|s| !s.is_empty()).count() == 3 {
                codes.insert(code);
            }
        }
    }
    assert!(codes.len() > 40, "found the codes: {codes:?}");
    let missing: Vec<&String> = codes.iter().filter(|c| !doc.contains(&format!("`{c}`"))).collect();
    assert!(missing.is_empty(), "docs/diagnostics.md does not list {missing:?}");
    // And it lists no code the source no longer has.
    let listed: BTreeSet<String> = doc
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(code, _)| code.to_string())
        .filter(|code| code.starts_with("archpolicy::"))
        .collect();
    let stale: Vec<&String> = listed.difference(&codes).collect();
    assert!(stale.is_empty(), "docs/diagnostics.md lists codes no longer in the source: {stale:?}");
}

/// Issue 22, class 4: the command line writes to a terminal through one
/// module, src/cli/output.rs, whose writers pass every report through the
/// guard against workflow commands; the library never writes at all.
#[test]
fn stdout_and_stderr_are_written_only_through_the_guarded_writers() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let routes = ["print!", "println!", "eprint!", "eprintln!", "io::stdout()", "io::stderr()", "dbg!", ".print()"];
    let mut found = Vec::new();
    for file in &files {
        if file.ends_with("cli/output.rs") {
            continue;
        }
        for (n, line) in code(file).lines().enumerate() {
            for route in routes {
                if line.contains(route) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "write through src/cli/output.rs instead:\n{}", found.join("\n"));
    let output = std::fs::read_to_string("src/cli/output.rs").unwrap();
    assert_eq!(output.matches("std::io::stdout().lock()").count(), 1, "one route to stdout");
    assert_eq!(output.matches("stdout_handle()").count(), 3, "reports (guarded) and the language server's JSON-RPC");
    assert!(output.contains("fn write_stdout_unguarded"), "the route to stdout is private to the writers");
}

/// Issue 22, class 4: the renderers for people take input text as
/// `Untrusted`, whose only ways out are the escapes; the older escape that
/// keeps line breaks is the miette window's alone.
#[test]
fn human_renderers_escape_input_text_through_untrusted() {
    let untrusted = std::fs::read_to_string("src/untrusted.rs").unwrap();
    assert!(!untrusted.contains("impl fmt::Display for Untrusted"), "Untrusted must not be Display");
    assert!(!untrusted.contains("impl std::fmt::Display for Untrusted"), "Untrusted must not be Display");
    let renderers = [
        "src/cli/cost.rs",
        "src/cli/explain.rs",
        "src/cli/facts.rs",
        "src/cli/import.rs",
        "src/cli/list.rs",
        "src/cli/test.rs",
        "src/recommend/render.rs",
        "src/import/skeleton.rs",
    ];
    for file in renderers {
        let text = code(Path::new(file));
        let escapes =
            ["cell(", ".terminal()", ".block()", ".markdown()", ".markdown_prose()", ".markdown_code()", ".yaml()"];
        assert!(escapes.iter().any(|e| text.contains(e)), "{file} renders input text without `Untrusted`'s escapes");
        assert!(!text.contains("safe::escape"), "{file}: escape through `Untrusted`, which escapes line breaks too");
    }
}

/// The crates a library user compiles with `default-features = false`: the
/// names in `cargo tree`'s normal (non-dev, non-build) dependency tree.
fn core_dependencies() -> BTreeSet<String> {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--locked", "--no-default-features", "-e", "normal", "--prefix", "none"])
        .args(["--format", "{p}", "-p", "archpolicy"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_core_compiles_none_of_the_commands_dependencies() {
    let deps = core_dependencies();
    // The test reads a real tree: the engine's own dependencies are in it.
    for needed in ["archpolicy", "miette", "pest", "serde-saphyr"] {
        assert!(deps.contains(needed), "`{needed}` missing from the core's tree: {deps:?}");
    }
    let command_only: Vec<&String> = deps
        .iter()
        .filter(|d| {
            ["clap", "lsp-server", "lsp-types", "plotters", "serde-sarif", "crossbeam-channel", "mimalloc"]
                .contains(&d.as_str())
                || d.starts_with("clap_")
                || d.starts_with("lsp-")
                || d.starts_with("plotters")
        })
        .collect();
    assert!(command_only.is_empty(), "the core (no default features) compiles {command_only:?}");
}

/// Every Rust file under tests/it has its row in docs/testing.md's table, and
/// every row names a file that exists.
#[test]
fn every_test_file_is_listed_in_the_testing_doc() {
    let doc = std::fs::read_to_string("docs/testing.md").unwrap();
    let listed: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .flat_map(|cell| cell.split(", "))
        .filter(|p| p.starts_with("tests/") && p.ends_with(".rs"))
        .map(str::to_string)
        .collect();
    let mut files = Vec::new();
    rust_files(Path::new("tests/it"), &mut files);
    let present: BTreeSet<String> = files.iter().map(|p| p.display().to_string()).collect();
    let unlisted: Vec<&String> = present.difference(&listed).collect();
    let missing: Vec<&String> = listed.difference(&present).collect();
    assert!(unlisted.is_empty(), "test files docs/testing.md does not list: {unlisted:?}");
    assert!(missing.is_empty(), "docs/testing.md lists files that are not there: {missing:?}");
    assert!(present.len() >= 40, "the walk found the test files: {present:?}");
}

/// No file under src/ over 600 lines: a file a reader can hold in mind
/// (issue 27). A file that grows past it splits along a seam (a stage's
/// errors, one kind of charge, one family of settings).
#[test]
fn no_source_file_is_over_600_lines() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    assert!(files.len() > 100, "the walk found the sources: {}", files.len());
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).unwrap().lines().count()))
        .filter(|(_, lines)| *lines > 600)
        .map(|(f, lines)| format!("{} ({lines} lines)", f.display()))
        .collect();
    assert!(long.is_empty(), "files over 600 lines:\n{}", long.join("\n"));
}
