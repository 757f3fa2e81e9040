//! The facade: what an embedder calls, re-exported at the crate root. Each
//! function here is a short path through the stages, the same one the
//! `policy` command takes; the stages themselves stay private.

use std::path::Path;

pub use crate::cost::{CostOptions, CostReport, PriceError};
pub use crate::facts::{Fact, FactValue, Facts};
pub use crate::import::{ImportError, Imported};
pub use crate::load::{load_file, load_str};
pub use crate::model::{EnumType, LoadError, Proposal};
pub use crate::policy::{
    CheckError, Located, ParseError, PolicyError, PolicyInfo, PolicySet, RunOptions, Severity, TestError, TestResult,
};
pub use crate::recommend::{NeedsError, NeedsFile, Recommendation, load_needs_file, load_needs_str};
pub use crate::report::{Finding, Location, Outcome, ProposalReport, Report, Status, Summary, ValueUsed, WaiverUse};
pub use crate::source::{Failure, SourceFile};
pub use crate::units::{Date, Duration, Money, QuantityError, Size, Vcpu};

/// The standard pack's policy files (the guide's advice as policies,
/// embedded in the crate), to check beside an organization's own:
/// [`PolicySet::standard`] is `PolicySet::from_sources(standard_pack())`.
///
/// ```
/// use archpolicy::{PolicySet, SourceFile};
/// let mut files = archpolicy::standard_pack();
/// files.push(SourceFile::new("org.policy", "policy no-sandbox: info { require environment != sandbox }"));
/// let policies = PolicySet::from_sources(files)?;
/// assert!(policies.policy("no-sandbox").is_some());
/// assert!(policies.policy("gateway-sync-limit").is_some());
/// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
/// ```
pub fn standard_pack() -> Vec<SourceFile> {
    crate::policy::STANDARD_PACK.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect()
}

/// Draws a report as `policy check` does on a terminal: each finding a
/// miette diagnostic labelled in the proposal and the policy, then a
/// summary. `color` adds ANSI colors; without, the text is plain.
///
/// ```
/// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
/// let policies = archpolicy::PolicySet::standard()?;
/// let report = policies.check_all([&proposal]);
/// let text = archpolicy::render_human(&report, false);
/// assert!(text.contains("gateway-sync-limit"), "{text}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_human(report: &Report, color: bool) -> String {
    crate::report::human::render_report(report, crate::report::human::Style { color, width: 100 })
}

/// A report as the JSON of `policy check --format json` (docs/json.md).
///
/// ```
/// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check_all([&proposal]);
/// let json: serde_json::Value = serde_json::from_str(&archpolicy::render_json(&report))?;
/// assert_eq!(json["proposals"][0]["file"], "examples/fargate_alb.arch.yaml");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_json(report: &Report) -> String {
    crate::report::json::render(report)
}

/// A report as `policy check --format json` writes it when some files
/// could not be checked: each error in the `errors` list beside the
/// proposals, named by the file it kept from being checked (a proposal
/// that did not load, a waiver naming no policy, a policy file with an
/// error), as docs/json.md describes.
///
/// ```
/// let failure = archpolicy::load_str("api.arch.yaml", "name: api").unwrap_err();
/// let errors = failure.reports().into_iter().map(|e| ("api.arch.yaml", e));
/// let policies = archpolicy::PolicySet::standard()?;
/// let empty = archpolicy::Report::new(Vec::new(), policies.policies().len());
/// let json: serde_json::Value = serde_json::from_str(&archpolicy::render_json_with_errors(&empty, errors))?;
/// assert_eq!(json["errors"][0]["code"], "archpolicy::load::missing_key");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_json_with_errors<F: AsRef<str>>(
    report: &Report,
    errors: impl IntoIterator<Item = (F, miette::Report)>,
) -> String {
    use crate::report::{Joiner, Problem, Stream, json::Json};
    let stream = Json;
    let problems: Vec<Problem> =
        errors.into_iter().map(|(file, error)| Problem::from_diagnostic(file.as_ref(), error.as_ref())).collect();
    let mut joiner = Joiner::default();
    let mut out = Json.begin();
    for proposal in &report.proposals {
        out.push_str(&joiner.join(&stream, stream.part(proposal)));
    }
    out.push_str(&joiner.join(&stream, stream.refused(&problems)));
    out.push_str(&stream.end(&report.summary, joiner));
    out
}

/// Formats a policy file's text as `policy fmt` does: one canonical layout,
/// comments kept, deprecated forms rewritten; `name` is shown in
/// diagnostics.
///
/// ```
/// let text = archpolicy::format_policy("a.policy", "policy p: warn {require environment!=sandbox}")?;
/// assert_eq!(text, "policy p: warn {\n  require environment != sandbox\n}\n");
/// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
/// ```
pub fn format_policy(name: &str, text: &str) -> Result<String, Failure<Located>> {
    crate::policy::format_canonical(text).map_err(|errors| {
        let source = SourceFile::new(name, text);
        let located = errors.map(|error| Located { file: Some(source.clone()), error: error.into() });
        Failure::new(Some(source), located)
    })
}

