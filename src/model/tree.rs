//! YAML (and JSON, which YAML reads too) to a tree of spanned nodes.
//!
//! serde-saphyr parses under a budget (nodes, depth, aliases), so an alias
//! bomb or a deeply nested file is refused before it costs memory or stack.
//! The tree keeps every key's and value's span; the loader turns it into the
//! typed model and reports every error it finds, not only the first.

use std::fmt;

use miette::SourceSpan;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

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

fn options() -> Options {
    let mut options = Options::default();
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ALIASES;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = 1024 * 1024;
    budget.max_recorded_anchor_events = 10_000;
    budget.max_recorded_anchor_bytes = 1024 * 1024;
    budget.max_merge_keys = 100;
    budget.flow_nesting_limit = MAX_DEPTH;
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 10_000;
    options.alias_limits.max_replay_stack_depth = MAX_DEPTH;
    options.alias_limits.max_alias_expansions_per_anchor = MAX_ALIASES;
    options.strict_booleans = true;
    options.with_snippet = false;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options
}

/// Parses a document. `None` for a document with no content at all.
pub fn parse(text: &str) -> Result<Option<Node>, LoadError> {
    if text.trim().is_empty() || only_comments(text) {
        return Ok(None);
    }
    match serde_saphyr::from_str_with_options::<Spanned<RawValue>>(text, options()) {
        Ok(spanned) => {
            let node = into_node(spanned, text);
            Ok(if node.value == Value::Null { None } else { Some(node) })
        }
        Err(error) => Err(yaml_error(&error, text)),
    }
}

fn only_comments(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

fn yaml_error(error: &serde_saphyr::Error, text: &str) -> LoadError {
    let span = error.location().map(|l| location_span(&l, text));
    let message = plain_message(error);
    let lower = message.to_lowercase();
    let is_budget = ["budget", "limit", "exceed", "too many", "depth", "nesting"].iter().any(|w| lower.contains(w));
    if is_budget {
        LoadError::Budget { message: lowercase_first(&message), span }
    } else if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        LoadError::Syntax {
            message: format!("duplicate key `{key}`"),
            help: "each key appears once in a mapping; remove one of them".into(),
            span: span.unwrap_or_else(|| SourceSpan::from((text.len(), 0))),
        }
    } else if lower.contains("tab") {
        LoadError::Syntax {
            help: "indent with spaces: YAML does not allow tabs for indentation".into(),
            message: lowercase_first(&message),
            span: span.unwrap_or_else(|| SourceSpan::from((text.len(), 0))),
        }
    } else {
        LoadError::Syntax {
            help: "check the indentation and that every `[`, `{` and quote is closed; quote text that contains `: ` or ` #`".into(),
            message: lowercase_first(&message),
            span: span.unwrap_or_else(|| SourceSpan::from((text.len(), 0))),
        }
    }
}

/// The error's message without the location suffix that saphyr adds.
fn plain_message(error: &serde_saphyr::Error) -> String {
    let rendered = error.to_string();
    let first_line = rendered.lines().next().unwrap_or_default().trim();
    let cut = first_line.find(" at line ").unwrap_or(first_line.len());
    let message = first_line[..cut].trim_end_matches(['.', ':']).trim();
    if message.is_empty() { "invalid YAML".to_string() } else { message.to_string() }
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn location_span(location: &serde_saphyr::Location, text: &str) -> SourceSpan {
    let span = location.span();
    let offset = span.byte_offset().map(|o| o as usize);
    let len = span.byte_len().map(|l| l as usize).unwrap_or(0);
    let offset = match offset {
        Some(o) => o,
        // No byte offset: find the line and column ourselves.
        None => offset_of(text, location.line() as usize, location.column() as usize),
    };
    let offset = offset.min(text.len());
    let len = len.min(text.len() - offset);
    SourceSpan::from((offset, len))
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + l.char_indices().nth(column.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

fn spanned_span<T>(spanned: &Spanned<T>, text: &str) -> SourceSpan {
    location_span(&spanned.referenced, text)
}

fn into_node(spanned: Spanned<RawValue>, text: &str) -> Node {
    let span = spanned_span(&spanned, text);
    let value = match spanned.value {
        RawValue::Null => Value::Null,
        RawValue::Bool(b) => Value::Bool(b),
        RawValue::Int(i) => Value::Int(i),
        RawValue::Float(x) => Value::Float(x),
        RawValue::Str(s) => Value::Str(s),
        RawValue::Seq(items) => Value::Seq(items.into_iter().map(|i| into_node(i, text)).collect()),
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key { span: spanned_span(&k, text), name: k.value };
                    (key, into_node(v, text))
                })
                .collect(),
        ),
    };
    Node { value, span }
}

/// What serde-saphyr gives us: values with spanned children. Depth is
/// bounded by the budget before this recursion runs.
enum RawValue {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawValue>>),
    Map(Vec<(Spanned<String>, Spanned<RawValue>)>),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(i128::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
        Ok(RawValue::Int(i128::from(v)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
        Ok(RawValue::Int(v))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<RawValue, E> {
        i128::try_from(v).map(RawValue::Int).map_err(|_| E::custom("number too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }
    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<RawValue, E> {
        Err(E::custom("binary values are not accepted in a proposal"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(RawValue::Map(entries))
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

    #[test]
    fn empty_and_comment_only_documents_have_no_content() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# nothing\n\n").unwrap(), None);
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
