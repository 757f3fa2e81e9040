//! A checked set of policies from one or more files, with its params:
//! parsing every file, checking its params, policies and `test` blocks, and
//! the limit on policies in a run. Evaluating proposals against the set is
//! `eval`'s job.

use std::path::PathBuf;
use std::sync::Arc;

use super::ast::{Item, PolicyFile};
use super::err::{CheckError, Located, PolicyError, PolicyFailure};
use super::grammar::MAX_POLICIES;
use super::ir::Value;
use super::params;
use super::test_blocks::{self, PolicyTest};
use super::typecheck::{CheckedParam, CheckedPolicy, TypeChecker};
use crate::facts::CostRead;
use crate::report::Severity;
use crate::source::{Failure, NonEmpty, SourceFile};

/// Checked policies and their params, ready to check proposals.
///
/// ```
/// use archpolicy::{PolicySet, SourceFile};
/// // An organization's policies beside the standard pack, a param set as `--param` does.
/// let org = "param max_sync: duration = 10s\npolicy short: warn {\n  require request.sync_limit <= max_sync\n}\n";
/// let mut files = archpolicy::standard_pack();
/// files.push(SourceFile::new("org.policy", org));
/// let mut set = PolicySet::from_sources(files)?;
/// set.set_param("max_sync", "60s").expect("a duration");
/// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
/// let report = set.check(&proposal);
/// assert!(report.findings.iter().all(|f| f.policy != "short"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PolicySet {
    pub(super) files: Vec<SourceFile>,
    pub(super) params: Vec<CheckedParam>,
    /// Each param's value in this run: its default, or what `--param` set.
    pub(super) values: Vec<Value>,
    pub(super) overridden: Vec<bool>,
    pub(super) policies: Vec<CheckedPolicy>,
    /// The `cost.*` facts the policies read, and the deny policies: a check
    /// prices those of the proposal, and judging an alternative by its
    /// denials those of the alternative (a bill or two each).
    pub(super) cost_read: CostRead,
    pub(super) deny_cost_read: CostRead,
    warnings: Vec<Located>,
    tests: Vec<PolicyTest>,
}

impl PolicySet {
    /// The embedded standard pack.
    ///
    /// ```
    /// let set = archpolicy::PolicySet::standard()?;
    /// assert!(set.policy("gateway-sync-limit").is_some());
    /// assert!(set.warnings().is_empty());
    /// assert!(set.run_tests().0.is_empty(), "the pack's tests are in policies/tests.policy, not embedded");
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn standard() -> Result<PolicySet, Failure<Located>> {
        PolicySet::from_sources(super::files::standard_sources())
    }

