//! `policy fmt`: one canonical layout for policy files, keeping comments.

use std::path::PathBuf;

use archpolicy::SourceFile;
use archpolicy::policy::{Located, PolicyError, format_source};

use super::output::{Exit, print_error, print_located, print_stdout};

fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PolicyError> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path)
            .map_err(|e| PolicyError::Io { path: path.display().to_string(), reason: e.to_string().to_lowercase() })?;
        if metadata.is_dir() {
            walk(path, &mut files, 0);
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            walk(&path, out, depth + 1);
        } else if name.ends_with(".policy") {
            out.push(path);
        }
    }
}

pub fn run(paths: &[PathBuf], check: bool) -> Exit {
    let paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let files = match policy_files(&paths) {
        Ok(files) => files,
        Err(e) => {
            print_error(e);
            return Exit::Error;
        }
    };
    let mut exit = Exit::Ok;
    let mut unformatted = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                print_error(PolicyError::Io { path: name, reason: e.to_string().to_lowercase() });
                exit = Exit::Error;
                continue;
            }
        };
        let formatted = match format_source(&text) {
            Ok(formatted) => formatted,
            Err(errors) => {
                let source = SourceFile::new(name.as_str(), text.as_str());
                for error in errors {
                    print_located(&Located { file: Some(source.clone()), error: error.into() });
                }
                exit = Exit::Error;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if check {
            unformatted.push(name);
        } else if let Err(e) = std::fs::write(file, formatted) {
            print_error(PolicyError::Io { path: name, reason: e.to_string().to_lowercase() });
            exit = Exit::Error;
        } else {
            print_stdout(&format!("formatted {name}\n"));
        }
    }
    if check && !unformatted.is_empty() {
        let list: String = unformatted.iter().map(|f| format!("would reformat {f}\n")).collect();
        print_stdout(&list);
        print_stdout("run `policy fmt` to format them\n");
        return exit.max(Exit::Findings);
    }
    exit
}
