//! What the tests of CI integrations share (tests/it/ci_docs.rs, tests/it/ci_action.rs,
//! tests/it/pre_commit_hooks.rs): a repository like a user's, and a shell with
//! `policy` on its `PATH`. `crate::common::ci`.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A repository like a user's: proposals, policies with tests, and the proposals the tests use.
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["examples", "policies", "tests/policies"] {
        copy_dir(Path::new(part), &dir.path().join(part));
    }
    for entry in std::fs::read_dir(dir.path().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            std::fs::remove_file(path).unwrap();
        }
    }
    dir
}

/// The directory that holds the `policy` binary under test.
pub fn policy_bin_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_BIN_EXE_policy")).parent().unwrap().to_path_buf()
}

pub fn path_with_policy() -> String {
    format!("{}:{}", policy_bin_dir().display(), std::env::var("PATH").unwrap_or_default())
}

/// Runs `script` with `sh` in `dir`, `policy` on the `PATH`: the exit code and stdout then stderr.
pub fn sh(dir: &Path, script: &str) -> (i32, String) {
    let out =
        Command::new("sh").arg("-c").arg(script).current_dir(dir).env("PATH", path_with_policy()).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}
