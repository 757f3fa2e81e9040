//! The protocol's framing, read with bounds: `Content-Length` headers, then
//! a JSON body. `policy lsp` reads its input through [`FrameReader`] so that
//! no header and no declared length can make it allocate more than
//! [`MAX_CONTENT_LENGTH`] and a few header lines, and so that a body which
//! is not a message is answered rather than ending the server.
//!
//! What happens to each input:
//!
//! | input | [`FrameReader::read_frame`] gives | the server |
//! |---|---|---|
//! | a message | [`Frame::Message`] | handles it |
//! | a body that is not JSON (or not UTF-8) | [`Frame::NotJson`] | answers `-32700` (parse error) with id `null` and reads on |
//! | JSON that is not a request, notification or response | [`Frame::NotMessage`] | answers `-32600` (invalid request), with its id when one can be read, and reads on |
//! | a `Content-Length` above [`MAX_CONTENT_LENGTH`] | [`Frame::TooLarge`], before a byte of the body is read; the next call skips the body in chunks of 64 KiB, keeping none of it | answers `-32600` with id `null` and reads on after the body |
//! | a header line longer than [`MAX_HEADER_LINE`], more than [`MAX_HEADERS`] lines, no `Content-Length` or one that is not a number, a line not ended by `\r\n`, the input ending inside a message | a [`FramingError`] | stops with the error: the stream cannot be read past it |
//!
//! The limit is [`MAX_CONTENT_LENGTH`] because what the server keeps of a
//! message is a document's text, at most a proposal or policy file's limit
//! (1 MiB, `load::MAX_FILE_BYTES`, `policy::MAX_FILE_BYTES`), written in
//! JSON with escapes. A larger body is skipped rather than refused by
//! stopping: a client that opens a large JSON or YAML file it thinks the
//! server wants (a template, a lock file) loses that file's diagnostics,
//! not the server. The skip reads the body as it arrives; a client that
//! declares 2^40 bytes and sends fewer ends the stream inside the message,
//! which is an error.

use std::fmt;
use std::io::{self, BufRead, Read};

use lsp_server::Message;
use serde_json::Value;

/// The largest body read: 8 MiB, a 1 MiB document with room for JSON's
/// escapes (a control character is six bytes) and the message around it.
pub const MAX_CONTENT_LENGTH: u64 = 8 * 1024 * 1024;
/// The longest header line, `\r\n` included.
pub const MAX_HEADER_LINE: usize = 1024;
/// The most header lines before the empty line that ends them.
pub const MAX_HEADERS: usize = 16;
/// The chunk a skipped body is read in.
const SKIP_CHUNK: usize = 64 * 1024;

/// What one frame of the input holds. Exhaustive, unlike the crate's other
/// enums: a server answers each kind, and a new one must not fall through.
#[derive(Debug)]
pub enum Frame {
    /// A request, a notification or a response.
    Message(Message),
    /// A body that is not JSON text: `error` says where it breaks.
    NotJson { error: String },
    /// JSON that is not a message of the protocol; `id` is the request's id
    /// when one could be read (a number or a string).
    NotMessage { id: Option<Value>, error: String },
    /// A body longer than [`MAX_CONTENT_LENGTH`]; the next call to
    /// [`FrameReader::read_frame`] skips it.
    TooLarge { length: u64 },
}

/// Why the input cannot be read on: its framing is broken.
#[derive(Debug)]
#[non_exhaustive]
pub enum FramingError {
    /// Reading failed.
    Io(io::Error),
    /// A header line longer than [`MAX_HEADER_LINE`].
    HeaderLineTooLong,
    /// More than [`MAX_HEADERS`] header lines without the empty line.
    TooManyHeaders,
    /// A header line not ended by `\r\n`, or without `: `.
    MalformedHeader { line: String },
    /// No `Content-Length` among the headers, or two.
    ContentLength { found: usize },
    /// A `Content-Length` that is not a whole number.
    BadContentLength { value: String },
    /// The input ended inside a message (its headers or its body).
    EndInsideMessage,
}

impl fmt::Display for FramingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FramingError::Io(error) => write!(f, "reading the client's messages failed: {error}"),
            FramingError::HeaderLineTooLong => {
                write!(f, "a header line is longer than {MAX_HEADER_LINE} bytes")
            }
            FramingError::TooManyHeaders => {
                write!(f, "a message has more than {MAX_HEADERS} header lines")
            }
            FramingError::MalformedHeader { line } => {
                write!(f, "the header line `{line}` is not `Name: value` ended by `\\r\\n`")
            }
            FramingError::ContentLength { found: 0 } => f.write_str("a message has no `Content-Length` header"),
            FramingError::ContentLength { found } => {
                write!(f, "a message has {found} `Content-Length` headers, not one")
            }
            FramingError::BadContentLength { value } => {
                write!(f, "the `Content-Length` `{value}` is not a number of bytes")
            }
            FramingError::EndInsideMessage => f.write_str("the input ended inside a message"),
        }
    }
}

