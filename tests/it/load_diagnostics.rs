//! Every load error as the user sees it: one fixture per case under
//! tests/fixtures/load, rendered with miette (colors off) and snapshotted.

use crate::common;

use common::files_in;

use archpolicy::report::human::{Style, render};

fn rendered_errors(path: &std::path::Path) -> String {
    let name = format!("fixtures/load/{}", path.file_name().unwrap().to_string_lossy());
    let text = std::fs::read_to_string(path).unwrap();
    let failure = archpolicy::load_str(&name, &text).expect_err("fixture should not load");
    failure.reports().iter().map(|r| render(r, Style::PLAIN)).collect::<Vec<_>>().join("\n")
}

#[test]
fn load_diagnostics() {
    insta::glob!("../fixtures/load", "*.arch.*", |path| {
        insta::assert_snapshot!(rendered_errors(path));
    });
}

#[test]
fn every_error_has_a_code_and_help() {
    for path in files_in("tests/fixtures/load", "") {
        let text = std::fs::read_to_string(&path).unwrap();
        let failure = archpolicy::load_str("x.arch.yaml", &text).expect_err("fixture should not load");
        for error in failure.errors().iter() {
            let code = error.code_str();
            assert!(code.starts_with("archpolicy::load::"), "{}: {error} has code `{code}`", path.display());
            let message = error.to_string();
            assert!(!message.ends_with('.'), "{}: message ends with a period: {message}", path.display());
            // Lowercase, except for product names that are spelled that way.
            let first_word = message.split([' ', ':']).next().unwrap_or_default();
            let proper = ["Fargate", "HTTP", "RDS", "REST", "SnapStart", "WebSocket", "Lambda", "AWS", "API", "ALB"];
            assert!(
                message.chars().next().is_some_and(|c| !c.is_uppercase()) || proper.contains(&first_word),
                "{}: message starts uppercase: {message}",
                path.display()
            );
        }
    }
}
