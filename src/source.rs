//! Source files and spans shared by every stage's diagnostics.

use std::sync::{Arc, OnceLock};

use miette::{NamedSource, SourceSpan};

/// Where the files attached to another start in its span space: a proposal
/// is at most 1 MiB and a template 8 MiB, so the spans of the proposal, its
/// template and its parameters file never meet.
pub const ATTACHED_STRIDE: usize = 16 * 1024 * 1024;

/// A file's name (as the user gave it) and text, and the files it stands on
/// (a proposal's template and parameters).
///
/// The attached files share the first file's span space, as rustc's source
/// map does: the `i`-th attached file starts at `(i + 1) * ATTACHED_STRIDE`.
/// A value read from a template keeps a span that says which file it is in,
/// through every stage that only passes spans along; [`SourceFile::locate`]
/// turns it back into a file and a span in it where a position is shown.
/// One pointer wide: diagnostics and reports carry it by value.
///
/// ```
/// let file = archpolicy::SourceFile::new("org.policy", "policy a: info {\n  require environment != sandbox\n}\n");
/// assert_eq!(file.name(), "org.policy");
/// assert_eq!(file.line_col(19), (2, 3));
/// ```
#[derive(Debug, Clone)]
pub struct SourceFile(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    name: Arc<str>,
    text: Arc<str>,
    /// Where each line starts, built the first time a position is asked for.
    line_starts: OnceLock<Vec<usize>>,
    attached: Vec<SourceFile>,
}

impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.0.name == other.0.name && self.0.text == other.0.text && self.0.attached == other.0.attached)
    }
}

impl Eq for SourceFile {}

impl SourceFile {
    /// A file named `name` (as diagnostics show it) holding `text`.
    ///
    /// ```
    /// let file = archpolicy::SourceFile::new("api.arch.yaml", "name: api\n");
    /// assert_eq!((file.name(), file.text()), ("api.arch.yaml", "name: api\n"));
    /// ```
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceFile(Arc::new(Inner {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            attached: Vec::new(),
        }))
    }

    /// This file with `file` attached, and where `file`'s spans start.
    ///
    /// ```
    /// use archpolicy::SourceFile;
    /// let proposal = SourceFile::new("api.arch.yaml", "import: { from: t.yaml }\n");
    /// let (joined, base) = proposal.attach(SourceFile::new("t.yaml", "Resources: {}\n"));
    /// // A span from `base` on lies in the template.
    /// assert_eq!(joined.position((base, 9).into()), ("t.yaml", 1, 1));
    /// assert_eq!(joined.slice((base, 9).into()), Some("Resources"));
    /// ```
    pub fn attach(&self, file: SourceFile) -> (SourceFile, usize) {
        let mut attached = self.0.attached.clone();
        // Attached files stand alone: their own attachments are not carried.
        attached.push(SourceFile::new(Arc::clone(&file.0.name), Arc::clone(&file.0.text)));
        let base = attached.len() * ATTACHED_STRIDE;
        let inner = Inner {
            name: Arc::clone(&self.0.name),
            text: Arc::clone(&self.0.text),
            line_starts: OnceLock::new(),
            attached,
        };
        (SourceFile(Arc::new(inner)), base)
    }

    /// The files attached to this one, in order.
    ///
    /// ```
    /// use archpolicy::SourceFile;
    /// let file = SourceFile::new("api.arch.yaml", "name: api\n");
    /// assert!(file.attached().is_empty());
    /// let (joined, _) = file.attach(SourceFile::new("params.json", "{}"));
    /// let names: Vec<&str> = joined.attached().iter().map(|f| f.name()).collect();
    /// assert_eq!(names, ["params.json"]);
    /// ```
    pub fn attached(&self) -> &[SourceFile] {
        &self.0.attached
    }

    /// The file a span of this file's span space lies in, and the span in it.
    ///
    /// ```
    /// use archpolicy::SourceFile;
    /// let proposal = SourceFile::new("api.arch.yaml", "name: api\n");
    /// let (joined, base) = proposal.attach(SourceFile::new("t.yaml", "Resources: {}\n"));
    /// let (file, span) = joined.locate((base + 11, 2).into());
    /// assert_eq!((file.name(), span.offset()), ("t.yaml", 11));
    /// let (own, span) = joined.locate((6, 3).into());
    /// assert_eq!((own.name(), span.offset()), ("api.arch.yaml", 6));
    /// ```
    pub fn locate(&self, span: SourceSpan) -> (&SourceFile, SourceSpan) {
        let index = span.offset() / ATTACHED_STRIDE;
        match index.checked_sub(1).and_then(|i| self.0.attached.get(i)) {
            Some(file) => (file, SourceSpan::from((span.offset() - index * ATTACHED_STRIDE, span.len()))),
            None => (self, span),
        }
    }
    /// The name diagnostics show.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// assert_eq!(proposal.source().name(), "examples/fargate_alb.arch.yaml");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.0.name
    }
    /// The whole text.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// assert!(proposal.source().text().contains("pattern: fargate_alb"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn text(&self) -> &str {
        &self.0.text
    }
    /// The file as miette renders it.
    ///
    /// ```
    /// let file = archpolicy::SourceFile::new("org.policy", "policy a: info {}\n");
    /// assert_eq!(file.named_source().name(), "org.policy");
    /// ```
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.name(), Arc::clone(&self.0.text))
    }
    /// The text a span covers, if the span lies in the file (or a file attached to it).
    ///
    /// ```
    /// let file = archpolicy::SourceFile::new("api.arch.yaml", "name: api\npattern: fargate_alb\n");
    /// assert_eq!(file.slice((19, 11).into()), Some("fargate_alb"));
    /// assert_eq!(file.slice((40, 1).into()), None, "past the end");
    /// ```
    pub fn slice(&self, span: SourceSpan) -> Option<&str> {
        let (file, span) = self.locate(span);
        file.text().get(span.offset()..span.offset() + span.len())
    }
    /// The file's name and the 1-based line and column of a span's start,
    /// in whichever file the span lies.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// let span = proposal.facts().deciding_span("function.timeout").unwrap();
    /// let (file, line, _column) = proposal.source().position(span);
    /// assert_eq!(file, "examples/lambda_api_gateway.arch.yaml");
    /// assert_eq!(proposal.source().text().lines().nth(line - 1).map(str::trim), Some("timeout: 10s"));
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn position(&self, span: SourceSpan) -> (&str, usize, usize) {
        let (file, span) = self.locate(span);
        let (line, column) = file.line_col(span.offset());
        (file.name(), line, column)
    }

    /// 1-based line and column (in characters) of a byte offset of this file's own text.
    ///
    /// ```
    /// let file = archpolicy::SourceFile::new("café.yaml", "name: café\npattern: x\n");
    /// assert_eq!(file.line_col(0), (1, 1));
    /// assert_eq!(file.line_col(11), (1, 11), "columns count characters: `é` is two bytes");
    /// assert_eq!(file.line_col(12), (2, 1));
    /// ```
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = offset.min(text.len());
        // A report asks for several positions in one file: index its lines once.
        let starts = self.0.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts[line - 1];
        let column = text.get(line_start..offset).map_or(offset - line_start, |s| s.chars().count()) + 1;
        (line, column)
    }
}

