//! Findings, and one renderer per output format.
//!
//! A [`Report`] is plain data (serializable, stable field names); the
//! renderers turn it into text. The library never prints.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
mod problem;
pub mod safe;
#[cfg(feature = "sarif")]
pub mod sarif;
mod severity;
pub mod window;

use miette::SourceSpan;
use serde::Serialize;

pub use problem::Problem;
pub use severity::Severity;

use crate::source::SourceFile;

/// A place in a file: 1-based line and column, and the byte range, where
/// a [`Finding`] points (docs/json.md's `location`).
///
/// ```
/// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check(&proposal);
/// let finding = report.findings.iter().find(|f| f.policy == "gateway-sync-limit").unwrap();
/// let at = finding.proposal_location.as_ref().unwrap();
/// assert_eq!(at.file, "examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml");
/// assert_eq!(at.source.slice(at.span()), Some("90s"));
/// assert!(at.line > 1 && at.column > 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file's name: the proposal's, the policy's, or a template's the
    /// proposal stands on.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset of the start in the file's text.
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
    /// The file itself, to render the place.
    #[serde(skip)]
    pub source: SourceFile,
}

impl Location {
    /// The place `span` points at: in `source`, or in a file attached to it
    /// (a proposal's template), whichever the span lies in.
    ///
    /// ```
    /// use archpolicy::{Location, SourceFile};
    /// let file = SourceFile::new("api.arch.yaml", "name: api\npattern: lambda_alb\n");
    /// let at = Location::new(&file, (19, 10).into());
    /// assert_eq!((at.line, at.column, at.length), (2, 10, 10));
    /// ```
    pub fn new(source: &SourceFile, span: SourceSpan) -> Location {
        let (source, span) = source.locate(span);
        let (line, column) = source.line_col(span.offset());
        Location {
            file: source.name().to_string(),
            line,
            column,
            offset: span.offset(),
            length: span.len(),
            source: source.clone(),
        }
    }

    /// The byte range, as miette labels take it.
    ///
    /// ```
    /// use archpolicy::{Location, SourceFile};
    /// let file = SourceFile::new("api.arch.yaml", "name: api\npattern: lambda_alb\n");
    /// let at = Location::new(&file, (19, 10).into());
    /// assert_eq!(file.slice(at.span()), Some("lambda_alb"));
    /// ```
    pub fn span(&self) -> SourceSpan {
        SourceSpan::from((self.offset, self.length))
    }
}

/// A value a failing requirement read, and where it came from.
///
/// ```
/// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check(&proposal);
/// let finding = report.findings.iter().find(|f| f.policy == "gateway-sync-limit").unwrap();
/// let read = finding.values.iter().find(|v| v.name == "workload.max_request_duration").unwrap();
/// assert_eq!(read.value, "90s");
/// assert!(read.from.starts_with("examples/breaks_on_purpose/"), "{}", read.from);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueUsed {
    /// A fact path (`workload.max_request_duration`) or a param name.
    pub name: String,
    /// The value as the language writes it (`45s`, `$50.00`, `alb`).
    pub value: String,
    /// Where the value came from, in words.
    pub from: String,
}

/// One failing `require` of one policy on one proposal.
///
/// ```
/// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check(&proposal);
/// let finding = report.findings.iter().find(|f| f.policy == "gateway-sync-limit").unwrap();
/// assert_eq!(finding.severity, archpolicy::Severity::Deny);
/// assert!(!finding.is_waived());
/// assert!(finding.proposal_location.is_some(), "it points into the proposal");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The policy id.
    pub policy: String,
    /// The policy's severity.
    pub severity: Severity,
    /// The policy's title.
    pub title: String,
    /// The failing `require`'s message, its facts interpolated.
    pub message: String,
    /// The policy's help.
    pub help: Option<String>,
    /// The facts the clause read, with their values and where each came from.
    pub values: Vec<ValueUsed>,
    /// The proposal value that decided the failure.
    pub proposal_location: Option<Location>,
    /// The `require` clause in the policy file; absent for findings about
    /// the proposal itself (an expired waiver).
    pub policy_location: Option<Location>,
    /// The proposal's waiver of this policy, when it has one that is in force.
    pub waiver: Option<WaiverUse>,
}