    /// One policy file from text; `name` is shown in diagnostics.
    ///
    /// ```
    /// use archpolicy::PolicySet;
    /// let set = PolicySet::from_str("org.policy", "policy no-sandbox: warn {\n  require environment != sandbox\n}\n")?;
    /// let text = std::fs::read_to_string("examples/fargate_alb.arch.yaml")?;
    /// let proposal = archpolicy::load_str("sandbox.arch.yaml", &text.replace("environment: production", "environment: sandbox"))?;
    /// let report = set.check(&proposal);
    /// assert_eq!(report.findings[0].policy, "no-sandbox");
    /// assert!(report.findings[0].message.contains("sandbox"), "{}", report.findings[0].message);
    /// // A mistake is an error with a span, not a panic.
    /// let failure = PolicySet::from_str("org.policy", "policy p: warn { require enviroment != sandbox }").unwrap_err();
    /// assert!(failure.to_string().contains("enviroment"), "{failure}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_str(name: &str, text: &str) -> Result<PolicySet, Failure<Located>> {
        PolicySet::from_sources(vec![SourceFile::new(name, text)])
    }

    /// Policy files and directories (searched for `*.policy`).
    ///
    /// ```
    /// use archpolicy::PolicySet;
    /// let set = PolicySet::from_paths(&["policies".into()])?;
    /// assert!(set.policy("gateway-sync-limit").is_some());
    /// assert!(!set.run_tests().0.is_empty(), "policies/tests.policy");
    /// // A path with no policy fails closed rather than pass everything.
    /// assert!(PolicySet::from_paths(&["examples".into()]).is_err());
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn from_paths(paths: &[PathBuf]) -> Result<PolicySet, Failure<Located>> {
        match super::files::read_sources(paths) {
            // Checking against no policy at all would pass everything: fail closed.
            Ok(sources) => PolicySet::from_sources(sources).and_then(|set| {
                if set.policies.is_empty() {
                    let path = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("`, `");
                    let error = PolicyError::NoPolicies { path };
                    return Err(PolicyFailure::single(None, Located { file: None, error }));
                }
                Ok(set)
            }),
            Err(errors) => Err(PolicyFailure::new(None, errors.map(|error| Located { file: None, error }))),
        }
    }

    /// Several sets as one (the standard pack beside an organization's own).
    ///
    /// ```
    /// use archpolicy::{PolicySet, SourceFile};
    /// // A param declared in one file is seen by the policies of every file.
    /// let params = SourceFile::new("params.policy", "param max_sync: duration = 10s\n");
    /// let rules = SourceFile::new("rules.policy", "policy short: warn {\n  require request.sync_limit <= max_sync\n}\n");
    /// let set = PolicySet::from_sources(vec![params, rules])?;
    /// assert!(set.warnings().is_empty(), "`max_sync` is used");
    /// assert!(set.policy("short").is_some());
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn from_sources(files: Vec<SourceFile>) -> Result<PolicySet, Failure<Located>> {
        PolicySet::from_sources_cached(files, &mut ParseCache::default())
    }

    internal! {
        /// As [`PolicySet::from_sources`], parsing only the files whose text
        /// `cache` has not parsed before: an editor re-checks a set after each
        /// keystroke in one of its files, and parsing is most of the work.
        ///
        /// ```
        /// use archpolicy::{PolicySet, SourceFile};
        /// let mut cache = Default::default();
        /// let org = SourceFile::new("org.policy", "policy no-sandbox: warn {\n  require environment != sandbox\n}\n");
        /// let mut files = archpolicy::standard_pack();
        /// files.push(org.clone());
        /// let first = PolicySet::from_sources_cached(files.clone(), &mut cache)?;
        /// // Each keystroke: only the edited file is parsed again.
        /// files.pop();
        /// files.push(SourceFile::new("org.policy", "policy no-sandbox: deny {\n  require environment != sandbox\n}\n"));
        /// let again = PolicySet::from_sources_cached(files, &mut cache)?;
        /// assert_eq!(first.policies().len(), again.policies().len());
        /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
        /// ```
        fn from_sources_cached(files: Vec<SourceFile>, cache: &mut ParseCache) -> Result<PolicySet, PolicyFailure> {
            let parsed = parse_all(&files, cache)?;
            let mut errors: Vec<Located> = Vec::new();
            let mut warnings: Vec<Located> = Vec::new();
            // Params first: every policy of every file sees them.
            let (params, values) = params::declare(&parsed, &files, &mut errors, &mut warnings);
            let mut checker = TypeChecker::new(&params);
            let mut policies = check_policies(&parsed, &files, &mut checker, &mut errors);
            warnings.extend(checker.warnings.drain(..).map(|(f, e)| Located::at(&files[f], e)));
            let ids: Vec<&str> = policies.iter().map(|p| p.ast.id.name.as_str()).collect();
            let (tests, test_errors) = test_blocks::collect(&parsed, &files, &ids);
            errors.extend(test_errors);
            warnings.extend(params.iter().zip(&checker.used_params).filter(|(_, used)| !**used).map(|(param, _)| {
                Located::at(&files[param.file], CheckError::UnusedParam { name: param.name.clone(), span: param.span })
            }));
            if let Some(errors) = NonEmpty::from_vec(errors) {
                return Err(PolicyFailure::new(None, errors));
            }
            policies.sort_by(|a, b| a.ast.id.name.cmp(&b.ast.id.name));
            let overridden = vec![false; params.len()];
            let read = |deny_only: bool| {
                let read_by = |p: &&CheckedPolicy| !deny_only || p.ast.severity == Severity::Deny;
                CostRead::of(|fact| policies.iter().filter(read_by).any(|p| p.reads_fact(&|path| path == fact)))
            };
            let (cost_read, deny_cost_read) = (read(false), read(true));
            Ok(PolicySet { files, params, values, overridden, policies, cost_read, deny_cost_read, warnings, tests })
        }
    }

    /// Sets a param from text, as `--param NAME=VALUE` gives it; setting one twice is an error.
    ///
    /// ```
    /// let mut set = archpolicy::PolicySet::standard()?;
    /// set.set_param("max_request_time", "20s").map_err(|e| e.error)?;
    /// let twice = set.set_param("max_request_time", "25s").unwrap_err();
    /// assert!(twice.to_string().contains("max_request_time"), "{twice}");
    /// let misspelt = set.set_param("max_request_tim", "1s").unwrap_err();
    /// assert!(misspelt.to_string().contains("max_request_tim"), "{misspelt}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_param(&mut self, name: &str, text: &str) -> Result<(), Located> {
        let Some(index) = self.params.iter().position(|p| p.name == name) else {
            return Err(params::unknown(name, &self.params));
        };
        if self.overridden[index] {
            return Err(params::repeated(name));
        }
        self.values[index] = params::value_from_text(name, self.params[index].ty, text)?;
        self.overridden[index] = true;
        Ok(())
    }

    internal! {
        /// The checked policies, by id.
        ///
        /// ```
        /// let set = archpolicy::PolicySet::standard()?;
        /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
        /// // One outcome per policy, in the same order.
        /// assert_eq!(set.check(&proposal).outcomes.len(), set.policies().len());
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        fn checked_policies(&self) -> &[CheckedPolicy] {
            &self.policies
        }
    }

    internal! {
        /// The policy with this id.
        ///
        /// ```
        /// let set = archpolicy::PolicySet::standard()?;
        /// assert!(set.policy("gateway-sync-limit").is_some());
        /// assert!(set.policy("gateway-sync-limt").is_none());
        /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
        /// ```
        fn checked_policy(&self, id: &str) -> Option<&CheckedPolicy> {
            self.policies.iter().find(|p| p.ast.id.name == id)
        }
    }

    internal! {
        /// The declared params.
        ///
        /// ```
        /// let set = archpolicy::PolicySet::standard()?;
        /// assert!(set.params().iter().any(|p| p.name == "max_request_time"));
        /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
        /// ```
        fn params(&self) -> &[CheckedParam] {
            &self.params
        }
    }

    internal! {
        /// The value a param has in this run.
        ///
        /// ```
        /// let mut set = archpolicy::PolicySet::standard()?;
        /// let index = set.params().iter().position(|p| p.name == "max_request_time").unwrap();
        /// set.set_param("max_request_time", "20s").map_err(|e| e.error)?;
        /// assert_eq!(set.param_value(index).unwrap().to_string(), "20s");
        /// assert!(set.param_value(set.params().len()).is_none());
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        fn param_value(&self, index: usize) -> Option<&Value> {
            self.values.get(index)
        }
    }

    internal! {
        /// The policy file at `index` (as spans name it).
        ///
        /// ```
        /// let set = archpolicy::PolicySet::standard()?;
        /// assert_eq!(set.file(0).map(|f| f.name()), Some("policies/request-path.policy"));
        /// assert!(set.file(archpolicy::standard_pack().len()).is_none());
        /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
        /// ```
        fn file(&self, index: usize) -> Option<&SourceFile> {
            self.files.get(index)
        }
    }

    internal! {
        /// The `test` blocks of the set's files.
        ///
        /// ```
        /// let set = archpolicy::PolicySet::from_paths(&["policies".into()])?;
        /// let (results, _) = set.run_tests();
        /// assert_eq!(results.len(), set.tests().len());
        /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
        /// ```
        fn tests(&self) -> &[PolicyTest] {
            &self.tests
        }
    }

    /// What the analysis proves about the set (src/policy/analyze.rs):
    /// policies that can never matter, and pairs that cannot both pass. All
    /// warnings; the analysis never reports what it has not proved.
    ///
    /// ```
    /// use archpolicy::PolicySet;
    /// let text = "policy a: warn {\n  require environment == sandbox\n}\npolicy b: warn {\n  require environment != sandbox\n}\n";
    /// let proven = PolicySet::from_str("org.policy", text)?.analyze();
    /// assert_eq!(proven.len(), 1, "{proven:?}");
    /// assert!(PolicySet::standard()?.analyze().is_empty(), "the standard pack holds together");
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn analyze(&self) -> Vec<Located> {
        super::analyze::analyze(&self.policies, &self.files)
    }

    /// Warnings found while checking (unused params).
    ///
    /// ```
    /// let text = "param unused: int = 3\npolicy p: warn {\n  require environment != sandbox\n}\n";
    /// let set = archpolicy::PolicySet::from_str("org.policy", text)?;
    /// assert!(set.warnings()[0].to_string().contains("unused"), "{}", set.warnings()[0]);
    /// # Ok::<(), archpolicy::Failure<archpolicy::Located>>(())
    /// ```
    pub fn warnings(&self) -> &[Located] {
        &self.warnings
    }
}

