//! `policy check`: proposals against policies, with findings and exit codes.

use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::load;
use crate::policy::{PolicyError, RunOptions};
use crate::report::{Joiner, Part, Problem, Stream, Summary, github, human, json, junit, sarif};
use crate::walk::FoundFile;
use crate::{PolicySet, Severity};

use super::output::{
    Exit, print_error, print_located, print_reports, stdout_style, unwritten, write_commands, write_stdout,
};
use super::parallel;
use super::{CheckFormat, PolicyArgs, PricingArgs};

/// `policy check --analyze`: what the analysis proves about the policies,
/// as warnings; exit 1 when it finds anything.
pub fn analyze(policy_args: &PolicyArgs) -> Exit {
    let Some(set) = policy_args.load() else {
        return Exit::Error;
    };
    let found = set.analyze();
    found.iter().for_each(print_located);
    let count = found.len();
    let policies = set.policies().len();
    let line = format!("analyzed {policies} policies: {count} finding{}\n", if count == 1 { "" } else { "s" });
    let written = super::output::print_stdout(&line);
    if count == 0 { written } else { written.max(Exit::Findings) }
}

pub fn run(
    paths: &[PathBuf],
    policy_args: &PolicyArgs,
    pricing: &PricingArgs,
    fail_on: Severity,
    format: CheckFormat,
    today: Option<crate::units::Date>,
    base_dir: Option<&std::path::Path>,
) -> Exit {
    let mut problems = Vec::new();
    let Some(set) = policy_args.load_collecting(&mut problems) else {
        // The report says why nothing was checked, as a proposal's load errors do.
        return match base(base_dir) {
            Some(root) => refused_run(stream(format, &[], root, Vec::new()).as_mut(), &problems, writer(format)),
            None => Exit::Error,
        };
    };
    let Some(cost) = super::cost::options(pricing.pricing.as_deref(), pricing.free_tier) else {
        return Exit::Error;
    };
    let options = RunOptions { cost: &cost, today: today.unwrap_or_else(crate::units::Date::today) };
    let paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let load::Discovered { files, errors: unread } = load::discover_each(&paths);
    let Some(root) = base(base_dir) else {
        return Exit::Error;
    };
    let embedded = if policy_args.policies.is_empty() || policy_args.with_standard {
        crate::policy::STANDARD_PACK.iter().map(|(name, _)| name.to_string()).collect()
    } else {
        Vec::new()
    };
    let write_stdout = writer(format);
    let mut stream = stream(format, &set.rules(), root, embedded);
    // Files are loaded and checked on every core; each report is written in
    // file order as soon as the ones before it are, then dropped, so memory
    // stays flat however many proposals there are. Output is gathered into
    // blocks to keep writes few; when stdout is closed (`| head`), the run
    // stops.
    if let Err(error) = write_stdout(&stream.begin()) {
        return unwritten(&error);
    }
    let mut written = Ok(());
    let stream: &(dyn Stream + Sync) = stream.as_ref();
    let mut joiner = Joiner::default();
    let mut summary = Summary { policies: set.policies().len(), ..Summary::default() };
    let mut load_failed = false;
    // One block buffer, written and cleared: a fresh one per block grew by
    // reallocation into new pages each time, a sixth of a large run's time.
    let mut out = String::with_capacity(2 * OUTPUT_BLOCK);
    // What the walk could not read is a file not checked, in the report as
    // on stderr; the files it found are checked all the same.
    for (path, error) in unread {
        if let Checked::Refused { errors, part } = refused(stream, &path, vec![miette::Report::new(error)]) {
            print_reports(&errors);
            out.push_str(&joiner.join(stream, part));
            load_failed = true;
        }
    }
    parallel::for_each_ordered(
        &files,
        |file| check_file(&set, &options, stream, file),
        |result| {
            match result {
                Checked::Report { part, counts } => {
                    summary.merge(&counts);
                    out.push_str(&joiner.join(stream, part));
                }
                Checked::Refused { errors, part } => {
                    // Errors go to stderr after the reports before them, and into the report.
                    written = write_stdout(&out);
                    out.clear();
                    print_reports(&errors);
                    out.push_str(&joiner.join(stream, part));
                    load_failed = true;
                }
            }
            if out.len() >= OUTPUT_BLOCK {
                written = write_stdout(&out);
                out.clear();
            }
            if written.is_err() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        },
    );
    let written = written.and_then(|()| write_stdout(&out)).and_then(|()| write_stdout(&stream.end(&summary, joiner)));
    if let Err(error) = written {
        return unwritten(&error);
    }
    // Fail closed: a proposal that did not load is never a pass.
    if load_failed {
        Exit::Error
    } else if summary.fails_at(fail_on) {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// How a format reaches stdout: GitHub annotations are workflow commands on
/// purpose, every other format passes the guard that keeps them out.
fn writer(format: CheckFormat) -> fn(&str) -> std::io::Result<()> {
    if format == CheckFormat::Github { write_commands } else { write_stdout }
}

/// The renderer of a format; paths relative to `root`, `embedded` the files not on disk.
fn stream(
    format: CheckFormat,
    rules: &[crate::report::RuleInfo],
    root: PathBuf,
    embedded: Vec<String>,
) -> Box<dyn Stream + Sync> {
    match format {
        CheckFormat::Human => Box::new(human::Human::new(stdout_style())),
        CheckFormat::Json => Box::new(json::Json),
        CheckFormat::Sarif => Box::new(sarif::SarifStream::new(rules, sarif::Base { dir: Some(root), embedded })),
        CheckFormat::Github => Box::new(github::Github { root: Some(root) }),
        CheckFormat::Junit => Box::new(junit::Junit),
    }
}

/// A run that checked nothing because the policies did not load: a report
/// that carries their errors, and exit 2.
fn refused_run(
    stream: &mut (dyn Stream + Sync),
    problems: &[Problem],
    write_stdout: fn(&str) -> std::io::Result<()>,
) -> Exit {
    let mut joiner = Joiner::default();
    let mut out = stream.begin();
    out.push_str(&joiner.join(stream, stream.refused(problems)));
    out.push_str(&stream.end_refused(joiner));
    match write_stdout(&out) {
        Ok(()) => Exit::Error,
        Err(error) => unwritten(&error),
    }
}

/// The directory paths in SARIF and GitHub annotations are relative to,
/// canonical: `--base-dir`, else the repository root above the working
/// directory, else the working directory.
fn base(base_dir: Option<&std::path::Path>) -> Option<PathBuf> {
    let given = base_dir.map_or_else(std::env::current_dir, |dir| Ok(dir.to_path_buf()));
    let dir = given.and_then(|dir| {
        dir.canonicalize().and_then(|d| if d.is_dir() { Ok(d) } else { Err(std::io::ErrorKind::NotADirectory.into()) })
    });
    match dir {
        Ok(dir) if base_dir.is_some() => Some(dir),
        Ok(dir) => Some(crate::report::repository_root(&dir).unwrap_or(dir)),
        Err(error) => {
            print_error(PolicyError::Param {
                message: format!(
                    "cannot use `{}` as the base directory: {}",
                    base_dir.unwrap_or(std::path::Path::new(".")).display(),
                    error.to_string().to_lowercase()
                ),
                help: "give `--base-dir` an existing directory, e.g. the repository root".into(),
            });
            None
        }
    }
}

/// Bytes of output gathered before a write.
const OUTPUT_BLOCK: usize = 64 * 1024;

/// A file's result, rendered on the thread that checked it.
enum Checked {
    Report {
        part: Part,
        counts: Summary,
    },
    /// It did not load, or a waiver names no policy: never a pass. The
    /// errors for stderr, and the same errors in the report's format.
    Refused {
        errors: Vec<miette::Report>,
        part: Part,
    },
}

fn refused(stream: &(dyn Stream + Sync), file: &std::path::Path, errors: Vec<miette::Report>) -> Checked {
    let name = file.display().to_string();
    let problems: Vec<Problem> = errors.iter().map(|e| Problem::from_diagnostic(&name, e.as_ref())).collect();
    Checked::Refused { part: stream.refused(&problems), errors }
}

fn check_file(set: &PolicySet, options: &RunOptions<'_>, stream: &(dyn Stream + Sync), file: &FoundFile) -> Checked {
    match load::load_found(file) {
        Ok(proposal) => {
            let errors = set.check_waivers(&proposal);
            if !errors.is_empty() {
                return refused(stream, file.path(), errors);
            }
            let report = set.check_with(&proposal, options);
            let mut counts = Summary::default();
            counts.add(&report);
            Checked::Report { part: stream.part(&report), counts }
        }
        Err(failure) => refused(stream, file.path(), failure.reports()),
    }
}

impl PolicyArgs {
    /// The policy set of a run: `--policies` (or the standard pack), `--with-standard`, `--param`.
    pub fn load(&self) -> Option<PolicySet> {
        self.load_collecting(&mut Vec::new())
    }

    /// The same, with each error that stopped it also in `problems`.
    pub fn load_collecting(&self, problems: &mut Vec<Problem>) -> Option<PolicySet> {
        let mut failed = |located: &crate::policy::Located| {
            print_located(located);
            let file = located.file.as_ref().map(|f| f.name().to_string()).unwrap_or_default();
            problems.push(Problem::from_diagnostic(&file, located.report().as_ref()));
        };
        let mut sources = Vec::new();
        if self.policies.is_empty() || self.with_standard {
            sources
                .extend(crate::policy::STANDARD_PACK.iter().map(|(name, text)| crate::SourceFile::new(*name, *text)));
        }
        let result = if self.policies.is_empty() {
            PolicySet::from_sources(sources)
        } else {
            match PolicySet::from_paths(&self.policies) {
                // Read the user's files, then add the standard pack beside them.
                Ok(user) if self.with_standard => {
                    let mut all = sources;
                    all.extend((0..).map_while(|i| user.file(i).cloned()));
                    PolicySet::from_sources(all)
                }
                other => other,
            }
        };
        let mut set = match result {
            Ok(set) => set,
            Err(failure) => {
                failure.errors.iter().for_each(&mut failed);
                return None;
            }
        };
        for warning in set.warnings() {
            print_located(warning);
        }
        for param in &self.params {
            let Some((name, value)) = param.split_once('=') else {
                failed(&crate::policy::Located {
                    file: None,
                    error: PolicyError::ParamWithoutValue { arg: param.clone() },
                });
                return None;
            };
            if let Err(located) = set.set_param(name.trim(), value.trim()) {
                failed(&located);
                return None;
            }
        }
        Some(set)
    }
}