impl Finding {
    /// Whether a waiver in force covers it: it is reported, but fails nothing.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet, RunOptions};
    /// // The example waives `max-request-time` until 2027-11-30.
    /// let proposal = archpolicy::load_file("examples/lambda_alb.arch.yaml")?;
    /// let run = RunOptions { cost: CostOptions::embedded_ref(), today: "2026-12-07".parse()? };
    /// let report = PolicySet::standard()?.check_with(&proposal, &run);
    /// let finding = report.findings.iter().find(|f| f.policy == "max-request-time").unwrap();
    /// assert!(finding.is_waived());
    /// assert_eq!(finding.waiver.as_ref().map(|w| w.expires.as_str()), Some("2027-11-30"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_waived(&self) -> bool {
        self.waiver.as_ref().is_some_and(|w| w.applied)
    }
}

/// A waiver of the proposal's that matched a finding.
///
/// ```
/// use archpolicy::{CostOptions, PolicySet, RunOptions};
/// // The example waives `max-request-time` until 2027-11-30.
/// let proposal = archpolicy::load_file("examples/lambda_alb.arch.yaml")?;
/// let run = RunOptions { cost: CostOptions::embedded_ref(), today: "2026-12-07".parse()? };
/// let report = PolicySet::standard()?.check_with(&proposal, &run);
/// let finding = report.findings.iter().find(|f| f.policy == "max-request-time").unwrap();
/// let waiver = finding.waiver.as_ref().unwrap();
/// assert!(waiver.applied && !waiver.reason.is_empty() && !waiver.approved_by.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverUse {
    /// Why the exception was granted.
    pub reason: String,
    /// The last day it is in force, `YYYY-MM-DD`.
    pub expires: String,
    /// Who approved it.
    pub approved_by: String,
    /// False when the policy is not waivable: the finding stands.
    pub applied: bool,
}

/// What a renderer shows of one rule (a policy, or a finding the engine
/// makes itself), given as data so that renderers need not know policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// The id findings name it by.
    pub id: String,
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// Longer prose; the title when the rule has none.
    pub description: String,
    /// How to fix a finding; the title when the rule has none.
    pub help: String,
}

/// What happened to one policy on one proposal ([`Outcome::status`]);
/// the JSON spells it in lowercase.
///
/// ```
/// use archpolicy::Status;
/// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check(&proposal);
/// // `function is set` policies apply; the Fargate ones are skipped.
/// assert!(report.outcomes.iter().any(|o| o.status == Status::Skip));
/// assert_eq!(serde_json::to_value(Status::Waived)?, "waived");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// Every `require` held.
    Pass,
    /// At least one `require` failed.
    Fail,
    /// A `when` did not hold: the policy does not apply.
    Skip,
    /// It failed, and a waiver in force covers it.
    Waived,
}

/// What happened to one policy on one proposal: every policy of the set
/// has one, whether it applied or not.
///
/// ```
/// use archpolicy::Status;
/// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check(&proposal);
/// let outcome = report.outcomes.iter().find(|o| o.policy == "gateway-sync-limit").unwrap();
/// assert_eq!((outcome.status, outcome.severity), (Status::Fail, archpolicy::Severity::Deny));
/// assert!(report.outcomes.iter().any(|o| o.status == Status::Pass));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The policy id.
    pub policy: String,
    /// The policy's severity.
    pub severity: Severity,
    /// Passed, failed, skipped (a `when` did not hold) or waived.
    pub status: Status,
}

