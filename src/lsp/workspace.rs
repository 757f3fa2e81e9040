//! The server's state: the workspace root and its config, the open
//! documents, and the workspace's policy set, rebuilt when a policy file or
//! the config changes and kept while only proposals change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{Diagnostic, DiagnosticSeverity, Uri};

use super::config::Config;
use super::diagnostics::{self, Target};
use super::symbols::Symbols;
use super::text::{Encoding, LineIndex};
use super::uri;
use crate::model::Proposal;
use crate::policy::{Located, ParseCache, PolicySet, RunOptions, STANDARD_PACK, policy_files_in, read_policy_file_in};
use crate::source::SourceFile;
use crate::walk::Gate;

/// What a document is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Policy,
    Proposal,
    /// `.archpolicy.yaml`: its own errors are shown on it.
    Config,
    Other,
}

impl Kind {
    pub fn of(uri: &Uri) -> Kind {
        let path = uri.as_str();
        // Asked on every request: no allocation.
        if path.strip_suffix(super::config::CONFIG_FILE).is_some_and(|dir| dir.ends_with('/')) {
            Kind::Config
        } else if path.ends_with(".policy") {
            Kind::Policy
        } else if crate::load::PROPOSAL_EXTENSIONS.iter().any(|ext| path.ends_with(ext)) {
            Kind::Proposal
        } else {
            Kind::Other
        }
    }
}

/// The files a policy document is checked with ([`Workspace::companions`]).
#[derive(Debug, Clone)]
pub struct Companions {
    pub files: Vec<SourceFile>,
    /// Where the document is among them.
    pub here: usize,
    /// They are the workspace's set.
    pub in_set: bool,
}

/// The open documents and the workspace's policies.
#[derive(Debug)]
pub struct Workspace {
    root: Option<PathBuf>,
    /// What the server may read: the root's repository, else the root.
    gate: Option<Gate>,
    config: Result<Config, String>,
    docs: BTreeMap<Uri, String>,
    /// The workspace's set as last built, until a policy file or the config changes.
    set: Option<Result<PolicySet, String>>,
    /// Each policy document's params and policies when it last parsed, so
    /// completion and hover keep them while an edit does not parse.
    last_parsed: BTreeMap<Uri, Symbols>,
    /// Policy files parsed by their text: an edit parses the edited file only.
    parse_cache: std::cell::RefCell<ParseCache>,
    /// The set's files as [`Workspace::sources`] last read them: hover and
    /// completion ask for them on every request.
    sources: std::cell::RefCell<Option<Result<Vec<SourceFile>, String>>>,
    /// Each set file's URI, worked out once per set (it asks the filesystem).
    set_uris: Option<BTreeMap<String, Option<Uri>>>,
    /// Each open proposal loaded from its text, until its text changes or a
    /// file changes on disk (a template it imports): a policy edit re-checks
    /// every open proposal but need not load them again.
    loaded: BTreeMap<Uri, (String, Result<Proposal, Vec<Diagnostic>>)>,
    pub encoding: Encoding,
}

