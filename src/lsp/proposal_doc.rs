//! Hover, completion and go to definition in a proposal: keys by their
//! section (`function.timeout`), from the spanned YAML tree for hover and
//! definition, and from the lines before the cursor for completion (the
//! text being typed rarely parses).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use lsp_types::{CompletionItem, CompletionItemKind};

use super::docs;
use super::symbols::Symbols;
use super::text::word_at;
use crate::yaml::{Node, Value};

/// The key or value at a byte offset: its key path (`function.timeout`;
/// a list's elements are its section), and the range of the key or value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub path: String,
    pub on_key: bool,
    pub range: (usize, usize),
    /// The scalar's text, for a value.
    pub value: Option<String>,
}

/// What is at `offset` in a proposal that parses.
pub fn at(text: &str, offset: usize) -> Option<At> {
    let root = crate::yaml::parse(text).ok()??;
    find(&root, "", offset)
}

fn find(node: &Node, path: &str, offset: usize) -> Option<At> {
    match &node.value {
        Value::Map(entries) => entries.iter().find_map(|(key, value)| {
            let child = if path.is_empty() { key.name.clone() } else { format!("{path}.{}", key.name) };
            let (ks, kl) = (key.span.offset(), key.span.len());
            if (ks..=ks + kl).contains(&offset) {
                return Some(At { path: child, on_key: true, range: (ks, ks + kl), value: None });
            }
            find(value, &child, offset)
        }),
        Value::Seq(items) => items.iter().find_map(|item| find(item, path, offset)),
        scalar => {
            let (s, l) = (node.span.offset(), node.span.len());
            (s..=s + l).contains(&offset).then(|| At {
                path: path.to_string(),
                on_key: false,
                range: (s, s + l),
                value: match scalar {
                    Value::Str(v) => Some(v.clone()),
                    _ => None,
                },
            })
        }
    }
}

/// The hover text at `offset`.
pub fn hover(text: &str, offset: usize, symbols: &Symbols) -> Option<(String, (usize, usize))> {
    let at = at(text, offset)?;
    if !at.on_key && at.path == "waivers.policy" {
        let policy = symbols.policy(at.value.as_deref()?)?;
        return Some((policy.markdown(), at.range));
    }
    docs::key_markdown(&at.path).map(|md| (md, at.range))
}

/// Where the policy a waiver names is declared.
pub fn definition<'a>(
    text: &str,
    offset: usize,
    symbols: &'a Symbols,
) -> Option<(&'a crate::SourceFile, miette::SourceSpan)> {
    let at = at(text, offset)?;
    let policy = symbols.policy(at.value.as_deref().filter(|_| at.path == "waivers.policy")?)?;
    Some((&policy.file, policy.span))
}

/// Each section's keys, from the readers ([`crate::load::key_catalogue`]).
fn sections() -> &'static BTreeMap<String, Vec<&'static str>> {
    static SECTIONS: OnceLock<BTreeMap<String, Vec<&'static str>>> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        let mut out: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
        for (section, keys) in crate::load::key_catalogue() {
            let known = out.entry(section).or_default();
            known.extend(keys.into_iter().filter(|k| !known.contains(k)).collect::<Vec<_>>());
        }
        out
    })
}

fn indent_of(line: &str) -> (usize, &str) {
    let trimmed = line.trim_start_matches(' ');
    let mut indent = line.len() - trimmed.len();
    let mut content = trimmed;
    while let Some(rest) = content.strip_prefix("- ") {
        let rest_trimmed = rest.trim_start_matches(' ');
        indent += 2 + rest.len() - rest_trimmed.len();
        content = rest_trimmed;
    }
    (indent, content)
}

/// The section (as key names) the cursor's line is in, by indentation, and
/// the text of the line after its indentation.
fn block_section(text: &str, line_start: usize) -> (Vec<String>, usize) {
    let (mut indent, _) =
        indent_of(&text[line_start..text[line_start..].find('\n').map_or(text.len(), |i| line_start + i)]);
    let mut keys = Vec::new();
    for line in text[..line_start].lines().rev() {
        let (i, content) = indent_of(line);
        let content = content.split(" #").next().unwrap_or(content).trim_end();
        if content.is_empty() || content.starts_with('#') || i >= indent {
            continue;
        }
        if let Some(key) = content.strip_suffix(':') {
            keys.push(key.trim().to_string());
            indent = i;
        }
        if i == 0 {
            break;
        }
    }
    keys.reverse();
    (keys, indent)
}

