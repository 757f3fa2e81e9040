//! The standard pack's syntax trees, parsed ahead of time.
//!
//! Parsing the pack's three files was three quarters of a one-proposal run
//! (docs/performance.md), and every run parses the same embedded text. The
//! trees are kept in `policies/standard-pack.ast.bin` (postcard, a compact
//! binary form of the same serde types), written by a unit test
//! (`ARCHPOLICY_BLESS=1 cargo test --lib policy::compiled`) and embedded;
//! reading them is a binary decode instead of a pest parse and a lowering
//! (JSON, the form before, cost four times the instructions). They are only a cache: the file records a hash of the texts it
//! was made from, and a text it does not match (an edited policy before the
//! file is rewritten, or any other file) is parsed as before. Params, types
//! and `test` blocks are still checked on every run, from these trees.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::ast::PolicyFile;
use super::files::STANDARD_PACK;

/// Where the trees are kept, from the crate's root.
#[cfg(test)]
const PATH: &str = "policies/standard-pack.ast.bin";
const COMPILED: &[u8] = include_bytes!("../../policies/standard-pack.ast.bin");

#[derive(Serialize, Deserialize)]
struct Compiled {
    /// How to write the file again.
    generated_by: String,
    /// [`fingerprint`] of the texts the trees were parsed from.
    pack: u64,
    /// One tree per file of [`STANDARD_PACK`], in its order.
    files: Vec<PolicyFile>,
}

/// A hash of the pack's names and texts (FNV-1a, 64 bits): enough to tell
/// an edited pack from the one the trees were made from. A `const fn`, so
/// the embedded pack's is computed by the compiler, not on every run.
const fn fingerprint(pack: &[(&str, &str)]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut file = 0;
    while file < pack.len() {
        let (name, text) = pack[file];
        hash = fnv_bytes(fnv_bytes(hash, name.as_bytes()), text.as_bytes());
        file += 1;
    }
    hash
}

/// `hash` carried over `bytes` and a terminating zero, so that a byte
/// moved from one text to the next changes the hash.
const fn fnv_bytes(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash.wrapping_mul(0x0100_0000_01b3)
}

/// The fingerprint of the embedded pack.
const PACK: u64 = fingerprint(STANDARD_PACK);

/// The trees, decoded once per process; `None` when the file is stale or unreadable.
fn trees() -> Option<&'static [Arc<PolicyFile>]> {
    static TREES: OnceLock<Option<Vec<Arc<PolicyFile>>>> = OnceLock::new();
    TREES
        .get_or_init(|| {
            let compiled: Compiled = postcard::from_bytes(COMPILED).ok()?;
            let fresh = compiled.pack == PACK && compiled.files.len() == STANDARD_PACK.len();
            fresh.then(|| compiled.files.into_iter().map(Arc::new).collect())
        })
        .as_deref()
}

/// The tree of `text` when it is one of the standard pack's files.
pub(super) fn tree(text: &str) -> Option<Arc<PolicyFile>> {
    // The pack's texts are compared first by address (the embedded string
    // itself, the common case), then by content (a copy, as an editor holds).
    let index = STANDARD_PACK.iter().position(|(_, pack)| std::ptr::eq(*pack, text) || *pack == text)?;
    trees().and_then(|trees| trees.get(index)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled_now() -> Vec<u8> {
        let files = STANDARD_PACK.iter().map(|(name, text)| {
            super::super::parse(text).unwrap_or_else(|e| panic!("{name} does not parse: {e:?}"))
        });
        let compiled = Compiled {
            generated_by: "ARCHPOLICY_BLESS=1 cargo test --lib policy::compiled (from policies/*.policy)".into(),
            pack: PACK,
            files: files.collect(),
        };
        postcard::to_allocvec(&compiled).expect("a tree serializes")
    }

    #[test]
    fn the_compiled_pack_is_the_parsed_pack() {
        let now = compiled_now();
        if std::env::var_os("ARCHPOLICY_BLESS").is_some() {
            std::fs::write(PATH, &now).expect("write the compiled pack");
            return;
        }
        assert!(
            COMPILED == now,
            "{PATH} is not the parse of the standard pack: run `ARCHPOLICY_BLESS=1 cargo test --lib policy::compiled`"
        );
        for (name, text) in STANDARD_PACK {
            let parsed = super::super::parse(text).expect("the pack parses");
            let tree = tree(text).unwrap_or_else(|| panic!("no compiled tree for {name}"));
            assert_eq!(*tree, parsed, "{name}");
            // A copy of the text, as an editor holds it, finds the same tree.
            assert!(Arc::ptr_eq(&tree, &tree_of_copy(text)), "{name}");
        }
    }

    fn tree_of_copy(text: &str) -> Arc<PolicyFile> {
        let copy = String::from(text);
        tree(copy.as_str()).expect("a copy of a pack file has its tree")
    }

    #[test]
    fn an_edited_pack_file_is_not_taken_for_the_compiled_one() {
        let (_, text) = STANDARD_PACK[0];
        let edited = text.replacen("policy ", "policy  ", 1);
        assert!(tree(&edited).is_none());
        assert!(tree("").is_none());
    }

    #[test]
    fn the_fingerprint_tells_an_edited_pack_from_the_compiled_one() {
        let pack = fingerprint(STANDARD_PACK);
        let (name, text) = STANDARD_PACK[1];
        let mut edited = STANDARD_PACK.to_vec();
        let one_byte_more = format!("{text} ");
        edited[1] = (name, &one_byte_more);
        assert_ne!(fingerprint(&edited), pack);
        // A byte moved from one file to the next is another pack too.
        let (first, second) = (format!("{} ", STANDARD_PACK[0].1), STANDARD_PACK[1].1.trim_start().to_string());
        let moved = [(STANDARD_PACK[0].0, first.as_str()), (name, second.as_str()), STANDARD_PACK[2]];
        assert_ne!(fingerprint(&moved), pack);
    }
}
