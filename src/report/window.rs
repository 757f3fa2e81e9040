//! Diagnostics made safe to draw. miette's graphical handler panics on a
//! column past 65 535 (a format width is 16 bits), draws a long line whole
//! and writes control characters as they are. [`Safe`] wraps a diagnostic so
//! that no line it shows is longer than [`MAX_LINE`] characters: a longer
//! line is shown as a window of [`WINDOW`] characters around its label, cut
//! with `…`, the label re-based into the window. Line numbers and the
//! `file:line:column` header stay those of the file. Every text (message,
//! help, labels, the file's name and its lines) is escaped by
//! [`super::safe`].

use std::fmt;

use miette::{Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::safe;

/// Lines up to this many characters are shown whole.
pub const MAX_LINE: usize = 400;
/// Characters a window shows of a longer line.
pub const WINDOW: usize = 320;
/// Characters of a window before its label.
const BEFORE: usize = 80;
/// Characters of a label's text.
const MAX_LABEL: usize = 200;
/// Lines of context miette shows around a label (its default).
const CONTEXT: usize = 1;
/// Depth of related diagnostics and causes kept.
const MAX_DEPTH: usize = 8;

/// A diagnostic with everything it shows bounded and escaped.
#[derive(Debug)]
pub struct Safe<'a> {
    message: String,
    code: Option<String>,
    help: Option<String>,
    url: Option<String>,
    severity: Option<miette::Severity>,
    source: Option<Shown<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Safe<'a>>,
    cause: Option<Box<Cause>>,
}

impl<'a> Safe<'a> {
    pub fn new(diagnostic: &'a dyn Diagnostic) -> Safe<'a> {
        Safe::within(diagnostic, None, 0)
    }

    /// `parent` is the file a related diagnostic without its own points into.
    fn within(diagnostic: &'a dyn Diagnostic, parent: Option<&'a dyn SourceCode>, depth: usize) -> Safe<'a> {
        let text = |d: Option<Box<dyn fmt::Display + '_>>| d.map(|d| safe::shown(&d.to_string()));
        let labels: Vec<LabeledSpan> = diagnostic.labels().map(Iterator::collect).unwrap_or_default();
        let (source, labels) = match diagnostic.source_code().or(parent) {
            Some(code) if !labels.is_empty() => {
                let (shown, labels) = Shown::new(code, labels);
                (Some(shown), labels)
            }
            _ => (None, Vec::new()),
        };
        let related = match diagnostic.related() {
            Some(related) if depth < MAX_DEPTH => {
                let parent = diagnostic.source_code().or(parent);
                related.map(|r| Safe::within(r, parent, depth + 1)).collect()
            }
            _ => Vec::new(),
        };
        Safe {
            message: safe::shown(&diagnostic.to_string()),
            code: text(diagnostic.code()),
            help: text(diagnostic.help()),
            url: text(diagnostic.url()),
            severity: diagnostic.severity(),
            source,
            labels,
            related,
            cause: Cause::chain(std::error::Error::source(diagnostic), 0),
        }
    }
}

impl fmt::Display for Safe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Safe<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn std::error::Error + 'static))
    }
}

impl Diagnostic for Safe<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url.as_ref().map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = _>>)
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)) as Box<dyn Iterator<Item = _>>)
    }
}

/// A cause, as text.
#[derive(Debug)]
struct Cause {
    message: String,
    next: Option<Box<Cause>>,
}

impl Cause {
    fn chain(error: Option<&dyn std::error::Error>, depth: usize) -> Option<Box<Cause>> {
        let error = error.filter(|_| depth < MAX_DEPTH)?;
        Some(Box::new(Cause {
            message: safe::shown(&error.to_string()),
            next: Cause::chain(error.source(), depth + 1),
        }))
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next.as_deref().map(|c| c as &(dyn std::error::Error + 'static))
    }
}

/// A file's name as shown: escaped, on one line.
fn shown_name(name: &str) -> String {
    safe::shown(name).replace('\n', " ")
}

/// A label's text, escaped and cut.
fn label_text(label: &LabeledSpan) -> Option<String> {
    label.label().map(|l| safe::truncate(&safe::escape(l), MAX_LABEL).replace('\n', " "))
}

/// What miette reads: the file itself when every line it would show is
/// short and clean, otherwise an excerpt of the lines around the labels.
enum Shown<'a> {
    Same { code: &'a dyn SourceCode },
    Excerpt(Excerpt),
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Same { .. } => f.debug_struct("Same").finish_non_exhaustive(),
            Shown::Excerpt(excerpt) => excerpt.fmt(f),
        }
    }
}