/// Every file parsed, each with its index; all syntax errors of all files,
/// or too many policies, stop here.
/// Parsed files by their text: the files of a set that did not change are
/// not parsed again. It holds at most [`ParseCache::MAX_TEXTS`] texts
/// beyond the set being built (older ones are dropped when it fills).
#[derive(Debug, Default)]
pub struct ParseCache {
    /// Shared, not cloned: a set rebuilt after one keystroke reuses every
    /// other file's tree as it is.
    parsed: std::collections::HashMap<String, Result<Arc<PolicyFile>, NonEmpty<super::err::ParseError>>>,
}

impl ParseCache {
    /// Texts kept beyond the set being built.
    pub const MAX_TEXTS: usize = 64;

    /// The parse of `text`, from the cache when it has it.
    pub fn parse(&mut self, text: &str) -> Result<Arc<PolicyFile>, NonEmpty<super::err::ParseError>> {
        if let Some(parsed) = self.parsed.get(text) {
            return parsed.clone();
        }
        if let Some(tree) = super::compiled::tree(text) {
            return Ok(tree);
        }
        let parsed = super::parse(text).map(Arc::new);
        self.parsed.insert(text.to_string(), parsed.clone());
        parsed
    }

    /// Forgets every text but `keep`.
    fn keep_only(&mut self, keep: &[SourceFile]) {
        let texts: std::collections::HashSet<&str> = keep.iter().map(SourceFile::text).collect();
        self.parsed.retain(|text, _| texts.contains(text.as_str()));
    }
}

