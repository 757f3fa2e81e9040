//! YAML (and JSON, which YAML reads too) to a tree of spanned nodes: the
//! bottom layer under proposals, price tables and templates.
//!
//! The tree is built from granit-parser's events (the parser under
//! serde-saphyr) under a budget (nodes, depth, aliases), so an alias bomb or
//! a deeply nested file is refused before it costs memory or stack. The tree
//! keeps every key's and value's span; each reader turns it into its own
//! typed value and reports every error it finds, not only the first.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span, Tag};
use miette::SourceSpan;

mod err;
mod scalar;

use scalar::resolve;

pub use err::YamlError;
use err::scan_error;

/// A node of the document with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: SourceSpan,
}

impl Node {
    /// The value of `key` when the node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Moves every span of the tree by `by` bytes: a file attached to
    /// another keeps its spans in the other's span space ([`crate::source::SourceFile::attach`]).
    pub fn shift(&mut self, by: usize) {
        self.span = shifted(self.span, by);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift(by)),
            Value::Map(entries) => {
                for (key, value) in entries {
                    key.span = shifted(key.span, by);
                    value.shift(by);
                }
            }
            _ => {}
        }
    }
}

/// A span moved by `by` bytes.
pub fn shifted(span: SourceSpan, by: usize) -> SourceSpan {
    SourceSpan::from((span.offset().saturating_add(by), span.len()))
}

/// A mapping key with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: SourceSpan,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

impl Value {
    /// What the user wrote, in words, for "found ..." messages.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "nothing".into(),
            Value::Bool(b) => format!("`{b}`"),
            Value::Int(i) => format!("the number `{i}`"),
            Value::Float(x) => format!("the number `{x}`"),
            // A short, escaped excerpt: the file may be anything a symlink names.
            Value::Str(s) => format!("the text `{}`", crate::untrusted::excerpt(s, 40)),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
        }
    }
}

/// The limits a proposal is parsed under.
pub const MAX_DEPTH: usize = 16;
pub const MAX_NODES: usize = 20_000;
pub const MAX_ALIASES: usize = 100;
/// Text held by all scalars, aliases expanded: a proposal is a few kilobytes.
const MAX_SCALAR_BYTES: usize = 1024 * 1024;

/// What reading a document may cost: nesting, keys and values (aliases
/// expanded), anchors and aliases, and bytes of scalar text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub depth: usize,
    pub nodes: usize,
    pub aliases: usize,
    pub scalar_bytes: usize,
}

impl Budget {
    /// A proposal: a few kilobytes, flat.
    pub const PROPOSAL: Budget =
        Budget { depth: MAX_DEPTH, nodes: MAX_NODES, aliases: MAX_ALIASES, scalar_bytes: MAX_SCALAR_BYTES };
    /// An infrastructure template: larger and deeper (docs/security.md).
    pub const TEMPLATE: Budget = Budget { depth: 64, nodes: 250_000, aliases: 1_000, scalar_bytes: 32 * 1024 * 1024 };
}

/// CloudFormation's short-form tags and the intrinsic each stands for.
const INTRINSICS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("If", "Fn::If"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

/// How to read a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub budget: Budget,
    /// CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.B`, `!If [..]`)
    /// become the long form (`{ Ref: X }`, `{ Fn::GetAtt: [A, B] }`), so a
    /// template reads the same in YAML and JSON. Off for proposals.
    pub intrinsics: bool,
    /// A key written twice in a mapping takes its last value, as
    /// CloudFormation deploys it; otherwise it is an error. Off for proposals.
    pub last_key_wins: bool,
}

impl Options {
    pub const PROPOSAL: Options = Options { budget: Budget::PROPOSAL, intrinsics: false, last_key_wins: false };
    pub const TEMPLATE: Options = Options { budget: Budget::TEMPLATE, intrinsics: true, last_key_wins: true };
}
/// Keys at which a mapping's duplicate check switches from a scan to a set.
const SMALL_MAP: usize = 16;

/// Parses a document. `None` for a document with no content at all.
///
/// The tree is built straight from the parser's events: each scalar is
/// resolved by the YAML 1.2 core schema (only `true`/`false` are booleans)
/// and every node keeps its span. Anchors, aliases and merge keys (`<<`) are
/// expanded under a budget (nodes, depth, aliases, bytes), so an alias bomb
/// or a deeply nested file is refused before it costs memory or stack.
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    parse_with(text, Options::PROPOSAL)
}

/// Parses a document under `options`: a template's budget and intrinsics.
pub fn parse_with(text: &str, options: Options) -> Result<Option<Node>, YamlError> {
    let node = Builder::new(text, options).document()?;
    Ok(node.filter(|n| n.value != Value::Null))
}

