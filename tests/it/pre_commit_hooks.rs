//! .pre-commit-hooks.yaml, run by pre-commit itself: `pre-commit try-repo`
//! builds `policy` from this repository as a user's pre-commit would from
//! its `rev` (`cargo install`), then each hook stops a commit with a broken
//! proposal or an unformatted policy and lets the fixed one through; the
//! configuration docs/ci.md shows runs the same way.
//!
//! pre-commit takes a repository's committed state: the test commits the
//! working tree as git would see it (tracked and untracked files, not the
//! ignored ones) into a repository of its own, so what is tested is what is
//! about to be committed, and a clean clone (CI) tests HEAD. The build goes
//! to target/pre-commit (`CARGO_TARGET_DIR`), kept between runs, with the
//! release profile's optimizations off (`CARGO_PROFILE_RELEASE_OPT_LEVEL=0`,
//! which pre-commit passes on to `cargo install`): the test checks the hooks,
//! not the binary's speed, and each install compiles this crate again (its
//! path differs each time), 30 s unoptimized against 100 s optimized, twice
//! when the tree changed (docs/performance.md, the test suite's time).
//!
//! `cargo install` of this crate takes a while: where pre-commit is not
//! installed the test says so and passes, unless
//! `ARCHPOLICY_REQUIRE_PRECOMMIT=1` (which `.ci/run` sets after installing
//! pre-commit from PyPI): then a missing pre-commit fails it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn pre_commit_available() -> bool {
    Command::new("pre-commit").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn init_repo(dir: &Path) {
    git(dir, &["init", "-q", "."]);
    git(dir, &["config", "user.email", "t@example.com"]);
    git(dir, &["config", "user.name", "t"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
}

/// This repository's working tree as git sees it, committed in `dir`: the commit's id.
fn snapshot(dir: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = git(root, &["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
    for file in listed.split('\0').filter(|f| !f.is_empty()) {
        let from = root.join(file);
        // A tracked file deleted in the working tree is not in the snapshot.
        if from.is_file() {
            let to = dir.join(file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&from, &to).unwrap();
        }
    }
    init_repo(dir);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "snapshot"]);
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

/// Where pre-commit works, kept between runs: the snapshot (`hooks`), pre-commit's
/// store (`home`) and the build. A snapshot of the same files is the same commit
/// (its dates are fixed), so a run after one that changed none of them reuses the
/// `policy` pre-commit built, as pre-commit reuses it for a `rev` it has seen.
fn target() -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "target", "pre-commit"].iter().collect()
}

/// A user's repository, and this repository's hooks as pre-commit sees them.
struct User {
    repo: tempfile::TempDir,
    hooks: PathBuf,
    rev: String,
}

impl User {
    fn new() -> User {
        let hooks = target().join("hooks");
        if hooks.exists() {
            std::fs::remove_dir_all(&hooks).unwrap();
        }
        std::fs::create_dir_all(&hooks).unwrap();
        let rev = snapshot(&hooks);
        let repo = tempfile::tempdir().unwrap();
        init_repo(repo.path());
        User { repo, hooks, rev }
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.repo.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        git(self.repo.path(), &["add", "-A"]);
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.repo.path().join(name)).unwrap()
    }

    /// `pre-commit ARGS` in the user's repository: success, and what it printed.
    fn pre_commit(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new("pre-commit")
            .args(args)
            .current_dir(self.repo.path())
            .env("PRE_COMMIT_HOME", target().join("home"))
            .env("CARGO_TARGET_DIR", target())
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            // Release's own default, against a `line-tables-only` a profiling shell exports.
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("PRE_COMMIT_COLOR", "never")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), text)
    }

    /// `pre-commit try-repo` of the snapshot, one hook on every file.
    fn try_hook(&self, hook: &str) -> (bool, String) {
        let hooks = self.hooks.to_str().unwrap();
        self.pre_commit(&["try-repo", hooks, hook, "--ref", &self.rev, "--all-files"])
    }
}

fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new("examples").join(name)).unwrap()
}

