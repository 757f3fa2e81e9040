//! The policy language, one module per stage, each using only those before
//! it: grammar and parse (text to pest pairs), lower (pairs to the [`ast`]),
//! typecheck (the AST against the fact schema: checked policies), files and
//! params, set (the files of a run as one checked [`PolicySet`]), eval (a set
//! applied to proposals, giving a [`crate::report`]), run_tests (the `test`
//! blocks of policy files), and fmt (the AST back to text).
//!
//! ```
//! use archpolicy::policy::PolicySet;
//!
//! let set = PolicySet::from_str("org.policy", r#"
//! policy max-request-time: deny {
//!   title   "Requests finish within 10 seconds"
//!   require workload.max_request_duration <= 10s
//!           else "requests run up to {workload.max_request_duration}"
//! }
//! "#).unwrap();
//! let proposal = archpolicy::load_file("examples/scenario_b_image_processing.arch.yaml").unwrap();
//! let report = set.check(&proposal);
//! assert_eq!(report.findings.len(), 1);
//! assert_eq!(report.findings[0].message, "requests run up to 90s");
//! ```

pub mod analyze;
pub mod ast;
mod canonical;
mod comments;
mod compiled;
pub mod doc;
pub mod err;
mod eval;
mod files;
mod fmt;
mod grammar;
mod info;
pub mod ir;
mod lower;
mod params;
mod parse;
mod reach;
mod run_tests;
mod set;
mod test_blocks;
mod typecheck;

pub use ast::{PolicyFile, Severity};
pub use err::{CheckError, Located, ParseError, PolicyError, PolicyFailure, TestError};
pub use eval::{RunOptions, WaiverError};
pub use files::{STANDARD_PACK, policy_files, policy_files_in, read_policy_file, read_policy_file_in};
pub use fmt::{expr_to_string, format, format_canonical, format_source};
pub use info::PolicyInfo;
pub use grammar::{LANGUAGE_VERSION, MAX_EXPR_PARTS, MAX_FILE_BYTES, MAX_NESTING, MAX_POLICIES, MAX_STRING_BYTES};
pub use parse::{declared_language, parse};
pub use reach::{Reach, components_read, reach};
pub use run_tests::TestResult;
pub use set::{ParseCache, PolicySet};
pub use test_blocks::PolicyTest;
pub use typecheck::QUANTIFIER_BUDGET;
pub use typecheck::{CheckedParam, CheckedPart, CheckedPolicy, CheckedRequire};
