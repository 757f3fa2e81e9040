//! `policy fmt`: one canonical layout for policy files, keeping comments,
//! with deprecated forms rewritten.

use std::path::PathBuf;

use crate::SourceFile;
use crate::policy::{Located, format_canonical, policy_files, read_policy_file};
use crate::untrusted::Untrusted;

use crate::walk::{Existing, write_file};

use super::output::{Exit, print_error, print_located, print_stdout, write_failed};

pub fn run(paths: &[PathBuf], check: bool) -> Exit {
    let paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let files = match policy_files(&paths) {
        Ok(files) => files,
        Err(errors) => {
            errors.into_iter().for_each(print_error);
            return Exit::Error;
        }
    };
    let mut exit = Exit::Ok;
    let mut unformatted = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        // The same checks as a run's: a regular file, under the size limit, UTF-8.
        let text = match read_policy_file(file) {
            Ok(source) => source.text().to_string(),
            Err(error) => {
                print_error(error);
                exit = Exit::Error;
                continue;
            }
        };
        // Deprecated forms are rewritten too (docs/language.md, "Versions and compatibility").
        let formatted = match format_canonical(&text) {
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
        } else if let Err(error) = write_file(file, formatted.as_bytes(), Existing::Rewrite) {
            exit = write_failed(&error);
        } else {
            exit = exit.max(print_stdout(&format!("formatted {}\n", Untrusted::new(name.as_str()).terminal())));
        }
    }
    if check && !unformatted.is_empty() {
        let list: String =
            unformatted.iter().map(|f| format!("would reformat {}\n", Untrusted::new(f.as_str()).terminal())).collect();
        let written = print_stdout(&format!("{list}run `policy fmt` to format them\n"));
        return exit.max(written).max(Exit::Findings);
    }
    exit
}
