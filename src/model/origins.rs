//! Where each value of a model came from: the file, at a span, or a default.

use std::collections::BTreeMap;

use miette::SourceSpan;

use super::limits;

/// Where one value of a model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written in the proposal, at this span.
    Declared(SourceSpan),
    /// Not written: the loader applied a default (AWS's own when `source` is set).
    Default(Option<limits::Source>),
}

/// The origin of every value of a model, by its path (`function.timeout`,
/// `data[0].kind`). Sections are recorded too, with the span of their key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    by_path: BTreeMap<String, Origin>,
}

impl Origins {
    pub fn get(&self, path: &str) -> Option<Origin> {
        self.by_path.get(path).copied()
    }

    pub(crate) fn insert(&mut self, path: String, origin: Origin) {
        self.by_path.insert(path, origin);
    }

    /// The span of the value at `path`, or of the closest enclosing section
    /// that was written, for values that took a default.
    pub fn span_or_parent(&self, path: &str) -> Option<SourceSpan> {
        let mut current = path;
        loop {
            if let Some(Origin::Declared(span)) = self.get(current) {
                return Some(span);
            }
            let cut = current.rfind(['.', '['])?;
            current = &current[..cut];
        }
    }

    /// The span of the value at `path` if it was written.
    pub fn declared_span(&self, path: &str) -> Option<SourceSpan> {
        match self.get(path) {
            Some(Origin::Declared(span)) => Some(span),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, Origin)> {
        self.by_path.iter().map(|(k, v)| (k.as_str(), *v))
    }
}