impl<'a> Shown<'a> {
    fn new(code: &'a dyn SourceCode, labels: Vec<LabeledSpan>) -> (Shown<'a>, Vec<LabeledSpan>) {
        // A label miette cannot read is left out: it could only draw an error.
        let read: Vec<(LabeledSpan, Context)> = labels
            .into_iter()
            .filter_map(|l| code.read_span(l.inner(), CONTEXT, CONTEXT).ok().map(|c| (l, Context::of(c.as_ref()))))
            .collect();
        if read.iter().all(|(_, c)| c.clean) {
            let labels = read.into_iter().map(|(l, _)| relabel(&l, l.offset(), l.len())).collect();
            return (Shown::Same { code }, labels);
        }
        let (excerpt, labels) = Excerpt::new(code, read);
        (Shown::Excerpt(excerpt), labels)
    }
}

fn relabel(label: &LabeledSpan, offset: usize, len: usize) -> LabeledSpan {
    let text = label_text(label);
    if label.primary() {
        LabeledSpan::new_primary_with_span(text, (offset, len))
    } else {
        LabeledSpan::new_with_span(text, (offset, len))
    }
}

/// What one label's context is: where it lies, and whether it can be shown as it is.
struct Context {
    start: usize,
    end: usize,
    clean: bool,
}

impl Context {
    fn of(contents: &dyn SpanContents<'_>) -> Context {
        let clean = std::str::from_utf8(contents.data()).is_ok_and(|text| {
            text.split('\n').all(|line| {
                let line = line.strip_suffix('\r').unwrap_or(line);
                (line.len() <= MAX_LINE || line.chars().count() <= MAX_LINE) && !line.chars().any(safe::is_unsafe)
            })
        });
        Context { start: contents.span().offset(), end: contents.span().offset() + contents.span().len(), clean }
    }
}

/// The lines around the labels, each cut to a window and escaped, in
/// segments of lines that were together in the file.
#[derive(Debug)]
struct Excerpt {
    text: String,
    segments: Vec<Segment>,
    /// The file's column (0-based, as miette counts) of each label's start, by its offset here.
    columns: Vec<(usize, usize)>,
}

#[derive(Debug)]
struct Segment {
    /// The file the lines are from (a proposal's labels may be in its template too).
    name: Option<String>,
    start: usize,
    end: usize,
    /// The file's line (0-based) of the segment's first line.
    line: usize,
}

/// Where a place in the file is in the excerpt: one mark per character
/// kept, and one where a cut begins.
#[derive(Default)]
struct Marks(Vec<(usize, usize)>);

impl Marks {
    fn start(&self, offset: usize) -> usize {
        let i = self.0.partition_point(|&(o, _)| o <= offset);
        self.0.get(i.saturating_sub(1)).map_or(0, |&(_, s)| s)
    }
    fn end(&self, offset: usize) -> usize {
        let i = self.0.partition_point(|&(o, _)| o < offset);
        self.0.get(i).or(self.0.last()).map_or(0, |&(_, s)| s)
    }
}

