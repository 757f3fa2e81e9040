//! The spanned tree to typed sections: the decoder every reader of a
//! proposal uses (the loader, and later the template importer).
//!
//! A [`Section`] is a mapping being read. The keys a reader asks for are the
//! section's keys: an unread key is reported as unknown with the closest
//! asked one, so the list of a section's keys is stated once, by reading it.

mod queue;
mod sections;
mod value;

use miette::SourceSpan;

pub use sections::{MAX_DATA_STORES, MAX_TAGS, MAX_WAIVERS};
pub use value::FromNode;

use super::err::LoadError;
use super::limits::Source;
use super::origins::{Origin, Origins};
use super::validate::Validator;
use crate::suggest;
use crate::yaml::{Key, Node, Value};

/// Reads sections, collecting every error and the origin of every value.
#[derive(Default)]
pub struct Decoder {
    pub errors: Vec<LoadError>,
    pub origins: Origins,
    /// When set, each finished section's path and keys are recorded here
    /// (see [`catalogue`]).
    catalogue: Option<Vec<(String, Vec<&'static str>)>>,
}

/// A mapping being read: which keys were taken, and which keys it has.
pub struct Section<'a> {
    pub path: String,
    /// Where to point when a key is missing: the section's key, or the document start.
    pub span: SourceSpan,
    pub entries: &'a [(Key, Node)],
    used: Vec<bool>,
    /// The keys asked for, in order: the section's keys.
    known: Vec<&'static str>,
}

impl<'a> Section<'a> {
    /// The entry of `key`, which becomes one of the section's keys.
    pub fn take(&mut self, key: &'static str) -> Option<&'a (Key, Node)> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        self.take_unlisted(key)
    }

    /// The entry of `key`, marked read but not listed among the section's
    /// keys: a key that is reported by its own error (another pattern's component).
    pub fn take_unlisted(&mut self, key: &str) -> Option<&'a (Key, Node)> {
        let index = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[index] = true;
        Some(&self.entries[index])
    }

    /// Lists keys the section has that were not asked for this time.
    pub fn also_known(&mut self, keys: impl IntoIterator<Item = &'static str>) {
        for key in keys {
            if !self.known.contains(&key) {
                self.known.push(key);
            }
        }
    }

    /// Marks every entry read (a free-form mapping such as `tags`).
    pub fn take_all(&mut self) {
        self.used.iter_mut().for_each(|u| *u = true);
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.name == key)
    }

    pub fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }

    fn describe(&self) -> String {
        if self.path.is_empty() { "the proposal".into() } else { format!("`{}`", self.path) }
    }
}

/// Every section of a proposal with the keys its reader asks for, found by
/// reading a document that opens every section with no keys in it. The
/// JSON Schema and docs/model.md are tested against it.
pub fn catalogue(read: impl FnOnce(&mut Decoder)) -> Vec<(String, Vec<&'static str>)> {
    let mut decoder = Decoder { catalogue: Some(Vec::new()), ..Decoder::default() };
    read(&mut decoder);
    let mut sections = decoder.catalogue.unwrap_or_default();
    sections.sort();
    sections.dedup();
    sections
}

impl Decoder {
    pub fn error(&mut self, error: LoadError) {
        self.errors.push(error);
    }

