//! Every policy diagnostic as the user sees it: one fixture per case under
//! tests/fixtures/policy, rendered with miette (colors off).

use crate::common;

use common::files_in;

use archpolicy::PolicySet;
use archpolicy::report::human::{Style, render};

fn rendered(path: &std::path::Path) -> String {
    let name = format!("fixtures/policy/{}", path.file_name().unwrap().to_string_lossy());
    let text = std::fs::read_to_string(path).unwrap();
    let reports = match PolicySet::from_str(&name, &text) {
        Ok(set) => set.warnings().iter().map(|w| w.report()).collect::<Vec<_>>(),
        Err(failure) => failure.reports(),
    };
    assert!(!reports.is_empty(), "{name}: no diagnostic");
    reports.iter().map(|r| render(r, Style::PLAIN)).collect::<Vec<_>>().join("\n")
}

#[test]
fn policy_diagnostics() {
    insta::glob!("../fixtures/policy", "*.policy", |path| {
        insta::assert_snapshot!(rendered(path));
    });
}

#[test]
fn every_policy_error_has_a_code_and_follows_the_message_style() {
    for path in files_in("tests/fixtures/policy", "") {
        let text = std::fs::read_to_string(&path).unwrap();
        let Err(failure) = PolicySet::from_str("x.policy", &text) else { continue };
        for located in failure.errors().iter() {
            let report = located.report();
            let code = report.code().map(|c| c.to_string()).unwrap_or_default();
            assert!(
                code.starts_with("archpolicy::parse::") || code.starts_with("archpolicy::check::"),
                "{}: `{}` has code `{code}`",
                path.display(),
                located.error
            );
            let message = located.error.to_string();
            assert!(!message.ends_with('.'), "{}: {message}", path.display());
            assert!(!message.chars().next().is_some_and(char::is_uppercase), "{}: {message}", path.display());
        }
    }
}
