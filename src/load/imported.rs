//! A proposal that stands on a template: `import: { from, select,
//! parameters, parameter_defaults }`.
//!
//! The template (and the parameters file) are attached to the proposal's
//! source ([`SourceFile::attach`]), so every span taken from them stays
//! valid through loading, facts and findings, and points into them. The
//! selected service's keys ([`crate::import::translate`]) are merged into
//! the proposal's tree before it is decoded: the proposal adds what no
//! template holds, and a key set differently in both is an error that
//! shows both places.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::SourceSpan;

use crate::import::resolve::{Parameters, Resolver, scalar_text};
use crate::import::translate::{TranslateError, Translated, translate};
use crate::import::{FileIncludes, ImportError, MAX_TEMPLATE_BYTES, Template, classify};
use crate::model::LoadError;
use crate::model::limits::Source;
use crate::source::SourceFile;
use crate::suggest;
use crate::units::{Duration, Size, Vcpu};
use crate::untrusted::Untrusted;
use crate::walk::{Gate, Reason};
use crate::yaml::{self, Key, Node, Value};

/// What the proposal's `import` section asks for, read leniently: the
/// decoder reports a malformed section, and then nothing is imported.
struct Request {
    from: (String, SourceSpan),
    select: (String, SourceSpan),
    parameters: Option<(String, SourceSpan)>,
    use_defaults: bool,
}

/// The proposal's source with its template attached, and the paths whose
/// value is AWS's default.
pub(super) struct Stood {
    pub source: SourceFile,
    pub defaults: Vec<(String, Source)>,
}

/// A failed import: the source with what was attached, for the labels.
pub(super) type Failed = (SourceFile, Vec<LoadError>);

/// Merges the template a proposal stands on into its tree; `None` when it
/// stands on none. Its files are read through `gate`, else the gate of the
/// proposal's own path ([`Gate::for_named`]).
pub(super) fn stand_on_template(
    root: &mut Node,
    source: &SourceFile,
    gate: Option<&Gate>,
) -> Result<Option<Stood>, Failed> {
    let Some(request) = request(root) else { return Ok(None) };
    let gate = gate.cloned().unwrap_or_else(|| Gate::for_named(Path::new(source.name())));
    let dir = Path::new(source.name()).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
    let (source, base, template_text) =
        attach(&gate, source, &dir, &request.from).map_err(|e| (source.clone(), vec![e]))?;
    // The files the template includes, relative to it, through the same gate.
    let at = if dir == Path::new(".") { PathBuf::from(&request.from.0) } else { dir.join(&request.from.0) };
    let name = source.name().to_string();
    let mut includes = FileIncludes::new(&gate, &at, source);
    let parsed = Template::parse_including(&name, &template_text, base, Some(&mut includes));
    let source = includes.source;
    let mut template = parsed.map_err(|e| (source.clone(), vec![template_error(e, request.from.1)]))?;
    let (source, parameters) = match &request.parameters {
        Some(named) => {
            let (source, base, text) = attach(&gate, &source, &dir, named).map_err(|e| (source.clone(), vec![e]))?;
            let values = parameter_values(&text, base, named.1).map_err(|e| (source.clone(), vec![e]))?;
            (source, values)
        }
        None => (source, BTreeMap::new()),
    };
    let parameters = Parameters { values: parameters, use_defaults: request.use_defaults };
    crate::import::settle(&mut template, &parameters);
    let selected = select(&template, &request, &parameters);
    // A spent budget is the one error: what failed after it failed for want of fuel.
    if let Err(e) = template.within_budget(&request.from.0) {
        return Err((source, vec![template_error(e, request.from.1)]));
    }
    let translated = selected.map_err(|e| (source.clone(), e))?;
    let mut errors = Vec::new();
    merge(root, &translated, &mut errors);
    if !errors.is_empty() {
        return Err((source, errors));
    }
    Ok(Some(Stood { source, defaults: translated.defaults }))
}

