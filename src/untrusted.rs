//! Text that came from an input: a template, a policy, a proposal, a needs
//! file, a file name. A pull request writes it, so it may hold escape
//! sequences that drive a terminal, a newline followed by `::error` or
//! `::add-mask::` that a GitHub runner reads as a workflow command, a `|`
//! that breaks a Markdown table or a `waivers:` line that becomes live YAML.
//!
//! [`Untrusted`] has no `Display`: the only ways to show it are the escapes
//! for each medium ([`Untrusted::terminal`], [`Untrusted::block`],
//! [`Untrusted::markdown`], [`Untrusted::markdown_code`],
//! [`Untrusted::yaml`]), so the type system keeps raw input text away from
//! every human renderer. JSON, SARIF and JUnit serialize it as the exact
//! value, escaped by their own writers.

use std::borrow::Cow;
use std::fmt::{self, Write};

/// Text from an input, shown only through an escape for its medium.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Untrusted(String);

impl Untrusted {
    /// Wraps text read from an input.
    pub fn new(text: impl Into<String>) -> Untrusted {
        Untrusted(text.into())
    }

    /// The exact text, for comparing, looking up and serializing; never for
    /// a terminal, a Markdown file or a YAML file (use the escapes).
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// One line for a terminal or a log: control characters, line breaks,
    /// bidirectional overrides and invisible characters written as `\u{..}`
    /// (`\n` for a line feed), so the value can never start a line of its own.
    pub fn terminal(&self) -> Terminal<'_> {
        Terminal(&self.0)
    }

    /// Several lines for a terminal (a policy's docs, a source excerpt):
    /// line feeds kept, everything else escaped as by [`Untrusted::terminal`],
    /// and a line that would start with `::` (a GitHub workflow command,
    /// even after indentation) has its first `:` escaped.
    pub fn block(&self) -> Block<'_> {
        Block(&self.0)
    }

    /// Inline Markdown (a table cell, a list item): as [`Untrusted::terminal`],
    /// plus Markdown's and HTML's active characters escaped, so the value
    /// cannot end a table cell, open a tag or start a heading.
    pub fn markdown(&self) -> Markdown<'_> {
        Markdown(&self.0)
    }

    /// Markdown prose written by the tool around input text (a sentence
    /// that quotes a name in backticks): line breaks, control characters
    /// and HTML escaped, and `|` so it stays in its table cell; Markdown's
    /// emphasis and code marks are left to read as written.
    pub fn markdown_prose(&self) -> MarkdownProse<'_> {
        MarkdownProse(&self.0)
    }

    /// Inline Markdown code (`` `name` ``) outside a table: a fence longer
    /// than any run of backticks in the value, so the value cannot close it
    /// (backslashes are literal in code, so nothing else needs escaping).
    pub fn markdown_code(&self) -> MarkdownCode<'_> {
        MarkdownCode(&self.0)
    }

    /// A YAML scalar: always double-quoted with every character a YAML
    /// reader could take as structure escaped, so the value is one scalar
    /// and never a key, a comment or a document of its own.
    pub fn yaml(&self) -> Yaml<'_> {
        Yaml(&self.0)
    }

    /// Whether the text says nothing: empty, or only white space and
    /// invisible characters (zero-width spaces, joiners, the byte order
    /// mark, Hangul fillers, the braille blank, ...). A value that must be
    /// written (an approver, a reason, a name) is refused when blank.
    pub fn is_blank(&self) -> bool {
        is_blank(&self.0)
    }
}

/// Comparing is not showing: an `Untrusted` equals the text it holds.
impl PartialEq<str> for Untrusted {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Untrusted {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl From<String> for Untrusted {
    fn from(text: String) -> Untrusted {
        Untrusted(text)
    }
}

impl From<&str> for Untrusted {
    fn from(text: &str) -> Untrusted {
        Untrusted(text.to_string())
    }
}

/// Whether the text is empty or only white space and invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Characters that show nothing: format characters (zero-width space,
/// joiners, word joiner, byte order mark, bidi marks), fillers drawn as
/// blank (Hangul fillers, the braille blank) and variation selectors.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e007f}'
            | '\u{e0100}'..='\u{e01ef}'
    )
}

/// Characters that must never reach a terminal, a log or a report as they
/// are: C0 controls but tab and line feed, DEL, C1 controls, bidirectional
/// overrides and isolates, and the noncharacters U+FFFE and U+FFFF.
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

fn escape_char(out: &mut fmt::Formatter<'_>, c: char) -> fmt::Result {
    match c {
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        _ => write!(out, "\\u{{{:x}}}", c as u32),
    }
}