/// The result of checking one proposal.
///
/// ```
/// let proposal = archpolicy::load_file("examples/scenario_a_saas_api.arch.yaml")?;
/// let set = archpolicy::PolicySet::standard()?;
/// let report = set.check(&proposal);
/// assert_eq!(report.outcomes.len(), set.policies().len());
/// assert!(report.findings.is_empty(), "the guide's answer to scenario A passes");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposalReport {
    /// The proposal's file, as named.
    pub file: String,
    /// The proposal's `name`.
    pub name: String,
    /// The proposal's pattern.
    pub pattern: String,
    /// Sorted by policy id, then by position in the proposal.
    pub findings: Vec<Finding>,
    /// One per policy of the set, by policy id.
    pub outcomes: Vec<Outcome>,
    #[serde(skip)]
    /// The proposal file, for rendering.
    pub source: SourceFile,
}

/// Counts of findings by severity, over a [`Report`].
///
/// ```
/// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check_all([&proposal]);
/// let summary = report.summary;
/// assert_eq!(summary.proposals, 1);
/// assert!(summary.deny >= 1, "{summary:?}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Proposals checked.
    pub proposals: usize,
    /// Policies in the set.
    pub policies: usize,
    /// `deny` findings not waived.
    pub deny: usize,
    /// `warn` findings not waived.
    pub warn: usize,
    /// `info` findings not waived.
    pub info: usize,
    /// Findings covered by waivers (not in the counts above).
    pub waived: usize,
}

/// The result of a run.
///
/// ```
/// let a = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
/// let b = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
/// let report = archpolicy::PolicySet::standard()?.check_all([&b, &a]);
/// assert_eq!(report.summary.proposals, 2);
/// assert_eq!(report.proposals[0].file, "examples/fargate_alb.arch.yaml", "sorted by file");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Sorted by file.
    pub proposals: Vec<ProposalReport>,
    /// The counts over every proposal.
    pub summary: Summary,
}

impl Summary {
    /// Adds the counts of another (the policies are not counted twice).
    pub(crate) fn merge(&mut self, other: &Summary) {
        self.proposals += other.proposals;
        self.deny += other.deny;
        self.warn += other.warn;
        self.info += other.info;
        self.waived += other.waived;
    }

    /// Counts one more proposal's findings.
    pub(crate) fn add(&mut self, proposal: &ProposalReport) {
        self.proposals += 1;
        for finding in &proposal.findings {
            if finding.is_waived() {
                self.waived += 1;
                continue;
            }
            match finding.severity {
                Severity::Deny => self.deny += 1,
                Severity::Warn => self.warn += 1,
                Severity::Info => self.info += 1,
            }
        }
    }

    /// Whether any finding that counts is at or above `threshold`: what
    /// `policy check --fail-on THRESHOLD` exits 1 on.
    ///
    /// ```
    /// use archpolicy::Severity;
    /// let proposal = archpolicy::load_file("examples/breaks_on_purpose/long_requests_behind_api_gateway.arch.yaml")?;
    /// let report = archpolicy::PolicySet::standard()?.check_all([&proposal]);
    /// assert!(report.summary.fails_at(Severity::Deny));
    /// assert!(report.summary.fails_at(Severity::Info), "a lower threshold fails too");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fails_at(&self, threshold: Severity) -> bool {
        match threshold {
            Severity::Deny => self.deny > 0,
            Severity::Warn => self.deny + self.warn > 0,
            Severity::Info => self.deny + self.warn + self.info > 0,
        }
    }
}