impl Workspace {
    /// A workspace at `root` (none: the standard pack, no config).
    pub fn new(root: Option<PathBuf>, encoding: Encoding) -> Workspace {
        let gate = root.as_deref().map(Gate::at);
        let config = match (&root, &gate) {
            (Some(root), Some(gate)) => Config::of_workspace(root, gate),
            _ => Ok(Config::default()),
        };
        Workspace {
            root,
            gate,
            config,
            docs: BTreeMap::new(),
            set: None,
            last_parsed: BTreeMap::new(),
            parse_cache: Default::default(),
            sources: Default::default(),
            set_uris: None,
            loaded: BTreeMap::new(),
            encoding,
        }
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Reads the config file again, and every file read from disk (one changed).
    pub fn reload_config(&mut self) {
        self.config = match (&self.root, &self.gate) {
            (Some(root), Some(gate)) => Config::of_workspace(root, gate),
            _ => Ok(Config::default()),
        };
        self.forget_set();
        self.loaded.clear();
    }

    fn forget_set(&mut self) {
        self.set = None;
        self.set_uris = None;
        *self.sources.get_mut() = None;
    }

    /// A document opened or changed: its whole text.
    pub fn update(&mut self, uri: Uri, text: String) {
        if Kind::of(&uri) == Kind::Policy {
            self.forget_set();
            let parsed = self.parse_cache.get_mut().parse(&text).is_ok();
            if parsed {
                let file = SourceFile::new(uri.as_str(), text.as_str());
                let symbols = self.symbols_of(std::slice::from_ref(&file));
                self.last_parsed.insert(uri.clone(), symbols);
            }
        }
        self.docs.insert(uri, text);
    }

    pub fn close(&mut self, uri: &Uri) {
        self.last_parsed.remove(uri);
        self.loaded.remove(uri);
        if self.docs.remove(uri).is_some() && Kind::of(uri) == Kind::Policy {
            self.forget_set();
        }
    }

    /// What an open policy document parsed to last.
    pub fn last_parsed(&self, uri: &Uri) -> Option<&Symbols> {
        self.last_parsed.get(uri)
    }

    pub fn text(&self, uri: &Uri) -> Option<&str> {
        self.docs.get(uri).map(String::as_str)
    }

    /// The open documents.
    pub fn uris(&self) -> impl Iterator<Item = &Uri> {
        self.docs.keys()
    }

    /// The gate files are read through for a document at `path`: the
    /// workspace's, else the gate of the document's directory.
    fn gate_for(&self, path: &Path) -> Gate {
        self.gate.clone().unwrap_or_else(|| Gate::at(path.parent().unwrap_or(path)))
    }

    /// The text of a policy file: the open document's, or the file's, read
    /// through the gate.
    fn policy_source(&self, name: &str, path: &Path) -> Result<SourceFile, String> {
        let open = uri::from_path(path).and_then(|u| self.docs.get(&u));
        match open {
            Some(text) => Ok(SourceFile::new(name, text.as_str())),
            None => read_policy_file_in(&self.gate_for(path), path)
                .map(|f| SourceFile::new(name, f.text()))
                .map_err(|e| e.to_string()),
        }
    }

    /// The files of the workspace's set, open documents as they are in the
    /// editor; read once until a policy document or a file on disk changes.
    pub fn sources(&self) -> Result<Vec<SourceFile>, String> {
        self.sources.borrow_mut().get_or_insert_with(|| self.read_sources()).clone()
    }

    fn read_sources(&self) -> Result<Vec<SourceFile>, String> {
        let config = self.config.as_ref().map_err(Clone::clone)?;
        let mut sources = Vec::new();
        if config.policies.is_empty() || config.with_standard {
            for (name, text) in STANDARD_PACK {
                // Editing the pack itself (in this repository): the editor's text.
                let on_disk = self.root.as_ref().map(|r| r.join(name));
                let open = on_disk.and_then(|p| self.policy_source(name, &p).ok());
                sources.push(open.unwrap_or_else(|| SourceFile::new(*name, *text)));
            }
        }
        if !config.policies.is_empty() {
            let gate = self.gate.clone().unwrap_or_else(|| Gate::at(Path::new(".")));
            let files = policy_files_in(&gate, &config.policies)
                .map_err(|errors| errors.into_iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))?;
            for file in files {
                let name = file.display().to_string();
                sources.push(self.policy_source(&name, &file)?);
            }
        }
        Ok(sources)
    }

    /// The workspace's checked set with its params, built once per change of its files.
    pub fn set(&mut self) -> &Result<PolicySet, String> {
        if self.set.is_none() {
            self.set = Some(self.build_set());
        }
        self.set.get_or_insert_with(|| Err(String::new()))
    }

    fn build_set(&self) -> Result<PolicySet, String> {
        let sources = self.sources()?;
        let set = PolicySet::from_sources(sources).map_err(|f| {
            let n = f.errors.len();
            format!("the workspace's policies do not check ({n} error{}): {f}", if n == 1 { "" } else { "s" })
        })?;
        self.with_params(set)
    }

