//! Helpers shared by the integration tests: running the `policy` binary,
//! reading its output, writing inputs, listing files, checking generated
//! files, and the configuration of property tests.
//!
//! Every module of the test binary uses it (`use crate::common;`).

#![allow(dead_code)]

pub mod ci;
pub mod import;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `policy` binary, with nothing set: for tests that spawn it themselves.
pub fn policy_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_policy"))
}

/// Runs `policy` in `dir` with no input and no colour, killed after 20
/// seconds: a hang is a failure of the test, not of the suite.
pub fn policy_in(dir: &Path, args: &[&str]) -> Output {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = policy_command()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "400")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`policy {}` did not finish in 20 seconds", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Runs the `policy` binary with `NO_COLOR` removed from its environment, so
/// a test sees the colors a user without it would (none, into a pipe).
pub fn policy(args: &[&str]) -> Output {
    policy_command().args(args).env_remove("NO_COLOR").output().unwrap()
}

/// Runs the `policy` binary in the test's own environment, `NO_COLOR` included.
pub fn policy_inheriting_env(args: &[&str]) -> Output {
    policy_command().args(args).output().unwrap()
}

/// The directory that holds the `policy` binary, for a `PATH` that finds it.
pub fn policy_bin_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_policy")).parent().unwrap().to_path_buf()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error with whitespace collapsed, so wrapped lines still match.
pub fn stderr(o: &Output) -> String {
    flat(&raw_stderr(o))
}

/// Standard error exactly as written.
pub fn raw_stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A text with every run of whitespace made one space.
pub fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes `contents` to `dir/name` and returns the path as text, to pass as an argument.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// The files directly in `dir` whose names end with `suffix` (`""` for all), in path order.
pub fn files_in(dir: impl AsRef<Path>, suffix: &str) -> Vec<PathBuf> {
    let dir = dir.as_ref();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// The example proposals, examples/*.arch.yaml, in path order.
pub fn example_files() -> Vec<PathBuf> {
    files_in("examples", ".arch.yaml")
}

/// Compares a generated file with its committed copy. With `ARCHPOLICY_BLESS`
/// set, writes the generated text over it instead; `test` is the test target
/// whose run regenerates it, named in the failure message.
pub fn assert_current(path: &str, generated: &str, test: &str) {
    if std::env::var_os("ARCHPOLICY_BLESS").is_some() {
        std::fs::write(path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "{path} is stale: run `ARCHPOLICY_BLESS=1 cargo test --test it {test}::` and commit the result"
    );
}

/// The configuration of every property test: `default_cases` cases, or as
/// many as the `PROPTEST_CASES` environment variable says, so that
/// `PROPTEST_CASES=10000 cargo test` runs them all longer (CONTRIBUTING.md).
/// An explicit `cases` would override proptest's own reading of the variable;
/// this reads it first. A value that is not a number is ignored.
pub fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = env_count("PROPTEST_CASES").unwrap_or(default_cases);
    proptest::test_runner::Config { cases, ..proptest::test_runner::Config::default() }
}

/// A quickcheck runner of `default_tests` tests, or as many as the
/// `QUICKCHECK_TESTS` environment variable says.
pub fn quickcheck(default_tests: u64) -> quickcheck::QuickCheck {
    quickcheck::QuickCheck::new().tests(env_count("QUICKCHECK_TESTS").unwrap_or(default_tests))
}

fn env_count<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|c| c.parse().ok())
}

/// The bodies of the fenced code blocks of `language` in a Markdown text.
pub fn code_blocks(markdown: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_end() == fence => current = Some(String::new()),
            Some(block) if line.trim_end() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

/// The shared corpus of other authors' templates, read in place.
pub const CORPUS: &str = "../shared/iac-corpus";

/// One row of the corpus's MANIFEST.tsv.
pub struct CorpusRow {
    /// P1, P2, P3 or near-miss.
    pub group: String,
    pub path: PathBuf,
    /// Where the file is in its repository: `owner/name` and the path in it.
    pub repository: String,
    pub repository_path: String,
    /// The manifest's notes (`notable_features`), with its `[29s-RULE:...]` marks.
    pub notes: String,
}

/// Every file of the corpus. A missing corpus fails loudly: CI has ../shared
/// beside its clone, so the tests that read it are never skipped.
pub fn corpus() -> Vec<CorpusRow> {
    let manifest = Path::new(CORPUS).join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&manifest).unwrap_or_else(|e| {
        panic!(
            "THE TEMPLATE CORPUS IS MISSING: cannot read {} ({e}). Tests read ../shared/iac-corpus in place; \
             put the shared folder beside the repository",
            manifest.display()
        )
    });
    let rows: Vec<CorpusRow> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Some(CorpusRow {
                group: fields.first()?.to_string(),
                path: Path::new(CORPUS).join(fields.get(1)?),
                repository: fields.get(2)?.to_string(),
                repository_path: fields.get(3)?.to_string(),
                notes: fields.get(6).unwrap_or(&"").to_string(),
            })
        })
        .collect();
    assert!(rows.len() >= 40, "the manifest lists {} files", rows.len());
    rows
}

/// Every file of the corpus copied to where it is in its repository
/// (`owner/name/path`), in a fresh folder under target/: a template's local
/// includes (`AWS::Include` of `./api.yaml`) are then beside it as its
/// authors wrote them. The folder goes when the `TempDir` is dropped.
pub fn corpus_tree() -> (tempfile::TempDir, Vec<(CorpusRow, PathBuf)>) {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();
    let rows = corpus()
        .into_iter()
        .map(|row| {
            let to = dir.path().join(&row.repository).join(&row.repository_path);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&row.path, &to).unwrap_or_else(|e| panic!("{}: {e}", row.path.display()));
            (row, to)
        })
        .collect();
    (dir, rows)
}

/// The guide's Scenario A needs file made latency-sensitive, written in
/// `dir` as `a.needs.yaml`: recommend then keeps Lambda warm and sizes the
/// Fargate candidates from the function's work.
pub fn latency_sensitive_scenario_a(dir: &Path) -> PathBuf {
    let needs = dir.join("a.needs.yaml");
    let text = std::fs::read_to_string("examples/scenario_a_saas_api.needs.yaml")
        .unwrap()
        .replace("latency_sensitive: false", "latency_sensitive: true");
    std::fs::write(&needs, text).unwrap();
    needs
}

/// Every example proposal and every standard-pack test proposal, loaded.
pub fn example_proposals() -> Vec<archpolicy::Proposal> {
    proposal_files(&["examples", "tests/policies"]).iter().map(|f| archpolicy::load_file(f).unwrap()).collect()
}

/// The proposal files (`*.arch.yaml`, `.yml`, `.json`) under `dirs` and their
/// subdirectories (unlike [`files_in`]), sorted, hidden entries skipped: the tests' own list of the repository's examples,
/// so they need not reach into the loader's walk.
pub fn proposal_files(dirs: &[&str]) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            } else if path.is_dir() {
                walk(&path, out);
            } else if [".arch.yaml", ".arch.yml", ".arch.json"].iter().any(|end| name.ends_with(end)) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for dir in dirs {
        walk(std::path::Path::new(dir), &mut out);
    }
    out.sort();
    out
}

/// A workspace policy of one param and one warning, for the editor tests.
pub const QUICK_REQUESTS: &str = r#"param max_duration: duration = 10s "the longest request"

policy quick-requests: warn {
  title   "Requests are quick"
  require workload.max_request_duration <= max_duration
          else "requests run up to {workload.max_request_duration}"
}
"#;