#[test]
fn the_hooks_stop_a_broken_commit_and_pass_the_fixed_one() {
    if !pre_commit_available() {
        assert!(
            std::env::var_os("ARCHPOLICY_REQUIRE_PRECOMMIT").is_none(),
            "ARCHPOLICY_REQUIRE_PRECOMMIT is set but `pre-commit` does not run: `pip install pre-commit`"
        );
        eprintln!("NOTE: pre-commit is not installed (`pip install pre-commit`): the pre-commit hooks did not run");
        return;
    }
    let user = User::new();
    // A Lambda behind API Gateway whose requests outlast the gateway's limit,
    // with `try-repo` (which builds `policy` in a store of its own each time).
    user.write("service.arch.yaml", &example("breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml"));
    let (passed, out) = user.try_hook("policy-check");
    assert!(!passed, "{out}");
    assert!(out.contains("archpolicy check") && out.contains("Failed"), "{out}");
    assert!(
        out.contains("deny(gateway-sync-limit)") && out.contains("service.arch.yaml"),
        "the diagnostic in the hook's output: {out}"
    );

    // docs/ci.md's configuration, pointed at the snapshot: pre-commit builds
    // `policy` once in its store (target/pre-commit/home) and the hooks reuse it.
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let config = common::code_blocks(&doc, "yaml")
        .into_iter()
        .find(|b| b.contains("id: policy-check"))
        .expect("docs/ci.md configures the hooks");
    let url = config.lines().find_map(|l| l.trim().strip_prefix("- repo: ")).unwrap().to_string();
    let rev = config.lines().find_map(|l| l.trim().strip_prefix("rev: ")).unwrap().to_string();
    let config = config
        .replace(&format!("- repo: {url}"), &format!("- repo: {}", user.hooks.display()))
        .replace(&format!("rev: {rev}"), &format!("rev: {}", user.rev));
    user.write(".pre-commit-config.yaml", &config);
    let (passed, out) = user.pre_commit(&["run", "policy-check", "--all-files"]);
    assert!(!passed && out.contains("deny(gateway-sync-limit)"), "{config}\n{out}");
    user.write("service.arch.yaml", &example("lambda_api_gateway.arch.yaml"));
    let (passed, out) = user.pre_commit(&["run", "policy-check", "--all-files"]);
    assert!(passed, "{out}");
    assert!(out.lines().any(|l| l.starts_with("archpolicy check") && l.ends_with("Passed")), "{out}");

    // An unformatted policy: the hook formats it and fails; the formatted one passes.
    let unformatted = "policy x: warn { require true }\n";
    user.write("policies/org.policy", unformatted);
    let (passed, out) = user.pre_commit(&["run", "policy-fmt", "--all-files"]);
    assert!(!passed, "{out}");
    assert!(out.contains("files were modified by this hook"), "{out}");
    let formatted = user.read("policies/org.policy");
    assert_ne!(formatted, unformatted);
    let check =
        common::policy_command().args(["fmt", "--check"]).arg(user.repo.path().join("policies")).output().unwrap();
    assert!(check.status.success(), "the hook left it formatted: {formatted}");
    user.write("policies/org.policy", &formatted);
    let (passed, out) = user.pre_commit(&["run", "--all-files"]);
    assert!(passed, "{out}");
    for hook in ["archpolicy check", "archpolicy fmt"] {
        assert!(out.lines().any(|l| l.starts_with(hook) && l.ends_with("Passed")), "{hook}: {out}");
    }
    user.write("service.arch.yaml", &example("breaks_on_purpose/public_tasks.arch.yaml"));
    let (passed, out) = user.pre_commit(&["run", "--all-files"]);
    assert!(!passed && out.contains("deny(private-compute)"), "{out}");
}

/// The manifest pre-commit reads, without pre-commit: its hooks and the files each takes.
#[test]
fn the_hooks_manifest_names_each_hook_and_its_files() {
    let manifest: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap()).unwrap();
    let hooks = manifest.as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["policy-check", "policy-fmt", "policy-test"]);
    for hook in hooks {
        let id = hook["id"].as_str().unwrap();
        assert_eq!(hook["language"], "rust", "{id}");
        for key in ["name", "description", "entry"] {
            assert!(hook[key].is_string(), "{id} has no {key}");
        }
        let files = fancy_regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
        let (takes, leaves): (&[&str], &[&str]) = if id == "policy-check" {
            (&["a.arch.yaml", "x/b.arch.yml", "c.arch.json"], &["a.yaml", "a.arch.yaml.bak", "a.policy"])
        } else {
            (&["a.policy", "x/b.policy"], &["a.arch.yaml", "a.policy.bak"])
        };
        for file in takes {
            assert!(files.is_match(file).unwrap(), "{id} takes {file}");
        }
        for file in leaves {
            assert!(!files.is_match(file).unwrap(), "{id} leaves {file}");
        }
    }
}
