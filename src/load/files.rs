//! Reading proposal files: finding them, bounding their size, checking UTF-8.

use std::path::{Path, PathBuf};

use miette::SourceSpan;

use super::imported::stand_on_template;
use super::proposal::load_model;
use crate::model::{LoadError, LoadFailure, Origin, Proposal};
use crate::source::{Failure, NonEmpty, SourceFile};
use crate::walk::{self, FoundFile, Gate, Reason};

/// The largest proposal file read: a proposal is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = walk::MAX_INPUT_BYTES;

/// File name endings of proposals.
pub const PROPOSAL_EXTENSIONS: &[&str] = &[".arch.yaml", ".arch.yml", ".arch.json"];

/// Whether a file name ends like a proposal's.
pub fn is_proposal_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| is_proposal_name(&n.to_string_lossy()))
}

fn is_proposal_name(name: &str) -> bool {
    PROPOSAL_EXTENSIONS.iter().any(|ext| name.ends_with(ext))
}

/// The proposal files named by `paths`: files as given, directories walked
/// for `*.arch.yaml`, `*.arch.yml` and `*.arch.json` by the rule of
/// [`crate::walk`], in sorted order. Every path that names nothing, every
/// directory without a proposal and every file the walk cannot read is an
/// error, all of them reported together.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<FoundFile>, NonEmpty<LoadError>> {
    let found = discover_each(paths);
    match NonEmpty::from_vec(found.errors.into_iter().map(|(_, e)| e).collect()) {
        Some(errors) => Err(errors),
        None => Ok(found.files),
    }
}

/// What [`discover_each`] found: the files to read, and each path the walk
/// could not read (or that holds no proposal) with its error.
#[derive(Debug)]
pub struct Discovered {
    pub files: Vec<FoundFile>,
    pub errors: Vec<(PathBuf, LoadError)>,
}

/// As [`discover`], the files found beside the errors: `policy check`
/// reports each error as a file it could not check and checks the rest
/// (a symlink loop in a pull request must not hide the other proposals'
/// findings; the run still fails closed).
pub fn discover_each(paths: &[PathBuf]) -> Discovered {
    let found = walk::find(paths, &is_proposal_name);
    let mut errors: Vec<(PathBuf, LoadError)> = found
        .refusals
        .iter()
        .map(|p| {
            let error = match &p.reason {
                Reason::Io(reason) if reason == "no such file or directory" && paths.contains(&p.path) => {
                    LoadError::NoProposals {
                        message: format!("cannot read `{}`: {reason}", p.display()),
                        help: "check the path; proposals are files named `*.arch.yaml`, `*.arch.yml` or `*.arch.json`"
                            .into(),
                    }
                }
                reason => LoadError::Io { path: p.display(), reason: reason.to_string() },
            };
            (p.path.clone(), error)
        })
        .collect();
    errors.extend(found.empty.iter().map(|dir| {
        let error = LoadError::NoProposals {
            message: format!("no proposals in `{}`", dir.display()),
            help: "proposals are files named `*.arch.yaml`, `*.arch.yml` or `*.arch.json`; hidden files and directories and `target` directories are not searched".into(),
        };
        (dir.clone(), error)
    }));
    Discovered { files: found.files, errors }
}

/// Loads the proposal at `path`.
///
/// ```
/// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml").unwrap();
/// assert_eq!(proposal.pattern(), "lambda_api_gateway");
///
/// let failure = archpolicy::load_file("examples/no_such.arch.yaml").unwrap_err();
/// assert!(failure.to_string().contains("no such file"), "{failure}");
/// ```
pub fn load_file(path: impl AsRef<Path>) -> Result<Proposal, Failure<LoadError>> {
    let (name, text) = read_text(path.as_ref())?;
    load_str(&name, &text)
}

/// Loads a proposal a walk found ([`discover`]), read as the walk admitted it.
pub fn load_found(file: &FoundFile) -> Result<Proposal, Failure<LoadError>> {
    let (name, text) = text_of(file.path(), file.read(MAX_FILE_BYTES))?;
    load_str(&name, &text)
}

