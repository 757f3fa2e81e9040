//! The policy language: parse (pest → AST), check (types against the fact
//! schema), evaluate, and format.
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

pub mod ast;
mod check;
mod comments;
pub mod doc;
pub mod err;
mod eval;
mod fmt;
mod grammar;
pub mod ir;
mod lower;
mod parse;
mod set;
mod test;

pub use ast::{PolicyFile, Severity};
pub use check::{CheckedParam, CheckedPolicy};
pub use err::{CheckError, Located, ParseError, PolicyError, PolicyFailure};
pub use fmt::{expr_to_string, format, format_source};
pub use grammar::{MAX_EXPR_PARTS, MAX_FILE_BYTES, MAX_NESTING, MAX_POLICIES, MAX_STRING_BYTES};
pub use parse::parse;
pub use set::{PolicySet, STANDARD_PACK, WaiverError, policy_files};
pub use test::{PolicyTest, TestResult};