/// A diagnostic as a report that carries its file, when there is one, ready
/// for a miette handler: its text as [`Shown`] shows it.
pub fn report_in<E>(file: Option<&SourceFile>, error: E) -> miette::Report
where
    E: miette::Diagnostic + Send + Sync + 'static,
{
    let report = miette::Report::new(Shown::of(&error));
    match file {
        Some(file) => report.with_source_code(file.clone()),
        None => report,
    }
}

/// A diagnostic as a report shows it: its message, help and labels with
/// every control character written as `\u{..}` (the one list,
/// [`crate::untrusted::is_control`], as the renderers use), its code and
/// severity as they are. The errors keep the input's text as written; a
/// report is what any miette handler draws, so text from a proposal or a
/// policy cannot move a terminal's cursor or retitle its window there.
#[derive(Debug)]
struct Shown {
    message: String,
    code: Option<String>,
    severity: Option<miette::Severity>,
    help: Option<String>,
    labels: Vec<miette::LabeledSpan>,
}

impl Shown {
    fn of(diagnostic: &dyn miette::Diagnostic) -> Shown {
        let labels = diagnostic.labels().into_iter().flatten().map(|label| {
            let text = label.label().map(escaped);
            match label.primary() {
                true => miette::LabeledSpan::new_primary_with_span(text, *label.inner()),
                false => miette::LabeledSpan::new_with_span(text, *label.inner()),
            }
        });
        Shown {
            message: escaped(&diagnostic.to_string()),
            code: diagnostic.code().map(|c| c.to_string()),
            severity: diagnostic.severity(),
            help: diagnostic.help().map(|h| escaped(&h.to_string())),
            labels: labels.collect(),
        }
    }
}

/// The text as the command line shows an input's text: line feeds kept,
/// control and invisible characters escaped ([`Untrusted::block`]).
///
/// [`Untrusted::block`]: crate::untrusted::Untrusted::block
fn escaped(text: &str) -> String {
    crate::untrusted::Untrusted::new(text).block().to_string()
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl miette::Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn std::fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        match self.labels.is_empty() {
            true => None,
            false => Some(Box::new(self.labels.iter().cloned())),
        }
    }
}

/// A list with at least one element: a failed stage always says why, so
/// a [`Failure`] always holds an error (read them with [`Failure::errors`]).
#[derive(Debug, Clone, PartialEq, Eq)]
// `pub` for the stages' signatures under `internals`; no API item names it
// (made `pub(crate)`, the build without `internals` warns of no public
// signature): rustc counts the type of `Failure`'s private field as reachable.
#[allow(unnameable_types, reason = "only the type of Failure's private field")]
pub struct NonEmpty<T> {
    /// Never empty: every constructor puts an element in.
    items: Vec<T>,
}

