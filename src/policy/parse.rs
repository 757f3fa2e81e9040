//! Text to syntax tree: pest parses with grammar/policy.pest, then
//! [`super::lower`] builds the AST.
//!
//! Before pest runs, a linear scan bounds the nesting depth, so no input can
//! drive the recursive-descent parser (or anything after it) into a stack
//! overflow. When the file has a syntax error, it is split at each top-level
//! `policy` and `param` and every piece is parsed on its own, so all syntax
//! errors of a file are reported together.

use miette::SourceSpan;
use pest::Parser;

use super::ast::PolicyFile;
use super::err::ParseError;
use super::grammar::{MAX_FILE_BYTES, MAX_NESTING, PolicyParser, Rule};
use super::lower::Lowerer;
use crate::source::NonEmpty;

/// Parses a policy file.
///
/// ```
/// use archpolicy::policy::parse;
///
/// let file = parse("policy p: warn { require workload.peak_rps <= 100 }").unwrap();
/// assert_eq!(file.items.len(), 1);
/// let errors = parse("policy p: warn { require workload.peak_rps <= }").unwrap_err();
/// assert!(errors.first().to_string().starts_with("expected"));
/// ```
pub fn parse(text: &str) -> Result<PolicyFile, NonEmpty<ParseError>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(NonEmpty::new(ParseError::TooLarge { size: text.len() as u64, limit: MAX_FILE_BYTES as u64 }));
    }
    let text = without_header(text).map_err(NonEmpty::new)?;
    let text = text.as_ref();
    let depth = match check_nesting(text) {
        Ok(depth) => depth,
        Err(error) => return Err(NonEmpty::new(error)),
    };
    if depth <= SHALLOW {
        return parse_unbounded(text);
    }
    with_parser_stack(|| parse_unbounded(text)).unwrap_or_else(|| Err(NonEmpty::new(stopped())))
}

/// Nesting this shallow parses on the caller's stack, even unoptimized on a
/// 2 MiB test thread; deeper input gets a thread of its own.
const SHALLOW: usize = 4;

/// Stack for the recursive-descent parser: the nesting limit bounds its
/// depth, but an unoptimized build needs far more than a test thread's 2 MiB
/// for it, so parsing runs on a thread of its own. Only the pages used are
/// ever committed.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// `None` only if the task vanished, which `take().map(..)` rules out.
fn with_parser_stack<T: Send>(parse: impl FnOnce() -> T + Send) -> Option<T> {
    let mut task = Some(parse);
    let spawned = std::thread::scope(|scope| {
        let task = &mut task;
        std::thread::Builder::new()
            .name("policy-parser".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, move || task.take().map(|f| f()))
            .ok()
            .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    match (spawned.flatten(), task) {
        (Some(result), _) => Some(result),
        // No thread could be started: parse here, within the nesting limit all the same.
        (None, Some(parse)) => Some(parse()),
        (None, None) => None,
    }
}

fn stopped() -> ParseError {
    ParseError::Syntax {
        message: "the parser stopped without a result".into(),
        span: SourceSpan::from((0, 0)),
        label: String::new(),
        help: String::new(),
    }
}

type Parsed = Result<PolicyFile, NonEmpty<ParseError>>;

/// The `language N` header: the byte range of the line's code and of N,
/// when the first line of code is one (comments may come before it).
fn language_line(text: &str) -> Option<((usize, usize), (usize, usize))> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        let start = offset + (code.len() - code.trim_start().len());
        offset += line.len();
        let trimmed = code.trim();
        if trimmed.is_empty() {
            continue;
        }
        let rest = trimmed.strip_prefix("language")?;
        let version = rest.trim_start();
        let well_formed = rest.starts_with([' ', '\t']) && !version.is_empty();
        let at = start + trimmed.len() - version.len();
        return well_formed.then_some(((start, start + trimmed.len()), (at, at + version.len())));
    }
    None
}

/// The version a file names in its `language N` line, if it has one and N
/// is a number (comments may come before the line), so that `policy fmt`
/// keeps the line.
pub fn declared_language(text: &str) -> Option<u32> {
    let (_, (s, e)) = language_line(text)?;
    text[s..e].parse().ok()
}