/// Whether a character is written as an escape on one line: a line break,
/// a control character, an invisible one (the zero-width joiner is kept,
/// as emoji sequences need it).
fn hidden(c: char) -> bool {
    c == '\n' || is_control(c) || (is_invisible(c) && c != '\u{200d}')
}

/// `text` on one line: what `medium` rewrites for its own syntax, every
/// [`hidden`] character escaped, the rest as it is. The one loop of the
/// terminal and Markdown escapes.
fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str, medium: fn(char) -> Option<&'static str>) -> fmt::Result {
    for c in text.chars() {
        match medium(c) {
            Some(written) => f.write_str(written)?,
            None if hidden(c) => escape_char(f, c)?,
            None => f.write_char(c)?,
        }
    }
    Ok(())
}

fn plain(_: char) -> Option<&'static str> {
    None
}

/// HTML's active characters, and `|`, which would end a table cell.
fn html_and_cells(c: char) -> Option<&'static str> {
    Some(match c {
        '<' => "&lt;",
        '>' => "&gt;",
        '&' => "&amp;",
        '|' => "\\|",
        _ => return None,
    })
}

/// Inline Markdown's active characters too.
fn markdown_inline(c: char) -> Option<&'static str> {
    html_and_cells(c).or_else(|| markdown_mark(c))
}

/// Markdown's emphasis, code, link, heading and escape marks, escaped.
fn markdown_mark(c: char) -> Option<&'static str> {
    Some(match c {
        '\\' => "\\\\",
        '`' => "\\`",
        '*' => "\\*",
        '_' => "\\_",
        '[' => "\\[",
        ']' => "\\]",
        '#' => "\\#",
        '!' => "\\!",
        '~' => "\\~",
        _ => return None,
    })
}

/// One escaped line: see [`Untrusted::terminal`].
pub struct Terminal<'a>(&'a str);

impl fmt::Display for Terminal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0, plain)
    }
}

/// Escaped lines: see [`Untrusted::block`].
pub struct Block<'a>(&'a str);

impl fmt::Display for Block<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Lines { text: self.0, escape: true }.fmt(f)
    }
}

/// Lines with no GitHub workflow command among them (a line that would
/// start with `::`, after blanks, has its first `:` escaped), each line
/// escaped as [`Terminal`] when `escape`: [`Block`] and [`guard_lines`].
struct Lines<'a> {
    text: &'a str,
    escape: bool,
}

impl fmt::Display for Lines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, line) in self.text.split('\n').enumerate() {
            if i > 0 {
                f.write_char('\n')?;
            }
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let (lead, rest) = line.split_at(indent);
            f.write_str(lead)?;
            let rest = match rest.strip_prefix("::") {
                Some(after) => {
                    f.write_str("\\u{3a}:")?;
                    after
                }
                None => rest,
            };
            if self.escape { write_escaped(f, rest, plain)? } else { f.write_str(rest)? }
        }
        Ok(())
    }
}

/// Inline Markdown: see [`Untrusted::markdown`].
pub struct Markdown<'a>(&'a str);

impl fmt::Display for Markdown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0, markdown_inline)
    }
}

/// Markdown prose: see [`Untrusted::markdown_prose`].
pub struct MarkdownProse<'a>(&'a str);

impl fmt::Display for MarkdownProse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0, html_and_cells)
    }
}

/// Inline Markdown code: see [`Untrusted::markdown_code`].
pub struct MarkdownCode<'a>(&'a str);

impl fmt::Display for MarkdownCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut longest = 0;
        let mut run = 0;
        for c in self.0.chars() {
            run = if c == '`' { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let fence = "`".repeat(longest + 1);
        // A space inside the fence when the value starts or ends with a
        // backtick, as CommonMark strips one space from each side.
        let pad = if self.0.starts_with('`') || self.0.ends_with('`') { " " } else { "" };
        f.write_str(&fence)?;
        f.write_str(pad)?;
        write_escaped(f, self.0, plain)?;
        f.write_str(pad)?;
        f.write_str(&fence)
    }
}

/// A double-quoted YAML scalar: see [`Untrusted::yaml`].
pub struct Yaml<'a>(&'a str);

