//! Running the `test` blocks of a set, as `policy test` does: each test's
//! proposal loaded, its `given` facts set over the derived ones, the set
//! evaluated, and each `expect` compared with the outcome.

use std::path::Path;

use serde::Serialize;

use super::ast::TestClause;
use super::err::{CheckError, Located, PolicyError, TestError};
use super::eval::RunOptions;
use super::ir::Value;
use super::set::PolicySet;
use super::test_blocks::{PolicyTest, fact_type};
use super::typecheck::TypeChecker;
use crate::facts::{Fact, FactValue, Facts, Provenance, schema};
use crate::model::{NamedEnum, Proposal};
use crate::report::{ProposalReport, Status};
use crate::source::SourceFile;

/// What one `test` block of a policy file found, from
/// [`PolicySet::run_tests`]: as `policy test` shows it, and as its JSON
/// serializes it.
///
/// ```
/// let policies = "policy p: warn {\n  require environment != sandbox\n}\n\
///     test \"production passes\" {\n  proposal \"examples/fargate_alb.arch.yaml\"\n  expect p: pass\n}\n";
/// let set = archpolicy::PolicySet::from_str("org.policy", policies)?;
/// let (results, errors) = set.run_tests();
/// assert!(errors.is_empty(), "{errors:?}");
/// assert_eq!(results[0].name, "production passes");
/// assert_eq!(results[0].location, "org.policy:4");
/// assert!(results[0].passed(), "{:?}", results[0].failures);
/// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestResult {
    /// The test's name, as written.
    pub name: String,
    /// `file:line` of the test.
    pub location: String,
    /// One line per expectation that did not hold; empty when the test passed.
    pub failures: Vec<String>,
}

impl TestResult {
    /// Whether every expectation held.
    ///
    /// ```
    /// let policies = "policy p: warn {\n  require environment != production\n}\n\
    ///     test \"production passes\" {\n  proposal \"examples/fargate_alb.arch.yaml\"\n  expect p: pass\n}\n";
    /// let (results, _) = archpolicy::PolicySet::from_str("org.policy", policies)?.run_tests();
    /// assert!(!results[0].passed());
    /// assert!(results[0].failures[0].contains("warn"), "{:?}", results[0].failures);
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl PolicySet {
    /// Runs every test of the set, with the embedded price table, as of today. Errors are
    /// the tests that could not run (a missing or broken proposal, a fact its
    /// pattern does not have).
    ///
    /// ```
    /// let (results, errors) = archpolicy::PolicySet::from_paths(&["policies".into()])?.run_tests();
    /// assert!(errors.is_empty(), "{errors:?}");
    /// assert!(results.iter().all(|r| r.passed()), "the standard pack's tests pass");
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn run_tests(&self) -> (Vec<TestResult>, Vec<Located>) {
        self.run_tests_with(&RunOptions::standard())
    }

    /// The test blocks run as of `options.today`, priced with `options.cost`.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PolicySet, RunOptions};
    /// let run = RunOptions { cost: CostOptions::embedded_ref(), today: "2026-12-07".parse()? };
    /// let (results, errors) = PolicySet::from_paths(&["policies".into()])?.run_tests_with(&run);
    /// assert!(errors.is_empty() && !results.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run_tests_with(&self, options: &RunOptions<'_>) -> (Vec<TestResult>, Vec<Located>) {
        let mut results = Vec::new();
        let mut errors = Vec::new();
        for test in self.tests() {
            match self.run_test(test, options) {
                Ok(result) => results.push(result),
                Err(error) => errors.push(error),
            }
        }
        (results, errors)
    }

    fn run_test(&self, test: &PolicyTest, options: &RunOptions<'_>) -> Result<TestResult, Located> {
        let file = self.file(test.file).cloned().unwrap_or_else(|| SourceFile::new("", ""));
        let located = |error: PolicyError| Located::at(&file, error);
        let (line, _) = file.line_col(test.block.span.offset());
        let proposal = load_proposal(test, &file).map_err(located)?;
        let mut facts: Facts = proposal.facts_on(options.cost, options.today);
        set_given_facts(test, &proposal, &mut facts).map_err(|e| located(e.into()))?;
        let report = self.check_facts(&proposal, &facts, options.today);
        Ok(TestResult {
            name: test.block.name.template(),
            location: format!("{}:{line}", file.name()),
            failures: unmet_expectations(test, &report, &file),
        })
    }
}