/// A collection being built.
enum Frame {
    Seq { items: Vec<Node>, span: SourceSpan, anchor: usize },
    Map(MapFrame),
}

struct MapFrame {
    entries: Vec<(Key, Node)>,
    /// The key read, waiting for its value.
    key: Option<Key>,
    /// Whether that key is a plain `<<`, a merge.
    merge: bool,
    /// Mappings named by `<<` keys, merged in at the end.
    merges: Vec<Node>,
    span: SourceSpan,
    anchor: usize,
    /// The keys of a long mapping and their entries, so finding one stays
    /// linear in the file's size.
    names: Option<std::collections::HashMap<String, usize>>,
}

impl MapFrame {
    fn new(span: SourceSpan, anchor: usize) -> Self {
        MapFrame { entries: Vec::new(), key: None, merge: false, merges: Vec::new(), span, anchor, names: None }
    }

    /// The entry of the key `name`, if the mapping has it.
    fn find(&self, name: &str) -> Option<usize> {
        match &self.names {
            Some(names) => names.get(name).copied(),
            None => self.entries.iter().position(|(k, _)| k.name == name),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    fn push(&mut self, key: Key, value: Node) {
        let index = self.entries.len();
        if let Some(names) = &mut self.names {
            names.insert(key.name.clone(), index);
        } else if self.entries.len() >= SMALL_MAP {
            let mut names: std::collections::HashMap<String, usize> =
                self.entries.iter().enumerate().map(|(i, (k, _))| (k.name.clone(), i)).collect();
            names.insert(key.name.clone(), index);
            self.names = Some(names);
        }
        self.entries.push((key, value));
    }

    /// A key written again: its last value wins, in the first one's place.
    fn replace(&mut self, key: Key, value: Node) {
        match self.find(&key.name).and_then(|i| self.entries.get_mut(i)) {
            Some(entry) => *entry = (key, value),
            None => self.push(key, value),
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    options: Options,
    /// For each open collection, the intrinsic its tag names (`!If [..]`).
    wraps: Vec<Option<&'static str>>,
    anchors: std::collections::HashMap<usize, Node>,
    stack: Vec<Frame>,
    root: Option<Node>,
    nodes: usize,
    aliases: usize,
    merges: usize,
    scalar_bytes: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, options: Options) -> Self {
        Builder {
            text,
            options,
            wraps: Vec::new(),
            anchors: std::collections::HashMap::new(),
            stack: Vec::new(),
            root: None,
            nodes: 0,
            aliases: 0,
            merges: 0,
            scalar_bytes: 0,
        }
    }

    fn document(mut self) -> Result<Option<Node>, YamlError> {
        let mut options = granit_parser::Options::default();
        options.flow_nesting_limit = self.options.budget.depth;
        options.block_nesting_limit = self.options.budget.depth;
        let mut documents = 0;
        for next in Parser::new_from_str_with_options(self.text, options) {
            let (event, span) = next.map_err(|e| scan_error(&e, self.text, self.options.budget.depth))?;
            let span = self.span(&span);
            match event {
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(YamlError::Syntax {
                            message: "a second YAML document in the file".into(),
                            help: "a proposal file holds one document: remove the `---` line and what follows, or move it to its own file".into(),
                            span,
                        });
                    }
                }
                Event::Scalar(value, style, anchor, tag) => self.scalar(value, style, anchor, tag.as_deref(), span)?,
                Event::SequenceStart(_, anchor, tag) => {
                    self.open(span)?;
                    self.wraps.push(self.intrinsic(tag.as_deref()));
                    self.stack.push(Frame::Seq { items: Vec::new(), span, anchor });
                }
                Event::MappingStart(_, anchor, tag) => {
                    self.open(span)?;
                    self.wraps.push(self.intrinsic(tag.as_deref()));
                    self.stack.push(Frame::Map(MapFrame::new(span, anchor)));
                }
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => self.alias(id, span)?,
                Event::StreamEnd => break,
                _ => {}
            }
        }
        Ok(self.root)
    }

    /// A scalar: the key of the mapping being built, or a value.
    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: SourceSpan,
    ) -> Result<(), YamlError> {
        self.count(span, value.len())?;
        if let Some(Frame::Map(map)) = self.stack.last_mut()
            && map.key.is_none()
        {
            let key = Key { name: value.into_owned(), span };
            let is_merge = key.name == "<<" && style == ScalarStyle::Plain;
            if anchor != 0 {
                self.anchor(anchor, Node { value: Value::Str(key.name.clone()), span })?;
            }
            return self.key(key, is_merge);
        }
        let node = match self.intrinsic(tag) {
            Some("Fn::GetAtt") => {
                // `!GetAtt Resource.Attribute` is the list `[Resource, Attribute]`.
                let (resource, attribute) = value.split_once('.').unwrap_or((&value, ""));
                let part = |text: &str| Node { value: Value::Str(text.to_string()), span };
                self.wrap("Fn::GetAtt", Node { value: Value::Seq(vec![part(resource), part(attribute)]), span })?
            }
            Some(name) => self.wrap(name, Node { value: Value::Str(value.into_owned()), span })?,
            None => Node { value: resolve(value, style, tag), span },
        };
        if anchor != 0 {
            self.anchor(anchor, node.clone())?;
        }
        self.value(node)
    }