fn parse_all(files: &[SourceFile], cache: &mut ParseCache) -> Result<Vec<(usize, Arc<PolicyFile>)>, PolicyFailure> {
    let mut errors: Vec<Located> = Vec::new();
    let mut parsed = Vec::new();
    if cache.parsed.len() > ParseCache::MAX_TEXTS {
        cache.keep_only(files);
    }
    for (index, file) in files.iter().enumerate() {
        match cache.parse(file.text()) {
            Ok(ast) => parsed.push((index, ast)),
            Err(e) => errors.extend(e.into_iter().map(|e| Located::at(file, e))),
        }
    }
    if let Some(errors) = NonEmpty::from_vec(errors) {
        return Err(PolicyFailure::new(None, errors));
    }
    let count: usize =
        parsed.iter().map(|(_, ast)| ast.items.iter().filter(|i| matches!(i, Item::Policy(_))).count()).sum();
    if count > MAX_POLICIES {
        let error = PolicyError::TooManyPolicies { count, limit: MAX_POLICIES };
        return Err(PolicyFailure::single(None, Located { file: None, error }));
    }
    Ok(parsed)
}

/// Every policy type-checked, in file order; a policy id given twice is an error.
fn check_policies(
    parsed: &[(usize, Arc<PolicyFile>)],
    files: &[SourceFile],
    checker: &mut TypeChecker<'_>,
    errors: &mut Vec<Located>,
) -> Vec<CheckedPolicy> {
    let mut policies: Vec<CheckedPolicy> = Vec::new();
    for (file, ast) in parsed {
        for item in &ast.items {
            let Item::Policy(p) = item else { continue };
            if let Some(first) = policies.iter().find(|q| q.ast.id.name == p.id.name) {
                let first_file = files[first.file].name().to_string();
                let first_span = (first.file == *file).then_some(first.ast.id.span);
                errors.push(Located::at(
                    &files[*file],
                    CheckError::DuplicatePolicy {
                        id: p.id.name.clone(),
                        span: p.id.span,
                        first: first_span,
                        first_file,
                    },
                ));
                continue;
            }
            if let Some(checked) = checker.policy(*file, p) {
                policies.push(checked);
            }
        }
    }
    errors.extend(checker.errors.drain(..).map(|(f, e)| Located::at(&files[f], e)));
    policies
}
