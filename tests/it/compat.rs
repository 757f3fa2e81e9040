//! The language keeps its promises (docs/language.md, "Compatibility"):
//! every policy of every earlier release (tests/compat/<commit>/, frozen by
//! tests/compat/extract.py) still type-checks, and gives the verdicts it gave
//! then on the example proposals of its time (tests/compat/<commit>/verdicts.txt).
//!
//! `COMPAT_RECORD=1 cargo test --test it compat::` writes verdicts.txt for a
//! newly frozen release; tests/compat/README.md says how each was recorded.
//! A change that alters a recorded verdict is a breaking change: it needs a
//! new language version and an entry in CHANGELOG.md, never a re-recording.

use crate::common;

use std::path::{Path, PathBuf};

use archpolicy::policy::{PolicySet, RunOptions};
use archpolicy::units::Date;

fn releases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir("tests/compat").unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

/// The sets of policies of a release: its standard pack (its files checked
/// together, as a run reads them) and each example of its docs alone.
fn units(release: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let mut units = vec![("policies".to_string(), common::files_in(release.join("policies"), ".policy"))];
    let docs = release.join("docs");
    if docs.is_dir() {
        for file in common::files_in(docs, ".policy") {
            let name = format!("docs/{}", file.file_name().unwrap().to_string_lossy());
            units.push((name, vec![file]));
        }
    }
    units
}

/// One line per unit, proposal and policy: the policy's outcome.
fn verdicts(release: &Path) -> String {
    let cost = archpolicy::cost::CostOptions::embedded_ref();
    // Waivers are judged on a fixed day, so an expiry does not change a verdict.
    let options = RunOptions { cost, today: Date::new(2026, 1, 1).unwrap() };
    let proposals: Vec<(String, archpolicy::Proposal)> = common::files_in(release.join("examples"), ".arch.yaml")
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let proposal =
                archpolicy::load_file(&path).unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
            (name, proposal)
        })
        .collect();
    let mut out = String::new();
    for (unit, files) in units(release) {
        let set = PolicySet::from_paths(&files)
            .unwrap_or_else(|e| panic!("{}: {unit} no longer checks: {e:?}", release.display()));
        for (name, proposal) in &proposals {
            let report = set.check_with(proposal, &options);
            for outcome in &report.outcomes {
                out.push_str(&format!("{unit} {name} {} {:?}\n", outcome.policy, outcome.status).to_lowercase());
            }
        }
    }
    out
}

#[test]
fn every_earlier_release_still_checks_and_gives_the_same_verdicts() {
    let releases = releases();
    assert!(releases.len() >= 9, "every commit that changed the language is frozen");
    let record = std::env::var_os("COMPAT_RECORD").is_some();
    for release in releases {
        let actual = verdicts(&release);
        let path = release.join("verdicts.txt");
        if record && !path.exists() {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
        if expected != actual {
            let diff: Vec<String> = expected
                .lines()
                .filter(|l| !actual.lines().any(|a| a == *l))
                .map(|l| format!("  was: {l}"))
                .chain(actual.lines().filter(|l| !expected.lines().any(|e| e == *l)).map(|l| format!("  now: {l}")))
                .collect();
            panic!("{}: verdicts changed (a breaking change):\n{}", release.display(), diff.join("\n"));
        }
    }
}
