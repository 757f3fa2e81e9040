//! The import fuzz targets' bodies, shared by fuzz/fuzz_targets/import_*.rs
//! and tests/it/fuzz_replay.rs (which replays their corpora on stable).
//!
//! `import_template`: `policy import` on arbitrary bytes (read lossily, as
//! `policy import` reads a file); each service found translated to the
//! proposal keys it decides (parameters at their defaults), and its
//! skeleton written. Every span of a translated value lies in the text, on
//! character boundaries; a skeleton is YAML that reads back its service.
//!
//! `import_proposal`: a proposal standing on the bytes as its template. The
//! loader reads the template from disk beside the proposal, so the bytes are
//! written to `t.yaml` in a directory of this process's own under the
//! system's temporary directory; a fixed proposal naming it is loaded for
//! each service found (and a fixed name, and a name that is no service's).
//! A proposal that loads has facts; every load error renders, with no
//! control character in the text.
//!
//! What must hold for both: no panic, hang or blow-up.

#![allow(dead_code)]

use archpolicy::import::resolve::{Parameters, Resolver};
use archpolicy::import::{self, skeleton, translate};
use archpolicy::report::human::{Style, render};
use archpolicy::yaml::{Node, Value};
use std::path::PathBuf;
use std::sync::OnceLock;

/// `import_template` (see the module's doc).
pub fn import_template(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(imported) = import::import_str("t.yaml", &text) else { return };
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    let resolver = Resolver::new(imported.template(), &parameters);
    for service in &imported.classification().services {
        if let Ok(translated) = translate::translate(imported.template(), service, &resolver) {
            spans_in(&translated.root, &text);
        }
        let written = skeleton::skeleton(&imported, service, "t.yaml");
        let root = match archpolicy::yaml::parse(&written) {
            Ok(Some(root)) => root,
            other => panic!("a skeleton does not read as YAML ({other:?}):\n{written}"),
        };
        let select = root.get("import").and_then(|i| i.get("select"));
        assert!(
            matches!(select.map(|n| &n.value), Some(Value::Str(s)) if service.select == s.as_str()),
            "the skeleton's `import.select` is not `{}`:\n{written}",
            service.select.raw()
        );
    }
}

/// Every span of the tree lies in `text`, on character boundaries.
fn spans_in(node: &Node, text: &str) {
    let (start, end) = (node.span.offset(), node.span.offset() + node.span.len());
    assert!(
        end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end),
        "span {start}..{end} of a translated value is not in the template ({} bytes)",
        text.len()
    );
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| spans_in(n, text)),
        Value::Map(entries) => {
            for (key, value) in entries {
                let (start, end) = (key.span.offset(), key.span.offset() + key.span.len());
                assert!(end <= text.len(), "span {start}..{end} of key `{}` is not in the template", key.name);
                spans_in(value, text);
            }
        }
        _ => {}
    }
}

/// The process's directory, created once: `/tmp/archpolicy-import-fuzz-PID`.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("archpolicy-import-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the fuzz directory is created");
        assert!(
            archpolicy::walk::repository_root(&dir).is_none(),
            "{} is inside a git repository: the loader would allow more than the directory",
            dir.display()
        );
        dir
    })
}

fn proposal(select: &str, defaults: bool) -> String {
    format!(
        "name: fuzz\nenvironment: production\n\
         import: {{ from: t.yaml, select: {}, parameter_defaults: {defaults} }}\n\
         workload: {{ requests_per_month: 5000000, avg_duration: 80ms, max_request_duration: 2s, peak_rps: 40 }}\n",
        serde_json::to_string(select).expect("a string serializes")
    )
}

/// `import_proposal` (see the module's doc).
pub fn import_proposal(data: &[u8]) {
    let dir = dir();
    std::fs::write(dir.join("t.yaml"), data).expect("the template is written");
    let services: Vec<String> = match archpolicy::import::import_str("t.yaml", &String::from_utf8_lossy(data)) {
        Ok(imported) => imported.classification().services.iter().take(4).map(|s| s.select.raw().to_string()).collect(),
        Err(_) => Vec::new(),
    };
    let mut cases: Vec<(String, bool)> = services.iter().map(|s| (s.clone(), true)).collect();
    match services.first() {
        // Without defaults too: a parameter's `Ref` is then an error labelled in the template.
        Some(first) => cases.push((first.clone(), false)),
        None => cases.push(("Function".into(), true)),
    }
    // A name that is no service's: the "did you mean" over the template's services.
    cases.push(("NoSuchService".into(), false));
    let name = dir.join("p.arch.yaml").display().to_string();
    for (select, defaults) in cases {
        match archpolicy::load_str(&name, &proposal(&select, defaults)) {
            Ok(loaded) => {
                let facts = loaded.facts();
                assert!(facts.get("request.sync_limit").is_some(), "a loaded proposal has its facts");
            }
            Err(failure) => {
                for report in failure.reports() {
                    let out = render(&report, Style::PLAIN);
                    assert!(!out.is_empty(), "an error renders to nothing");
                    // A source line's CRLF ending is drawn as it is (fuzz/harness.rs, `render`).
                    let shown = out.replace("\r\n", "\n");
                    assert!(
                        !shown.chars().any(archpolicy::report::safe::is_unsafe),
                        "a control character in a rendered error: {out:?}"
                    );
                }
            }
        }
    }
}
