//! The requests an editor makes of an open document: hover, completion,
//! go to definition, formatting (through `policy fmt`'s code) and quick
//! fixes (every did-you-mean of the document's diagnostics).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionTextEdit, Diagnostic, Hover,
    HoverContents, Location, MarkupContent, MarkupKind, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::symbols::Symbols;
use super::text::LineIndex;
use super::workspace::{Kind, Workspace};
use super::{policy_doc, proposal_doc, uri};

impl Workspace {
    /// The params and policies a document can use: for a policy file, those
    /// of the files it is checked with ([`Workspace::companions`]), its own
    /// as it last parsed while an edit does not; for a proposal, the
    /// workspace's set.
    pub fn symbols(&self, doc: &Uri) -> Symbols {
        if Kind::of(doc) != Kind::Policy {
            return self.symbols_of(&self.sources().unwrap_or_default());
        }
        let companions = self.companions(doc);
        let (files, here) = (&companions.files, companions.here);
        let mut symbols = self.symbols_of(files);
        if !symbols.parsed(files[here].name())
            && let Some(last) = self.last_parsed(doc)
        {
            // Declared where they were when it last parsed (the file under the document's URI).
            symbols.params.extend(last.params.iter().cloned());
            symbols.policies.extend(last.policies.iter().cloned());
        }
        symbols
    }

    pub fn hover(&self, doc: &Uri, position: Position) -> Option<Hover> {
        let text = self.text(doc)?;
        let index = LineIndex::new(text, self.encoding);
        let offset = index.offset(position);
        let symbols = self.symbols(doc);
        let (markdown, (s, e)) = match Kind::of(doc) {
            Kind::Policy => policy_doc::hover(text, offset, &symbols)?,
            Kind::Proposal => proposal_doc::hover(text, offset, &symbols)?,
            Kind::Config | Kind::Other => return None,
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
            range: Some(Range::new(index.position(s), index.position(e))),
        })
    }

    pub fn completion(&self, doc: &Uri, position: Position) -> Vec<CompletionItem> {
        let Some(text) = self.text(doc) else { return Vec::new() };
        let index = LineIndex::new(text, self.encoding);
        let offset = index.offset(position);
        let symbols = self.symbols(doc);
        let (mut items, (s, e)) = match Kind::of(doc) {
            Kind::Policy => policy_doc::completion(text, offset, &symbols),
            Kind::Proposal => proposal_doc::completion(text, offset, &symbols),
            Kind::Config | Kind::Other => return Vec::new(),
        };
        // Replace what was typed (a dotted path is one word here, not to the editor).
        let range = Range::new(index.position(s), index.position(e));
        for item in &mut items {
            let new_text = item.insert_text.take().unwrap_or_else(|| item.label.clone());
            item.text_edit = Some(CompletionTextEdit::Edit(TextEdit { range, new_text }));
        }
        items
    }

    pub fn definition(&self, doc: &Uri, position: Position) -> Option<Location> {
        let text = self.text(doc)?;
        let offset = LineIndex::new(text, self.encoding).offset(position);
        let symbols = self.symbols(doc);
        let (file, span) = match Kind::of(doc) {
            Kind::Policy => policy_doc::definition(text, offset, &symbols)?,
            Kind::Proposal => proposal_doc::definition(text, offset, &symbols)?,
            Kind::Config | Kind::Other => return None,
        };
        // Never a file that is not there: the embedded standard pack, when its
        // files are not in the workspace, has no place to go to.
        let on_disk = |name: &str| {
            let path = std::path::Path::new(name);
            (path.is_absolute() && path.is_file()).then(|| uri::from_path(path)).flatten()
        };
        let target = self.policy_uri(file.name()).or_else(|| on_disk(file.name())).or_else(|| {
            // The document itself (its symbols may be from its last parse).
            (file.name() == doc.as_str() || uri::to_path(doc).is_some_and(|p| p.display().to_string() == file.name()))
                .then(|| doc.clone())
        })?;
        let index = LineIndex::new(file.text(), self.encoding);
        Some(Location::new(target, index.range(span)))
    }

    /// The document formatted as `policy fmt` would; none if it does not parse.
    pub fn formatting(&self, doc: &Uri) -> Option<Vec<TextEdit>> {
        let text = self.text(doc)?;
        if Kind::of(doc) != Kind::Policy {
            return None;
        }
        let formatted = crate::policy::format_source(text).ok()?;
        if formatted == text {
            return Some(Vec::new());
        }
        Some(vec![TextEdit { range: LineIndex::new(text, self.encoding).whole(), new_text: formatted }])
    }
}

/// A quick fix for each diagnostic with a did-you-mean (its `data`).
pub fn quick_fixes(doc: &Uri, diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let replace = d.data.as_ref()?.get("replace")?.as_str()?.to_string();
            let edit = TextEdit { range: d.range, new_text: replace.clone() };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("change to `{replace}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(doc.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}
