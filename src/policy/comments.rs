//! Comments, which the AST does not hold, placed back when formatting: each
//! comment is attached to the item or clause it sits before or beside, so
//! `policy fmt` keeps every one of them.

use std::collections::BTreeMap;

use super::ast::*;

/// A `#` comment of the source, with its byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Comment {
    offset: usize,
    text: String,
    /// Nothing but whitespace before it on its line.
    own_line: bool,
}

/// Where an item or clause is: `(item, clause)`; `clause` is `None` for the item itself.
pub(crate) type Anchor = (usize, Option<usize>);

/// Comments by where the formatter writes them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Placement {
    /// Lines written above an item or clause.
    pub leading: BTreeMap<Anchor, Vec<String>>,
    /// A comment at the end of an item's or clause's last line.
    pub trailing: BTreeMap<Anchor, Vec<String>>,
    /// Comments at the end of a policy or test body, before its `}`.
    pub before_close: BTreeMap<usize, Vec<String>>,
    /// Comments after the last item.
    pub end: Vec<String>,
    /// Items whose comments stand apart, a blank line above them (a file header).
    pub gap: std::collections::BTreeSet<usize>,
}

/// Where a `#` comment starts on a line, outside strings.
pub(crate) fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

fn scan(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(i) = comment_start(line) {
            comments.push(Comment {
                offset: offset + i,
                text: line[i..].trim_end().to_string(),
                own_line: line[..i].trim().is_empty(),
            });
        }
        offset += line.len();
    }
    comments
}

fn range(span: Span) -> (usize, usize) {
    (span.offset(), span.offset() + span.len())
}

fn join(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0.min(b.0), a.1.max(b.1))
}

fn clause_range(clause: &Clause) -> Option<(usize, usize)> {
    match clause {
        Clause::Title(m) | Clause::Help(m) | Clause::Docs(m) => Some(range(m.span)),
        Clause::When(e) => Some(range(e.span)),
        Clause::Require(r) => Some(range(r.span)),
        Clause::Tags(tags) => tags.iter().map(|t| range(t.span)).reduce(join),
        Clause::Waivable(_) => None,
    }
}

fn test_clause_range(clause: &TestClause) -> (usize, usize) {
    match clause {
        TestClause::Proposal(m) => range(m.span),
        TestClause::Given(p, e) => join(range(p.span), range(e.span)),
        TestClause::Expect { policy, outcome } => join(range(policy.span), range(outcome.span)),
    }
}

fn item_range(item: &Item) -> (usize, usize) {
    match item {
        Item::Param(p) => range(p.span),
        Item::Policy(p) => range(p.span),
        Item::Test(t) => range(t.span),
    }
}

/// The clauses of an item with their byte ranges, the start moved back to
/// the beginning of the line so the keyword counts as inside.
fn clauses(text: &str, item: &Item) -> Vec<(usize, (usize, usize))> {
    let ranges: Vec<Option<(usize, usize)>> = match item {
        Item::Param(_) => Vec::new(),
        Item::Policy(p) => p.clauses.iter().map(clause_range).collect(),
        Item::Test(t) => t.clauses.iter().map(|c| Some(test_clause_range(c))).collect(),
    };
    ranges.into_iter().enumerate().filter_map(|(i, r)| r.map(|(s, e)| (i, (line_start(text, s), e)))).collect()
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count())
}

/// Places every comment of `text` (whose AST is `file`).
pub(crate) fn place(text: &str, file: &PolicyFile) -> Placement {
    let mut placement = Placement::default();
    let items: Vec<(usize, usize)> = file.items.iter().map(item_range).collect();
    for comment in scan(text) {
        let o = comment.offset;
        let line = line_of(text, o);
        let body = comment.text.clone();
        // Beside the end of a clause, or of an item, on the same line.
        if !comment.own_line {
            let same_line = |end: usize| end <= o && line_of(text, end.saturating_sub(1)) == line;
            let mut beside: Option<Anchor> = None;
            for (i, item) in file.items.iter().enumerate() {
                for (c, (_, end)) in clauses(text, item) {
                    if same_line(end) {
                        beside = Some((i, Some(c)));
                    }
                }
                if beside.is_none() && same_line(items[i].1) {
                    beside = Some((i, None));
                }
            }
            if let Some(anchor) = beside {
                placement.trailing.entry(anchor).or_default().push(body);
                continue;
            }
        }
        // Inside an item: above the clause it is in or before, or before the `}`.
        if let Some(i) = items.iter().position(|(start, end)| *start <= o && o < *end) {
            let cs = clauses(text, &file.items[i]);
            match cs.iter().find(|(_, (start, end))| o < *end || o < *start) {
                Some((c, _)) => placement.leading.entry((i, Some(*c))).or_default().push(body),
                None if matches!(file.items[i], Item::Param(_)) => {
                    placement.leading.entry((i, None)).or_default().push(body)
                }
                None => placement.before_close.entry(i).or_default().push(body),
            }
            continue;
        }
        // Between items: above the next one, or at the end.
        match items.iter().position(|(start, _)| o < *start) {
            Some(i) => {
                // Whole lines between the comment's line and the item's: is one blank?
                let lines: Vec<&str> = text[o..items[i].0].split('\n').collect();
                let gap = lines.len() > 2 && lines[1..lines.len() - 1].iter().any(|l| l.trim().is_empty());
                if gap {
                    placement.gap.insert(i);
                } else {
                    placement.gap.remove(&i);
                }
                placement.leading.entry((i, None)).or_default().push(body)
            }
            None => placement.end.push(body),
        }
    }
    placement
}