    /// The checks of [`super::validate`], reporting into this decoder.
    pub fn validator(&mut self) -> Validator<'_> {
        Validator::new(&self.origins, &mut self.errors)
    }

    /// Opens `node` as a mapping.
    pub fn section<'a>(&mut self, node: &'a Node, path: &str, key_span: SourceSpan) -> Option<Section<'a>> {
        match &node.value {
            Value::Map(entries) => Some(Section {
                path: path.to_string(),
                span: key_span,
                entries,
                used: vec![false; entries.len()],
                known: Vec::new(),
            }),
            _ => {
                let name = if path.is_empty() { "the proposal".to_string() } else { format!("`{path}`") };
                self.error(LoadError::WrongType {
                    what: name.clone(),
                    expected: "a mapping of keys".into(),
                    found: node.value.describe(),
                    span: node.span,
                    help: format!("{name} holds keys, one per line, indented under it"),
                });
                None
            }
        }
    }

    /// Reports keys that were not read, with the closest of the section's keys.
    pub fn finish(&mut self, section: Section<'_>) {
        if let Some(catalogue) = &mut self.catalogue {
            // `data[0]` and `data[1]` are one section.
            let path = section.path.split('[').next().unwrap_or_default().to_string();
            catalogue.push((path, section.known.clone()));
        }
        let known = &section.known;
        for ((key, _), used) in section.entries.iter().zip(&section.used) {
            if *used || known.contains(&key.name.as_str()) {
                continue;
            }
            let accepted = format!("{} accepts {}", section.describe(), suggest::one_of(known));
            let help = match suggest::did_you_mean(&key.name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? {accepted}"),
                None => accepted,
            };
            self.error(LoadError::UnknownKey {
                key: key.name.clone(),
                section: section.describe(),
                span: key.span,
                help,
            });
        }
    }

    /// Decodes `node`, recording its origin at `path`.
    pub fn decode<T: FromNode>(&mut self, path: String, key: &str, node: &Node) -> Option<T> {
        match T::from_node(node, key) {
            Ok(value) => {
                // A list's items too (`cors.allow_methods[2]`), so a check can point at one.
                if let Value::Seq(items) = &node.value {
                    for (i, item) in items.iter().enumerate() {
                        self.origins.insert(format!("{path}[{i}]"), Origin::Declared(item.span));
                    }
                }
                self.origins.insert(path, Origin::Declared(node.span));
                Some(value)
            }
            Err(error) => {
                self.error(error);
                None
            }
        }
    }

    fn missing(&mut self, section: &Section<'_>, key: &str, example: &str) {
        // A misspelled key is reported once, as unknown with "did you mean".
        let misspelled = section
            .entries
            .iter()
            .zip(&section.used)
            .any(|((k, _), used)| !used && suggest::did_you_mean(&k.name, [key]).is_some());
        if misspelled {
            return;
        }
        self.error(LoadError::MissingKey {
            key: key.to_string(),
            section: section.describe(),
            span: section.span,
            help: format!("add `{key}: {example}`"),
        });
    }

    /// A key that must be written.
    pub fn required<T: FromNode>(&mut self, section: &mut Section<'_>, key: &'static str, example: &str) -> Option<T> {
        let path = section.child_path(key);
        match section.take(key) {
            Some((_, node)) if node.value != Value::Null => self.decode(path.clone(), &path, node),
            _ => {
                self.missing(section, key, example);
                None
            }
        }
    }

    /// Text that must be written and say something: a number, a bool or
    /// blank text is refused (a waiver's reason and approver, say). Blank
    /// includes invisible characters ([`crate::untrusted::is_blank`]): a
    /// zero-width space approves nothing.
    pub fn required_text(&mut self, section: &mut Section<'_>, key: &'static str, example: &str) -> Option<String> {
        self.text(section, key, example, false)
    }

    /// A name: text that says something, where a number or a bool is read
    /// as the text it is written as (`name: 2024`).
    pub fn required_name(&mut self, section: &mut Section<'_>, key: &'static str, example: &str) -> Option<String> {
        self.text(section, key, example, true)
    }

    fn text(&mut self, section: &mut Section<'_>, key: &'static str, example: &str, scalars: bool) -> Option<String> {
        let path = section.child_path(key);
        let node = match section.take(key) {
            Some((_, node)) if node.value != Value::Null => node,
            _ => {
                self.missing(section, key, example);
                return None;
            }
        };
        match &node.value {
            Value::Str(text) if !crate::untrusted::is_blank(text) => self.decode(path.clone(), &path, node),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) if scalars => self.decode(path.clone(), &path, node),
            Value::Str(_) => {
                self.error(LoadError::BlankText { key: path, span: node.span, example: example.to_string() });
                None
            }
            other => {
                self.error(LoadError::WrongType {
                    what: format!("`{path}`"),
                    expected: "text".into(),
                    found: other.describe(),
                    span: node.span,
                    help: format!("write it as quoted text, e.g. `{key}: {example}`"),
                });
                None
            }
        }
    }

    /// A key with a default.
    pub fn optional<T: FromNode>(
        &mut self,
        section: &mut Section<'_>,
        key: &'static str,
        default: T,
        source: Option<Source>,
    ) -> Option<T> {
        let path = section.child_path(key);
        match section.take(key) {
            Some((_, node)) if node.value != Value::Null => self.decode(path.clone(), &path, node),
            _ => {
                self.origins.insert(path, Origin::Default(source));
                Some(default)
            }
        }
    }

    /// A key that may be left out, with no default: `Some(None)` when absent.
    pub fn maybe<T: FromNode>(&mut self, section: &mut Section<'_>, key: &'static str) -> Option<Option<T>> {
        let path = section.child_path(key);
        match section.take(key) {
            Some((_, node)) if node.value != Value::Null => self.decode(path.clone(), &path, node).map(Some),
            _ => Some(None),
        }
    }

    /// A nested section that must be written.
    pub fn required_section<'a>(
        &mut self,
        parent: &mut Section<'a>,
        key: &'static str,
        example: &str,
    ) -> Option<Section<'a>> {
        let path = parent.child_path(key);
        match parent.take(key) {
            Some((k, node)) if node.value != Value::Null => {
                self.origins.insert(path.clone(), Origin::Declared(k.span));
                self.section(node, &path, k.span)
            }
            _ => {
                self.missing(parent, key, example);
                None
            }
        }
    }

    /// A nested section that may be left out. `Some(None)` when absent.
    pub fn optional_section<'a>(&mut self, parent: &mut Section<'a>, key: &'static str) -> Option<Option<Section<'a>>> {
        let path = parent.child_path(key);
        match parent.take(key) {
            Some((k, node)) if node.value != Value::Null => {
                self.origins.insert(path.clone(), Origin::Declared(k.span));
                self.section(node, &path, k.span).map(Some)
            }
            _ => Some(None),
        }
    }
}
