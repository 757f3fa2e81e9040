//! `test` blocks in policy files, as a set reads them. Each names a base
//! proposal, sets facts over it (`given PATH = VALUE`), and states the
//! outcome it expects of policies (`expect ID: deny|warn|info|pass|skip`).
//! Running them is `run_tests`'s job.

use super::ast::{Item, TestBlock, TestClause};
use super::err::{CheckError, Located, TestError};
use super::ir::Type;
use super::typecheck::TypeChecker;
use crate::facts::{FactType, schema};
use crate::source::SourceFile;
use crate::suggest;

/// A test as read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyTest {
    pub block: TestBlock,
    pub file: usize,
}

const OUTCOMES: &[&str] = &["deny", "warn", "info", "pass", "skip"];

/// The tests of the parsed files, and errors for what cannot be known
/// without running them: unknown policies, unknown facts, mistyped values,
/// a test that expects nothing, two tests of one name.
pub(crate) fn collect(
    parsed: &[(usize, std::sync::Arc<super::ast::PolicyFile>)],
    files: &[SourceFile],
    policy_ids: &[&str],
) -> (Vec<PolicyTest>, Vec<Located>) {
    let mut tests = Vec::new();
    let mut errors = Vec::new();
    let mut checker = TypeChecker::new(&[]);
    let mut names: Vec<String> = Vec::new();
    for (file, ast) in parsed {
        for item in &ast.items {
            let Item::Test(block) = item else { continue };
            let mut ok = true;
            let name = block.name.template();
            if names.contains(&name) {
                errors.push(Located::at(
                    &files[*file],
                    TestError::DuplicateTest { name: name.clone(), span: block.name.span },
                ));
                ok = false;
            }
            names.push(name);
            if !block.clauses.iter().any(|c| matches!(c, TestClause::Expect { .. })) {
                errors.push(Located::at(&files[*file], TestError::NoExpect { span: block.name.span }));
                ok = false;
            }
            if block.proposal().is_none() {
                errors.push(Located::at(&files[*file], TestError::NoProposal { span: block.name.span }));
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
                            errors.push(Located::at(
                                &files[*file],
                                CheckError::UnknownName { name: policy.name.clone(), span: policy.span, help },
                            ));
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
                            errors.push(Located::at(
                                &files[*file],
                                CheckError::UnknownFact { path: dotted, span: path.span, help },
                            ));
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
    errors.extend(checker.errors.drain(..).map(|(f, e)| Located::at(&files[f], e)));
    (tests, errors)
}

pub(super) fn fact_type(ty: FactType) -> Type {
    super::typecheck::fact_type(ty, "")
}
