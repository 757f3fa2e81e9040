//! YAML (and JSON, which YAML reads too) to a tree of spanned nodes.
//!
//! The tree is built from granit-parser's events (the parser under
//! serde-saphyr) under a budget (nodes, depth, aliases), so an alias bomb or
//! a deeply nested file is refused before it costs memory or stack. The tree
//! keeps every key's and value's span; the loader turns it into the
//! typed model and reports every error it finds, not only the first.

use std::borrow::Cow;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, Span, Tag};
use miette::SourceSpan;

use super::err::LoadError;

/// A node of the document with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: SourceSpan,
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
            Value::Str(s) => format!("the text `{s}`"),
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
/// Keys at which a mapping's duplicate check switches from a scan to a set.
const SMALL_MAP: usize = 16;

/// Parses a document. `None` for a document with no content at all.
///
/// The tree is built straight from the parser's events: each scalar is
/// resolved by the YAML 1.2 core schema (only `true`/`false` are booleans)
/// and every node keeps its span. Anchors, aliases and merge keys (`<<`) are
/// expanded under a budget (nodes, depth, aliases, bytes), so an alias bomb
/// or a deeply nested file is refused before it costs memory or stack.
pub fn parse(text: &str) -> Result<Option<Node>, LoadError> {
    let node = Builder::new(text).document()?;
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
    /// The keys of a long mapping, so finding one stays linear in the file's size.
    names: Option<std::collections::HashSet<String>>,
}

impl MapFrame {
    fn new(span: SourceSpan, anchor: usize) -> Self {
        MapFrame { entries: Vec::new(), key: None, merge: false, merges: Vec::new(), span, anchor, names: None }
    }

    fn has(&self, name: &str) -> bool {
        match &self.names {
            Some(names) => names.contains(name),
            None => self.entries.iter().any(|(k, _)| k.name == name),
        }
    }

    fn push(&mut self, key: Key, value: Node) {
        if let Some(names) = &mut self.names {
            names.insert(key.name.clone());
        } else if self.entries.len() >= SMALL_MAP {
            let mut names: std::collections::HashSet<String> =
                self.entries.iter().map(|(k, _)| k.name.clone()).collect();
            names.insert(key.name.clone());
            self.names = Some(names);
        }
        self.entries.push((key, value));
    }
}