/// A report as a SARIF 2.1.0 log, its rules taken from `policies` (feature
/// `sarif`). File URIs are relative to the current directory's repository,
/// the standard pack's relative to `ARCHPOLICY_STANDARD`.
///
/// ```
/// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
/// let policies = archpolicy::PolicySet::standard()?;
/// let sarif: serde_json::Value =
///     serde_json::from_str(&archpolicy::render_sarif(&policies.check_all([&proposal]), &policies))?;
/// assert_eq!(sarif["version"], "2.1.0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "sarif")]
pub fn render_sarif(report: &Report, policies: &PolicySet) -> String {
    let dir = std::env::current_dir().ok().map(|d| crate::report::repository_root(&d).unwrap_or(d));
    let embedded = crate::policy::STANDARD_PACK.iter().map(|(name, _)| name.to_string()).collect();
    crate::report::sarif::render(report, &policies.rules(), crate::report::sarif::Base { dir, embedded })
}

/// Prices a proposal at its declared workload and at zero traffic, line by
/// line, and the same workload on every other pattern, as `policy cost`
/// does without `--policies`.
///
/// ```
/// use archpolicy::CostOptions;
/// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
/// let cost = archpolicy::price(&proposal, &CostOptions::embedded());
/// assert!(cost.idle_monthly() <= cost.monthly());
/// let json = cost.to_json();
/// assert!(json["comparison"].as_array().unwrap().len() >= 3);
/// assert!(json["comparison"].as_array().unwrap().iter().any(|c| c["proposed"] == true));
/// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
/// ```
pub fn price(proposal: &Proposal, options: &CostOptions) -> CostReport {
    crate::cost::report(proposal, options)
}

/// Prices a proposal as `policy cost` does with a policy set: as [`price`],
/// and each other pattern configured to clear the set's deny findings (a
/// pattern still denied is never marked cheapest), the set judged with
/// `run` (its price table and the day waivers are judged on).
///
/// ```
/// use archpolicy::{CostOptions, Date, PolicySet, RunOptions};
/// let proposal = archpolicy::load_file("examples/scenario_b_image_processing.arch.yaml")?;
/// let run = RunOptions { cost: CostOptions::embedded_ref(), today: "2026-12-06".parse()? };
/// let cost = archpolicy::price_against(&proposal, &PolicySet::standard()?, &run);
/// assert_eq!(cost.pattern(), "fargate_alb");
/// assert!(cost.to_json()["comparison"].as_array().unwrap().iter().any(|c| c["proposed"] == true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn price_against(proposal: &Proposal, policies: &PolicySet, run: &RunOptions<'_>) -> CostReport {
    crate::recommend::cost_report(proposal, run.cost, policies, run)
}

/// The pattern that fits a needs file: a candidate per pattern sized from
/// the workload, each judged against the needs and `policies`, priced with
/// `options`, the cheapest compliant one recommended, as `policy recommend`
/// does (waivers judged as of today).
///
/// ```
/// use archpolicy::{CostOptions, PolicySet};
/// let needs = archpolicy::load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref())?;
/// let answer = archpolicy::recommend(&needs, &PolicySet::standard()?, &CostOptions::embedded());
/// assert!(answer.recommended().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn recommend(needs: &NeedsFile, policies: &PolicySet, options: &CostOptions) -> Recommendation {
    crate::recommend::recommend(needs, policies, &RunOptions { cost: options, today: Date::today() })
}

/// Reads an infrastructure template (CloudFormation, SAM, `cdk synth`
/// output, Terraform plan JSON) and classifies its services as patterns,
/// as `policy import` does. Reading is bounded as for proposals.
///
/// ```
/// let imported = archpolicy::import_file("examples/imported/template.yaml")?;
/// assert!(imported.patterns().contains(&"lambda_api_gateway"), "{:?}", imported.patterns());
/// # Ok::<(), archpolicy::Failure<archpolicy::ImportError>>(())
/// ```
pub fn import_file(path: impl AsRef<Path>) -> Result<Imported, Failure<ImportError>> {
    crate::import::import_file(path.as_ref())
}

/// [`import_file`] of text; `name` is shown in diagnostics.
///
/// ```
/// let failure = archpolicy::import_str("t.yaml", "Resources: 3").unwrap_err();
/// assert!(!failure.errors().is_empty());
/// ```
pub fn import_str(name: &str, text: &str) -> Result<Imported, Failure<ImportError>> {
    crate::import::import_str(name, text)
}

/// Runs the `policy` command on this process's arguments, writing to its
/// stdout and stderr (feature `cli`). Not API (hidden, no semver): only
/// src/main.rs, the `policy` binary, calls it, and it is public because the
/// binary is a crate of its own; an embedder calls the functions above.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     archpolicy::run_command()
/// }
/// ```
#[cfg(feature = "cli")]
#[doc(hidden)]
pub fn run_command() -> std::process::ExitCode {
    crate::cli::run().code()
}