/// `text` with its `language N` header blanked (spans keep their places),
/// or the error for a version this release does not read.
fn without_header(text: &str) -> Result<std::borrow::Cow<'_, str>, ParseError> {
    let Some(((start, end), (s, e))) = language_line(text) else { return Ok(text.into()) };
    let version = &text[s..e];
    if version.parse::<u32>().ok() != Some(super::grammar::LANGUAGE_VERSION) {
        let current = super::grammar::LANGUAGE_VERSION;
        return Err(ParseError::Syntax {
            message: format!("this file is written in language {version}"),
            span: SourceSpan::from((s, e - s)),
            label: format!("this release reads language {current}"),
            help: format!("use a release of archpolicy that reads language {version}, or write `language {current}`"),
        });
    }
    let mut blanked = text.to_string();
    blanked.replace_range(start..end, &" ".repeat(end - start));
    Ok(blanked.into())
}

/// Parses a lone value, as `--param NAME=VALUE` gives it; `Ok(None)` when it is not an expression.
pub(crate) fn parse_value(text: &str) -> Result<Option<super::ast::Expr>, ParseError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ParseError::TooLarge { size: text.len() as u64, limit: MAX_FILE_BYTES as u64 });
    }
    check_nesting(text)?;
    with_parser_stack(|| {
        let Ok(mut pairs) = PolicyParser::parse(Rule::value_only, text) else {
            return Ok(None);
        };
        let mut lowerer = Lowerer::new(0);
        let expr = pairs.next().and_then(|p| p.into_inner().next()).and_then(|p| lowerer.value(p));
        match lowerer.errors.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(expr),
        }
    })
    .unwrap_or_else(|| Err(stopped()))
}

fn parse_unbounded(text: &str) -> Parsed {
    match parse_chunk(text, 0) {
        Ok(file) => Ok(file),
        Err(first) => {
            // Recover: parse each top-level item on its own to find every error.
            let mut errors = Vec::new();
            let mut items = Vec::new();
            for (start, end) in item_chunks(text) {
                match parse_chunk(&text[start..end], start) {
                    Ok(file) => items.extend(file.items),
                    Err(e) => errors.extend(e),
                }
            }
            if errors.is_empty() {
                // The split itself hid the error (say, in a string): report the first one found.
                errors.extend(first);
            }
            errors.sort_by_key(error_offset);
            errors.dedup();
            Err(NonEmpty::from_vec(errors).unwrap_or_else(|| NonEmpty::new(ParseError::TooLarge { size: 0, limit: 0 })))
        }
    }
}

fn error_offset(error: &ParseError) -> usize {
    match error {
        ParseError::Syntax { span, .. }
        | ParseError::TooDeep { span, .. }
        | ParseError::TooLong { span, .. }
        | ParseError::Literal { span, .. }
        | ParseError::DuplicateClause { span, .. }
        | ParseError::Interpolation { span } => span.offset(),
        ParseError::TooLarge { .. } => 0,
    }
}

fn parse_chunk(text: &str, offset: usize) -> Result<PolicyFile, Vec<ParseError>> {
    let mut pairs = PolicyParser::parse(Rule::file, text).map_err(|e| vec![syntax_error(&e, text, offset)])?;
    let Some(file) = pairs.next() else {
        return Ok(PolicyFile::default());
    };
    let mut lowerer = Lowerer::new(offset);
    let file = lowerer.file(file);
    if lowerer.errors.is_empty() { Ok(file) } else { Err(lowerer.errors) }
}

/// Byte ranges starting at each line that begins with `policy` or `param`.
fn item_chunks(text: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && (line.starts_with("policy ") || line.starts_with("param ") || line.starts_with("test ")) {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.iter().enumerate().map(|(i, s)| (*s, starts.get(i + 1).copied().unwrap_or(text.len()))).collect()
}

/// Finds nesting deeper than [`MAX_NESTING`] in one pass: brackets, and
/// quantifiers, whose bodies run to the end of the enclosing bracket. A
/// quantifier outside brackets counts until the end of its policy: a
/// conservative bound that no input can talk its way around.
fn check_nesting(text: &str) -> Result<usize, ParseError> {
    // One entry per open bracket: the quantifiers opened inside it.
    let mut frames: Vec<usize> = vec![0];
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' => {
                frames.push(0);
                depth += 1;
            }
            b')' | b']' if frames.len() > 1 => {
                let quantifiers = frames.pop().unwrap_or(0);
                depth = depth.saturating_sub(1 + quantifiers);
            }
            b'{' | b'}' => {
                // A policy body opens or closes: nothing carries over.
                frames = vec![0];
                depth = 0;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                match &text[start..i] {
                    "all" | "any" => {
                        if let Some(last) = frames.last_mut() {
                            *last += 1;
                        }
                        depth += 1;
                    }
                    _ => {}
                }
                if depth > MAX_NESTING {
                    return Err(ParseError::TooDeep { limit: MAX_NESTING, span: SourceSpan::from((start, i - start)) });
                }
                deepest = deepest.max(depth);
                continue;
            }
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(ParseError::TooDeep { limit: MAX_NESTING, span: SourceSpan::from((i, 1)) });
        }
        deepest = deepest.max(depth);
        i += 1;
    }
    Ok(deepest)
}