fn request(root: &Node) -> Option<Request> {
    let section = root.get("import")?;
    let text = |key: &str| section.get(key).and_then(|n| scalar_text(n).map(|t| (t, n.span)));
    Some(Request {
        from: text("from")?,
        select: text("select")?,
        parameters: text("parameters"),
        use_defaults: matches!(section.get("parameter_defaults").map(|n| &n.value), Some(Value::Bool(true))),
    })
}

const OWN_FILES: &str =
    "a proposal may stand only on files of its own repository (or its own directory, outside a repository)";

/// Reads a file the proposal names and attaches it: a relative path that
/// the gate lets through (inside the proposal's repository, or its
/// directory outside one), a regular file, UTF-8, at most
/// [`MAX_TEMPLATE_BYTES`]. A pull request cannot make the check read (and
/// show) a file elsewhere on the machine.
fn attach(
    gate: &Gate,
    source: &SourceFile,
    dir: &Path,
    (named, span): &(String, SourceSpan),
) -> Result<(SourceFile, usize, String), LoadError> {
    // Named as the user would: `t.yaml` beside `p.arch.yaml`, not `./t.yaml`.
    let path = if dir == Path::new(".") { PathBuf::from(named) } else { dir.join(named) };
    let refuse = |reason: Reason| {
        let help = match reason {
            Reason::Io(_) => "check the path: it is relative to the proposal".to_string(),
            Reason::NotAFile(_) | Reason::TooLarge { .. } | Reason::NameNotUtf8 | Reason::TooDeep => {
                "name a template file".to_string()
            }
            // Outside a repository the root is the current directory: say
            // where to run from (`policy import --write OUT` writes
            // `from: ../t.yaml`, and `cd OUT && policy check .` lands here).
            Reason::Outside { repository: false, .. } => match gate.run_from(Path::new(source.name()), &path) {
                Some((dir, proposal)) => format!(
                    "outside a repository, files are read only from the current directory down: run from `{dir}` (`cd {dir} && policy check {proposal}`), or make `{dir}` a repository (`git init {dir}`)"
                ),
                None => OWN_FILES.to_string(),
            },
            _ => OWN_FILES.to_string(),
        };
        LoadError::Import {
            message: format!(
                "cannot read `{}`: {reason}",
                if Path::new(named).is_absolute() { named.into() } else { path.display().to_string() }
            ),
            label: "this file".into(),
            span: *span,
            help,
        }
    };
    let bytes =
        gate.resolve_relative(dir, named).and_then(|real| gate.read(&real, MAX_TEMPLATE_BYTES)).map_err(refuse)?;
    // A stray byte that is not UTF-8 (seen in real templates) is shown, not fatal, as `policy import` does.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (attached, base) = source.attach(SourceFile::new(path.display().to_string(), text.as_str()));
    Ok((attached, base, text))
}

fn template_error(error: ImportError, from: SourceSpan) -> LoadError {
    let span = error.span().unwrap_or(from);
    if let ImportError::Budget { template, work, .. } = error {
        return LoadError::ImportBudget { template, work, span };
    }
    let help = miette::Diagnostic::help(&error).map(|h| h.to_string()).unwrap_or_default();
    LoadError::Import { message: format!("the template does not read: {error}"), label: "here".into(), span, help }
}