/// Output written as proposals are checked, so that a run holds only the
/// reports of the files in flight. Each format implements it; its `render`
/// function is `begin`, every `proposal`, then `end`.
///
/// A proposal's output is made in two steps: [`Stream::part`] renders it
/// alone and takes `&self`, so it runs on the thread that checked the
/// proposal; a [`Joiner`] then adds it to what was written, in order (the
/// commas between JSON items, say).
pub trait Stream {
    fn begin(&mut self) -> String;
    /// One proposal's output, rendered alone.
    fn part(&self, report: &ProposalReport) -> Part;
    /// The errors of a file that could not be checked; nothing by default
    /// (they are on stderr), a place of their own in formats a CI reads.
    fn refused(&self, problems: &[Problem]) -> Part {
        let _ = problems;
        Part::default()
    }
    /// What goes between two items of the output.
    fn separator(&self) -> &'static str {
        ""
    }
    fn end(&self, summary: &Summary, joined: Joiner) -> String;
    /// The end of a run that checked nothing because its policies did not
    /// load: by default a run of no proposals, which a CI's format reads.
    fn end_refused(&self, joined: Joiner) -> String {
        self.end(&Summary::default(), joined)
    }
}

/// What has been written between `begin` and `end`.
#[derive(Debug, Default)]
pub struct Joiner {
    /// Items written so far.
    pub items: usize,
    /// Deferred text of the parts, in order, for `end`.
    pub deferred: Vec<String>,
}

impl Joiner {
    /// A part, joined to the output written before it.
    pub fn join(&mut self, stream: &dyn Stream, part: Part) -> String {
        let mut out = String::new();
        for item in part.items {
            if self.items > 0 {
                out.push_str(stream.separator());
            }
            self.items += 1;
            out.push_str(&item);
        }
        self.deferred.extend(part.deferred);
        out
    }
}

/// One proposal's output before it is joined to the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    /// The items it adds (a JSON object, a SARIF result each), in order.
    pub items: Vec<String>,
    /// What is written after every proposal, before the end (waived
    /// findings, in the human format).
    pub deferred: Vec<String>,
}

impl Part {
    pub fn item(item: String) -> Part {
        Part { items: vec![item], deferred: Vec::new() }
    }
}

/// A whole report through a stream renderer.
pub fn render_with(stream: &mut dyn Stream, report: &Report) -> String {
    let mut out = stream.begin();
    let mut joiner = Joiner::default();
    for p in &report.proposals {
        out.push_str(&joiner.join(stream, stream.part(p)));
    }
    out.push_str(&stream.end(&report.summary, joiner));
    out
}

impl Report {
    /// A report over `proposals` (sorted here by file) checked by `policies` policies.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::standard()?;
    /// let a = set.check(&archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?);
    /// let b = set.check(&archpolicy::load_file("examples/fargate_alb.arch.yaml")?);
    /// let report = archpolicy::Report::new(vec![a, b], set.policies().len());
    /// assert_eq!(report.proposals[0].file, "examples/fargate_alb.arch.yaml", "sorted by file");
    /// assert_eq!((report.summary.proposals, report.summary.policies), (2, set.policies().len()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(mut proposals: Vec<ProposalReport>, policies: usize) -> Report {
        proposals.sort_by(|a, b| a.file.cmp(&b.file));
        let mut summary = Summary { policies, ..Summary::default() };
        for p in &proposals {
            summary.add(p);
        }
        Report { proposals, summary }
    }
}

/// A file's path relative to `root` (the repository root), with `/`
/// separators, as SARIF and GitHub annotations want it. Paths that are not
/// files on disk (the embedded standard policies) are kept as they are.
/// `root` is canonical, as [`repository_root`] returns it.
pub fn relative_path(file: &str, root: Option<&std::path::Path>) -> String {
    let path = std::path::Path::new(file);
    let relative = match root {
        // A relative path under the working directory that holds the root needs no system call.
        Some(root) if path.is_relative() && std::env::current_dir().is_ok_and(|cwd| cwd == root) => path.to_path_buf(),
        Some(root) => match path.canonicalize() {
            Ok(absolute) => absolute.strip_prefix(root).map(|p| p.to_path_buf()).unwrap_or(absolute),
            Err(_) => path.to_path_buf(),
        },
        None => path.to_path_buf(),
    };
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

pub use crate::walk::repository_root;

#[cfg(test)]
mod tests;
