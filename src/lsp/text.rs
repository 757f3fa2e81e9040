//! Positions: byte offsets in a document to the protocol's line and
//! character, in UTF-16 code units (the protocol's default) or in UTF-8
//! bytes when the client negotiates them (`positionEncoding`).

use lsp_types::{Position, Range};
use miette::SourceSpan;

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    #[default]
    Utf16,
    /// UTF-8 bytes, when the client offers them.
    Utf8,
}

/// A document's text with where each line starts, to turn offsets into
/// positions and back.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let starts = std::iter::once(0)
            .chain(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts, encoding }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The position of a byte offset (clamped to the text, and back to the
    /// start of a character it falls inside).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let character = match self.encoding {
            Encoding::Utf16 => before.encode_utf16().count(),
            Encoding::Utf8 => before.len(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of a position; past the end of a line is its end,
    /// past the last line the end of the text, inside a character its start.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self.starts.get(position.line as usize + 1).map_or(self.text.len(), |next| next - 1);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= wanted {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf8 => c.len_utf8(),
            };
            if units > wanted {
                return start + i;
            }
        }
        start + line.len()
    }

    /// The range a span covers.
    pub fn range(&self, span: SourceSpan) -> Range {
        Range::new(self.position(span.offset()), self.position(span.offset() + span.len()))
    }

    /// The range of the whole text.
    pub fn whole(&self) -> Range {
        Range::new(Position::new(0, 0), self.position(self.text.len()))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The byte range of the word at `offset` made of characters `part` accepts.
pub fn word_at(text: &str, offset: usize, part: impl Fn(char) -> bool) -> (usize, usize) {
    let offset = offset.min(text.len());
    let start = text[..offset].char_indices().rev().take_while(|(_, c)| part(*c)).last().map_or(offset, |(i, _)| i);
    let end = text[offset..].char_indices().find(|(_, c)| !part(*c)).map_or(text.len(), |(i, _)| offset + i);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_count_surrogate_pairs_twice() {
        let text = "a: \"é😀x\"\nb";
        let index = LineIndex::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(x), Position::new(0, 7));
        assert_eq!(index.offset(Position::new(0, 7)), x);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(x), Position::new(0, 10));
        assert_eq!(utf8.offset(Position::new(0, 10)), x);
        assert_eq!(index.offset(Position::new(1, 9)), text.len());
        assert_eq!(index.offset(Position::new(7, 0)), text.len());
    }

    #[test]
    fn offsets_round_trip_at_every_character() {
        let text = "ünï\r\ncödé 😀 end\n";
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let index = LineIndex::new(text, encoding);
            // Inside a line break there is no position of its own: the end of the line.
            for (offset, _) in text.char_indices().filter(|(_, c)| *c != '\n') {
                assert_eq!(index.offset(index.position(offset)), offset, "{encoding:?} {offset}");
            }
        }
    }

    #[test]
    fn words_stop_at_other_characters() {
        let text = "require workload.max_request_duration <= 1s";
        let at = text.find("max").unwrap();
        let (s, e) = word_at(text, at, |c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        assert_eq!(&text[s..e], "workload.max_request_duration");
    }
}
