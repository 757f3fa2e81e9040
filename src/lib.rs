//! archpolicy checks AWS architecture proposals against an organization's
//! policies.
//!
//! A proposal is a small YAML (or JSON) file describing one HTTP service on
//! one of three patterns: Lambda behind API Gateway, ECS Fargate behind a
//! public ALB, or ECS Fargate behind API Gateway, a VPC link and a private
//! ALB. Loading it gives a typed [`model::Model`] that AWS would accept;
//! deriving gives its [`facts::Facts`], the namespace policies read.
//!
//! ```
//! let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
//! let facts = proposal.facts();
//! let entry = facts.get("network.entry").unwrap();
//! assert_eq!(entry.value.to_string(), "alb");
//! # Ok::<(), archpolicy::LoadFailure>(())
//! ```
//!
//! The stages, each in its own module, each using only those before it:
//! [`yaml`] (text to a spanned tree), [`model`] (the types, each section's
//! decoder and each component's AWS limits), [`patterns`] (one file per
//! pattern: its components, rules, alternative, name), [`load`] (files to a
//! checked [`Proposal`]), [`cost`] (prices, estimates, comparisons, charts),
//! [`facts`] (the schema and the derivation from a proposal), [`report`]
//! (findings and one renderer per output format), [`policy`] (the
//! language: parse, lower, type-check, evaluate, format, test blocks),
//! [`recommend`] (a needs file to the pattern that fits it) and [`lsp`]
//! (what the language server answers an editor).
//! docs/architecture.md has the whole picture. Nothing in the library prints
//! or exits; every error is a value with a span.

#![forbid(unsafe_code)]

// In layer order: each module uses only those above it in this list.
pub mod units;
pub mod untrusted;
pub mod source;
pub mod walk;
pub mod suggest;
pub mod yaml;
pub mod model;
pub mod patterns;
pub mod import;
pub mod load;
pub mod cost;
pub mod facts;
pub mod schema;
pub mod report;
pub mod policy;
pub mod recommend;
#[cfg(feature = "lsp")]
pub mod lsp;

pub use facts::Facts;
pub use load::{load_file, load_str};
pub use model::{LoadError, LoadFailure, Model, Proposal};
pub use policy::{PolicySet, Severity};
pub use report::Report;
pub use source::SourceFile;

/// The README's Rust examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The embedding guide's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/embedding.md")]
struct EmbeddingDoctests;
