//! archpolicy checks AWS architecture proposals against an organization's
//! policies.
//!
//! A proposal is a small YAML (or JSON) file describing one HTTP service on
//! one AWS pattern (Lambda behind API Gateway, ECS Fargate behind an ALB,
//! ...). Loading it gives a checked [`Proposal`] that AWS would accept;
//! deriving gives its [`Facts`], the namespace policies read; a
//! [`PolicySet`] checks it into a [`Report`] of [`Finding`]s.
//!
//! ```
//! let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
//! let facts = proposal.facts();
//! let entry = facts.get("network.entry").unwrap();
//! assert_eq!(entry.value.to_string(), "alb");
//! # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
//! ```
//!
//! This crate root is the whole API (docs/embedding.md walks through it):
//!
//! | to | use |
//! |---|---|
//! | load a proposal | [`load_file`], [`load_str`] → [`Proposal`] or [`Failure`]`<`[`LoadError`]`>` |
//! | build a policy set | [`PolicySet::standard`], [`PolicySet::from_paths`], [`PolicySet::from_str`] |
//! | check | [`PolicySet::check`] → [`ProposalReport`]; [`PolicySet::check_all`] → [`Report`] |
//! | show the findings | [`render_human`] (miette), [`render_json`], `render_sarif` (feature `sarif`) |
//! | read the facts | [`Proposal::facts`] → [`Facts`] |
//! | price and compare | [`price`] → [`CostReport`] |
//! | recommend | [`load_needs_file`] → [`NeedsFile`], [`recommend`] → [`Recommendation`] |
//! | import a template | [`import_file`], [`import_str`] → [`Imported`] |
//!
//! Errors are values: each stage's [`Failure`] holds every error of a file
//! ([`LoadError`], [`PolicyError`], [`NeedsError`], [`ImportError`]), each a
//! [`miette::Diagnostic`] with a stable code and labels in the file. Nothing
//! in the library prints, exits or panics on input.
//!
//! The stages (`yaml`, `model`, `load`, `facts`, `policy`, ...) are modules
//! of the crate, not of its API: docs/architecture.md describes them.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Every type the API reaches can be named and has docs (issue 27). With
// `internals` the stages are public and not API: the lint speaks without it.
#![cfg_attr(not(feature = "internals"), deny(unnameable_types))]
// What only tests, benches and fuzz targets use is dead without `internals`;
// the lint speaks in the builds that have them (clippy --all-targets).
#![cfg_attr(not(feature = "internals"), allow(dead_code, unused_imports))]

/// What of a facade type only the crate itself uses, never an embedder,
/// in one place for every stage:
/// - `internal! { fn name(&self) -> T { ... } }`: a method the stages (the
///   CLI, the language server) call: `pub(crate)`, or, with the `internals`
///   feature (this crate's own tests, benches and fuzz targets),
///   `#[doc(hidden)] pub`, as the stages are.
/// - `internal! { impl Proposal { pub fn model(&self) -> &Model { &self.model } } }`:
///   accessors of `pub(crate)` fields that only the tests, benches and fuzz
///   targets call: the block exists with `internals` only, `#[doc(hidden)]`.
///
/// Neither is API: no semver, not in the docs (docs/embedding.md).
macro_rules! internal {
    ($(impl $type:ty { $($body:tt)* })+) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        #[allow(missing_docs, reason = "internals are no API; the facade is documented")]
        impl $type { $($body)* }
    )+};
    ($(#[$attr:meta])* fn $($rest:tt)*) => {
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        $(#[$attr])*
        pub fn $($rest)*
        #[cfg(not(feature = "internals"))]
        $(#[$attr])*
        pub(crate) fn $($rest)*
    };
}

/// Declares the stages: private to the crate, or, with the `internals`
/// feature (this crate's own tests, benches and fuzz targets, through the
/// dev-dependency on itself), `#[doc(hidden)] pub`. `internals` is no API:
/// it follows no semver and docs.rs does not show it (docs/embedding.md).
macro_rules! stages {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        #[allow(missing_docs, reason = "internals are no API; the facade is documented")]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        mod $name;
    )*};
}

// In layer order: each module uses only those above it in this list.
stages! {
    units,
    untrusted,
    source,
    walk,
    suggest,
    yaml,
    model,
    patterns,
    import,
    load,
    cost,
    facts,
    report,
    policy,
    recommend,
    json_schema,
}
#[cfg(feature = "lsp")]
stages! {
    lsp,
}
#[cfg(feature = "cli")]
mod cli;

mod api;

pub use api::*;

/// The README's Rust examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The embedding guide's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/embedding.md")]
struct EmbeddingDoctests;
