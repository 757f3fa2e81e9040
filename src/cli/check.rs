//! `policy check`: proposals against policies, with findings and exit codes.

use std::path::PathBuf;

use archpolicy::model;
use archpolicy::report::{Stream, Summary, github, human, json, junit, sarif};
use archpolicy::{PolicySet, Severity};

use super::output::{Exit, print_error, print_load_failure, print_located, print_stdout, stdout_style};
use super::{CheckFormat, PolicyArgs, PricingArgs};

pub fn run(
    paths: &[PathBuf],
    policy_args: &PolicyArgs,
    pricing: &PricingArgs,
    fail_on: Severity,
    format: CheckFormat,
    today: Option<archpolicy::units::Date>,
) -> Exit {
    let Some(mut set) = policy_args.load() else {
        return Exit::Error;
    };
    let Some(cost) = super::cost::options(pricing.pricing.as_deref(), pricing.free_tier) else {
        return Exit::Error;
    };
    set.set_cost_options(cost);
    if let Some(today) = today {
        set.set_today(today);
    }
    let paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let files = match model::discover(&paths) {
        Ok(files) => files,
        Err(error) => {
            print_error(error);
            return Exit::Error;
        }
    };
    let root = std::env::current_dir().ok().and_then(|dir| archpolicy::report::repository_root(&dir));
    let mut stream: Box<dyn Stream> = match format {
        CheckFormat::Human => Box::new(human::Human::new(stdout_style())),
        CheckFormat::Json => Box::new(json::Json::default()),
        CheckFormat::Sarif => Box::new(sarif::SarifStream::new(&set, root.as_deref())),
        CheckFormat::Github => Box::new(github::Github { root: root.clone() }),
        CheckFormat::Junit => Box::new(junit::Junit),
    };
    // Files are loaded and checked a batch at a time, on every core; each
    // report is written in file order as soon as its batch is done, then
    // dropped, so memory stays flat however many proposals there are.
    print_stdout(&stream.begin());
    let mut summary = Summary { policies: set.policies().len(), ..Summary::default() };
    let mut load_failed = false;
    for batch in files.chunks(BATCH) {
        let mut out = String::new();
        for result in parallel_map(batch, |file| check_file(&set, file)) {
            match result {
                Checked::Report(report) => {
                    summary.add(&report);
                    out.push_str(&stream.proposal(&report));
                }
                Checked::Failed(failure) => {
                    print_load_failure(&failure);
                    load_failed = true;
                }
                Checked::Waivers(errors) => {
                    for error in errors {
                        print_error(error);
                    }
                    load_failed = true;
                }
            }
        }
        print_stdout(&out);
    }
    print_stdout(&stream.end(&summary));
    // Fail closed: a proposal that did not load is never a pass.
    if load_failed {
        Exit::Error
    } else if summary.fails_at(fail_on) {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// Files checked between two writes of the output.
const BATCH: usize = 256;

enum Checked {
    Report(Box<archpolicy::report::ProposalReport>),
    Failed(archpolicy::LoadFailure),
    Waivers(Vec<archpolicy::policy::WaiverError>),
}

fn check_file(set: &PolicySet, file: &std::path::Path) -> Checked {
    match model::load_file(file) {
        Ok(proposal) => {
            let errors = set.check_waivers(&proposal);
            if errors.is_empty() { Checked::Report(Box::new(set.check(&proposal))) } else { Checked::Waivers(errors) }
        }
        Err(failure) => Checked::Failed(failure),
    }
}

/// `f` over `items` on every core, results in the order of `items`.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Below a few dozen files, starting threads costs more than it saves.
    if workers <= 1 || items.len() < 32 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

impl PolicyArgs {
    /// The policy set of a run: `--policies` (or the standard pack), `--with-standard`, `--param`.
    pub fn load(&self) -> Option<PolicySet> {
        let mut sources = Vec::new();
        if self.policies.is_empty() || self.with_standard {
            sources.extend(
                archpolicy::policy::STANDARD_PACK.iter().map(|(name, text)| archpolicy::SourceFile::new(*name, *text)),
            );
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
                for located in failure.errors.iter() {
                    print_located(located);
                }
                return None;
            }
        };
        for warning in set.warnings() {
            print_located(warning);
        }
        for param in &self.params {
            let Some((name, value)) = param.split_once('=') else {
                print_error(archpolicy::policy::PolicyError::Param {
                    message: format!("`--param {param}` has no value"),
                    help: "write `--param NAME=VALUE`, e.g. `--param max_request_time=20s`".into(),
                });
                return None;
            };
            if let Err(located) = set.set_param(name.trim(), value.trim()) {
                print_located(&located);
                return None;
            }
        }
        Some(set)
    }
}