/// A parameters file: CloudFormation's `[{ ParameterKey, ParameterValue }]`,
/// a `{ Parameters: { Name: value } }` configuration file, or a plain map.
fn parameter_values(text: &str, base: usize, named: SourceSpan) -> Result<BTreeMap<String, Node>, LoadError> {
    let wrong = |message: String, span: SourceSpan| LoadError::Import {
        message,
        label: "here".into(),
        span,
        help: "write `[{ ParameterKey: Name, ParameterValue: value }]` or `{ Name: value }`".into(),
    };
    let mut root = match yaml::parse_with(text, yaml::Options::TEMPLATE) {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(BTreeMap::new()),
        Err(e) => return Err(wrong(format!("the parameters file does not read: {e}"), named)),
    };
    root.shift(base);
    let root = root.get("Parameters").cloned().unwrap_or(root);
    let mut out = BTreeMap::new();
    match &root.value {
        Value::Seq(items) => {
            for item in items {
                let key = item.get("ParameterKey").and_then(scalar_text);
                match (key, item.get("ParameterValue")) {
                    (Some(key), Some(value)) => {
                        out.insert(key, value.clone());
                    }
                    _ => return Err(wrong("an entry without `ParameterKey` and `ParameterValue`".into(), item.span)),
                }
            }
        }
        Value::Map(entries) => {
            out.extend(entries.iter().map(|(k, v)| (k.name.clone(), v.clone())));
        }
        _ => return Err(wrong("the parameters file is neither a list nor a mapping".into(), root.span)),
    }
    Ok(out)
}

/// The selected service's keys, or why there is none.
fn select(template: &Template, request: &Request, parameters: &Parameters) -> Result<Translated, Vec<LoadError>> {
    let findings = classify(template);
    let (wanted, span) = &request.select;
    let matching = findings.selected_by(template, wanted);
    if matching.len() > 1 {
        return Err(vec![ambiguous(template, &findings, wanted, *span, &matching)]);
    }
    let Some(service) = matching.first() else {
        let names: Vec<&str> = findings.services.iter().filter_map(|s| findings.selector(template, s)).collect();
        let help = match suggest::did_you_mean_help(wanted, names.iter().copied()) {
            Some(hint) => format!("{hint} `policy import {}` lists the services", request.from.0),
            None if names.is_empty() => {
                format!(
                    "the template holds no whole pattern: {}",
                    findings.not_a_pattern.iter().map(Untrusted::raw).collect::<Vec<_>>().join("; ")
                )
            }
            None => format!("the template's services are {}", suggest::one_of(&names)),
        };
        return Err(vec![LoadError::Import {
            message: format!("the template has no service `{wanted}`"),
            label: "no such service".into(),
            span: *span,
            help,
        }]);
    };
    let resolver = Resolver::new(template, parameters);
    translate(template, service, &resolver).map_err(|errors| errors.into_iter().map(load_error).collect())
}

/// `select` names several services (a function that two front doors reach,
/// a logical ID and another construct's `aws:cdk:path`, or one path twice):
/// each is shown, with a name that selects it alone.
fn ambiguous(
    template: &Template,
    findings: &crate::import::Classification,
    wanted: &str,
    span: SourceSpan,
    matching: &[&crate::import::ImportedService],
) -> LoadError {
    let mut shown = Vec::new();
    let mut ids = Vec::new();
    let mut matches = Vec::new();
    for service in matching {
        let id = service.select.raw();
        let path = template.resources.get(id).and_then(|r| r.cdk_path.as_deref());
        // The front door tells apart the services of one function.
        let shared = matching.iter().filter(|s| s.select.raw() == id).count() > 1;
        let front = service.resources.first().map(Untrusted::raw).filter(|f| shared && *f != id);
        let mut text = match path {
            Some(path) => format!("`{id}` (construct `{path}`)"),
            None => format!("`{id}`"),
        };
        if let Some(front) = front {
            text.push_str(&format!(" through `{front}`"));
        }
        shown.push(text);
        if let Some(alone) = findings.selector(template, service) {
            ids.push(format!("`{alone}`"));
        } else if let Some(alone) = path.filter(|p| findings.selected_by(template, p).len() == 1) {
            ids.push(format!("`{alone}`"));
        }
        let labelled = front.unwrap_or(id);
        if let Some(r) = template.resources.get(labelled) {
            matches.push(miette::LabeledSpan::new_with_span(Some(format!("`{labelled}`")), r.span));
        }
    }
    let ids = if ids.is_empty() {
        "none does: rename the construct whose path repeats another's".into()
    } else {
        ids.join(", ")
    };
    LoadError::ImportAmbiguous {
        select: wanted.to_string(),
        count: matching.len(),
        names: shown.join(", "),
        ids,
        span,
        matches,
    }
}

