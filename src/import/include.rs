//! `AWS::Include` (issue 25): a template that takes part of itself from a
//! local file (`Fn::Transform: { Name: AWS::Include, Parameters: {
//! Location: ./api.yaml } }`, or the top-level `Transform` section of that
//! form) is read with the file's text in place, as CloudFormation inserts
//! it (AWS CloudFormation Template Reference, "AWS::Include transform",
//! docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-include.html,
//! read 2026-12-06).
//!
//! Every included file is read through the one gate ([`crate::walk::Gate`])
//! relative to the template, and the template with all it includes stays
//! within one template's limits: [`super::MAX_TEMPLATE_BYTES`] of text and
//! [`yaml::Budget::TEMPLATE`]'s nodes, and its bytes are paid from the
//! import's fuel. An Amazon S3 location, an absolute path, a path out of
//! the repository and a file that does not read are errors that name the
//! location. Includes are expanded one level deep: what an included file
//! includes stays as written (and the classifier says it is not read).

use std::path::{Path, PathBuf};

use super::err::ImportError;
use super::fuel::{Fuel, Work};
use crate::source::SourceFile;
use crate::walk::{Gate, Reason};
use crate::yaml::{self, Key, Node, Value};

/// Reads the files a template includes.
pub trait Includes {
    /// The text of the file `location` names (as the template writes it,
    /// relative to the template), at most `limit` bytes, and where its
    /// spans start in the import's span space; or why it is not read.
    fn read(&mut self, location: &str, limit: u64) -> Result<(String, usize), Reason>;
}

/// Included files read from disk through a gate, relative to the
/// template's directory, each attached to the import's source so that its
/// spans point into it.
pub struct FileIncludes<'a> {
    gate: &'a Gate,
    dir: PathBuf,
    /// The import's source, with every file read so far attached.
    pub source: SourceFile,
}

impl<'a> FileIncludes<'a> {
    /// The includes of the template at `template` (its path as named), read through `gate`.
    pub fn new(gate: &'a Gate, template: &Path, source: SourceFile) -> FileIncludes<'a> {
        let dir = template.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
        FileIncludes { gate, dir, source }
    }
}

impl Includes for FileIncludes<'_> {
    fn read(&mut self, location: &str, limit: u64) -> Result<(String, usize), Reason> {
        let real = self.gate.resolve_relative(&self.dir, location)?;
        let bytes = self.gate.read(&real, limit)?;
        // A stray byte that is not UTF-8 is shown, not fatal, as for the template itself.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let shown = if self.dir == Path::new(".") { PathBuf::from(location) } else { self.dir.join(location) };
        let (attached, base) = self.source.attach(SourceFile::new(shown.display().to_string(), text.as_str()));
        self.source = attached;
        Ok((text, base))
    }
}

/// What the template and the files it includes may still take.
struct Left<'a> {
    bytes: u64,
    nodes: usize,
    fuel: &'a Fuel,
}

/// Replaces each `AWS::Include` of `root` (a template of `bytes` bytes) by
/// the file it names. When the fuel runs out, the rest stays as written
/// and the template's budget check reports it.
pub(super) fn expand(root: &mut Node, bytes: usize, reader: &mut dyn Includes, fuel: &Fuel) -> Result<(), ImportError> {
    let mut left = Left {
        bytes: super::MAX_TEMPLATE_BYTES.saturating_sub(bytes as u64),
        nodes: yaml::Budget::TEMPLATE.nodes.saturating_sub(count(root)),
        fuel,
    };
    top_level(root, reader, &mut left)?;
    visit(root, reader, &mut left)
}

/// The top-level `Transform` section of the form `{ Name: AWS::Include,
/// Parameters: { Location } }` (alone or in a list): the file's sections
/// take its place.
fn top_level(root: &mut Node, reader: &mut dyn Includes, left: &mut Left<'_>) -> Result<(), ImportError> {
    let Value::Map(entries) = &mut root.value else { return Ok(()) };
    let Some(at) = entries.iter().position(|(k, _)| k.name == "Transform") else { return Ok(()) };
    let transforms: Vec<Node> = match &entries[at].1.value {
        Value::Map(_) => vec![entries[at].1.clone()],
        Value::Seq(items) => items.clone(),
        _ => return Ok(()),
    };
    if !transforms.iter().any(is_include) {
        return Ok(());
    }
    let mut sections: Vec<(Key, Node)> = Vec::new();
    let mut kept: Vec<Node> = Vec::new();
    for transform in transforms {
        if !is_include(&transform) {
            kept.push(transform);
            continue;
        }
        let Some(included) = include(&transform, reader, left)? else { return Ok(()) };
        match included.value {
            Value::Map(more) => sections.extend(more),
            other => {
                return Err(ImportError::NotATemplate {
                    why: format!("the top-level `AWS::Include` brings {}, not template sections", other.describe()),
                    span: Some(transform.span),
                });
            }
        }
    }
    let (key, node) = entries.remove(at);
    if !kept.is_empty() {
        let value = if kept.len() == 1 { kept.remove(0).value } else { Value::Seq(kept) };
        entries.insert(at, (key, Node { value, span: node.span }));
    }
    // A section the template states itself stays the template's (a key is read once).
    sections.retain(|(key, _)| !entries.iter().any(|(k, _)| k.name == key.name));
    for (i, section) in sections.into_iter().enumerate() {
        entries.insert(at + i, section);
    }
    Ok(())
}

