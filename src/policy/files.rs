//! Finding and reading policy files: the embedded standard pack, and
//! `*.policy` files under the paths a run names.

use std::path::{Path, PathBuf};

use super::err::PolicyError;
use super::grammar::MAX_FILE_BYTES;
use crate::source::{NonEmpty, SourceFile};
use crate::walk::{self, Found, FoundFile, Gate, Reason};

/// The standard pack: the guide's advice as policies, embedded in the binary.
pub const STANDARD_PACK: &[(&str, &str)] = &[
    ("policies/request-path.policy", include_str!("../../policies/request-path.policy")),
    ("policies/security.policy", include_str!("../../policies/security.policy")),
    ("policies/operations.policy", include_str!("../../policies/operations.policy")),
];

/// The standard pack as source files.
pub(super) fn standard_sources() -> Vec<SourceFile> {
    STANDARD_PACK.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect()
}

/// Whether a file name ends like a policy file's.
fn is_policy_name(name: &str) -> bool {
    name.ends_with(".policy")
}

/// The policy files named by `paths`: files as given, directories walked
/// for `*.policy` by the rule of [`crate::walk`], sorted. Every path that
/// names nothing or holds no policy file, and every file the walk cannot
/// read, is an error, all of them reported together.
pub fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, NonEmpty<PolicyError>> {
    policy_files_of(walk::find(paths, &is_policy_name))
}

/// As [`policy_files`], every path resolved by `gate` (the language server's workspace).
pub fn policy_files_in(gate: &Gate, paths: &[PathBuf]) -> Result<Vec<PathBuf>, NonEmpty<PolicyError>> {
    policy_files_of(walk::find_in(gate, paths, &is_policy_name))
}

fn policy_files_of(found: Found) -> Result<Vec<PathBuf>, NonEmpty<PolicyError>> {
    let mut errors: Vec<PolicyError> =
        found.refusals.iter().map(|p| PolicyError::Io { path: p.display(), reason: p.reason.to_string() }).collect();
    errors.extend(found.empty.iter().map(|dir| PolicyError::NoPolicies { path: dir.display().to_string() }));
    match NonEmpty::from_vec(errors) {
        Some(errors) => Err(errors),
        None => {
            let mut files: Vec<PathBuf> = found.files.into_iter().map(FoundFile::into_path).collect();
            files.sort();
            files.dedup();
            Ok(files)
        }
    }
}

/// The text of every policy file under `paths`; a path that holds none, and
/// each file that cannot be read, is an error.
pub(super) fn read_sources(paths: &[PathBuf]) -> Result<Vec<SourceFile>, NonEmpty<PolicyError>> {
    let files = policy_files(paths)?;
    let (sources, errors): (Vec<_>, Vec<_>) = files.iter().map(|file| read_policy_file(file)).partition(Result::is_ok);
    match NonEmpty::from_vec(errors.into_iter().filter_map(Result::err).collect()) {
        Some(errors) => Err(errors),
        None => Ok(sources.into_iter().filter_map(Result::ok).collect()),
    }
}

/// A policy file's text: a regular file of at most [`MAX_FILE_BYTES`] of
/// UTF-8, a byte order mark at its start dropped (as in proposals).
pub fn read_policy_file(path: &Path) -> Result<SourceFile, PolicyError> {
    read_policy_file_in(&Gate::for_named(path), path)
}

/// As [`read_policy_file`], through `gate` (the language server's workspace).
pub fn read_policy_file_in(gate: &Gate, path: &Path) -> Result<SourceFile, PolicyError> {
    let name = path.display().to_string();
    let limit = MAX_FILE_BYTES as u64;
    let bytes = gate.read(path, limit).map_err(|reason| {
        let reason = match reason {
            Reason::TooLarge { size, limit } => format!(
                "it is {}, more than the {} a policy file may have",
                crate::units::Size::from_bytes(size),
                crate::units::Size::from_bytes(limit)
            ),
            other => other.to_string(),
        };
        PolicyError::Io { path: name.clone(), reason }
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| PolicyError::Io { path: name.clone(), reason: "it is not UTF-8 text".into() })?;
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    Ok(SourceFile::new(name, text))
}