fn load_error(error: TranslateError) -> LoadError {
    match error {
        TranslateError::Unresolved(u) => {
            LoadError::ImportUnresolved { message: u.message, used: u.used, declared: u.declared, help: u.help }
        }
        TranslateError::Unreadable { message, help, span } => {
            LoadError::Import { message, label: "as the template says".into(), span, help }
        }
    }
}

/// The template's keys into the proposal's tree: a key only the template
/// sets is taken; one both set must say the same; one the template decides
/// is absent must not be set.
fn merge(root: &mut Node, translated: &Translated, errors: &mut Vec<LoadError>) {
    let Value::Map(entries) = &mut root.value else { return };
    let Value::Map(template) = &translated.root.value else { return };
    merge_entries(entries, template, "", errors);
    for (path, at) in &translated.absent {
        if let Some(node) = find(entries, path) {
            errors.push(LoadError::ImportConflict {
                path: path.clone(),
                proposal: "set".into(),
                template: "not set".into(),
                proposal_span: node.span,
                proposal_label: "the proposal sets it".into(),
                template_span: *at,
                template_label: "the template leaves it out here".into(),
                help: format!("remove `{path}` from the proposal: the template decides it"),
            });
        }
    }
}

fn merge_entries(entries: &mut Vec<(Key, Node)>, template: &[(Key, Node)], prefix: &str, errors: &mut Vec<LoadError>) {
    for (key, value) in template {
        let path = if prefix.is_empty() { key.name.clone() } else { format!("{prefix}.{}", key.name) };
        match entries.iter_mut().find(|(k, _)| k.name == key.name) {
            None => entries.push((key.clone(), value.clone())),
            Some((_, mine)) if matches!((&mine.value, &value.value), (Value::Map(_), Value::Map(_))) => {
                if let (Value::Map(mine), Value::Map(theirs)) = (&mut mine.value, &value.value) {
                    merge_entries(mine, theirs, &path, errors);
                }
            }
            Some((_, mine)) if same(mine, value) => *mine = value.clone(),
            Some((_, mine)) => errors.push(LoadError::ImportConflict {
                proposal: shown(mine),
                template: shown(value),
                proposal_span: mine.span,
                proposal_label: format!("the proposal says {}", shown(mine)),
                template_span: value.span,
                template_label: format!("the template says {}", shown(value)),
                help: format!("remove `{path}` from the proposal (the template decides it), or change the template"),
                path,
            }),
        }
    }
}

/// The node at a dotted path of a tree.
fn find<'n>(entries: &'n [(Key, Node)], path: &str) -> Option<&'n Node> {
    let (first, rest) = path.split_once('.').map_or((path, None), |(f, r)| (f, Some(r)));
    let node = entries.iter().find(|(k, _)| k.name == first).map(|(_, v)| v)?;
    match (rest, &node.value) {
        (None, _) => Some(node),
        (Some(rest), Value::Map(inner)) => find(inner, rest),
        _ => None,
    }
}

/// Whether two values say the same: `30s` and `30000ms`, `1GiB` and `1024MiB`.
fn same(a: &Node, b: &Node) -> bool {
    let (Some(x), Some(y)) = (scalar_text(a), scalar_text(b)) else { return a.value == b.value };
    let (x, y) = (x.trim(), y.trim());
    x == y
        || matches!((x.parse::<Duration>(), y.parse::<Duration>()), (Ok(p), Ok(q)) if p == q)
        || matches!((x.parse::<Size>(), y.parse::<Size>()), (Ok(p), Ok(q)) if p == q)
        || matches!((x.parse::<Vcpu>(), y.parse::<Vcpu>()), (Ok(p), Ok(q)) if p == q)
}

fn shown(node: &Node) -> String {
    scalar_text(node).map_or_else(|| node.value.describe(), |t| format!("`{}`", crate::untrusted::excerpt(t.as_str(), 40)))
}