/// Each `Fn::Transform` of `AWS::Include` inside the tree, replaced by its file.
fn visit(node: &mut Node, reader: &mut dyn Includes, left: &mut Left<'_>) -> Result<(), ImportError> {
    if let Value::Map(entries) = &node.value
        && entries.len() == 1
        && entries[0].0.name == "Fn::Transform"
        && is_include(&entries[0].1)
    {
        let transform = entries[0].1.clone();
        if let Some(included) = include(&transform, reader, left)? {
            *node = included;
        }
        // One level: what the included file includes stays as written.
        return Ok(());
    }
    match &mut node.value {
        Value::Map(entries) => {
            for (_, value) in entries.iter_mut() {
                visit(value, reader, left)?;
            }
        }
        Value::Seq(items) => {
            for item in items.iter_mut() {
                visit(item, reader, left)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `{ Name: AWS::Include, ... }`.
fn is_include(transform: &Node) -> bool {
    matches!(transform.get("Name").map(|n| &n.value), Some(Value::Str(name)) if name == "AWS::Include")
}

/// The tree of the file an include names, its spans in the import's span
/// space; `None` when the fuel ran out (reported by the budget check).
fn include(transform: &Node, reader: &mut dyn Includes, left: &mut Left<'_>) -> Result<Option<Node>, ImportError> {
    let location_node = transform.get("Parameters").and_then(|p| p.get("Location"));
    let Some(Node { value: Value::Str(location), span }) = location_node else {
        return Err(ImportError::Include {
            location: String::new(),
            reason: "it has no `Parameters: { Location: ... }` written as plain text".into(),
            help: "write the included file's path, relative to the template".into(),
            span: Some(location_node.map_or(transform.span, |n| n.span)),
        });
    };
    let refuse = |reason: String, help: &str| ImportError::Include {
        location: location.clone(),
        reason,
        help: help.into(),
        span: Some(*span),
    };
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("s3://") || lower.starts_with("https://") || lower.starts_with("http://") {
        return Err(refuse(
            "it is in Amazon S3, which is not read".into(),
            "import the template with its included file beside it (a path relative to the template, as `aws cloudformation package` takes)",
        ));
    }
    let (text, base) = reader.read(location, left.bytes).map_err(|reason| {
        let help = match reason {
            Reason::Io(_) => "check the path: it is relative to the template",
            Reason::TooLarge { .. } => "a template and the files it includes are read within one template's size limit (docs/security.md)",
            _ => "a template may include only files of its own repository (or its own directory, outside a repository)",
        };
        let reason = match reason {
            Reason::TooLarge { size, .. } => format!(
                "it is {size} bytes: with the template and what it included before, more than the {} bytes of one template",
                super::MAX_TEMPLATE_BYTES
            ),
            other => other.to_string(),
        };
        refuse(reason, help)
    })?;
    left.bytes = left.bytes.saturating_sub(text.len() as u64);
    if left.fuel.spend(Work::Includes, text.len() as u64, *span).is_err() {
        return Ok(None);
    }
    let options = yaml::Options {
        budget: yaml::Budget { nodes: left.nodes, ..yaml::Budget::TEMPLATE },
        ..yaml::Options::TEMPLATE
    };
    let mut tree = yaml::parse_with(&text, options)
        .map_err(|e| ImportError::from_yaml(e).shifted(base))?
        .ok_or_else(|| refuse("the file is empty".into(), "include a file that holds the template's text"))?;
    tree.shift(base);
    left.nodes = left.nodes.saturating_sub(count(&tree));
    if left.fuel.spend(Work::Includes, super::fuel::weight(&tree, u64::MAX), *span).is_err() {
        return Ok(None);
    }
    Ok(Some(tree))
}

/// The nodes of a tree, keys included, as the parser counts them.
fn count(node: &Node) -> usize {
    let mut total = 0usize;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total += 1;
        match &n.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                total += entries.len();
                stack.extend(entries.iter().map(|(_, v)| v));
            }
            _ => {}
        }
    }
    total
}