impl std::error::Error for FramingError {}

impl From<io::Error> for FramingError {
    fn from(error: io::Error) -> Self {
        FramingError::Io(error)
    }
}

/// Reads frames from `input` with the bounds above.
pub struct FrameReader<R> {
    input: R,
    /// Bytes of a too-large body still to skip.
    skip: u64,
}

impl<R: BufRead> FrameReader<R> {
    pub fn new(input: R) -> Self {
        FrameReader { input, skip: 0 }
    }

    /// The next frame, or `None` at the end of the input between messages.
    pub fn read_frame(&mut self) -> Result<Option<Frame>, FramingError> {
        if self.skip > 0 {
            let length = std::mem::take(&mut self.skip);
            self.skip_body(length)?;
        }
        let Some(length) = self.headers()? else { return Ok(None) };
        if length > MAX_CONTENT_LENGTH {
            self.skip = length;
            return Ok(Some(Frame::TooLarge { length }));
        }
        let body = self.body(length)?;
        Ok(Some(frame(&body)))
    }

    /// The `Content-Length` of the next message, or `None` at the end of the input.
    fn headers(&mut self) -> Result<Option<u64>, FramingError> {
        let mut lengths = Vec::new();
        let mut line = Vec::with_capacity(64);
        for index in 0..=MAX_HEADERS {
            line.clear();
            let limit = MAX_HEADER_LINE as u64;
            let read = (&mut self.input).take(limit).read_until(b'\n', &mut line)?;
            if read == 0 {
                return if index == 0 { Ok(None) } else { Err(FramingError::EndInsideMessage) };
            }
            if !line.ends_with(b"\n") {
                return if line.len() >= MAX_HEADER_LINE {
                    Err(FramingError::HeaderLineTooLong)
                } else {
                    Err(FramingError::EndInsideMessage)
                };
            }
            let Some(text) = line.strip_suffix(b"\r\n") else { return Err(malformed(&line)) };
            if text.is_empty() {
                return match lengths.as_slice() {
                    [length] => Ok(Some(*length)),
                    other => Err(FramingError::ContentLength { found: other.len() }),
                };
            }
            if index == MAX_HEADERS {
                break;
            }
            let text = std::str::from_utf8(text).map_err(|_| malformed(&line))?;
            let Some((name, value)) = text.split_once(':') else { return Err(malformed(&line)) };
            if name.trim().eq_ignore_ascii_case("content-length") {
                lengths.push(content_length(value.trim())?);
            }
        }
        Err(FramingError::TooManyHeaders)
    }

    /// A body of `length` bytes (at most [`MAX_CONTENT_LENGTH`]), grown as it arrives.
    fn body(&mut self, length: u64) -> Result<Vec<u8>, FramingError> {
        let mut body = Vec::with_capacity(usize::try_from(length.min(SKIP_CHUNK as u64)).unwrap_or(SKIP_CHUNK));
        let read = (&mut self.input).take(length).read_to_end(&mut body)?;
        if (read as u64) < length {
            return Err(FramingError::EndInsideMessage);
        }
        Ok(body)
    }

    /// Reads `length` bytes and keeps none of them.
    fn skip_body(&mut self, length: u64) -> Result<(), FramingError> {
        let mut left = length;
        while left > 0 {
            let available = self.input.fill_buf()?;
            if available.is_empty() {
                return Err(FramingError::EndInsideMessage);
            }
            let n = available.len().min(usize::try_from(left).unwrap_or(usize::MAX)).min(SKIP_CHUNK);
            self.input.consume(n);
            left -= n as u64;
        }
        Ok(())
    }
}

fn malformed(line: &[u8]) -> FramingError {
    let text = String::from_utf8_lossy(line);
    let mut shown: String = text.trim_end_matches(['\r', '\n']).chars().take(40).collect();
    shown = shown.chars().flat_map(char::escape_default).collect();
    FramingError::MalformedHeader { line: shown }
}

fn content_length(value: &str) -> Result<u64, FramingError> {
    let number =
        (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())).then(|| value.parse::<u64>().ok()).flatten();
    number.ok_or_else(|| FramingError::BadContentLength { value: value.chars().take(40).collect() })
}