impl Excerpt {
    fn new(code: &dyn SourceCode, mut read: Vec<(LabeledSpan, Context)>) -> (Excerpt, Vec<LabeledSpan>) {
        read.sort_by_key(|(l, _)| l.offset());
        let mut excerpt = Excerpt { text: String::new(), segments: Vec::new(), columns: Vec::new() };
        let mut marks = Marks::default();
        // Labels whose contexts touch are one segment, as miette would draw them.
        let mut groups: Vec<(usize, usize, usize)> = Vec::new(); // first label offset, last label end, context end
        for (label, context) in &read {
            let end = label.offset() + label.len();
            match groups.last_mut() {
                Some(group) if context.start <= group.2 => {
                    group.1 = group.1.max(end);
                    group.2 = group.2.max(context.end);
                }
                _ => groups.push((label.offset(), end, context.end)),
            }
        }
        let starts: Vec<usize> = read.iter().map(|(l, _)| l.offset()).collect();
        for (first, last, _) in groups {
            let Ok(contents) = code.read_span(&SourceSpan::from((first, last - first)), CONTEXT, CONTEXT) else {
                continue;
            };
            let text = String::from_utf8_lossy(contents.data());
            let start = excerpt.text.len();
            excerpt.add_lines(&text, contents.span().offset(), &starts, &mut marks);
            let name = contents.name().map(shown_name);
            excerpt.segments.push(Segment { name, start, end: excerpt.text.len(), line: contents.line() });
        }
        let labels = read
            .iter()
            .map(|(label, _)| {
                let start = marks.start(label.offset());
                let end = marks.end(label.offset() + label.len()).max(start);
                if let Ok(at) = code.read_span(label.inner(), 0, 0) {
                    excerpt.columns.push((start, at.column()));
                }
                relabel(label, start, if label.is_empty() { 0 } else { end - start })
            })
            .collect();
        (excerpt, labels)
    }

    /// Adds the lines of `text`, which starts at `offset` in the file.
    fn add_lines(&mut self, text: &str, mut offset: usize, starts: &[usize], marks: &mut Marks) {
        for line in text.split_inclusive('\n') {
            // A line ends at `\n` or `\r\n`; a `\r` alone is escaped.
            let content = line.strip_suffix('\n').map_or(line, |c| c.strip_suffix('\r').unwrap_or(c));
            // The window starts a little before the first label that starts on the line.
            let label = starts.iter().find(|&&s| s >= offset && s < offset + line.len()).map(|&s| s - offset);
            let chars = around(content, label.unwrap_or(0));
            let anchor = label.map_or(0, |at| chars.partition_point(|&(c, _)| c < at));
            let (from, to) = window(&chars, anchor);
            if from > 0 {
                marks.0.push((offset, self.text.len()));
                self.text.push('…');
            }
            for &(at, c) in &chars[from..to] {
                marks.0.push((offset + at, self.text.len()));
                safe::push_escaped(&mut self.text, c);
            }
            if let Some(&(at, _)) = chars.get(to) {
                marks.0.push((offset + at, self.text.len()));
                self.text.push('…');
            }
            marks.0.push((offset + content.len(), self.text.len()));
            self.text.push_str(&line[content.len()..]);
            offset += line.len();
        }
        marks.0.push((offset, self.text.len()));
    }
}

/// The characters of `content` (with their byte offsets in it) a window
/// around byte `at` can show: all of a line of at most [`MAX_LINE`]
/// characters' worth of bytes, else [`MAX_LINE`] + 1 characters on each
/// side of `at`, more than [`window`] reaches, so that it picks the same
/// characters as from the whole line without a list of every character of
/// a line of megabytes.
fn around(content: &str, at: usize) -> Vec<(usize, char)> {
    if content.len() <= 4 * MAX_LINE {
        return content.char_indices().collect();
    }
    let at = (0..=at.min(content.len())).rev().find(|&i| content.is_char_boundary(i)).unwrap_or(0);
    let from = content[..at].char_indices().rev().nth(MAX_LINE).map_or(0, |(i, _)| i);
    let to = content[at..].char_indices().nth(MAX_LINE + 1).map_or(content.len(), |(i, _)| at + i);
    content[from..to].char_indices().map(|(i, c)| (from + i, c)).collect()
}

/// How wide a character is shown: an escape is several characters.
fn shown_width(c: char) -> usize {
    if safe::is_unsafe(c) { safe::escape(c.encode_utf8(&mut [0; 4])).chars().count() } else { 1 }
}

