//! Hover, completion and go to definition in a policy file, by the word at
//! the cursor and the words before it on its line (so they work while the
//! file does not parse yet).

use lsp_types::{CompletionItem, CompletionItemKind};

use super::docs;
use super::symbols::Symbols;
use super::text::word_at;
use crate::facts::schema::{self, FactType, SCHEMA};
use crate::model::named_enum::EnumType;

fn is_path(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

fn is_id(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

const TYPES: &[&str] = &["bool", "integer", "decimal", "string", "duration", "size", "money", "percent", "vcpu"];
const KEYWORDS: &[(&str, &str)] = &[
    ("policy", "`policy ID: deny|warn|info { ... }` declares a policy"),
    ("param", "`param NAME: TYPE = DEFAULT \"doc\"` declares a value a run can set"),
    ("test", "`test \"name\" { proposal ... given ... expect ... }`: run by `policy test`"),
    ("title", "one line shown with every finding"),
    ("when", "the policy applies only when every `when` holds"),
    ("require", "each `require` that does not hold is one finding"),
    ("else", "the finding's message; `{fact.path}` interpolates"),
    ("help", "how to fix it"),
    ("docs", "why the policy exists"),
    ("tags", "free labels"),
    ("waivable", "`waivable false`: waivers in proposals do not apply"),
    ("implies", "`a implies b` is `not a or b`"),
    ("all", "`all x in LIST: EXPR` holds when EXPR holds for every element"),
    ("any", "`any x in LIST: EXPR` holds when EXPR holds for one element"),
    ("count", "`count(LIST)` or `count(x in LIST: EXPR)`"),
    ("proposal", "the test's base proposal, relative to the policy file"),
    ("given", "`given PATH = VALUE` sets a fact over the proposal's"),
    ("expect", "`expect POLICY-ID: deny|warn|info|pass|skip`"),
];

/// The enum types of the fact schema.
fn enums() -> Vec<&'static EnumType> {
    let mut out: Vec<&'static EnumType> = Vec::new();
    for def in SCHEMA {
        if let FactType::Enum(e) = def.ty
            && !out.iter().any(|x| x.name == e.name)
        {
            out.push(e);
        }
    }
    out
}

/// The fact a path names: a schema path, or a list element's field (`store.kind`).
fn fact(path: &str) -> Option<&'static schema::FactDef> {
    schema::lookup(path).or_else(|| {
        let (_, field) = path.split_once('.')?;
        SCHEMA
            .iter()
            .filter(|d| d.ty == FactType::List)
            .find_map(|list| schema::lookup(&format!("{}[].{field}", list.path)))
    })
}

/// The hover text of the word at `offset`, and its byte range.
pub fn hover(text: &str, offset: usize, symbols: &Symbols) -> Option<(String, (usize, usize))> {
    let (s, e) = word_at(text, offset, is_id);
    if let Some(policy) = symbols.policy(&text[s..e]) {
        return Some((policy.markdown(), (s, e)));
    }
    let (s, e) = word_at(text, offset, is_path);
    let word = &text[s..e];
    // The path up to the end of the segment under the cursor.
    let segment_end = text[offset..e].find('.').map_or(e, |i| offset + i);
    for candidate in [word, &text[s..segment_end]] {
        if let Some(def) = fact(candidate) {
            return Some((docs::fact_markdown(def), (s, e)));
        }
    }
    if let Some(param) = symbols.param(word) {
        return Some((param.markdown(), (s, e)));
    }
    if let Some(e_type) = enums().into_iter().find(|t| t.values.contains(&word)) {
        return Some((format!("`{word}`: a value of enum `{}`", e_type.name), (s, e)));
    }
    KEYWORDS.iter().find(|(k, _)| *k == word).map(|(k, doc)| (format!("**`{k}`**: {doc}"), (s, e)))
}

/// Where the param or policy at `offset` is declared.
pub fn definition<'a>(
    text: &str,
    offset: usize,
    symbols: &'a Symbols,
) -> Option<(&'a crate::SourceFile, miette::SourceSpan)> {
    let (s, e) = word_at(text, offset, is_id);
    if let Some(policy) = symbols.policy(&text[s..e]) {
        return Some((&policy.file, policy.span));
    }
    let (s, e) = word_at(text, offset, is_path);
    symbols.param(&text[s..e]).map(|p| (&p.file, p.span))
}

