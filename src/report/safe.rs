//! Text from inputs made safe to show. Control characters (C0 but tab and
//! line feed, DEL, C1), bidirectional overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069) and the noncharacters U+FFFE and U+FFFF are written as
//! visible escapes (`\u{1b}`), so no proposal or policy can move a
//! terminal's cursor, ring its bell, reorder a line of a CI log or make XML
//! invalid. Long lines are cut, so no value can flood a terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// Characters of a line shown whole, in messages and help.
pub const MAX_TEXT_LINE: usize = 1_000;

/// Whether a character must not reach a terminal, a log or a report as it
/// is: [`crate::untrusted::is_control`], the one list.
pub fn is_unsafe(c: char) -> bool {
    crate::untrusted::is_control(c)
}

/// The text with every unsafe character written as `\u{..}`; tab and line
/// feed are kept.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Pushes one character, escaped when it is unsafe.
pub fn push_escaped(out: &mut String, c: char) {
    if is_unsafe(c) {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// At most `max` characters of a line: a longer one is cut, with `…`.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// Text as a terminal shows it: escaped, each line at most
/// [`MAX_TEXT_LINE`] characters.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(64 * 1024));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&truncate(&escape(line), MAX_TEXT_LINE));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(escape("a\u{1b}[31mb\u{7}\tc\nd"), "a\\u{1b}[31mb\\u{7}\tc\nd");
        assert_eq!(escape("\u{202e}x\u{2069}\u{9b}\u{fffe}\r"), "\\u{202e}x\\u{2069}\\u{9b}\\u{fffe}\\u{d}");
        assert!(matches!(escape("café ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_lines_are_cut_at_a_character() {
        let long = "é".repeat(MAX_TEXT_LINE + 5);
        let cut = shown(&format!("short\n{long}"));
        assert_eq!(cut.lines().nth(1).unwrap().chars().count(), MAX_TEXT_LINE + 1);
        assert!(cut.ends_with('…'));
    }
}
