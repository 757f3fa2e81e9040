//! JSON output: the report as documented in docs/json.md, written one
//! proposal at a time.

use super::{Joiner, Part, Problem, ProposalReport, Report, Stream, Summary, render_with};

/// The JSON stream: `{"version": 1, "proposals": [...], "summary": {...}}`.
#[derive(Debug, Default)]
pub struct Json;

/// `value` as pretty JSON (two spaces a level) with every line after a
/// line break indented by `indent` more; the first line is not indented.
/// Written in one pass by the formatter, not indented afterwards line by
/// line (that was a twentieth of `policy check --format json`).
fn indented(value: &impl serde::Serialize, indent: &str) -> String {
    let mut out = Vec::with_capacity(1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Indented { base: indent, depth: 0, has_value: false });
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's `PrettyFormatter` (two spaces a level), with a base
/// indentation before every line it breaks.
struct Indented<'a> {
    base: &'a str,
    depth: usize,
    has_value: bool,
}

impl Indented<'_> {
    fn line<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b"\n")?;
        writer.write_all(self.base.as_bytes())?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.line(writer)
    }
}

impl serde_json::ser::Formatter for Indented<'_> {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.item(writer, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.item(writer, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

impl Stream for Json {
    fn begin(&mut self) -> String {
        "{\n  \"version\": 1,\n  \"proposals\": [".to_string()
    }
    fn part(&self, report: &ProposalReport) -> Part {
        Part::item(format!("\n    {}", indented(report, "    ")))
    }
    fn separator(&self) -> &'static str {
        ","
    }
    /// Errors are written after the proposals, in `errors`.
    fn refused(&self, problems: &[Problem]) -> Part {
        Part { items: Vec::new(), deferred: problems.iter().map(|p| format!("\n    {}", indented(p, "    "))).collect() }
    }
    fn end(&self, summary: &Summary, joined: Joiner) -> String {
        let close = if joined.items > 0 { "\n  ]" } else { "]" };
        let errors =
            if joined.deferred.is_empty() { "]".to_string() } else { format!("{}\n  ]", joined.deferred.join(",")) };
        format!("{close},\n  \"errors\": [{errors},\n  \"summary\": {}\n}}\n", indented(summary, "  "))
    }
}

/// The report as JSON.
pub fn render(report: &Report) -> String {
    render_with(&mut Json, report)
}
