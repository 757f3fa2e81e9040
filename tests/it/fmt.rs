//! `policy fmt`: one canonical layout that keeps comments, is idempotent,
//! and never changes what a file means.

use crate::ast_strategies;
use crate::common;

use common::{files_in, proptest_config};

use archpolicy::policy::ast::WithoutSpans;
use archpolicy::policy::{format, format_source, parse};
use proptest::prelude::*;

/// The `#` comments of a text, outside strings.
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    found.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

fn assert_formats_faithfully(name: &str, text: &str) {
    let Ok(original) = parse(text) else { return };
    let formatted = format_source(text).unwrap_or_else(|e| panic!("{name}: {:?}", e.first()));
    let reparsed = parse(&formatted)
        .unwrap_or_else(|e| panic!("{name}: formatted text does not parse: {:?}\n{formatted}", e.first()));
    assert_eq!(reparsed.without_spans(), original.without_spans(), "{name}: formatting changed the meaning");
    assert_eq!(comments(&formatted), comments(text), "{name}: formatting lost or changed a comment");
    assert_eq!(format_source(&formatted).unwrap(), formatted, "{name}: formatting is not idempotent");
}

fn policy_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            policy_files(&path, out);
        } else if name.ends_with(".policy") {
            out.push(path);
        }
    }
}

#[test]
fn every_policy_file_in_the_repository_formats_faithfully() {
    let mut files = Vec::new();
    policy_files(std::path::Path::new("."), &mut files);
    assert!(files.len() >= 30, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_formats_faithfully(&file.display().to_string(), &text);
    }
}

#[test]
fn the_standard_pack_is_formatted() {
    for path in files_in("policies", ".policy") {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            format_source(&text).unwrap(),
            text,
            "{} is not formatted: run `policy fmt policies`",
            path.display()
        );
    }
}

#[test]
fn a_messy_file_formats_as_reviewed() {
    let text = std::fs::read_to_string("tests/fixtures/fmt/messy.policy").unwrap();
    assert_formats_faithfully("messy.policy", &text);
    insta::assert_snapshot!(format_source(&text).unwrap());
}

proptest! {
    #![proptest_config(proptest_config(256))]

    #[test]
    fn comments_anywhere_between_lines_or_at_line_ends_survive(
        file in ast_strategies::policy_file(),
        own in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
        trailing in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let printed = format(&file);
        let mut lines: Vec<String> = printed.lines().map(str::to_string).collect();
        if lines.is_empty() {
            return Ok(());
        }
        for (n, at) in trailing.iter().enumerate() {
            let i = at.index(lines.len());
            if !lines[i].contains('#') {
                lines[i].push_str(&format!("  # trailing {n}"));
            }
        }
        for (n, at) in own.iter().enumerate() {
            let i = at.index(lines.len() + 1);
            lines.insert(i, format!("# own line {n}"));
        }
        let text = lines.join("\n") + "\n";
        assert_formats_faithfully("generated", &text);
    }
}