/// A pest error in words: "expected an expression, found `}`".
fn syntax_error(error: &pest::error::Error<Rule>, text: &str, offset: usize) -> ParseError {
    let position = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    if let Some(error) = longer_clause_word(text, position, offset) {
        return error;
    }
    let found = found_at(text, position);
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = Vec::new();
            for rule in positives {
                let name = rule_name(*rule);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            names
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let expected_text = match expected.as_slice() {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    let len = match found.as_str() {
        "end of file" => 0,
        _ => text[position..].chars().next().map_or(0, char::len_utf8).max(token_len(text, position)),
    };
    let in_string = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().any(|r| matches!(r, Rule::text | Rule::escape | Rule::interpolation | Rule::interp_path))
        }
        pest::error::ErrorVariant::CustomError { .. } => false,
    };
    if in_string && text[position..].starts_with('{') {
        return ParseError::Syntax {
            message: "this interpolation is not closed".into(),
            span: SourceSpan::from((offset + position, 1)),
            label: "opened here; expected `}` after the fact path".into(),
            help: "an interpolation is `{fact.path}`; write `\\{` for a literal brace".into(),
        };
    }
    if in_string && let Some(escape) = text[position..].strip_prefix('\\') {
        if escape.is_empty() || escape.starts_with(['\n', '\r']) {
            return ParseError::Syntax {
                message: "a string cannot go on past the end of its line".into(),
                span: SourceSpan::from((offset + position, 1)),
                label: "`\\` at the end of the line".into(),
                help: "a string ends on the line it starts on: write `\\n` for a line break, `\\\\` for a backslash".into(),
            };
        }
        let written: String = escape.chars().next().map(|c| format!("\\{c}")).unwrap_or_else(|| "\\".into());
        return ParseError::Syntax {
            message: format!("unknown escape `{}` in a string", crate::untrusted::Untrusted::new(written.as_str()).terminal()),
            span: SourceSpan::from((offset + position, written.len())),
            label: "not an escape of the language".into(),
            help: "the escapes are `\\\"`, `\\\\`, `\\n`, `\\t`, `\\{` and `\\}`; write any other character as it is (`é`, not `\\u00e9`)".into(),
        };
    }
    if in_string && (found == "end of line" || found == "end of file") {
        return ParseError::Syntax {
            message: "this string is not closed".into(),
            span: SourceSpan::from((offset + position, 0)),
            label: "expected `\"` before the end of the line".into(),
            help: "a string ends on the line it starts on; write `\\n` for a line break".into(),
        };
    }
    let help = syntax_help(&expected, &found);
    ParseError::Syntax {
        message: format!("expected {expected_text}, found {found}"),
        span: SourceSpan::from((offset + position, len)),
        label: format!("expected {expected_text}"),
        help,
    }
}

const POLICY_CLAUSES: [&str; 7] = ["title", "when", "require", "help", "docs", "tags", "waivable"];
const TEST_CLAUSES: [&str; 3] = ["proposal", "given", "expect"];

/// A clause keyword that starts a longer word (`titles "x"`, `expects a: pass`)
/// at the head of the line the error is on: pest matched the keyword and
/// stopped inside the word or just after it, so its own error would point at
/// the tail. The word as written is the mistake.
fn longer_clause_word(text: &str, position: usize, offset: usize) -> Option<ParseError> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let line_start = text.get(..position)?.rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let start = line_start + (line.len() - line.trim_start_matches([' ', '\t']).len());
    let end = start + text[start..].find(|c: char| !is_word(c)).unwrap_or(text.len() - start);
    let word = &text[start..end];
    // The error is inside the word or at the token after it, not further on.
    let next = end + (text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len());
    if position <= start || position > next || word.is_empty() {
        return None;
    }
    if POLICY_CLAUSES.contains(&word) || TEST_CLAUSES.contains(&word) {
        return None;
    }
    let clauses: &[&str] = if TEST_CLAUSES.iter().any(|k| word.starts_with(k)) {
        &TEST_CLAUSES
    } else if POLICY_CLAUSES.iter().any(|k| word.starts_with(k)) {
        &POLICY_CLAUSES
    } else {
        return None;
    };
    let listed = crate::suggest::one_of(clauses);
    let suggestion = crate::suggest::did_you_mean(word, clauses.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    Some(ParseError::Syntax {
        message: format!("unknown clause `{word}`"),
        span: SourceSpan::from((offset + start, word.len())),
        label: "not a clause".into(),
        help: format!("{suggestion}a clause starts with {listed}"),
    })
}