    /// The config's params set on a checked set.
    fn with_params(&self, mut set: PolicySet) -> Result<PolicySet, String> {
        if let Ok(config) = &self.config {
            for (name, value) in &config.params {
                set.set_param(name, value).map_err(|l| {
                    let help = miette::Diagnostic::help(&l.error).map(|h| format!(": {h}")).unwrap_or_default();
                    format!("in `{}`'s params: {}{help}", super::config::CONFIG_FILE, l.error)
                })?;
            }
        }
        Ok(set)
    }

    /// Where the set's file `name` is, as a URI: a path, or a standard
    /// pack file under the root.
    pub fn policy_uri(&self, name: &str) -> Option<Uri> {
        let path = Path::new(name);
        if path.is_absolute() {
            return uri::from_path(path);
        }
        let path = self.root.as_ref()?.join(path);
        path.exists().then(|| uri::from_path(&path)).flatten()
    }

    /// The diagnostics of an open document.
    pub fn diagnostics(&mut self, uri: &Uri) -> Vec<Diagnostic> {
        let Some(text) = self.docs.get(uri).cloned() else { return Vec::new() };
        let index = LineIndex::new(&text, self.encoding);
        let target = Target { uri, index: &index };
        match Kind::of(uri) {
            Kind::Policy => self.policy_diagnostics(uri, &target),
            Kind::Proposal => self.proposal_diagnostics(&target),
            Kind::Config => self.config_diagnostics(&target),
            Kind::Other => Vec::new(),
        }
    }