/// The keys already written in the block mapping of the line at
/// `line_start` (same indentation, up to a line indented less or a new list
/// item), the line itself left out: they are not offered again.
fn block_siblings(text: &str, line_start: usize) -> Vec<&str> {
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let (indent, _) = indent_of(&text[line_start..line_end]);
    fn key_of(line: &str) -> Option<(usize, Option<&str>, bool)> {
        let (i, content) = indent_of(line);
        let content = content.split(" #").next().unwrap_or(content).trim_end();
        if content.is_empty() || content.starts_with('#') {
            return None;
        }
        let item = line.trim_start().starts_with("- ");
        Some((i, content.split_once(':').map(|(k, _)| k.trim()), item))
    }
    let mut keys = Vec::new();
    for line in text[..line_start].lines().rev() {
        let Some((i, key, item)) = key_of(line) else { continue };
        if i < indent {
            break;
        }
        if i == indent {
            keys.extend(key);
            if item {
                break;
            }
        }
    }
    for line in text[line_end..].lines().skip(1) {
        let Some((i, key, item)) = key_of(line) else { continue };
        if i < indent || (i == indent && item) {
            break;
        }
        if i == indent {
            keys.extend(key);
        }
    }
    keys
}

/// What may be written at `offset`: keys of the section, or a key's values.
pub fn completion(text: &str, offset: usize, symbols: &Symbols) -> (Vec<CompletionItem>, (usize, usize)) {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if in_comment_or_string(before) {
        return (Vec::new(), (offset, offset));
    }
    let (mut section, _) = block_section(text, line_start);
    // Flow mappings on this line: `workload: { peak_rps: 5, |`.
    let mut scope = indent_of(before).1;
    let mut flow = None;
    while let Some(open) = scope.find('{') {
        if let Some(key) = scope[..open].trim_end().strip_suffix(':') {
            section.push(key.rsplit([',', '{', ' ']).next().unwrap_or(key).trim().to_string());
        }
        scope = &scope[open + 1..];
        flow = Some(offset - scope.len());
    }
    // Keys the mapping holds already, before and after the cursor.
    let written: Vec<&str> = match flow {
        Some(open) => {
            let end = text[offset..].find(['}', '\n']).map_or(text.len(), |i| offset + i);
            text[open..end].split(',').filter_map(|entry| entry.split_once(':')).map(|(k, _)| k.trim()).collect()
        }
        None => block_siblings(text, line_start),
    };
    let scope = scope.rsplit(',').next().unwrap_or(scope).trim_start();
    let start =
        word_at(text, offset, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.').0.max(line_start);
    let section_path = section.join(".");
    if let Some((key, _)) = scope.split_once(':') {
        let path =
            if section_path.is_empty() { key.trim().to_string() } else { format!("{section_path}.{}", key.trim()) };
        return (values(&path, symbols), (start, offset));
    }
    let items = sections()
        .get(&section_path)
        .into_iter()
        .flatten()
        .filter(|key| !written.contains(key))
        .map(|key| {
            let path = if section_path.is_empty() { (*key).to_string() } else { format!("{section_path}.{key}") };
            let doc = docs::key(&path);
            CompletionItem {
                label: (*key).to_string(),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: doc.and_then(|d| d.description.clone()),
                documentation: docs::key_markdown(&path).map(docs::markdown),
                insert_text: Some(format!("{key}: ")),
                ..CompletionItem::default()
            }
        })
        .collect();
    (items, (start, offset))
}

/// Whether the end of `before` (a line up to the cursor) is in a YAML
/// comment or a quoted scalar, where no key or value is offered.
fn in_comment_or_string(before: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = before.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '#') if previous.is_whitespace() => return true,
            (None, '"' | '\'') if previous.is_whitespace() || matches!(previous, ':' | '[' | '{' | ',' | '-') => {
                quote = Some(c);
            }
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        previous = c;
    }
    quote.is_some()
}

