//! `policy import`: the services each infrastructure template holds, or why
//! it holds no whole pattern.

use std::path::PathBuf;

use archpolicy::import::{Imported, import_file};
use archpolicy::model::NamedEnum;

use super::output::{Exit, print_reports, unwritten, write_stdout};

pub fn run(paths: &[PathBuf], json: bool) -> Exit {
    let mut exit = Exit::Ok;
    let mut found = Vec::new();
    for path in paths {
        match import_file(path) {
            Ok(imported) => found.push(imported),
            Err(failure) => {
                print_reports(&failure.reports());
                exit = Exit::Error;
            }
        }
    }
    let text = if json { json_text(&found) } else { found.iter().map(human).collect::<Vec<_>>().join("\n") };
    if let Err(error) = write_stdout(&text) {
        return unwritten(&error);
    }
    exit
}

fn human(imported: &Imported) -> String {
    let f = &imported.findings;
    let mut out = format!("{} ({:?})\n", imported.source.name(), imported.template.flavor);
    for service in &f.services {
        out.push_str(&format!("  {}  {}\n", service.pattern.name(), service.select));
        out.push_str(&format!("      {}\n", service.why));
        out.push_str(&format!("      resources: {}\n", service.resources.join(", ")));
    }
    for why in &f.not_a_pattern {
        out.push_str(&format!("  not a whole pattern: {why}\n"));
    }
    out
}

fn json_text(found: &[Imported]) -> String {
    let items: Vec<serde_json::Value> = found
        .iter()
        .map(|i| {
            serde_json::json!({
                "file": i.source.name(),
                "flavor": i.template.flavor,
                "services": i.findings.services,
                "not_a_pattern": i.findings.not_a_pattern,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_default();
    text.push('\n');
    text
}