    /// The files a policy document is checked with, as `policy check` and
    /// `policy test` would be given them, and where the document is among
    /// them: a file of the workspace's set with the set (its params are
    /// theirs); a file of `test` blocks with the policy files of its folder
    /// (as `policy test DIR`, so it sees the policies it tests); any other
    /// file alone, as `--policies FILE`.
    pub fn companions(&self, uri: &Uri) -> Companions {
        let text = self.docs.get(uri).map_or("", String::as_str);
        let path = uri::to_path(uri);
        let name = path.as_ref().map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string());
        let sources = self.sources().unwrap_or_default();
        if let Some(here) = sources.iter().position(|s| self.policy_uri(s.name()).as_ref() == Some(uri)) {
            return Companions { files: sources, here, in_set: true };
        }
        let alone = || Companions { files: vec![SourceFile::new(name.as_str(), text)], here: 0, in_set: false };
        let has_tests = text.lines().any(|l| l.starts_with("test ") || l.starts_with("test\t"));
        let Some(dir) = path.as_ref().filter(|_| has_tests).and_then(|p| p.parent()) else { return alone() };
        let Ok(files) = policy_files_in(&self.gate_for(dir), &[dir.to_path_buf()]) else { return alone() };
        let mut out = Vec::new();
        let mut here = None;
        for file in files {
            if uri::from_path(&file).as_ref() == Some(uri) {
                here = Some(out.len());
                out.push(SourceFile::new(name.as_str(), text));
            } else if let Ok(source) = self.policy_source(&file.display().to_string(), &file) {
                out.push(source);
            }
        }
        let here = here.unwrap_or_else(|| {
            out.push(SourceFile::new(name.as_str(), text));
            out.len() - 1
        });
        Companions { files: out, here, in_set: false }
    }

    /// The symbols of files, parsed through the workspace's cache; a policy
    /// of the workspace's checked set says which patterns it applies to.
    pub fn symbols_of(&self, files: &[SourceFile]) -> Symbols {
        let mut symbols = Symbols::of_parsed(files, &mut self.parse_cache.borrow_mut());
        if let Some(Ok(set)) = &self.set {
            for policy in &mut symbols.policies {
                if let Some(checked) = set.checked_policy(&policy.id) {
                    let reach = crate::policy::reach(checked);
                    policy.applies_to =
                        Some(reach.patterns.iter().map(|p| crate::model::NamedEnum::name(*p).to_string()).collect());
                }
            }
        }
        symbols
    }

    fn policy_diagnostics(&mut self, uri: &Uri, target: &Target<'_>) -> Vec<Diagnostic> {
        let Companions { files: sources, here: file, in_set } = self.companions(uri);
        let in_set = in_set.then_some(file);
        let here = sources[file].clone();
        let built = PolicySet::from_sources_cached(sources, &mut self.parse_cache.borrow_mut());
        let located: Vec<Located> = match built {
            Ok(set) => {
                let warnings = set.warnings().to_vec();
                if in_set.is_some() {
                    // The workspace's set, checked already: kept for its proposals.
                    self.set = Some(self.with_params(set));
                    self.set_uris = None;
                }
                warnings
            }
            Err(failure) => failure.errors.into_iter().collect(),
        };
        let mut out: Vec<Diagnostic> = located
            .iter()
            .filter(|l| l.file.as_ref().is_none_or(|f| *f == here))
            .map(|l| diagnostics::from_miette(&l.error, target, None))
            .collect();
        if let Err(message) = &self.config {
            out.push(diagnostics::at_start(message.clone(), DiagnosticSeverity::ERROR));
        }
        out
    }

    fn proposal_diagnostics(&mut self, target: &Target<'_>) -> Vec<Diagnostic> {
        let text = target.index.text();
        let fresh = self.loaded.get(target.uri).is_some_and(|(loaded, _)| loaded == text);
        if !fresh {
            let loaded = self.load(target);
            self.loaded.insert(target.uri.clone(), (text.to_string(), loaded));
        }
        if self.set_uris.is_none() {
            let names: Vec<String> = match self.set() {
                Ok(set) => (0..).map_while(|i| set.file(i)).map(|f| f.name().to_string()).collect(),
                Err(_) => Vec::new(),
            };
            self.set_uris = Some(names.into_iter().map(|name| (name.clone(), self.policy_uri(&name))).collect());
        }
        if let Err(message) = self.set() {
            return vec![diagnostics::at_start(message.clone(), DiagnosticSeverity::ERROR)];
        }
        let (Some(Ok(set)), Some((_, loaded))) = (&self.set, self.loaded.get(target.uri)) else { return Vec::new() };
        let proposal = match loaded {
            Ok(proposal) => proposal,
            Err(diagnostics) => return diagnostics.clone(),
        };
        let waivers = set.waiver_errors(proposal);
        let source = Some(&proposal.source);
        let mut out: Vec<Diagnostic> = waivers.iter().map(|e| diagnostics::from_miette(e, target, source)).collect();
        let report = set.check_with(proposal, &RunOptions::standard());
        let uris = self.set_uris.as_ref();
        let lookup = |name: &str| uris.and_then(|u| u.get(name)).cloned().flatten();
        out.extend(report.findings.iter().map(|f| diagnostics::from_finding(f, target, &proposal.source, &lookup)));
        out
    }

    /// The config document's own errors at their place; when its text
    /// reads, what the set it names says (a path that is not there, a
    /// param that does not check), which the other documents show too.
    fn config_diagnostics(&mut self, target: &Target<'_>) -> Vec<Diagnostic> {
        let Some(root) = self.root.clone() else { return Vec::new() };
        let file = SourceFile::new(super::config::CONFIG_FILE, target.index.text());
        match Config::parse_spanned(&root, &file) {
            Err(error) => {
                let range = error.span.map(|span| target.index.range(span)).unwrap_or_default();
                vec![Diagnostic {
                    range,
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("archpolicy".into()),
                    message: error.message,
                    ..Diagnostic::default()
                }]
            }
            // The workspace reads the file on disk: its set's errors are the saved text's.
            Ok(_) => match self.set() {
                Err(message) => vec![diagnostics::at_start(message.clone(), DiagnosticSeverity::ERROR)],
                Ok(_) => Vec::new(),
            },
        }
    }

    /// The open proposal loaded, or its load's diagnostics.
    fn load(&self, target: &Target<'_>) -> Result<Proposal, Vec<Diagnostic>> {
        let name =
            uri::to_path(target.uri).map_or_else(|| target.uri.as_str().to_string(), |p| p.display().to_string());
        let gate = self.gate_for(Path::new(&name));
        crate::load::load_str_in(&gate, &name, target.index.text()).map_err(|failure| {
            let source = failure.source.as_ref();
            failure.errors.iter().map(|e| diagnostics::from_miette(e, target, source)).collect()
        })
    }
}