/// What a body holds.
fn frame(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return Frame::NotJson { error: error.to_string() },
    };
    let id = value.get("id").filter(|id| id.is_i64() || id.is_string()).cloned();
    if value.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Frame::NotMessage { id, error: "a message is an object with `\"jsonrpc\": \"2.0\"`".into() };
    }
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(_) => Frame::NotMessage {
            id,
            error:
                "not a request (`id`, `method`), a notification (`method`) or a response (`id`, `result` or `error`)"
                    .into(),
        },
    }
}

/// The error response to a frame that is not a message, as JSON: `code`
/// and `message`, with `id` or `null`.
pub fn error_response(id: Option<Value>, code: i32, message: &str) -> Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(Value::Null),
        "error": { "code": code, "message": message },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Result<Option<Frame>, String>> {
        let mut reader = FrameReader::new(input);
        let mut out = Vec::new();
        loop {
            let next = reader.read_frame().map_err(|e| e.to_string());
            let stop = !matches!(next, Ok(Some(_)));
            out.push(next);
            if stop {
                return out;
            }
        }
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn messages_parse_errors_and_invalid_requests_each_get_their_frame() {
        let input = [
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":"a","method":5}"#),
            framed(r#"{"id":2,"method":"x"}"#),
            framed(r#"[1,2]"#),
        ]
        .concat();
        let out = frames(input.as_bytes());
        assert!(matches!(&out[0], Ok(Some(Frame::Message(Message::Request(r)))) if r.method == "initialize"));
        assert!(matches!(&out[1], Ok(Some(Frame::NotJson { .. }))));
        assert!(matches!(&out[2], Ok(Some(Frame::NotMessage { id: Some(id), .. })) if id == "a"));
        assert!(matches!(&out[3], Ok(Some(Frame::NotMessage { id: Some(id), .. })) if id == 2));
        assert!(matches!(&out[4], Ok(Some(Frame::NotMessage { id: None, .. }))));
        assert!(matches!(&out[5], Ok(None)));
    }

    #[test]
    fn a_body_above_the_limit_is_announced_then_skipped() {
        let big = MAX_CONTENT_LENGTH + 1;
        let mut input = format!("Content-Length: {big}\r\n\r\n").into_bytes();
        input.resize(input.len() + usize::try_from(big).unwrap(), b' ');
        input.extend(framed(r#"{"jsonrpc":"2.0","method":"exit"}"#).bytes());
        let out = frames(&input);
        assert!(matches!(&out[0], Ok(Some(Frame::TooLarge { length })) if *length == big));
        assert!(matches!(&out[1], Ok(Some(Frame::Message(Message::Notification(n)))) if n.method == "exit"));
    }

    #[test]
    fn a_length_of_two_to_the_forty_is_skipped_until_the_input_ends() {
        let out = frames(b"Content-Length: 1099511627776\r\n\r\n{}");
        assert!(matches!(&out[0], Ok(Some(Frame::TooLarge { length: 1_099_511_627_776 }))));
        assert_eq!(out[1].as_ref().unwrap_err(), "the input ended inside a message");
    }

    #[test]
    fn broken_headers_stop_the_reader_with_what_is_wrong() {
        let long = format!("X-{}: y\r\n\r\n", "a".repeat(2000));
        let many = "X-A: b\r\n".repeat(MAX_HEADERS + 1);
        let cases: &[(&str, &str)] = &[
            (&long, "a header line is longer than 1024 bytes"),
            (&many, "a message has more than 16 header lines"),
            ("Content-Length: 2\n\n{}", "the header line `Content-Length: 2` is not `Name: value` ended by `\\r\\n`"),
            ("Content-Type: x\r\n\r\n", "a message has no `Content-Length` header"),
            ("Content-Length: 1\r\nContent-Length: 1\r\n\r\n1", "a message has 2 `Content-Length` headers, not one"),
            ("Content-Length: -1\r\n\r\n", "the `Content-Length` `-1` is not a number of bytes"),
            (
                "Content-Length: 99999999999999999999999\r\n\r\n",
                "the `Content-Length` `99999999999999999999999` is not a number of bytes",
            ),
            ("Content-Length: 5\r\n\r\n{}", "the input ended inside a message"),
            ("Content-Length: 5\r\n", "the input ended inside a message"),
            ("Content-Len", "the input ended inside a message"),
        ];
        for (input, expected) in cases {
            let out = frames(input.as_bytes());
            assert_eq!(out.last().unwrap().as_ref().unwrap_err(), expected, "{input:?}");
        }
    }

    #[test]
    fn header_names_are_case_insensitive_and_other_headers_are_read_past() {
        let body = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body}",
            body.len()
        );
        assert!(matches!(&frames(input.as_bytes())[0], Ok(Some(Frame::Message(Message::Notification(_))))));
    }
}