struct Builder<'a> {
    text: &'a str,
    anchors: std::collections::HashMap<usize, Node>,
    stack: Vec<Frame>,
    root: Option<Node>,
    nodes: usize,
    aliases: usize,
    merges: usize,
    scalar_bytes: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Builder {
            text,
            anchors: std::collections::HashMap::new(),
            stack: Vec::new(),
            root: None,
            nodes: 0,
            aliases: 0,
            merges: 0,
            scalar_bytes: 0,
        }
    }

    fn document(mut self) -> Result<Option<Node>, LoadError> {
        let mut options = granit_parser::Options::default();
        options.flow_nesting_limit = MAX_DEPTH;
        options.block_nesting_limit = MAX_DEPTH;
        let mut documents = 0;
        for next in Parser::new_from_str_with_options(self.text, options) {
            let (event, span) = next.map_err(|e| scan_error(&e, self.text))?;
            let span = self.span(&span);
            match event {
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(LoadError::Syntax {
                            message: "a second YAML document in the file".into(),
                            help: "a proposal file holds one document: remove the `---` line and what follows, or move it to its own file".into(),
                            span,
                        });
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.count(span, value.len())?;
                    if let Some(Frame::Map(map)) = self.stack.last_mut()
                        && map.key.is_none()
                    {
                        let key = Key { name: value.into_owned(), span };
                        let is_merge = key.name == "<<" && style == ScalarStyle::Plain;
                        if anchor != 0 {
                            self.anchor(anchor, Node { value: Value::Str(key.name.clone()), span })?;
                        }
                        self.key(key, is_merge)?;
                        continue;
                    }
                    let node = Node { value: resolve(value, style, tag.as_deref()), span };
                    if anchor != 0 {
                        self.anchor(anchor, node.clone())?;
                    }
                    self.value(node)?;
                }
                Event::SequenceStart(_, anchor, _) => {
                    self.open(span)?;
                    self.stack.push(Frame::Seq { items: Vec::new(), span, anchor });
                }
                Event::MappingStart(_, anchor, _) => {
                    self.open(span)?;
                    self.stack.push(Frame::Map(MapFrame::new(span, anchor)));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (node, anchor) = match self.stack.pop() {
                        Some(Frame::Seq { items, span, anchor }) => (Node { value: Value::Seq(items), span }, anchor),
                        Some(Frame::Map(map)) => {
                            let anchor = map.anchor;
                            (Self::close_map(map), anchor)
                        }
                        None => continue,
                    };
                    if anchor != 0 {
                        self.anchor(anchor, node.clone())?;
                    }
                    self.value(node)?;
                }
                Event::Alias(id) => {
                    self.aliases += 1;
                    if self.aliases > MAX_ALIASES {
                        return Err(budget(format!("more than {MAX_ALIASES} aliases"), span));
                    }
                    let Some(target) = self.anchors.get(&id) else {
                        return Err(LoadError::Syntax {
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
                        self.key(key, false)?;
                        continue;
                    }
                    self.value(Node { span, ..target })?;
                }
                Event::StreamEnd => break,
                _ => {}
            }
        }
        Ok(self.root)
    }

    /// A source span from the parser's, in bytes.
    fn span(&self, span: &Span) -> SourceSpan {
        let range = span.byte_range().unwrap_or(0..0);
        let start = range.start.min(self.text.len());
        SourceSpan::from((start, range.end.clamp(start, self.text.len()) - start))
    }

    /// Keeps an anchored node for its aliases.
    fn anchor(&mut self, id: usize, node: Node) -> Result<(), LoadError> {
        if self.anchors.len() >= MAX_ALIASES {
            return Err(budget(format!("more than {MAX_ALIASES} anchors"), node.span));
        }
        self.anchors.insert(id, node);
        Ok(())
    }

    fn open(&mut self, span: SourceSpan) -> Result<(), LoadError> {
        self.count(span, 0)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(budget(format!("nesting deeper than {MAX_DEPTH} levels"), span));
        }
        Ok(())
    }

    fn count(&mut self, span: SourceSpan, bytes: usize) -> Result<(), LoadError> {
        self.nodes += 1;
        self.scalar_bytes += bytes;
        self.check_totals(span)
    }

    fn check_totals(&self, span: SourceSpan) -> Result<(), LoadError> {
        if self.nodes > MAX_NODES {
            Err(budget(format!("more than {MAX_NODES} keys and values (counting what aliases expand to)"), span))
        } else if self.scalar_bytes > MAX_SCALAR_BYTES {
            Err(budget(
                format!("more than {} KiB of text (counting what aliases expand to)", MAX_SCALAR_BYTES / 1024),
                span,
            ))
        } else {
            Ok(())
        }
    }

    /// A mapping's key, read before its value.
    fn key(&mut self, key: Key, is_merge: bool) -> Result<(), LoadError> {
        let Some(Frame::Map(map)) = self.stack.last_mut() else { return Ok(()) };
        if !is_merge && map.has(&key.name) {
            return Err(LoadError::Syntax {
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
    fn value(&mut self, node: Node) -> Result<(), LoadError> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map(map)) => match map.key.take() {
                Some(key) if map.merge => {
                    if !is_mergeable(&node) {
                        return Err(not_mergeable(node.span));
                    }
                    self.merges += 1;
                    if self.merges > MAX_ALIASES {
                        return Err(budget(format!("more than {MAX_ALIASES} merge keys"), key.span));
                    }
                    map.merges.push(node);
                }
                Some(key) => map.push(key, node),
                // A collection or alias as a key.
                None => {
                    return Err(LoadError::Syntax {
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

fn not_mergeable(span: SourceSpan) -> LoadError {
    LoadError::Syntax {
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
fn alias_key(target: &Node, span: SourceSpan) -> Result<String, LoadError> {
    match &target.value {
        Value::Str(s) => Ok(s.clone()),
        Value::Int(i) => Ok(i.to_string()),
        Value::Float(x) => Ok(x.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok("null".into()),
        Value::Seq(_) | Value::Map(_) => Err(LoadError::Syntax {
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

fn budget(message: String, span: SourceSpan) -> LoadError {
    LoadError::Budget { message, span: Some(span) }
}

/// A scalar's value by the YAML 1.2 core schema. Quoted scalars and `!!str`
/// are text; other tags (CloudFormation's `!Ref`, say) do not change it.
fn resolve(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if style != ScalarStyle::Plain || tag.is_some_and(|t| t.is_yaml_core_schema_tag("str")) {
        return Value::Str(text.into_owned());
    }
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = integer(&text) {
        return Value::Int(i);
    }
    if let Some(x) = float(&text) {
        return Value::Float(x);
    }
    Value::Str(text.into_owned())
}

/// `[-+]?[0-9]+` (with `_` between digits), `0x`, `0o` or `0b` numbers.
fn integer(text: &str) -> Option<i128> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match unsigned.get(..2) {
        Some("0x") => (16, &unsigned[2..]),
        Some("0o") => (8, &unsigned[2..]),
        Some("0b") => (2, &unsigned[2..]),
        _ => (10, unsigned),
    };
    let bytes = digits.as_bytes();
    let well_formed = !bytes.is_empty()
        && bytes[0] != b'_'
        && bytes[bytes.len() - 1] != b'_'
        && !digits.contains("__")
        && bytes.iter().all(|&b| b == b'_' || char::from(b).is_digit(radix));
    if !well_formed {
        return None;
    }
    let magnitude = if digits.contains('_') {
        i128::from_str_radix(&digits.replace('_', ""), radix).ok()?
    } else {
        i128::from_str_radix(digits, radix).ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` and `[-+]?.inf`.
fn float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(if text.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && fraction.is_none_or(digits) && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    text.parse::<f64>().ok()
}

fn scan_error(error: &ScanError, text: &str) -> LoadError {
    let marker = error.marker();
    // A `str` input always gives byte offsets.
    let offset = marker.byte_offset().unwrap_or(text.len());
    let span = SourceSpan::from((offset.min(text.len()), 0));
    let message = lowercase_first(error.kind().to_string().trim_end_matches('.'));
    match error.kind() {
        ErrorKind::RecursionLimitExceeded => budget(format!("nesting deeper than {MAX_DEPTH} levels"), span),
        ErrorKind::TabNotAllowed | ErrorKind::TabInBlockIndentation => LoadError::Syntax {
            help: "indent with spaces: YAML does not allow tabs for indentation".into(),
            message,
            span,
        },
        _ => LoadError::Syntax {
            help: "check the indentation and that every `[`, `{` and quote is closed; quote text that contains `: ` or ` #`".into(),
            message,
            span,
        },
    }
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "invalid YAML".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = "name: orders\nworkload:\n  peak_rps: 800\n";
        let root = parse(text).unwrap().unwrap();
        let Value::Map(entries) = root.value else { panic!("not a map") };
        let (key, node) = &entries[1];
        assert_eq!(key.name, "workload");
        let Value::Map(inner) = &node.value else { panic!("not a map") };
        let (k, v) = &inner[0];
        assert_eq!(&text[k.span.offset()..k.span.offset() + k.span.len()], "peak_rps");
        assert_eq!(&text[v.span.offset()..v.span.offset() + v.span.len()], "800");
        assert_eq!(v.value, Value::Int(800));
    }

    fn value(text: &str) -> Value {
        parse(text).unwrap().unwrap().value
    }

    fn only_value(text: &str) -> Value {
        let Value::Map(mut entries) = value(&format!("k: {text}\n")) else { panic!("not a map") };
        entries.remove(0).1.value
    }

    #[test]
    fn scalars_resolve_by_the_yaml_1_2_core_schema() {
        assert_eq!(only_value("800"), Value::Int(800));
        assert_eq!(only_value("-12"), Value::Int(-12));
        assert_eq!(only_value("+7"), Value::Int(7));
        assert_eq!(only_value("1_000_000"), Value::Int(1_000_000));
        assert_eq!(only_value("0x1F"), Value::Int(31));
        assert_eq!(only_value("0o17"), Value::Int(15));
        assert_eq!(only_value("0.25"), Value::Float(0.25));
        assert_eq!(only_value("1e3"), Value::Float(1000.0));
        assert_eq!(only_value("-.inf"), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(only_value(".nan"), Value::Float(x) if x.is_nan()));
        for null in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(only_value(null), Value::Null, "{null:?}");
        }
        assert_eq!(only_value("True"), Value::Bool(true));
        assert_eq!(only_value("false"), Value::Bool(false));
        // YAML 1.1's booleans and units stay text for the loader to explain.
        for text in ["yes", "on", "512MiB", "30s", "1__0", "_1", "1_", "0x", "1.2.3", "e5", "."] {
            assert_eq!(only_value(text), Value::Str(text.into()), "{text:?}");
        }
        // Quoting or `!!str` keeps text; other tags do not change a value.
        assert_eq!(only_value("\"800\""), Value::Str("800".into()));
        assert_eq!(only_value("'true'"), Value::Str("true".into()));
        assert_eq!(only_value("!!str 800"), Value::Str("800".into()));
        assert_eq!(only_value("!Ref 800"), Value::Int(800));
    }

    #[test]
    fn merge_keys_and_aliases_expand() {
        let text = "base: &base { a: 1, b: 2 }\nlist: &l [x, y]\nuse:\n  <<: *base\n  b: 3\ncopy: *l\n";
        let Value::Map(entries) = parse(text).map_err(|e| format!("{e:?}")).unwrap().unwrap().value else {
            panic!("not a map")
        };
        let Value::Map(used) = &entries[2].1.value else { panic!("not a map") };
        let used: Vec<_> = used.iter().map(|(k, v)| (k.name.as_str(), v.value.clone())).collect();
        assert_eq!(used, [("b", Value::Int(3)), ("a", Value::Int(1))], "written keys win over merged ones");
        assert!(matches!(&entries[3].1.value, Value::Seq(items) if items.len() == 2));
        let error = parse("a: &x 1\nb:\n  <<: *x\n").unwrap_err();
        assert!(error.to_string().contains("<<"), "{error}");
    }

    #[test]
    fn duplicate_keys_are_errors_in_short_and_long_mappings() {
        let error = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(error.to_string(), "duplicate key `a`");
        assert_eq!(error.span().map(|s| s.offset()), Some(10));
        let mut long: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        long.push_str("k42: again\n");
        assert_eq!(parse(&long).unwrap_err().to_string(), "duplicate key `k42`");
    }

    #[test]
    fn malformed_shapes_are_errors_with_spans() {
        for (text, expected) in [
            ("a: 1\n---\nb: 2\n", "a second YAML document in the file"),
            ("? [a, b]\n: 1\n", "a list or mapping used as a key"),
            ("a: *missing\n", "unknown anchor"),
            ("a: [1, 2\nb: 3\n", "illegal placement of ':' indicator"),
            ("a: \"open\n", "unclosed quote"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(matches!(error, LoadError::Syntax { .. }), "{text:?}: {error:?}");
            assert!(error.to_string().contains(expected), "{text:?}: {error}");
            let span = error.span().expect("a syntax error has a span");
            assert!(span.offset() > 0 && span.offset() + span.len() <= text.len(), "{text:?}: {span:?}");
        }
    }

    /// A generated document: nested mappings and lists of scalars that
    /// resolve to different kinds.
    fn document() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let scalar = prop::sample::select(vec![
            "1",
            "-3",
            "0.5",
            "1e3",
            "true",
            "False",
            "null",
            "~",
            "yes",
            "on",
            "abc",
            "30s",
            "512MiB",
            "'q'",
            "\"7\"",
            "1_000",
            "0x1f",
            "0o7",
            "-.5",
            "x y",
            "python3.13",
            "2026-11-27",
        ])
        .prop_map(String::from);
        let leaf = scalar.clone();
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(|items| format!("[{}]", items.join(", "))),
                prop::collection::btree_map("[a-e]{1,2}", inner, 0..5).prop_map(|entries| {
                    let body: Vec<String> = entries.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{{{}}}", body.join(", "))
                }),
            ]
        })
    }

    fn to_json(node: &Node) -> serde_json::Value {
        match &node.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => i64::try_from(*i).map_or(serde_json::Value::Null, Into::into),
            Value::Float(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
            Value::Str(s) => s.clone().into(),
            Value::Seq(items) => items.iter().map(to_json).collect(),
            Value::Map(entries) => entries.iter().map(|(k, v)| (k.name.clone(), to_json(v))).collect(),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
            ..Default::default()
        })]

        /// serde-saphyr (over the same parser) is the oracle for values:
        /// both read a generated document the same way. (Non-finite floats
        /// are left out: serde-saphyr refuses `.inf` outright, we read it and
        /// the loader refuses it where a number is expected.)
        #[test]
        fn values_match_serde_saphyr(doc in document()) {
            let text = format!("root: {doc}\n");
            let ours = parse(&text).unwrap().map(|n| to_json(&n)).unwrap_or_default();
            let mut options = serde_saphyr::Options::default();
            options.strict_booleans = true;
            let theirs: serde_json::Value = serde_saphyr::from_str_with_options(&text, options).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{text}: {e}")))?;
            proptest::prop_assert_eq!(ours, theirs, "{}", text);
        }
    }

    #[test]
    fn empty_and_comment_only_documents_have_no_content() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# nothing\n\n").unwrap(), None);
        for text in ["   \n", "---\n", "---\n...\n", "# a\n---\n# b\n", "~\n"] {
            assert_eq!(parse(text).unwrap(), None, "{text:?}");
        }
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(matches!(parse(&text), Err(LoadError::Budget { .. })), "{:?}", parse(&text));
    }

    #[test]
    fn anchors_and_expanded_aliases_are_budgeted() {
        let anchors: String = (0..=MAX_ALIASES).map(|i| format!("k{i}: &a{i} v\n")).collect();
        let error = parse(&anchors).unwrap_err();
        assert!(matches!(&error, LoadError::Budget { .. }) && error.to_string().contains("anchors"), "{error}");
        // Few aliases, but each expands a large list: the node budget stops it.
        let big = format!("big: &big [{}]\n", vec!["x"; 5_000].join(", "));
        let copies: String = (0..5).map(|i| format!("c{i}: *big\n")).collect();
        let error = parse(&format!("{big}{copies}")).unwrap_err();
        assert!(error.to_string().contains("keys and values (counting what aliases expand to)"), "{error}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(parse(&text), Err(LoadError::Budget { .. } | LoadError::Syntax { .. })));
        let mut block = String::new();
        for depth in 0..200 {
            block.push_str(&" ".repeat(depth));
            block.push_str("k:\n");
        }
        assert!(parse(&block).is_err());
    }
}