fn item(label: &str, kind: CompletionItemKind, detail: String) -> CompletionItem {
    CompletionItem { label: label.to_string(), kind: Some(kind), detail: Some(detail), ..CompletionItem::default() }
}

/// Where on its line the cursor is, as the parser reads the line: strings
/// and comments end with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Code,
    Comment,
    /// In a string, outside an interpolation.
    Text,
    /// In `{...}` of a message (`else` or `help`), where facts and params are named.
    Interpolation,
}

/// The place at the end of `before`, the line up to the cursor.
fn place(before: &str) -> Place {
    let mut place = Place::Code;
    let mut message = false;
    let mut chars = before.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (place, c) {
            (Place::Code, '#') => return Place::Comment,
            (Place::Code, '"') => {
                let head = before[..i].trim_end();
                message = head.ends_with("else") || head.ends_with("help");
                place = Place::Text;
            }
            (Place::Text | Place::Interpolation, '\\') => {
                chars.next();
            }
            (Place::Text, '"') | (Place::Interpolation, '"') => place = Place::Code,
            (Place::Text, '{') if message => place = Place::Interpolation,
            (Place::Interpolation, '}') => place = Place::Text,
            _ => {}
        }
    }
    place
}

/// What may be written at `offset`, and the byte range it replaces: nothing
/// in a comment or a string, facts and params in a message's `{...}`.
pub fn completion(text: &str, offset: usize, symbols: &Symbols) -> (Vec<CompletionItem>, (usize, usize)) {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let place = place(before);
    if matches!(place, Place::Comment | Place::Text) {
        return (Vec::new(), (offset, offset));
    }
    let words: Vec<&str> = before.split_whitespace().collect();
    let id_start = word_at(text, offset, is_id).0.max(line_start);
    let path_start = word_at(text, offset, is_path).0.max(line_start);
    let typed_path = &text[path_start..offset];
    match words.first().copied().filter(|_| place == Place::Code) {
        Some("expect") if !before.contains(':') => {
            let items = symbols.policies.iter().map(|p| item(&p.id, CompletionItemKind::REFERENCE, p.severity.clone()));
            return (items.collect(), (id_start, offset));
        }
        Some("expect") => {
            let items = ["deny", "warn", "info", "pass", "skip"]
                .map(|o| item(o, CompletionItemKind::ENUM_MEMBER, "outcome".into()));
            return (items.into(), (path_start, offset));
        }
        Some("param") if before.contains(':') && !before.contains('=') => {
            let enum_types: Vec<&str> = enums().iter().map(|e| e.name).collect();
            let items =
                TYPES.iter().chain(&enum_types).map(|t| item(t, CompletionItemKind::TYPE_PARAMETER, "type".into()));
            return (items.collect(), (path_start, offset));
        }
        Some("policy") if before.contains(':') => {
            let items = ["deny", "warn", "info"].map(|o| item(o, CompletionItemKind::ENUM_MEMBER, "severity".into()));
            return (items.into(), (path_start, offset));
        }
        _ => {}
    }
    if let Some(values) =
        enum_context(&before[..before.len() - typed_path.len()], symbols).filter(|_| place == Place::Code)
    {
        let items =
            values.values.iter().map(|v| item(v, CompletionItemKind::ENUM_MEMBER, format!("`{}` value", values.name)));
        return (items.collect(), (path_start, offset));
    }
    let mut items: Vec<CompletionItem> = SCHEMA
        .iter()
        .filter(|d| !d.path.contains("[]") && d.path.starts_with(typed_path))
        .map(|d| {
            let label = d.path.replace(".*", ".");
            let mut it = item(&label, CompletionItemKind::FIELD, d.ty.name());
            it.documentation = Some(docs::markdown(docs::fact_markdown(d)));
            it
        })
        .collect();
    if !typed_path.contains('.') {
        items.extend(
            symbols.params.iter().map(|p| item(&p.name, CompletionItemKind::VARIABLE, format!("param: {}", p.ty))),
        );
        if place == Place::Code {
            items.extend(KEYWORDS.iter().map(|(k, doc)| item(k, CompletionItemKind::KEYWORD, (*doc).to_string())));
        }
    }
    (items, (path_start, offset))
}