fn values(path: &str, symbols: &Symbols) -> Vec<CompletionItem> {
    let names: Vec<String> = if path == "waivers.policy" {
        symbols.policies.iter().map(|p| p.id.clone()).collect()
    } else {
        docs::key(path).map(|d| d.values.clone()).unwrap_or_default()
    };
    names
        .into_iter()
        .map(|v| CompletionItem { label: v, kind: Some(CompletionItemKind::ENUM_MEMBER), ..CompletionItem::default() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        completion(text, text.len(), &Symbols::default()).0.into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn completes_keys_of_block_flow_and_list_sections() {
        assert!(labels("name: x\nworkload: { peak_rps: 5, ").contains(&"max_request_duration".to_string()));
        assert!(labels("gateway:\n  throttle: { ").contains(&"burst".to_string()));
        let waiver = labels("waivers:\n  - policy: x\n    ");
        assert!(waiver.contains(&"expires".to_string()) && !waiver.contains(&"peak_rps".to_string()), "{waiver:?}");
        assert!(labels("").contains(&"pattern".to_string()));
        // Every pattern of the registry, in its order.
        use crate::model::NamedEnum;
        let names: Vec<String> = crate::model::Pattern::ALL.iter().map(|p| p.name().to_string()).collect();
        assert_eq!(labels("pattern: "), names);
        assert_eq!(&names[..2], ["lambda_api_gateway", "fargate_alb"]);
        assert_eq!(labels("queue:\n  type: "), ["standard", "fifo"]);
        assert!(labels("queue:\n  ").contains(&"visibility_timeout".to_string()));
        assert_eq!(labels("workload:\n  response: "), ["sync", "async"]);
        // A new component's keys and values come from the JSON Schema, as every other's.
        assert!(labels("function_url:\n  ").contains(&"invoke_mode".to_string()));
        assert_eq!(labels("function_url:\n  invoke_mode: "), ["buffered", "response_stream"]);
        assert!(labels("function_url:\n  cors: { ").contains(&"allow_origins".to_string()));
        assert_eq!(labels("data:\n  - kind: "), ["rds", "aurora", "dynamodb", "s3", "elasticache", "opensearch"]);
    }

    #[test]
    fn no_key_twice_in_a_block_mapping_or_a_list_item() {
        let text = "name: x\nfunction:\n  runtime: python3.13\n  \n  memory: 512MiB\nworkload: { peak_rps: 5 }\n";
        let cursor = text.find("  \n").unwrap() + 2;
        let keys: Vec<String> = completion(text, cursor, &Symbols::default()).0.into_iter().map(|i| i.label).collect();
        assert!(!keys.contains(&"runtime".to_string()) && !keys.contains(&"memory".to_string()), "{keys:?}");
        assert!(keys.contains(&"timeout".to_string()), "{keys:?}");
        // Each key documented in Markdown, as its hover is.
        let timeout = completion(text, cursor, &Symbols::default()).0.into_iter().find(|i| i.label == "timeout");
        let expected = docs::key_markdown("function.timeout").map(docs::markdown);
        assert!(expected.is_some());
        assert_eq!(timeout.and_then(|i| i.documentation), expected);
        // Top level: what is written anywhere at column 0.
        let top = labels("name: x\nworkload: { peak_rps: 5 }\n");
        assert!(!top.contains(&"name".to_string()) && !top.contains(&"workload".to_string()), "{top:?}");
        assert!(top.contains(&"pattern".to_string()), "{top:?}");
        // A list item holds its own keys; the item before it does not count.
        let waiver = labels("waivers:\n  - policy: x\n    reason: y\n  - policy: z\n    ");
        assert!(!waiver.contains(&"policy".to_string()) && waiver.contains(&"reason".to_string()), "{waiver:?}");
    }

    #[test]
    fn no_completion_in_comments_or_quoted_text_and_no_key_twice_in_a_flow_mapping() {
        assert!(labels("name: x  # typing prose here ").is_empty());
        assert!(labels("# workload: ").is_empty());
        assert!(labels("name: \"my service ").is_empty());
        assert!(labels("waivers:\n  - reason: 'because it ").is_empty());
        assert!(!labels("name: \"x\"\n").is_empty(), "after a closed string, keys again");
        let flow = labels("workload: { peak_rps: 5, avg_duration: 1s, ");
        assert!(!flow.contains(&"peak_rps".to_string()) && !flow.contains(&"avg_duration".to_string()), "{flow:?}");
        assert!(flow.contains(&"max_request_duration".to_string()), "{flow:?}");
        let text = "workload: { , requests_per_month: 5 }\n";
        let after: Vec<String> =
            completion(text, text.find(',').unwrap() - 1, &Symbols::default()).0.into_iter().map(|i| i.label).collect();
        assert!(!after.contains(&"requests_per_month".to_string()), "{after:?}");
    }

    #[test]
    fn finds_keys_in_flow_mappings_and_lists() {
        let text = "workload: { peak_rps: 5 }\ndata:\n  - { kind: rds, proxy: true }\n";
        let on = |needle: &str| at(text, text.find(needle).unwrap() + 1).unwrap();
        assert_eq!(on("peak_rps").path, "workload.peak_rps");
        assert!(on("peak_rps").on_key);
        assert_eq!(on("proxy").path, "data.proxy");
        assert_eq!(on("rds").path, "data.kind");
        assert!(!on("rds").on_key);
        let markdown = docs::key_markdown("load_balancer.idle_timeout").unwrap();
        assert!(
            markdown.contains("4000") && markdown.contains("docs.aws.amazon.com/elasticloadbalancing"),
            "{markdown}"
        );
    }
}