impl fmt::Display for Yaml<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                c if (is_control(c) || is_invisible(c)) && u32::from(c) > 0xffff => write!(f, "\\U{:08x}", c as u32)?,
                c if is_control(c) || is_invisible(c) => write!(f, "\\u{:04x}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// The last guard of the command line's human output, for text the
/// renderers built: a line that starts with `::` (after blanks) has its
/// first `:` escaped, so a GitHub runner never reads a workflow command
/// (`::error`, `::add-mask::`, `::stop-commands::`) from a report that did
/// not ask for one. Colors and everything else are left as they are.
pub fn guard_lines(text: &str) -> Cow<'_, str> {
    // Every report a run writes passes here: line by line it was a
    // twentieth of `policy check`'s time on two thousand proposals. So
    // first whether `::` occurs at all (`contains` is vectorized, finding
    // its matches is not), then whether one starts its line.
    let starts_its_line =
        |at: usize| text[..at].bytes().rev().take_while(|b| *b != b'\n').all(|b| b == b' ' || b == b'\t');
    if !text.contains("::") || !text.match_indices("::").any(|(at, _)| starts_its_line(at)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(Lines { text, escape: false }.to_string())
}

/// A short excerpt of text for a message: at most `chars` characters,
/// control and other invisible characters escaped, `…` when cut.
pub fn excerpt(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).flat_map(char::escape_debug).collect();
    if text.chars().nth(chars).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_line_never_breaks_or_drives_the_terminal() {
        let u = Untrusted::new("api\n::error file=x::pwned\u{1b}[31m\u{202e}");
        assert_eq!(u.terminal().to_string(), "api\\n::error file=x::pwned\\u{1b}[31m\\u{202e}");
    }

    #[test]
    fn a_block_keeps_lines_but_no_workflow_command() {
        let u = Untrusted::new("first\n   ::add-mask::secret\n::error::x\nok :: here");
        assert_eq!(u.block().to_string(), "first\n   \\u{3a}:add-mask::secret\n\\u{3a}:error::x\nok :: here");
    }

    #[test]
    fn markdown_cannot_leave_its_cell_or_open_a_tag() {
        let u = Untrusted::new("a|b <img src=x> # [l](u)\n| c |");
        assert_eq!(u.markdown().to_string(), "a\\|b &lt;img src=x&gt; \\# \\[l\\](u)\\n\\| c \\|");
        assert_eq!(Untrusted::new("x`y``z").markdown_code().to_string(), "```x`y``z```");
        assert_eq!(Untrusted::new("`x").markdown_code().to_string(), "`` `x ``");
    }

    #[test]
    fn yaml_is_one_quoted_scalar() {
        let u = Untrusted::new("Api\nwaivers: [x]\n# \"quoted\" \\");
        assert_eq!(u.yaml().to_string(), "\"Api\\nwaivers: [x]\\n# \\\"quoted\\\" \\\\\"");
    }

    #[test]
    fn the_guard_stops_workflow_commands_only() {
        assert_eq!(guard_lines("ok\n  ::error::x\n\u{1b}[1mbold"), "ok\n  \\u{3a}:error::x\n\u{1b}[1mbold");
        assert!(matches!(guard_lines("a :: b\n"), Cow::Borrowed(_)));
        assert_eq!(guard_lines("a\n\t:::x"), "a\n\t\\u{3a}::x");
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
            ..Default::default()
        })]

        /// The guard finds `::` first and then looks back to its line's
        /// start: it leaves text alone exactly when no line, blanks
        /// trimmed, starts with `::`.
        #[test]
        fn the_guard_changes_text_exactly_when_a_line_starts_a_command(text in "[ \t:\nab]{0,24}") {
            let commands = text.split('\n').any(|l| l.trim_start_matches([' ', '\t']).starts_with("::"));
            let guarded = guard_lines(&text);
            proptest::prop_assert_eq!(matches!(guarded, Cow::Owned(_)), commands);
            proptest::prop_assert!(!guarded.split('\n').any(|l| l.trim_start_matches([' ', '\t']).starts_with("::")));
        }
    }

    #[test]
    fn invisible_characters_are_blank() {
        for blank in
            ["", " ", "\u{200b}", "\u{feff}", "\u{2060}", "\u{3164}", "\u{2800}", " \u{200c}\u{200d} ", "\u{115f}"]
        {
            assert!(is_blank(blank), "{blank:?}");
        }
        for text in ["@platform", "\u{200b}x", "é"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }

    #[test]
    fn excerpt_is_short_and_escaped() {
        assert_eq!(excerpt("abc", 5), "abc");
        assert_eq!(excerpt("a\u{1b}[31mb", 3), "a\\u{1b}[…");
        assert_eq!(excerpt("line\nnext", 40), "line\\nnext");
    }
}
