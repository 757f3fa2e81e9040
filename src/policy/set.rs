//! A checked set of policies from one or more files, with its params, and
//! checking proposals against it.

use std::path::{Path, PathBuf};

use super::ast::{Item, Severity};
use super::check::{CheckedParam, CheckedPart, CheckedPolicy, Checker, schema_enums, top_level_facts};
use super::err::{CheckError, Located, ParseError, PolicyError, PolicyFailure};
use super::eval::{Blame, Env};
use super::ir::{Type, Value};
use crate::facts::{Facts, Provenance};
use crate::model::{NamedEnum, Proposal};
use crate::report::{Finding, Location, Outcome, ProposalReport, Report, RuleInfo, Status, ValueUsed, WaiverUse};
use crate::source::{NonEmpty, SourceFile};
use crate::suggest;

/// A waiver that names no policy of the set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("the waiver names an unknown policy `{policy}`")]
#[diagnostic(code(archpolicy::check::unknown_waiver), help("{help}"))]
pub struct WaiverError {
    pub policy: String,
    #[label("not a policy of this run")]
    pub span: miette::SourceSpan,
    pub help: String,
    #[source_code]
    pub file: SourceFile,
}

/// The standard pack: the guide's advice as policies, embedded in the binary.
pub const STANDARD_PACK: &[(&str, &str)] = &[
    ("policies/request-path.policy", include_str!("../../policies/request-path.policy")),
    ("policies/security.policy", include_str!("../../policies/security.policy")),
    ("policies/operations.policy", include_str!("../../policies/operations.policy")),
];

/// Checked policies and their params, ready to check proposals.
#[derive(Debug, Clone)]
pub struct PolicySet {
    files: Vec<SourceFile>,
    params: Vec<CheckedParam>,
    values: Vec<Value>,
    overridden: Vec<bool>,
    policies: Vec<CheckedPolicy>,
    warnings: Vec<Located>,
    cost: crate::cost::CostOptions,
    today: crate::units::Date,
    tests: Vec<super::test::PolicyTest>,
}

fn located(file: &SourceFile, error: impl Into<PolicyError>) -> Located {
    Located { file: Some(file.clone()), error: error.into() }
}

impl PolicySet {
    /// The embedded standard pack.
    pub fn standard() -> Result<PolicySet, PolicyFailure> {
        PolicySet::from_sources(STANDARD_PACK.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect())
    }

    /// One policy file from text; `name` is shown in diagnostics.
    pub fn from_str(name: &str, text: &str) -> Result<PolicySet, PolicyFailure> {
        PolicySet::from_sources(vec![SourceFile::new(name, text)])
    }

    /// Policy files and directories (searched for `*.policy`).
    pub fn from_paths(paths: &[PathBuf]) -> Result<PolicySet, PolicyFailure> {
        let fail = |error: PolicyError| PolicyFailure { errors: NonEmpty::new(Located { file: None, error }) };
        let mut files = Vec::new();
        for path in paths {
            let before = files.len();
            collect_policy_files(path, &mut files, 0).map_err(fail)?;
            if files.len() == before {
                return Err(fail(PolicyError::NoPolicies { path: path.display().to_string() }));
            }
        }
        files.sort();
        files.dedup();
        let mut sources = Vec::new();
        for file in files {
            sources.push(read_policy_file(&file).map_err(fail)?);
        }
        PolicySet::from_sources(sources)
    }

