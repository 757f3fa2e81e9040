//! The grammar (grammar/policy.pest, through pest) and the limits every
//! stage of reading policies enforces. Parsing and lowering both use it, so
//! it sits below them.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/policy.pest"]
pub(crate) struct PolicyParser;

/// The language version this release reads, and writes in `language N`.
/// docs/language.md ("Compatibility") says what a version promises: a
/// release may add to the language, but a change that makes a policy that
/// checked fail to check, or changes a verdict, needs a new version.
pub const LANGUAGE_VERSION: u32 = 1;

/// The largest policy file read.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Parentheses, lists and quantifiers nest at most this deep.
pub const MAX_NESTING: usize = 32;
/// Tokens in one `when`, `require` or param default at most (this bounds list literals too).
pub const MAX_EXPR_PARTS: usize = 2_000;
/// The longest string or message, in bytes.
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// The most policies a run reads, across all its files.
pub const MAX_POLICIES: usize = 10_000;
