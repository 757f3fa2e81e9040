//! `policy import`: the services each infrastructure template holds, or why
//! it holds no whole pattern; with `--write DIR`, a skeleton proposal per
//! service that stands on its template.

use std::path::{Component, Path, PathBuf};

use crate::import::skeleton::kebab;
use crate::import::{Imported, import_file};
use crate::model::NamedEnum;
use crate::untrusted::Untrusted;

use super::output::{Exit, print_reports, unwritten, write_failed, write_output, write_stdout};

pub fn run(paths: &[PathBuf], json: bool, write: Option<&Path>, force: bool) -> Exit {
    let mut exit = Exit::Ok;
    let mut found = Vec::new();
    for path in paths {
        match import_file(path) {
            Ok(imported) => found.push((path.clone(), imported)),
            Err(failure) => {
                print_reports(&failure.reports());
                exit = Exit::Error;
            }
        }
    }
    let mut written = Vec::new();
    if let Some(dir) = write {
        for (path, imported) in &found {
            match write_skeletons(dir, path, imported, &written, force) {
                Ok(files) => written.extend(files),
                Err(failed) => exit = failed,
            }
        }
    }
    let text = if json {
        json_text(&found, &written)
    } else {
        let mut text: String = found.iter().map(|(_, i)| human(i)).collect::<Vec<_>>().join("\n");
        for file in &written {
            text.push_str(&format!("wrote {}\n", Untrusted::new(file.display().to_string()).terminal()));
        }
        text
    };
    if let Err(error) = write_stdout(&text) {
        return unwritten(&error);
    }
    exit
}

/// One skeleton per service of the template, through the one writer: never
/// over an existing file unless `force`. A service whose name this run
/// already wrote (the same logical ID in two templates) is named after its
/// template too.
fn write_skeletons(
    dir: &Path,
    template: &Path,
    imported: &Imported,
    before: &[PathBuf],
    force: bool,
) -> Result<Vec<PathBuf>, Exit> {
    crate::walk::create_dirs(dir).map_err(|e| write_failed(&e))?;
    let Some(from) = relative(template, dir) else {
        print_reports(&[miette::miette!(
            code = "archpolicy::import::write",
            help = "give `--write` a directory on the same file system as the template",
            "cannot name `{}` from `{}`",
            template.display(),
            dir.display()
        )]);
        return Err(Exit::Error);
    };
    let mut written = Vec::new();
    for (name, text) in imported.proposal_texts(&from) {
        let mut path = dir.join(&name);
        if before.contains(&path) || written.contains(&path) {
            let stem = template.file_stem().map_or("template".into(), |s| s.to_string_lossy().into_owned());
            path = dir.join(format!("{}-{name}", kebab(&stem)));
        }
        write_output(&path, text.as_bytes(), force)?;
        written.push(path);
    }
    Ok(written)
}

/// `target` as a path relative to `dir`, with `/` separators.
fn relative(target: &Path, dir: &Path) -> Option<String> {
    let target = target.canonicalize().ok()?;
    let dir = dir.canonicalize().ok()?;
    let t: Vec<Component> = target.components().collect();
    let d: Vec<Component> = dir.components().collect();
    let common = t.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), d.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    Some(parts.join("/"))
}

fn human(imported: &Imported) -> String {
    let f = &imported.classification;
    let shown = |text: &str| Untrusted::new(text).terminal().to_string();
    let mut out = format!("{} ({})\n", shown(imported.source.name()), imported.template.flavor);
    for service in &f.services {
        // The name a proposal's `select` takes: the function's, or its front door's when shared.
        let select = f.selector(&imported.template, service).map_or_else(|| service.select.clone(), Untrusted::new);
        out.push_str(&format!("  {}  {}\n", service.pattern.name(), select.terminal()));
        out.push_str(&format!("      {}\n", service.why.terminal()));
        let resources: Vec<String> = service.resources.iter().map(|r| r.terminal().to_string()).collect();
        out.push_str(&format!("      resources: {}\n", resources.join(", ")));
        for note in &service.notes {
            out.push_str(&format!("      note: {}\n", note.terminal()));
        }
    }
    for why in &f.not_a_pattern {
        out.push_str(&format!("  not a whole pattern: {}\n", why.terminal()));
    }
    out
}

fn json_text(found: &[(PathBuf, Imported)], written: &[PathBuf]) -> String {
    let items: Vec<serde_json::Value> = found.iter().map(|(_, i)| i.to_json()).collect();
    let written: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    let value = serde_json::json!({ "templates": items, "written": written });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