    /// Several sets as one (the standard pack beside an organization's own).
    pub fn from_sources(files: Vec<SourceFile>) -> Result<PolicySet, PolicyFailure> {
        let mut errors: Vec<Located> = Vec::new();
        let mut parsed = Vec::new();
        for (index, file) in files.iter().enumerate() {
            match super::parse(file.text()) {
                Ok(ast) => parsed.push((index, ast)),
                Err(e) => errors.extend(e.into_iter().map(|e| located(file, e))),
            }
        }
        if let Some(errors) = NonEmpty::from_vec(std::mem::take(&mut errors)) {
            return Err(PolicyFailure { errors });
        }
        let count: usize =
            parsed.iter().map(|(_, ast)| ast.items.iter().filter(|i| matches!(i, Item::Policy(_))).count()).sum();
        if count > super::grammar::MAX_POLICIES {
            return Err(PolicyFailure {
                errors: NonEmpty::new(Located {
                    file: None,
                    error: PolicyError::Param {
                        message: format!(
                            "{count} policies, more than the {} a run may read",
                            super::grammar::MAX_POLICIES
                        ),
                        help: "split the policies into runs by team or by concern".into(),
                    },
                }),
            });
        }

        // Params first: every policy of every file sees them.
        let enums = schema_enums();
        let top = top_level_facts();
        let mut params: Vec<CheckedParam> = Vec::new();
        let mut defaults: Vec<(usize, crate::policy::ast::Param, Type)> = Vec::new();
        for (file, ast) in &parsed {
            for item in &ast.items {
                let Item::Param(p) = item else { continue };
                let source = &files[*file];
                if let Some(first) = params.iter().find(|q| q.name == p.name.name) {
                    let first = (first.file == *file).then_some(first.span);
                    errors.push(located(
                        source,
                        CheckError::DuplicateParam { name: p.name.name.clone(), span: p.name.span, first },
                    ));
                    continue;
                }
                let shadows = if top.contains(p.name.name.as_str()) {
                    Some(format!("the fact `{}`", p.name.name))
                } else {
                    enums
                        .iter()
                        .find(|e| e.values.contains(&p.name.name.as_str()))
                        .map(|e| format!("a `{}` value", e.name))
                };
                if let Some(what) = shadows {
                    errors.push(located(
                        source,
                        CheckError::ParamShadows { name: p.name.name.clone(), what, span: p.name.span },
                    ));
                    continue;
                }
                let ty = Type::from_name(&p.ty.name)
                    .or_else(|| enums.iter().find(|e| e.name == p.ty.name).map(|e| Type::Enum(e)));
                let Some(ty) = ty else {
                    let mut names: Vec<&str> = Type::BUILTIN_NAMES.to_vec();
                    names.extend(enums.iter().map(|e| e.name));
                    let help = match suggest::did_you_mean(&p.ty.name, names.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? types: {}", suggest::one_of(&names)),
                        None => format!("types: {}", suggest::one_of(&names)),
                    };
                    errors.push(located(
                        source,
                        CheckError::UnknownType { name: p.ty.name.clone(), span: p.ty.span, help },
                    ));
                    // Keep the param, untyped, so its uses do not repeat the error.
                    params.push(CheckedParam {
                        name: p.name.name.clone(),
                        ty: Type::Error,
                        default: Value::Absent,
                        doc: None,
                        file: *file,
                        span: p.name.span,
                    });
                    defaults.push((*file, p.clone(), Type::Error));
                    continue;
                };
                params.push(CheckedParam {
                    name: p.name.name.clone(),
                    ty,
                    default: Value::Absent,
                    doc: p.doc.as_ref().and_then(|d| d.plain()),
                    file: *file,
                    span: p.name.span,
                });
                defaults.push((*file, p.clone(), ty));
            }
        }
        let mut checker = Checker::new(&[]);
        let mut values = Vec::new();
        for (file, p, ty) in &defaults {
            let value = match ty {
                Type::Error => None,
                ty => checker.param_default(*file, *ty, &p.default),
            };
            values.push(value.unwrap_or(Value::Absent));
        }
        errors.extend(checker.errors.drain(..).map(|(f, e)| located(&files[f], e)));
        for (param, value) in params.iter_mut().zip(&values) {
            param.default = value.clone();
        }

        let mut checker = Checker::new(&params);
        let mut policies: Vec<CheckedPolicy> = Vec::new();
        for (file, ast) in &parsed {
            for item in &ast.items {
                let Item::Policy(p) = item else { continue };
                if let Some(first) = policies.iter().find(|q| q.ast.id.name == p.id.name) {
                    let first_file = files[first.file].name().to_string();
                    let first_span = (first.file == *file).then_some(first.ast.id.span);
                    errors.push(located(
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
        errors.extend(checker.errors.drain(..).map(|(f, e)| located(&files[f], e)));
        let ids: Vec<&str> = policies.iter().map(|p| p.ast.id.name.as_str()).collect();
        let (tests, test_errors) = super::test::collect(&parsed, &files, &ids);
        errors.extend(test_errors);
        let mut warnings = Vec::new();
        for (param, used) in params.iter().zip(&checker.used_params) {
            if !used {
                warnings.push(located(
                    &files[param.file],
                    CheckError::UnusedParam { name: param.name.clone(), span: param.span },
                ));
            }
        }
        if let Some(errors) = NonEmpty::from_vec(errors) {
            return Err(PolicyFailure { errors });
        }
        policies.sort_by(|a, b| a.ast.id.name.cmp(&b.ast.id.name));
        let overridden = vec![false; params.len()];
        let cost = crate::cost::CostOptions::embedded();
        let today = crate::units::Date::today();
        Ok(PolicySet { files, params, values, overridden, policies, warnings, cost, today, tests })
    }

    /// Sets a param from text, as `--param NAME=VALUE` gives it.
    pub fn set_param(&mut self, name: &str, text: &str) -> Result<(), Located> {
        let Some(index) = self.params.iter().position(|p| p.name == name) else {
            let names: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
            let help = match suggest::did_you_mean(name, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? params: {}", suggest::one_of(&names)),
                None if names.is_empty() => "these policies declare no params".into(),
                None => format!("params: {}", suggest::one_of(&names)),
            };
            return Err(Located {
                file: None,
                error: PolicyError::Param { message: format!("unknown param `{name}`"), help },
            });
        };
        let source = SourceFile::new(format!("--param {name}"), text);
        let expr = match super::parse::parse_value(text) {
            Ok(expr) => expr,
            Err(error) => return Err(located(&source, error)),
        };
        let ty = self.params[index].ty;
        let Some(expr) = expr else {
            return Err(located(
                &source,
                ParseError::Literal {
                    message: format!("`{text}` is not a value"),
                    span: miette::SourceSpan::from((0, text.len())),
                    label: format!("expected {}", ty.name()),
                    help: format!("write a {} literal, e.g. {}", ty.name(), example_of(ty)),
                },
            ));
        };
        let mut checker = Checker::new(&[]);
        match checker.param_value(0, ty, &expr, "the value") {
            Some(value) => {
                self.values[index] = value;
                self.overridden[index] = true;
                Ok(())
            }
            None => Err(located(
                &source,
                checker.errors.into_iter().next().map(|(_, e)| e).unwrap_or(CheckError::Invalid {
                    message: "not a value".into(),
                    span: expr.span,
                    label: String::new(),
                    help: String::new(),
                }),
            )),
        }
    }

    pub fn policies(&self) -> &[CheckedPolicy] {
        &self.policies
    }

    pub fn policy(&self, id: &str) -> Option<&CheckedPolicy> {
        self.policies.iter().find(|p| p.ast.id.name == id)
    }

    /// What renderers show of every rule a finding may name: each policy, by
    /// id, then the expired-waiver finding.
    pub fn rules(&self) -> Vec<RuleInfo> {
        let mut rules: Vec<RuleInfo> = self
            .policies
            .iter()
            .map(|policy| {
                let ast = &policy.ast;
                let title = ast.title().map(|t| t.template()).unwrap_or_else(|| ast.id.name.clone());
                RuleInfo {
                    id: ast.id.name.clone(),
                    severity: ast.severity,
                    description: ast.docs().map(|d| d.template()).unwrap_or_else(|| title.clone()),
                    help: ast.help().map(|h| h.template()).unwrap_or_else(|| title.clone()),
                    title,
                }
            })
            .collect();
        rules.push(RuleInfo {
            id: "waiver-expired".into(),
            severity: Severity::Warn,
            title: "A waiver has expired".into(),
            description: "A proposal's waiver of a policy is past its `expires` day: the policy applies again.".into(),
            help: "Renew the waiver with a new `expires` and approval, or remove it.".into(),
        });
        rules
    }

    pub fn params(&self) -> &[CheckedParam] {
        &self.params
    }

    /// The value a param has in this run.
    pub fn param_value(&self, index: usize) -> Option<&Value> {
        self.values.get(index)
    }

    pub fn file(&self, index: usize) -> Option<&SourceFile> {
        self.files.get(index)
    }

    /// Prices the `cost.*` facts with another table, or with free tiers.
    pub fn set_cost_options(&mut self, cost: crate::cost::CostOptions) {
        self.cost = cost;
    }

    /// The `test` blocks of the set's files.
    pub fn tests(&self) -> &[super::test::PolicyTest] {
        &self.tests
    }

    /// How the `cost.*` facts are priced.
    pub fn cost_options(&self) -> &crate::cost::CostOptions {
        &self.cost
    }

    /// The day waivers are judged on (today by default; `--today` for reproducible runs).
    pub fn set_today(&mut self, today: crate::units::Date) {
        self.today = today;
    }

    /// Waivers that name no policy of the set: errors, each with a "did you mean".
    /// [`PolicySet::check`] does not apply such a waiver; a caller that must
    /// fail closed, as `policy check` does, refuses the proposal when this is
    /// not empty.
    pub fn check_waivers(&self, proposal: &Proposal) -> Vec<WaiverError> {
        let ids: Vec<&str> = self.policies.iter().map(|p| p.ast.id.name.as_str()).collect();
        let mut errors = Vec::new();
        for (i, waiver) in proposal.model.waivers.iter().enumerate() {
            if ids.contains(&waiver.policy.as_str()) {
                continue;
            }
            let span = proposal.origins.span_or_parent(&format!("waivers[{i}].policy"));
            let help = match suggest::did_you_mean(&waiver.policy, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? `policy list` shows every policy"),
                None => "`policy list` shows every policy".into(),
            };
            errors.push(WaiverError {
                policy: waiver.policy.clone(),
                span: span.unwrap_or_else(|| miette::SourceSpan::from((0, 0))),
                help,
                file: proposal.source.clone(),
            });
        }
        errors
    }

    /// Warnings found while checking (unused params).
    pub fn warnings(&self) -> &[Located] {
        &self.warnings
    }

    /// Checks one proposal against every policy. Waivers naming no policy are
    /// ignored here: see [`PolicySet::check_waivers`].
    pub fn check(&self, proposal: &Proposal) -> ProposalReport {
        self.check_facts(proposal, &proposal.facts_with(&self.cost))
    }

    /// Checks one proposal with facts given (derived from it, then perhaps changed: `policy test`).
    pub fn check_facts(&self, proposal: &Proposal, facts: &Facts) -> ProposalReport {
        let pattern = proposal.model.pattern();
        let mut findings = Vec::new();
        let mut outcomes = Vec::new();
        for policy in &self.policies {
            let mut env = Env::new(facts, &self.values);
            let applies = policy.patterns.contains(pattern) && policy.whens.iter().all(|w| env.truth(w));
            let mut status = if applies { Status::Pass } else { Status::Skip };
            if applies {
                for require in &policy.requires {
                    if env.truth(&require.ir) {
                        continue;
                    }
                    status = Status::Fail;
                    let mut blamed = Vec::new();
                    env.blame(&require.ir, &mut blamed);
                    findings.push(self.finding(policy, require, &blamed, proposal, facts));
                }
            }
            outcomes.push(Outcome { policy: policy.ast.id.name.clone(), severity: policy.ast.severity, status });
        }
        let outcomes = self.apply_waivers(proposal, &mut findings, outcomes);
        findings.sort_by(|a, b| {
            (&a.policy, a.proposal_location.as_ref().map(|l| l.offset), a.policy_location.as_ref().map(|l| l.offset))
                .cmp(&(
                    &b.policy,
                    b.proposal_location.as_ref().map(|l| l.offset),
                    b.policy_location.as_ref().map(|l| l.offset),
                ))
        });
        ProposalReport {
            file: proposal.source.name().to_string(),
            name: proposal.model.name.clone(),
            pattern: pattern.name().to_string(),
            findings,
            outcomes,
            source: proposal.source.clone(),
        }
    }

    /// Checks several proposals; the report is sorted by file.
    pub fn check_all<'a>(&self, proposals: impl IntoIterator<Item = &'a Proposal>) -> Report {
        Report::new(proposals.into_iter().map(|p| self.check(p)).collect(), self.policies.len())
    }

    fn render(&self, parts: &[CheckedPart], facts: &Facts) -> String {
        parts
            .iter()
            .map(|part| match part {
                CheckedPart::Text(t) => t.clone(),
                CheckedPart::Fact(path) => {
                    facts.get(path).map_or_else(|| "not set".to_string(), |f| display_fact(&f.value))
                }
                CheckedPart::Param(i) => self.values.get(*i).map(|v| v.to_string()).unwrap_or_default(),
            })
            .collect()
    }

    fn finding(
        &self,
        policy: &CheckedPolicy,
        require: &super::check::CheckedRequire,
        blamed: &[Blame],
        proposal: &Proposal,
        facts: &Facts,
    ) -> Finding {
        let title = policy.ast.title().and_then(|t| t.plain()).unwrap_or_else(|| policy.ast.id.name.clone());
        let message = match &require.message {
            Some(parts) => self.render(parts, facts),
            None => format!("requirement not met: `{}`", require.source),
        };
        let help = policy.help.as_ref().map(|parts| self.render(parts, facts));
        let mut values = Vec::new();
        let mut span = None;
        for blame in blamed {
            match blame {
                Blame::Fact(path) => {
                    let Some(fact) = fact_at(facts, path) else {
                        // An optional fact the proposal does not have: point at its section.
                        if span.is_none() {
                            span = proposal.origins.span_or_parent(path);
                        }
                        values.push(ValueUsed {
                            name: path.clone(),
                            value: "not set".into(),
                            from: "not in the proposal".into(),
                        });
                        continue;
                    };
                    if span.is_none() {
                        span = best_span(facts, proposal, path, 0);
                    }
                    values.push(ValueUsed {
                        name: path.clone(),
                        value: display_fact(&fact.value),
                        from: describe(facts, proposal, fact),
                    });
                }
                Blame::Param(i) => {
                    let Some(param) = self.params.get(*i) else { continue };
                    let from = if self.overridden[*i] {
                        "--param".to_string()
                    } else {
                        format!("param default in {}", self.files[param.file].name())
                    };
                    values.push(ValueUsed { name: param.name.clone(), value: self.values[*i].to_string(), from });
                }
            }
        }
        let span = span.or_else(|| proposal.origins.declared_span("pattern"));
        Finding {
            policy: policy.ast.id.name.clone(),
            severity: policy.ast.severity,
            title,
            message,
            help,
            values,
            proposal_location: span.map(|s| Location::new(&proposal.source, s)),
            policy_location: Some(Location::new(&self.files[policy.file], require.span)),
            waiver: None,
        }
    }

    /// Marks findings covered by a waiver in force; an expired waiver is a finding of its own.
    fn apply_waivers(
        &self,
        proposal: &Proposal,
        findings: &mut Vec<Finding>,
        mut outcomes: Vec<Outcome>,
    ) -> Vec<Outcome> {
        let mut expired = Vec::new();
        for (i, waiver) in proposal.model.waivers.iter().enumerate() {
            let Some(policy) = self.policy(&waiver.policy) else { continue };
            if waiver.expires < self.today {
                let span = proposal.origins.span_or_parent(&format!("waivers[{i}].expires"));
                expired.push(Finding {
                    policy: "waiver-expired".into(),
                    severity: Severity::Warn,
                    title: "A waiver has expired".into(),
                    message: format!("the waiver of `{}` expired on {}", waiver.policy, waiver.expires),
                    help: Some(format!(
                        "renew it with a new `expires` and approval, or remove it: `{}` applies again",
                        waiver.policy
                    )),
                    values: vec![ValueUsed {
                        name: format!("waivers[{i}].expires"),
                        value: waiver.expires.to_string(),
                        from: format!("approved by {}: {}", waiver.approved_by, waiver.reason),
                    }],
                    proposal_location: span.map(|s| Location::new(&proposal.source, s)),
                    policy_location: None,
                    waiver: None,
                });
                continue;
            }
            let applied = policy.ast.waivable();
            let mut any = false;
            for finding in findings.iter_mut().filter(|f| f.policy == waiver.policy) {
                any = true;
                finding.waiver = Some(WaiverUse {
                    reason: waiver.reason.clone(),
                    expires: waiver.expires.to_string(),
                    approved_by: waiver.approved_by.clone(),
                    applied,
                });
                if !applied {
                    finding.help = Some(format!(
                        "{}\nthe proposal waives `{}`, but the policy is not waivable: the waiver is ignored",
                        finding.help.clone().unwrap_or_default(),
                        waiver.policy
                    ));
                }
            }
            if any && applied {
                for outcome in outcomes.iter_mut().filter(|o| o.policy == waiver.policy) {
                    outcome.status = Status::Waived;
                }
            }
        }
        findings.extend(expired);
        outcomes
    }
}

fn display_fact(value: &crate::facts::FactValue) -> String {
    match value {
        crate::facts::FactValue::Text(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A fact, or a list element's field (`data[1].kind`).
fn fact_at<'f>(facts: &'f Facts, path: &str) -> Option<&'f crate::facts::Fact> {
    if let Some(fact) = facts.get(path) {
        return Some(fact);
    }
    let (list, rest) = path.split_once('[')?;
    let (index, field) = rest.split_once("].")?;
    let index: usize = index.parse().ok()?;
    match &facts.get(list)?.value {
        crate::facts::FactValue::List(records) => records.get(index)?.fields.get(field),
        _ => None,
    }
}

/// Where in the proposal to point for a fact: its own span, the span of the
/// fact that decided a derived value, or the section a default belongs to.
fn best_span(facts: &Facts, proposal: &Proposal, path: &str, depth: usize) -> Option<miette::SourceSpan> {
    if depth > 8 {
        return None;
    }
    let fact = fact_at(facts, path)?;
    match &fact.provenance {
        Provenance::Declared { span, .. } => Some(*span),
        Provenance::Default { path, .. } => proposal.origins.span_or_parent(path),
        Provenance::Derived { decided_by: Some(next), .. } => best_span(facts, proposal, next, depth + 1),
        Provenance::Derived { from, .. } => from.iter().find_map(|f| best_span(facts, proposal, f, depth + 1)),
    }
}

/// Where a value came from, following a derivation to the value that decided it.
fn describe(facts: &Facts, proposal: &Proposal, fact: &crate::facts::Fact) -> String {
    let own = fact.describe_provenance(&proposal.source);
    match &fact.provenance {
        Provenance::Derived { decided_by: Some(next), .. } => match facts.get(next) {
            Some(decider) => format!(
                "{own}; set by `{next}` = {} ({})",
                display_fact(&decider.value),
                decider.describe_provenance(&proposal.source)
            ),
            None => own,
        },
        _ => own,
    }
}

fn example_of(ty: Type) -> String {
    match ty {
        Type::Bool => "`true`".into(),
        Type::Int => "`10`".into(),
        Type::Decimal => "`0.5`".into(),
        Type::Text => "`\"core\"`".into(),
        Type::Duration => "`30s`".into(),
        Type::Size => "`512MiB`".into(),
        Type::Money => "`$50`".into(),
        Type::Percent => "`20%`".into(),
        Type::Vcpu => "`1`".into(),
        Type::Enum(e) => format!("`{}`", e.values.first().copied().unwrap_or_default()),
        Type::List(_) | Type::Error => "a value".into(),
    }
}

const MAX_WALK_DEPTH: usize = 32;

/// The policy files named by `paths`: files as given, directories walked for `*.policy`, sorted.
pub fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PolicyError> {
    let mut files = Vec::new();
    for path in paths {
        collect_policy_files(path, &mut files, 0)?;
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn collect_policy_files(path: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), PolicyError> {
    let io =
        |e: std::io::Error| PolicyError::Io { path: path.display().to_string(), reason: e.to_string().to_lowercase() };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if depth > MAX_WALK_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(path).map_err(io)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if entry.is_dir() {
            collect_policy_files(&entry, out, depth + 1)?;
        } else if name.ends_with(".policy") {
            out.push(entry);
        }
    }
    Ok(())
}

fn read_policy_file(path: &Path) -> Result<SourceFile, PolicyError> {
    use std::io::Read;
    let name = path.display().to_string();
    let io = |e: std::io::Error| PolicyError::Io { path: name.clone(), reason: e.to_string().to_lowercase() };
    let file = std::fs::File::open(path).map_err(io)?;
    let limit = super::grammar::MAX_FILE_BYTES as u64;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(bytes.len() as u64);
        return Err(PolicyError::Parse(ParseError::TooLarge { size, limit }));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| PolicyError::Io { path: name.clone(), reason: "not UTF-8 text".into() })?;
    Ok(SourceFile::new(name, text))
}
