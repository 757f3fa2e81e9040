//! The archpolicy engine for the browser: `check`, `facts`, `cost` and `fmt`
//! on strings, each answering JSON (docs/playground.md).
//!
//! A thin layer over the library's API with `default-features = false`
//! (docs/embedding.md): no filesystem and no threads are needed, and the
//! day waivers are judged on comes from the caller, since
//! `wasm32-unknown-unknown` has no clock. Each function is plain Rust as
//! well, so the workspace's tests call the same code natively and compare
//! it with the `policy` command's output (tests/it/wasm_binding.rs).
//!
//! What each answers:
//! - [`check`]: exactly what `policy check --format json --today TODAY`
//!   writes for the one proposal (docs/json.md), its errors included.
//! - [`facts`]: what `policy facts --format json --today TODAY` writes.
//! - [`cost`]: what `policy cost --format json` writes.
//! - [`fmt`]: `{"formatted": TEXT}`, the text `policy fmt` would write.
//!
//! When the input does not load, `facts`, `cost` and `fmt` answer
//! `{"errors": [...]}`, each error as `check`'s JSON lists it.
#![forbid(unsafe_code)]

use archpolicy::{CostOptions, Date, Failure, Located, PolicySet, Proposal, Report, RunOptions, SourceFile};
use wasm_bindgen::prelude::wasm_bindgen;

/// One input that kept an answer from being given: a file name and its error.
type Errors = Vec<(String, miette::Report)>;

/// Checks a proposal against the standard pack (`standard`), a policy file
/// of the user's (`policy`, when not blank), or both, as of `today`
/// (`YYYY-MM-DD`). The answer is the JSON of `policy check --format json`.
#[wasm_bindgen]
pub fn check(
    proposal_name: &str,
    proposal: &str,
    policy_name: &str,
    policy: &str,
    standard: bool,
    today: &str,
) -> String {
    let run = match run_options(today) {
        Ok(run) => run,
        Err(errors) => return errors_json(&Report::new(Vec::new(), 0), errors),
    };
    // A policy set that does not load checks nothing, as `policy check` says.
    let set = match policies(policy_name, policy, standard) {
        Ok(set) => set,
        Err(failure) => return errors_json(&Report::new(Vec::new(), 0), policy_errors(&failure)),
    };
    let nothing = Report::new(Vec::new(), set.policies().len());
    let proposal = match archpolicy::load_str(proposal_name, proposal) {
        Ok(proposal) => proposal,
        Err(failure) => return errors_json(&nothing, named(proposal_name, failure.reports())),
    };
    let waivers = set.check_waivers(&proposal);
    if !waivers.is_empty() {
        return errors_json(&nothing, named(proposal_name, waivers));
    }
    let report = set.check_with(&proposal, &run);
    archpolicy::render_json(&Report::new(vec![report], set.policies().len()))
}

/// A proposal's facts as of `today`: the JSON of `policy facts --format json`.
#[wasm_bindgen]
pub fn facts(proposal_name: &str, proposal: &str, today: &str) -> String {
    let loaded = run_options(today).and_then(|run| Ok((load(proposal_name, proposal)?, run)));
    match loaded {
        Ok((proposal, run)) => {
            let facts = proposal.facts_on(run.cost, run.today);
            pretty(&facts.to_json(proposal.source()))
        }
        Err(errors) => errors_only(errors),
    }
}

/// A proposal's bill and the other patterns, alternatives configured for
/// the policies as in [`check`]: the JSON of `policy cost --format json`.
#[wasm_bindgen]
pub fn cost(
    proposal_name: &str,
    proposal: &str,
    policy_name: &str,
    policy: &str,
    standard: bool,
    today: &str,
) -> String {
    let run = match run_options(today) {
        Ok(run) => run,
        Err(errors) => return errors_only(errors),
    };
    let set = match policies(policy_name, policy, standard) {
        Ok(set) => set,
        Err(failure) => return errors_only(policy_errors(&failure)),
    };
    match load(proposal_name, proposal) {
        Ok(proposal) => pretty(&archpolicy::price_against(&proposal, &set, &run)),
        Err(errors) => errors_only(errors),
    }
}

/// A policy file formatted as `policy fmt` formats it: `{"formatted": TEXT}`.
#[wasm_bindgen]
pub fn fmt(policy_name: &str, policy: &str) -> String {
    match archpolicy::format_policy(policy_name, policy) {
        Ok(formatted) => pretty(&serde_json::json!({ "formatted": formatted })),
        Err(failure) => errors_only(policy_errors(&failure)),
    }
}

/// The standard pack's files, `[{"name": ..., "text": ...}]`, to show.
#[wasm_bindgen]
pub fn standard_pack() -> String {
    let files: Vec<_> = archpolicy::standard_pack()
        .iter()
        .map(|file| serde_json::json!({ "name": file.name(), "text": file.text() }))
        .collect();
    pretty(&files)
}

/// The engine's version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The policy set: the standard pack first, then the user's file, as
/// `policy check --policies FILE --with-standard` reads them.
fn policies(name: &str, text: &str, standard: bool) -> Result<PolicySet, Failure<Located>> {
    let mut files = if standard { archpolicy::standard_pack() } else { Vec::new() };
    if !text.trim().is_empty() {
        files.push(SourceFile::new(name, text));
    }
    PolicySet::from_sources(files)
}

fn run_options(today: &str) -> Result<RunOptions<'static>, Errors> {
    match today.parse::<Date>() {
        Ok(today) => Ok(RunOptions { cost: CostOptions::embedded_ref(), today }),
        Err(error) => Err(vec![("today".into(), miette::miette!("`{today}` is not a day: {error}"))]),
    }
}

fn load(name: &str, text: &str) -> Result<Proposal, Errors> {
    archpolicy::load_str(name, text).map_err(|failure| named(name, failure.reports()))
}

fn named(name: &str, reports: Vec<miette::Report>) -> Errors {
    reports.into_iter().map(|report| (name.to_string(), report)).collect()
}

/// Each error of a policy set, named by its own file.
fn policy_errors(failure: &Failure<Located>) -> Errors {
    failure
        .errors()
        .iter()
        .map(|located| (located.file.as_ref().map(|f| f.name().to_string()).unwrap_or_default(), located.report()))
        .collect()
}

fn errors_json(report: &Report, errors: Errors) -> String {
    archpolicy::render_json_with_errors(report, errors)
}

/// `{"errors": [...]}`, the errors as [`check`]'s JSON lists them.
fn errors_only(errors: Errors) -> String {
    let json = errors_json(&Report::new(Vec::new(), 0), errors);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    pretty(&serde_json::json!({ "errors": parsed["errors"] }))
}

/// Pretty JSON with the final newline the command writes.
fn pretty(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