/// The test's proposal, its path relative to the policy file.
fn load_proposal(test: &PolicyTest, file: &SourceFile) -> Result<Proposal, PolicyError> {
    let Some(proposal_path) = test.block.proposal() else {
        return Err(TestError::NoProposal { span: test.block.name.span }.into());
    };
    let base = Path::new(file.name()).parent().unwrap_or(Path::new(""));
    let relative = proposal_path.template();
    let path = base.join(&relative);
    // Through the gate of the policy file: a hostile policy file must not
    // print files from elsewhere. A missing file is reported by the load below.
    let gate = crate::walk::Gate::for_named(Path::new(file.name()));
    let base = if base.as_os_str().is_empty() { Path::new(".") } else { base };
    match gate.resolve_relative(base, &relative) {
        Ok(_) | Err(crate::walk::Reason::Io(_)) => {}
        Err(reason) => {
            let root = gate.root_display().to_string();
            return Err(TestError::ProposalOutside {
                path: relative,
                root,
                reason: reason.to_string(),
                span: proposal_path.span,
            }
            .into());
        }
    }
    crate::load_file(&path).map_err(|failure| {
        let reason = match failure.errors.first() {
            crate::LoadError::Io { reason, .. } => reason.clone(),
            other => other.to_string(),
        };
        TestError::ProposalNotLoaded { path: path.display().to_string(), reason, span: proposal_path.span }.into()
    })
}

/// Sets each `given` fact over the derived ones; a fact the proposal's pattern lacks is an error.
fn set_given_facts(test: &PolicyTest, proposal: &Proposal, facts: &mut Facts) -> Result<(), CheckError> {
    let mut checker = TypeChecker::new(&[]);
    for clause in &test.block.clauses {
        let TestClause::Given(path, value) = clause else { continue };
        let dotted = path.dotted();
        // Collecting the test already reported unknown facts and mistyped values.
        let Some(def) = schema::lookup(&dotted) else { continue };
        if !def.patterns.contains(proposal.model.pattern()) {
            return Err(CheckError::FactNotInPattern {
                path: dotted,
                missing: format!("`{}`", proposal.model.pattern().name()),
                span: path.span,
                present: def.patterns.patterns().map(|p| format!("`{}`", p.name())).collect::<Vec<_>>().join(", "),
                help: "set facts the proposal's pattern has".into(),
            });
        }
        let Some(value) = checker.param_value(test.file, fact_type(def.ty), value, "the value").and_then(fact_value)
        else {
            continue;
        };
        facts.set(
            &dotted,
            Fact { value, provenance: Provenance::Default { path: dotted.clone().into(), source: None } },
        );
    }
    Ok(())
}

/// One line per `expect` the report does not bear out, with the findings of that policy.
fn unmet_expectations(test: &PolicyTest, report: &ProposalReport, file: &SourceFile) -> Vec<String> {
    let mut failures = Vec::new();
    for clause in &test.block.clauses {
        let TestClause::Expect { policy, outcome } = clause else { continue };
        let Some(actual) = report.outcomes.iter().find(|o| o.policy == policy.name) else { continue };
        let got = match actual.status {
            Status::Fail => actual.severity.name(),
            Status::Pass => "pass",
            Status::Skip => "skip",
            Status::Waived => "waived",
        };
        if got != outcome.name {
            let (l, _) = file.line_col(policy.span.offset());
            let detail = report
                .findings
                .iter()
                .filter(|f| f.policy == policy.name)
                .map(|f| format!("\n    {}", f.message))
                .collect::<String>();
            failures.push(format!(
                "expected {}: {}, got {got} ({}:{l}){detail}",
                policy.name,
                outcome.name,
                file.name()
            ));
        }
    }
    failures
}

fn fact_value(value: Value) -> Option<FactValue> {
    Some(match value {
        Value::Bool(b) => FactValue::Bool(b),
        Value::Int(i) => FactValue::Int(i),
        Value::Text(t) => FactValue::Text(t),
        Value::Duration(d) => FactValue::Duration(d),
        Value::Size(s) => FactValue::Size(s),
        Value::Money(m) => FactValue::Money(m),
        Value::Vcpu(v) => FactValue::Vcpu(v),
        Value::Enum(t, name) => FactValue::Enum(t, name),
        Value::Decimal(_) | Value::Percent(_) | Value::Absent => return None,
    })
}
