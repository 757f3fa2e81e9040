//! The params and policies the workspace declares, read from each file
//! that parses (a file with a type error still declares its names), with
//! where each is declared: for hover, completion and go to definition.

use miette::SourceSpan;

use crate::policy::ast::{Item, Message};
use crate::policy::expr_to_string;
use crate::source::SourceFile;

/// A declared param.
#[derive(Debug, Clone)]
pub struct ParamSymbol {
    pub name: String,
    pub ty: String,
    pub default: String,
    pub doc: Option<String>,
    pub file: SourceFile,
    pub span: SourceSpan,
}

/// A declared policy.
#[derive(Debug, Clone)]
pub struct PolicySymbol {
    pub id: String,
    pub severity: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub help: Option<String>,
    /// The components whose facts it reads (`function`, `gateway`, ...).
    pub reads: Vec<String>,
    /// The patterns it applies to, once its set has checked it.
    pub applies_to: Option<Vec<String>>,
    pub file: SourceFile,
    pub span: SourceSpan,
}

/// Every param and policy of the files.
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    pub params: Vec<ParamSymbol>,
    pub policies: Vec<PolicySymbol>,
    /// The names of the files that parsed.
    pub parsed: Vec<String>,
}

impl Symbols {
    pub fn of(files: &[SourceFile]) -> Symbols {
        Symbols::of_parsed(files, &mut crate::policy::ParseCache::default())
    }

    /// Whether the file `name` parsed (its symbols are its own, not the last parse's).
    pub fn parsed(&self, name: &str) -> bool {
        self.parsed.iter().any(|n| n == name)
    }

    /// As [`Symbols::of`], parsing through `cache`.
    pub fn of_parsed(files: &[SourceFile], cache: &mut crate::policy::ParseCache) -> Symbols {
        let mut symbols = Symbols::default();
        for file in files {
            let Ok(ast) = cache.parse(file.text()) else { continue };
            symbols.parsed.push(file.name().to_string());
            for item in &ast.items {
                match item {
                    Item::Param(p) => symbols.params.push(ParamSymbol {
                        name: p.name.name.clone(),
                        ty: p.ty.name.clone(),
                        default: expr_to_string(&p.default),
                        doc: p.doc.as_ref().map(Message::template),
                        file: file.clone(),
                        span: p.name.span,
                    }),
                    Item::Policy(p) => symbols.policies.push(PolicySymbol {
                        id: p.id.name.clone(),
                        severity: p.severity.to_string(),
                        title: p.title().map(Message::template),
                        docs: p.docs().map(Message::template),
                        help: p.help().map(Message::template),
                        reads: crate::policy::components_read(p)
                            .iter()
                            .map(|c| crate::model::NamedEnum::name(*c).to_string())
                            .collect(),
                        applies_to: None,
                        file: file.clone(),
                        span: p.id.span,
                    }),
                    Item::Test(_) => {}
                }
            }
        }
        symbols
    }

    pub fn param(&self, name: &str) -> Option<&ParamSymbol> {
        self.params.iter().find(|p| p.name == name)
    }

    pub fn policy(&self, id: &str) -> Option<&PolicySymbol> {
        self.policies.iter().find(|p| p.id == id)
    }
}

impl ParamSymbol {
    /// Hover text in Markdown.
    pub fn markdown(&self) -> String {
        let mut text = format!("**param `{}`**: `{}` = `{}`", self.name, self.ty, self.default);
        if let Some(doc) = &self.doc {
            text.push_str(&format!("\n\n{doc}"));
        }
        text.push_str(&format!("\n\nSet it with `--param {}=VALUE` or `params:` in `.archpolicy.yaml`.", self.name));
        text
    }
}

impl PolicySymbol {
    /// Hover text in Markdown.
    pub fn markdown(&self) -> String {
        let mut text = format!("**policy `{}`** ({})", self.id, self.severity);
        if let Some(title) = &self.title {
            text.push_str(&format!("\n\n{title}"));
        }
        if let Some(docs) = &self.docs {
            text.push_str(&format!("\n\n{docs}"));
        }
        if let Some(help) = &self.help {
            text.push_str(&format!("\n\n*Fix:* {help}"));
        }
        if let Some(patterns) = &self.applies_to {
            text.push_str(&format!("\n\nApplies to: {}", quoted_list(patterns)));
        }
        if !self.reads.is_empty() {
            text.push_str(&format!("\n\nReads: {}", quoted_list(&self.reads)));
        }
        text
    }
}

/// `` `a`, `b` `` or `none`.
fn quoted_list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}