fn syntax_help(expected: &[&str], found: &str) -> String {
    if found == "`\"`" || expected.contains(&"`}` to close the interpolation") {
        return "an interpolation is `{fact.path}`; write `\\{` for a literal brace".into();
    }
    if expected.contains(&"`{` to open the body") {
        return "a policy is `policy ID: deny { ... }` and a test `test \"name\" { ... }`: the body is in braces"
            .into();
    }
    let word = found.trim_matches('`');
    if expected.contains(&"`:`") {
        if let Some(first) = word.chars().next().filter(|c| c.is_alphanumeric() && !c.is_ascii()) {
            return format!(
                "ids and names are ASCII letters, digits and `_` (policy ids take `-` too, as `gateway-sync-limit`); `{first}` is not one of them"
            );
        }
        return "a policy starts `policy ID: SEVERITY {`, a param `param NAME: TYPE = VALUE`".into();
    }
    // The words the parser expected (`deny`, `warn`, `info` for a
    // severity), as well as every keyword.
    let expected_words = expected.iter().flat_map(|e| e.split('`').skip(1).step_by(2));
    let keywords = POLICY_CLAUSES.iter().chain(&["policy", "param", "test"]).chain(&TEST_CLAUSES).copied();
    let words = expected_words.filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic())).chain(keywords);
    if let Some(s) = crate::suggest::did_you_mean(word, words).filter(|s| *s != word) {
        return format!("did you mean `{s}`? see docs/language.md for the syntax");
    }
    if expected.iter().any(|e| e.starts_with("a clause")) {
        return "a policy body holds `title \"...\"`, `when EXPR`, `require EXPR [else \"...\"]`, `help \"...\"`, `docs \"...\"`, `tags [...]` and `waivable false`".into();
    }
    if expected.contains(&"an expression") {
        return "an expression is a fact path, a param, a literal such as `29s` or `$50`, or a comparison of them; see docs/language.md".into();
    }
    "see docs/language.md for the syntax".into()
}

fn token_len(text: &str, position: usize) -> usize {
    let rest = &text[position..];
    let word: usize = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum();
    word
}

fn found_at(text: &str, position: usize) -> String {
    let rest = &text[position.min(text.len())..];
    if rest.is_empty() {
        return "end of file".into();
    }
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').take(30).collect();
    if !word.is_empty() {
        return format!("`{word}`");
    }
    match rest.chars().next() {
        Some('\n') => "end of line".into(),
        Some(c) => format!("`{c}`"),
        None => "end of file".into(),
    }
}

/// What a user would call each rule.
fn rule_name(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        file | value_only | param | policy | param_kw | policy_kw | test | test_kw => "`policy`, `param` or `test`",
        EOI => "end of file",
        policy_id => "a policy id such as `gateway-sync-limit`",
        open_brace => "`{` to open the body",
        colon => "`:`",
        severity => "`deny`, `warn` or `info`",
        title_clause | when_clause | require_clause | help_clause | docs_clause | tags_clause | waivable_clause => {
            "a clause (`title`, `when`, `require`, `help`, `docs`, `tags`, `waivable`) or `}`"
        }
        proposal_clause | given_clause | expect_clause => "`proposal`, `given`, `expect` or `}`",
        outcome => "`deny`, `warn`, `info`, `pass` or `skip`",
        tag => "a tag",
        type_name => "a type such as `duration` or `money`",
        expr | or_expr | and_expr | not_expr | cmp_expr | sum | product | unary | quantified | count | count_kw
        | boolean | number | quantity | money | path | name | ident_chars | keyword | not_op | neg_op | list
        | quantifier => "an expression",
        implies_op | or_op | and_op | cmp_op | add_op | mul_op | in_op | not_in_op | is_set | is_not_set => {
            "an operator"
        }
        string | string_part | text | escape => "a string",
        interpolation | interp_path => "`}` to close the interpolation",
        WHITESPACE | COMMENT | ident_char | literal | item | clause | primary | test_clause => "more input",
    }
}