    /// The CloudFormation intrinsic a short-form tag names, when reading a template.
    fn intrinsic(&self, tag: Option<&Tag>) -> Option<&'static str> {
        let tag = tag.filter(|t| self.options.intrinsics && t.handle() == "!")?;
        INTRINSICS.iter().find(|(short, _)| *short == tag.suffix()).map(|(_, long)| *long)
    }

    /// `{ name: node }`: a short-form intrinsic in its long form.
    fn wrap(&mut self, name: &'static str, node: Node) -> Result<Node, YamlError> {
        self.count(node.span, name.len())?;
        let span = node.span;
        Ok(Node { value: Value::Map(vec![(Key { name: name.to_string(), span }, node)]), span })
    }

    /// The end of a sequence or mapping: its node becomes a value.
    fn close(&mut self) -> Result<(), YamlError> {
        let wrap = self.wraps.pop().flatten();
        let (node, anchor) = match self.stack.pop() {
            Some(Frame::Seq { items, span, anchor }) => (Node { value: Value::Seq(items), span }, anchor),
            Some(Frame::Map(map)) => {
                let anchor = map.anchor;
                (Self::close_map(map), anchor)
            }
            None => return Ok(()),
        };
        let node = match wrap {
            Some(name) => self.wrap(name, node)?,
            None => node,
        };
        if anchor != 0 {
            self.anchor(anchor, node.clone())?;
        }
        self.value(node)
    }

    /// An alias: a copy of its anchor's node, counted against the budget first.
    fn alias(&mut self, id: usize, span: SourceSpan) -> Result<(), YamlError> {
        self.aliases += 1;
        let most = self.options.budget.aliases;
        if self.aliases > most {
            return Err(budget(format!("more than {most} aliases"), span));
        }
        let Some(target) = self.anchors.get(&id) else {
            return Err(YamlError::Syntax {
                message: "an alias to an unknown anchor".into(),
                help: "define the anchor (`&name`) before its alias (`*name`)".into(),
                span,
            });
        };
        // Counted before it is copied: the copy is what the budget bounds.
        let (nodes, bytes) = size(target);
        self.nodes += nodes;
        self.scalar_bytes += bytes;
        self.check_totals(span)?;
        let target = self.anchors.get(&id).cloned().unwrap_or(Node { value: Value::Null, span });
        if let Some(Frame::Map(map)) = self.stack.last_mut()
            && map.key.is_none()
        {
            let key = Key { name: alias_key(&target, span)?, span };
            return self.key(key, false);
        }
        self.value(Node { span, ..target })
    }

    /// A source span from the parser's, in bytes.
    fn span(&self, span: &Span) -> SourceSpan {
        let range = span.byte_range().unwrap_or(0..0);
        let start = range.start.min(self.text.len());
        SourceSpan::from((start, range.end.clamp(start, self.text.len()) - start))
    }

    /// Keeps an anchored node for its aliases.
    fn anchor(&mut self, id: usize, node: Node) -> Result<(), YamlError> {
        let most = self.options.budget.aliases;
        if self.anchors.len() >= most {
            return Err(budget(format!("more than {most} anchors"), node.span));
        }
        self.anchors.insert(id, node);
        Ok(())
    }

    fn open(&mut self, span: SourceSpan) -> Result<(), YamlError> {
        self.count(span, 0)?;
        let depth = self.options.budget.depth;
        if self.stack.len() >= depth {
            return Err(budget(format!("nesting deeper than {depth} levels"), span));
        }
        Ok(())
    }

    fn count(&mut self, span: SourceSpan, bytes: usize) -> Result<(), YamlError> {
        self.nodes += 1;
        self.scalar_bytes += bytes;
        self.check_totals(span)
    }

    fn check_totals(&self, span: SourceSpan) -> Result<(), YamlError> {
        let Budget { nodes, scalar_bytes, .. } = self.options.budget;
        if self.nodes > nodes {
            Err(budget(format!("more than {nodes} keys and values (counting what aliases expand to)"), span))
        } else if self.scalar_bytes > scalar_bytes {
            Err(budget(
                format!("more than {} KiB of text (counting what aliases expand to)", scalar_bytes / 1024),
                span,
            ))
        } else {
            Ok(())
        }
    }

    /// A mapping's key, read before its value.
    fn key(&mut self, key: Key, is_merge: bool) -> Result<(), YamlError> {
        let Some(Frame::Map(map)) = self.stack.last_mut() else { return Ok(()) };
        if !is_merge && !self.options.last_key_wins && map.has(&key.name) {
            return Err(YamlError::Syntax {
                message: format!("duplicate key `{}`", key.name),
                help: "each key appears once in a mapping; remove one of them".into(),
                span: key.span,
            });
        }
        map.key = Some(key);
        map.merge = is_merge;
        Ok(())
    }

    /// A complete node: the root, a list item, a key or a mapping's value.
    fn value(&mut self, node: Node) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map(map)) => match map.key.take() {
                Some(key) if map.merge => {
                    if !is_mergeable(&node) {
                        return Err(not_mergeable(node.span));
                    }
                    self.merges += 1;
                    let most = self.options.budget.aliases;
                    if self.merges > most {
                        return Err(budget(format!("more than {most} merge keys"), key.span));
                    }
                    map.merges.push(node);
                }
                Some(key) if self.options.last_key_wins => map.replace(key, node),
                Some(key) => map.push(key, node),
                // A collection or alias as a key.
                None => {
                    return Err(YamlError::Syntax {
                        message: "a list or mapping used as a key".into(),
                        help: "keys are plain names such as `timeout`".into(),
                        span: node.span,
                    });
                }
            },
        }
        Ok(())
    }

    /// The finished mapping, `<<` merges applied: keys written in the
    /// mapping win over merged ones, and earlier merges over later ones.
    fn close_map(mut map: MapFrame) -> Node {
        if let Some(key) = map.key.take() {
            // A key with no value event cannot come from the parser; keep it as null.
            let span = key.span;
            map.push(key, Node { value: Value::Null, span });
        }
        // Each source was checked to be a mapping or a list of mappings.
        for source in std::mem::take(&mut map.merges) {
            let sources = match source.value {
                Value::Seq(items) => items,
                other => vec![Node { value: other, span: source.span }],
            };
            for (key, value) in sources.into_iter().flat_map(|s| match s.value {
                Value::Map(entries) => entries,
                _ => Vec::new(),
            }) {
                if !map.has(&key.name) {
                    map.push(key, value);
                }
            }
        }
        Node { value: Value::Map(map.entries), span: map.span }
    }
}

