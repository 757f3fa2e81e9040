//! Policy tests: `test` blocks in policy files. Each names a base proposal,
//! sets facts over it (`given PATH = VALUE`), and states the outcome it
//! expects of policies (`expect ID: deny|warn|info|pass|skip`).

use std::path::Path;

use serde::Serialize;

use super::ast::{Item, TestBlock, TestClause};
use super::check::Checker;
use super::err::{CheckError, Located};
use super::ir::{Type, Value};
use super::set::PolicySet;
use crate::facts::{Fact, FactType, FactValue, Facts, Provenance, schema};
use crate::model::NamedEnum;
use crate::report::Status;
use crate::source::SourceFile;
use crate::suggest;

/// A test as read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyTest {
    pub block: TestBlock,
    pub file: usize,
}

/// What a test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestResult {
    pub name: String,
    /// `file:line` of the test.
    pub location: String,
    /// One line per expectation that did not hold; empty when the test passed.
    pub failures: Vec<String>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

const OUTCOMES: &[&str] = &["deny", "warn", "info", "pass", "skip"];

/// The tests of the parsed files, and errors for what cannot be known
/// without running them: unknown policies, unknown facts, mistyped values.
pub(crate) fn collect(
    parsed: &[(usize, super::ast::PolicyFile)],
    files: &[SourceFile],
    policy_ids: &[&str],
) -> (Vec<PolicyTest>, Vec<Located>) {
    let mut tests = Vec::new();
    let mut errors = Vec::new();
    let mut checker = Checker::new(&[]);
    for (file, ast) in parsed {
        for item in &ast.items {
            let Item::Test(block) = item else { continue };
            let mut ok = true;
            if block.proposal().is_none() {
                errors.push(Located {
                    file: Some(files[*file].clone()),
                    error: CheckError::Invalid {
                        message: "this test names no proposal".into(),
                        span: block.name.span,
                        label: "test".into(),
                        help: "add `proposal \"path/to/file.arch.yaml\"`, relative to the policy file".into(),
                    }
                    .into(),
                });
                ok = false;
            }
            for clause in &block.clauses {
                match clause {
                    TestClause::Expect { policy, outcome } => {
                        if !policy_ids.contains(&policy.name.as_str()) {
                            let help = match suggest::did_you_mean(&policy.name, policy_ids.iter().copied()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => "the test names a policy of the files being tested".into(),
                            };
                            errors.push(Located {
                                file: Some(files[*file].clone()),
                                error: CheckError::UnknownName { name: policy.name.clone(), span: policy.span, help }
                                    .into(),
                            });
                            ok = false;
                        }
                        if !OUTCOMES.contains(&outcome.name.as_str()) {
                            ok = false;
                        }
                    }
                    TestClause::Given(path, value) => {
                        let dotted = path.dotted();
                        let Some(def) = schema::lookup(&dotted).filter(|d| d.ty != FactType::List) else {
                            let help = match suggest::did_you_mean(&dotted, schema::paths()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => "`given` sets a fact: docs/facts.md lists them".into(),
                            };
                            errors.push(Located {
                                file: Some(files[*file].clone()),
                                error: CheckError::UnknownFact { path: dotted, span: path.span, help }.into(),
                            });
                            ok = false;
                            continue;
                        };
                        let ty = fact_type(def.ty);
                        if checker.param_value(*file, ty, value, "the value").is_none() {
                            ok = false;
                        }
                    }
                    TestClause::Proposal(_) => {}
                }
            }
            if ok {
                tests.push(PolicyTest { block: block.clone(), file: *file });
            }
        }
    }
    errors.extend(checker.errors.drain(..).map(|(f, e)| Located { file: Some(files[f].clone()), error: e.into() }));
    (tests, errors)
}

fn fact_type(ty: FactType) -> Type {
    super::check::fact_type(ty, "")
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

impl PolicySet {
    /// Runs every test of the set. Errors are the tests that could not run
    /// (a missing or broken proposal, a fact its pattern does not have).
    pub fn run_tests(&self) -> (Vec<TestResult>, Vec<Located>) {
        let mut results = Vec::new();
        let mut errors = Vec::new();
        for test in self.tests() {
            match self.run_test(test) {
                Ok(result) => results.push(result),
                Err(error) => errors.push(error),
            }
        }
        (results, errors)
    }

    fn run_test(&self, test: &PolicyTest) -> Result<TestResult, Located> {
        let file = self.file(test.file).cloned().unwrap_or_else(|| SourceFile::new("", ""));
        let located = |error: CheckError| Located { file: Some(file.clone()), error: error.into() };
        let name = test.block.name.template();
        let (line, _) = file.line_col(test.block.span.offset());
        let location = format!("{}:{line}", file.name());
        let Some(proposal_path) = test.block.proposal() else {
            return Err(located(CheckError::Invalid {
                message: "this test names no proposal".into(),
                span: test.block.name.span,
                label: "test".into(),
                help: "add `proposal \"path/to/file.arch.yaml\"`".into(),
            }));
        };
        let relative = proposal_path.template();
        let base = Path::new(file.name()).parent().unwrap_or(Path::new(""));
        let path = base.join(&relative);
        let proposal = crate::load_file(&path).map_err(|failure| {
            let reason = match failure.errors.first() {
                crate::model::LoadError::Io { reason, .. } => reason.clone(),
                other => other.to_string(),
            };
            located(CheckError::Invalid {
                message: format!("the test's proposal `{}` does not load: {reason}", path.display()),
                span: proposal_path.span,
                label: "this proposal".into(),
                help:
                    "the path is relative to the policy file; `policy facts FILE` shows what is wrong with a proposal"
                        .into(),
            })
        })?;
        let mut facts: Facts = proposal.facts_with(self.cost_options());
        let mut checker = Checker::new(&[]);
        for clause in &test.block.clauses {
            let TestClause::Given(path, value) = clause else { continue };
            let dotted = path.dotted();
            let Some(def) = schema::lookup(&dotted) else { continue };
            if !def.patterns.contains(proposal.model.pattern()) {
                return Err(located(CheckError::FactNotInPattern {
                    path: dotted,
                    missing: format!("`{}`", proposal.model.pattern().name()),
                    span: path.span,
                    present: def.patterns.patterns().map(|p| format!("`{}`", p.name())).collect::<Vec<_>>().join(", "),
                    help: "set facts the proposal's pattern has".into(),
                }));
            }
            let Some(value) =
                checker.param_value(test.file, fact_type(def.ty), value, "the value").and_then(fact_value)
            else {
                continue;
            };
            facts.set(
                &dotted,
                Fact { value, provenance: Provenance::Default { path: dotted.clone().into(), source: None } },
            );
        }
        let report = self.check_facts(&proposal, &facts);
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
        Ok(TestResult { name, location, failures })
    }
}