/// After `FACT ==` (or `!=`, `in [`, a list's `,`): the enum type of the fact or param.
fn enum_context(before: &str, symbols: &Symbols) -> Option<&'static EnumType> {
    let trimmed = before.trim_end();
    let lhs_end = if trimmed.ends_with('[') || trimmed.ends_with(',') {
        let open = trimmed.rfind('[')?;
        let head = trimmed[..open].trim_end();
        head.strip_suffix("in").map(|h| h.trim_end().strip_suffix("not").unwrap_or(h).trim_end())?
    } else {
        ["==", "!=", "<=", ">=", "<", ">"].iter().find_map(|op| trimmed.strip_suffix(op))?.trim_end()
    };
    let lhs = &lhs_end[word_at(lhs_end, lhs_end.len(), is_path).0..];
    if let Some(FactType::Enum(e)) = fact(lhs).map(|d| d.ty) {
        return Some(e);
    }
    let ty = &symbols.param(lhs)?.ty;
    enums().into_iter().find(|e| e.name == ty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    const TEXT: &str = "param floor: portability = portable\n\npolicy p-one: warn {\n  require portability >= floor\n}\n\ntest \"t\" {\n  expect p-one: pass\n}\n";

    fn symbols() -> Symbols {
        Symbols::of(&[SourceFile::new("a.policy", TEXT)])
    }

    fn labels(text: &str) -> Vec<String> {
        completion(text, text.len(), &symbols()).0.into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn completes_by_context() {
        assert_eq!(labels("  when observability.tracing in [xray, "), ["xray", "otel", "none"]);
        assert_eq!(labels("  when portability == "), ["aws_native", "portable_compute", "portable"]);
        assert_eq!(labels("  when floor != "), ["aws_native", "portable_compute", "portable"]);
        assert_eq!(labels("  expect p-"), ["p-one"]);
        assert_eq!(labels("  expect p-one: "), ["deny", "warn", "info", "pass", "skip"]);
        assert_eq!(labels("policy x: "), ["deny", "warn", "info"]);
        assert!(labels("param x: ").contains(&"duration".to_string()));
        assert!(labels("param x: ").contains(&"portability".to_string()));
        let workload = labels("  require workload.max_r");
        assert_eq!(workload, ["workload.max_request_duration"]);
        assert!(labels("  require fl").contains(&"floor".to_string()));
    }

    #[test]
    fn a_fact_is_documented_in_markdown_as_its_hover_is() {
        let text = "  require workload.max_r";
        let items = completion(text, text.len(), &symbols()).0;
        let def = SCHEMA.iter().find(|d| d.path == "workload.max_request_duration").unwrap();
        let expected = docs::markdown(docs::fact_markdown(def));
        assert_eq!(items[0].documentation.as_ref(), Some(&expected));
    }

    #[test]
    fn no_completion_in_comments_and_strings_but_in_a_message_interpolation() {
        assert!(labels("  # a comment about workload ").is_empty());
        assert!(labels("  require true # workload.").is_empty());
        assert!(labels("  title \"typing prose ").is_empty());
        assert!(labels("  title \"no {workl").is_empty(), "titles do not interpolate");
        assert!(labels("  docs \"a \\\" quote ").is_empty());
        let message = labels("  require true else \"at {workload.peak");
        assert_eq!(message, ["workload.peak_rps", "workload.peak_concurrency"]);
        let help = labels("  help \"raise {fl");
        assert!(help.contains(&"floor".to_string()) && !help.contains(&"policy".to_string()), "{help:?}");
        assert!(labels("  require true else \"at {workload.peak_rps} and ").is_empty());
        assert!(!labels("  require true else \"done\" ").is_empty(), "after the string, code again");
    }

    #[test]
    fn finds_params_and_policies_of_tests() {
        let symbols = symbols();
        let at = |needle: &str| TEXT.rfind(needle).unwrap() + 1;
        let (_, span) = definition(TEXT, at("p-one: pass"), &symbols).unwrap();
        assert_eq!(&TEXT[span.offset()..span.offset() + span.len()], "p-one");
        assert_eq!(span.offset(), TEXT.find("p-one").unwrap());
        let (_, span) = definition(TEXT, at("floor\n}"), &symbols).unwrap();
        assert_eq!(span.offset(), TEXT.find("floor").unwrap());
        let (markdown, _) = hover(TEXT, at("portability >="), &symbols).unwrap();
        assert!(markdown.starts_with("**fact `portability`**: ordered enum `portability`"), "{markdown}");
        let text = "require all s in data: s.kind == rds";
        let (markdown, _) = hover(text, text.find("s.kind").unwrap() + 3, &symbols).unwrap();
        assert!(markdown.starts_with("**fact `data[].kind`**"), "{markdown}");
    }
}