fn not_mergeable(span: SourceSpan) -> YamlError {
    YamlError::Syntax {
        message: "`<<` merges mappings only".into(),
        help: "write `<<: *name` where `&name` marks a mapping, or `<<: [*a, *b]`".into(),
        span,
    }
}

fn is_mergeable(node: &Node) -> bool {
    match &node.value {
        Value::Map(_) => true,
        Value::Seq(items) => items.iter().all(|i| matches!(i.value, Value::Map(_))),
        _ => false,
    }
}

/// An alias used as a key: its scalar's text.
fn alias_key(target: &Node, span: SourceSpan) -> Result<String, YamlError> {
    match &target.value {
        Value::Str(s) => Ok(s.clone()),
        Value::Int(i) => Ok(i.to_string()),
        Value::Float(x) => Ok(x.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok("null".into()),
        Value::Seq(_) | Value::Map(_) => Err(YamlError::Syntax {
            message: "a list or mapping used as a key".into(),
            help: "keys are plain names such as `timeout`".into(),
            span,
        }),
    }
}

/// Nodes and scalar bytes in a tree.
fn size(node: &Node) -> (usize, usize) {
    match &node.value {
        Value::Str(s) => (1, s.len()),
        Value::Seq(items) => items.iter().map(size).fold((1, 0), |(n, b), (n2, b2)| (n + n2, b + b2)),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| {
                let (n, b) = size(v);
                (n + 1, b + k.name.len())
            })
            .fold((1, 0), |(n, b), (n2, b2)| (n + n2, b + b2)),
        _ => (1, 0),
    }
}

fn budget(message: String, span: SourceSpan) -> YamlError {
    YamlError::Budget { message, span: Some(span) }
}

#[cfg(test)]
mod tests;