/// The name and text of a proposal-sized file (a needs file, say): a regular
/// file of at most [`MAX_FILE_BYTES`], in UTF-8.
pub fn read_text(path: &Path) -> Result<(String, String), Failure<LoadError>> {
    text_of(path, Gate::for_named(path).read(path, MAX_FILE_BYTES))
}

/// The name and text of the file at `path`, from what reading it gave.
fn text_of(path: &Path, read: Result<Vec<u8>, Reason>) -> Result<(String, String), Failure<LoadError>> {
    let name = path.display().to_string();
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(Reason::TooLarge { size, .. }) => return Err(too_large(name, size)),
        Err(reason) => return Err(LoadFailure::single(None, LoadError::Io { path: name, reason: reason.to_string() })),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has the same prefix, so the offset holds.
            let span = SourceSpan::from((valid, 1));
            Err(LoadFailure::single(Some(SourceFile::new(name, lossy)), LoadError::NotUtf8 { span }))
        }
    }
}

fn too_large(path: String, size: u64) -> LoadFailure {
    LoadFailure::single(None, LoadError::TooLarge { path, size, limit: MAX_FILE_BYTES })
}

/// Loads a proposal from text; `name` is shown in diagnostics. YAML and JSON
/// are both accepted.
///
/// ```
/// let text = "
/// name: hello
/// pattern: lambda_api_gateway
/// environment: staging
/// workload: { requests_per_month: 1000000, avg_duration: 80ms, max_request_duration: 2s, peak_rps: 5 }
/// gateway: { api: http }
/// function: { runtime: python3.13, memory: 512MiB, timeout: 10s }
/// ";
/// let proposal = archpolicy::load_str("hello.arch.yaml", text).unwrap();
/// assert_eq!(proposal.name(), "hello");
///
/// let failure = archpolicy::load_str("bad.arch.yaml", "name: x\npattern: lambda\n").unwrap_err();
/// assert!(failure.errors().iter().any(|e| e.to_string().contains("unknown pattern `lambda`")));
/// ```
///
/// The files its `import` names are read through the gate of `name` as a
/// path, as `policy check` reads a proposal it was given.
pub fn load_str(name: &str, text: &str) -> Result<Proposal, Failure<LoadError>> {
    load_source(None, name, text)
}

/// As [`load_str`], the files its `import` names read through `gate` (the
/// language server's workspace).
pub fn load_str_in(gate: &Gate, name: &str, text: &str) -> Result<Proposal, Failure<LoadError>> {
    load_source(Some(gate), name, text)
}

fn load_source(gate: Option<&Gate>, name: &str, text: &str) -> Result<Proposal, LoadFailure> {
    let source = SourceFile::new(name, text);
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name.to_string(), text.len() as u64));
    }
    let mut root = match crate::yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(LoadFailure::single(Some(source), LoadError::Empty { path: name.to_string() })),
        Err(error) => return Err(LoadFailure::single(Some(source), LoadError::from_yaml(error))),
    };
    let (source, defaults) = match stand_on_template(&mut root, &source, gate) {
        Ok(Some(stood)) => (stood.source, stood.defaults),
        Ok(None) => (source, Vec::new()),
        Err((source, errors)) => return Err(LoadFailure::new(Some(source), sorted(errors))),
    };
    match load_model(&root) {
        Ok((model, mut origins)) => {
            for (path, aws) in defaults {
                origins.insert(path, Origin::Default(Some(aws)));
            }
            Ok(Proposal { model, origins, source })
        }
        Err(errors) => Err(LoadFailure::new(Some(source), errors)),
    }
}

/// Errors in file order: the proposal's first, then the template's.
fn sorted(mut errors: Vec<LoadError>) -> NonEmpty<LoadError> {
    errors.sort_by_key(|e| e.span().map_or(0, |s| s.offset()));
    NonEmpty::from_vec(errors).unwrap_or_else(|| {
        NonEmpty::new(LoadError::Syntax {
            help: String::new(),
            message: "the template could not be read".into(),
            span: (0, 0).into(),
        })
    })
}