impl<T> NonEmpty<T> {
    /// A list of one.
    pub(crate) fn new(first: T) -> Self {
        NonEmpty { items: vec![first] }
    }
    /// `None` for an empty vector.
    pub(crate) fn from_vec(items: Vec<T>) -> Option<Self> {
        (!items.is_empty()).then_some(NonEmpty { items })
    }
    /// The first element, always there.
    pub fn first(&self) -> &T {
        // The list is never empty (every constructor above).
        &self.items[0]
    }
    /// How many elements: at least one.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Always false: a `NonEmpty` has an element.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// Each element through `f`, still non-empty.
    pub(crate) fn map<U>(self, f: impl FnMut(T) -> U) -> NonEmpty<U> {
        NonEmpty { items: self.items.into_iter().map(f).collect() }
    }
    /// The elements in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
    /// The elements as a slice.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }
}

impl<T> IntoIterator for NonEmpty<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (file, local) = self.locate(*span);
        let base = span.offset() - local.offset();
        let inner = file.0.text.read_span(&local, context_lines_before, context_lines_after)?;
        // Back in this file's span space, so a renderer matches labels to it.
        let shown = SourceSpan::from((inner.span().offset() + base, inner.span().len()));
        Ok(Box::new(miette::MietteSpanContents::new_named(
            file.name().to_string(),
            inner.data(),
            shown,
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column by counting from the start, the definition.
    fn counted(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
    }

    #[test]
    fn line_col_matches_counting_at_every_character() {
        let text = "name: café\n\nworkload:\n  peak_rps: 50 # ünïcode\r\nend";
        let file = SourceFile::new("f", text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(file.line_col(offset), counted(text, offset), "offset {offset}");
        }
        assert_eq!(file.line_col(usize::MAX), counted(text, text.len()));
        assert_eq!(SourceFile::new("e", "").line_col(0), (1, 1));
    }
}

/// A file that did not load: every error found in it, with the file they
/// point into (absent when the file could not be read at all). One type for
/// every stage that reads a file (proposals, price tables, policies), each
/// with its own error enum `E`.
///
/// ```
/// let failure = archpolicy::load_str("x.arch.yaml", "pattern: [").unwrap_err();
/// assert!(failure.to_string().starts_with("`x.arch.yaml` did not load: "), "{failure}");
/// // A miette report per error, each carrying the file for its labels.
/// assert_eq!(failure.reports().len(), failure.errors().len());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure<E> {
    /// The file, absent when it could not be read at all.
    pub source: Option<SourceFile>,
    /// Every error found, in the order found: never empty.
    pub(crate) errors: NonEmpty<E>,
}

impl<E> Failure<E> {
    internal! {
        /// A failure with every error of `source`.
        fn new(source: Option<SourceFile>, errors: NonEmpty<E>) -> Self {
            Failure { source, errors }
        }
    }

    /// Every error found, in the order found: never empty, so `errors()[0]`
    /// is always there.
    ///
    /// ```
    /// let failure = archpolicy::load_str("a.arch.yaml", "name: a\npattern: lambda_api_gateway\n").unwrap_err();
    /// assert!(failure.errors().len() > 1, "every error of the file at once");
    /// assert_eq!(failure.errors()[0].code_str(), "archpolicy::load::missing_key");
    /// for error in failure.errors() {
    ///     assert!(!error.to_string().is_empty());
    /// }
    /// ```
    pub fn errors(&self) -> &[E] {
        self.errors.as_slice()
    }

    /// A failure with one error.
    ///
    /// ```
    /// use archpolicy::{Date, Failure};
    /// // Any error type: here an embedder's own reading of a `--today` flag.
    /// let failure = Failure::single(None, "31/03/2027".parse::<Date>().unwrap_err());
    /// assert_eq!(failure.to_string(), "expected a date written as `YYYY-MM-DD`");
    /// assert_eq!(failure.errors().len(), 1);
    /// ```
    pub fn single(source: Option<SourceFile>, error: E) -> Self {
        Failure { source, errors: NonEmpty::new(error) }
    }
}

impl<E> Failure<E>
where
    E: miette::Diagnostic + Clone + Send + Sync + 'static,
{
    /// Each error as a report that carries the file, ready for a miette handler.
    ///
    /// ```
    /// let failure = archpolicy::load_str("a.arch.yaml", "name: a\npattern: nope\n").unwrap_err();
    /// let reports = failure.reports();
    /// assert_eq!(reports.len(), failure.errors().len());
    /// // Each carries the file, so a miette handler draws its labels in it.
    /// assert!(reports.iter().all(|r| r.source_code().is_some()));
    /// assert!(format!("{:?}", reports[0]).contains("nope"));
    /// ```
    pub fn reports(&self) -> Vec<miette::Report> {
        self.errors.iter().map(|e| report_in(self.source.as_ref(), e.clone())).collect()
    }
}

impl<E: std::fmt::Display> std::fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(source) = &self.source {
            write!(f, "`{}` did not load: ", source.name())?;
        }
        let messages: Vec<String> = self.errors.iter().map(|e| e.to_string()).collect();
        f.write_str(&messages.join("; "))
    }
}

impl<E: std::fmt::Debug + std::fmt::Display> std::error::Error for Failure<E> {}