/// The characters `from..to` of a line shown: all of a short line, else at
/// most [`WINDOW`] shown characters, [`BEFORE`] of them before `anchor`.
fn window(chars: &[(usize, char)], anchor: usize) -> (usize, usize) {
    let width = |i: usize| shown_width(chars[i].1);
    if chars.len() <= MAX_LINE && (0..chars.len()).map(width).sum::<usize>() <= MAX_LINE {
        return (0, chars.len());
    }
    let (mut from, mut budget) = (anchor.min(chars.len()), BEFORE);
    while from > 0 && budget >= width(from - 1) {
        from -= 1;
        budget -= width(from);
    }
    let (mut to, mut budget) = (from, WINDOW.saturating_sub(BEFORE - budget));
    while to < chars.len() && budget >= width(to) {
        budget -= width(to);
        to += 1;
    }
    // Near the end of the line, the window shows more before the label.
    while from > 0 && budget >= width(from - 1) {
        from -= 1;
        budget -= width(from);
    }
    (from, to)
}

/// What miette reads of a span, named after its file when it has one.
fn contents_of<'b>(
    name: Option<String>,
    data: &'b [u8],
    span: SourceSpan,
    (line, column): (usize, usize),
    count: usize,
) -> Box<dyn SpanContents<'b> + 'b> {
    Box::new(match name {
        Some(name) => MietteSpanContents::new_named(name, data, span, line, column, count),
        None => MietteSpanContents::new(data, span, line, column, count),
    })
}

impl SourceCode for Excerpt {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let end = span.offset() + span.len();
        let segment =
            self.segments.iter().find(|s| s.start <= span.offset() && end <= s.end).ok_or(MietteError::OutOfBounds)?;
        let local = &self.text[segment.start..segment.end];
        let within = SourceSpan::from((span.offset() - segment.start, span.len()));
        let contents = local.read_span(&within, before, after)?;
        let column = match self.columns.iter().find(|(at, _)| *at == span.offset()) {
            Some(&(_, column)) if before == 0 => column,
            _ => contents.column(),
        };
        let span = SourceSpan::from((contents.span().offset() + segment.start, contents.span().len()));
        let line = contents.line() + segment.line;
        Ok(contents_of(segment.name.clone(), contents.data(), span, (line, column), contents.line_count()))
    }
}

impl SourceCode for Shown<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        match self {
            Shown::Excerpt(excerpt) => excerpt.read_span(span, before, after),
            Shown::Same { code } => {
                let c = code.read_span(span, before, after)?;
                Ok(contents_of(c.name().map(shown_name), c.data(), *c.span(), (c.line(), c.column()), c.line_count()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters a window shows, by their byte offsets in the line.
    fn shown(chars: &[(usize, char)], at: usize) -> (Vec<(usize, char)>, bool, bool) {
        let anchor = chars.partition_point(|&(c, _)| c < at);
        let (from, to) = window(chars, anchor);
        let cut_before = chars.first().is_some_and(|&(c, _)| c > 0) || from > 0;
        (chars[from..to].to_vec(), cut_before, to < chars.len())
    }

    #[test]
    fn a_window_of_a_long_line_sees_what_the_whole_line_would_show() {
        // Mixed widths: ASCII, two-, three- and four-byte characters, and escapes.
        let line: String = (0..5_000).map(|i| ['a', 'é', '€', '😀', '\u{1b}', 'z'][i % 6]).collect();
        for at in [0, 1, 100, 401, 2_000, line.len() / 2, line.len() - 500, line.len() - 1, line.len()] {
            let at = (0..=at).rev().find(|&i| line.is_char_boundary(i)).unwrap();
            let whole: Vec<(usize, char)> = line.char_indices().collect();
            let (expected, _, after) = shown(&whole, at);
            let (got, _, got_after) = shown(&around(&line, at), at);
            assert_eq!(got, expected, "at byte {at}");
            assert_eq!(got_after, after, "at byte {at}: a cut after");
            assert!(around(&line, at).len() <= 2 * MAX_LINE + 2, "a bounded list");
        }
    }
}
