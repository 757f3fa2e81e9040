//! `policy lsp`: the language server over stdio. The protocol loop and its
//! two threads of input and output only: what it answers is
//! `crate::lsp`, how it reads frames is `crate::lsp::framing`.

use std::io::{self, Write as _};
use std::thread::{self, JoinHandle};

use crate::lsp::framing::{self, Frame, FrameReader, FramingError, MAX_CONTENT_LENGTH};
use crate::lsp::{Encoding, Kind, Workspace, quick_fixes, uri};
use crossbeam_channel::{Receiver, Sender, bounded, never, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, Response};
use lsp_types::notification::{self as n, Notification as _};
use lsp_types::request::{self as r, Request as _};
use lsp_types::{
    CodeActionProviderCapability, InitializeParams, OneOf, PositionEncodingKind, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
};
use serde_json::Value;

use super::output::{Exit, print_reports};

pub fn run() -> Exit {
    let (connection, io) = stdio();
    let served = serve(&connection);
    drop(connection);
    let written = io.writer.join();
    // The reader has ended when the server stopped for want of messages; else
    // it may wait on stdin still, and the process ends without it.
    let read = match &served {
        Ok(_) | Err(Stop::Disconnected) => io.reader.join(),
        Err(Stop::Error(_)) => Ok(Ok(())),
    };
    // The protocol's code for `exit` without `shutdown` is 1: the client
    // did not ask the server to stop, so its work may be lost.
    let early_exit = matches!(served, Ok(Ended::ExitWithoutShutdown));
    let served = served.map(|_| ());
    let error = match (read, served, written) {
        (Ok(Err(error)), _, _) => Some(error.to_string()),
        (Err(_), _, _) | (_, _, Err(_)) => Some("an input or output thread panicked".into()),
        (_, Err(Stop::Error(error)), _) => Some(error),
        // The client closed the pipe between messages (before `initialize`
        // too: a launcher probing the command): an end, not a failure, as
        // after `initialize`. A frame cut short is the reader's error above.
        (_, Err(Stop::Disconnected), Ok(Ok(()))) => None,
        (_, Err(Stop::Disconnected), Ok(Err(error))) => Some(format!("writing to the client failed: {error}")),
        (_, Ok(()), Ok(Err(error))) => Some(format!("writing to the client failed: {error}")),
        (_, Ok(()), Ok(Ok(()))) => None,
    };
    match error {
        None if early_exit => {
            super::output::write_stderr(
                "policy lsp: `exit` came before `shutdown`: exit code 1, as the protocol says\n",
            );
            Exit::Findings
        }
        None => Exit::Ok,
        Some(error) => {
            print_reports(&[miette::miette!(code = "archpolicy::lsp", "the language server stopped: {error}")]);
            Exit::Error
        }
    }
}

/// How the protocol loop ended without an error.
enum Ended {
    /// `shutdown`, then `exit`; or the input closed.
    Done,
    /// `exit` with no `shutdown` before it.
    ExitWithoutShutdown,
}

/// Why the protocol loop stopped before `exit`.
enum Stop {
    /// The reader ended: the input closed, or its framing broke.
    Disconnected,
    Error(String),
}

impl From<ProtocolError> for Stop {
    fn from(error: ProtocolError) -> Self {
        if error.channel_is_disconnected() { Stop::Disconnected } else { Stop::Error(error.to_string()) }
    }
}

/// The threads that read stdin and write stdout.
struct Io {
    reader: JoinHandle<Result<(), FramingError>>,
    writer: JoinHandle<io::Result<()>>,
}

/// A connection over stdio whose reader is bounded (`framing`). The
/// channels hold no message: a reader ahead of the server waits, so memory
/// stays at a message or two whatever the client sends.
fn stdio() -> (Connection, Io) {
    let (sender, outgoing) = bounded::<Message>(0);
    let (answer, answers) = bounded::<Value>(0);
    let (incoming, receiver) = bounded::<Message>(0);
    let writer = thread::spawn(move || write_out(&outgoing, &answers));
    let reader = thread::spawn(move || read_in(&incoming, &answer));
    (Connection { sender, receiver }, Io { reader, writer })
}

/// Reads frames until `exit`, the end of the input or a broken frame; a
/// frame that is not a message is answered here, as it has no request the
/// server could see.
fn read_in(server: &Sender<Message>, answer: &Sender<Value>) -> Result<(), FramingError> {
    let stdin = io::stdin();
    let mut frames = FrameReader::new(stdin.lock());
    while let Some(frame) = frames.read_frame()? {
        let response = match frame {
            Frame::Message(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == n::Exit::METHOD);
                if server.send(message).is_err() || exit {
                    return Ok(());
                }
                continue;
            }
            Frame::NotJson { error } => framing::error_response(
                None,
                ErrorCode::ParseError as i32,
                &format!("the message is not JSON: {error}"),
            ),
            Frame::NotMessage { id, error } => framing::error_response(id, ErrorCode::InvalidRequest as i32, &error),
            Frame::TooLarge { length } => {
                let message = format!(
                    "a message of {length} bytes is above the limit of {MAX_CONTENT_LENGTH} bytes: it is skipped unread"
                );
                super::output::write_stderr(&format!("policy lsp: {message}\n"));
                framing::error_response(None, ErrorCode::InvalidRequest as i32, &message)
            }
        };
        if answer.send(response).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Writes the server's messages and the reader's answers until the server is done.
fn write_out(messages: &Receiver<Message>, answers: &Receiver<Value>) -> io::Result<()> {
    let closed = never();
    let mut answers = answers;
    loop {
        select! {
            recv(messages) -> message => match message {
                Ok(message) => message.write(&mut super::output::protocol_stdout())?,
                Err(_) => return Ok(()),
            },
            recv(answers) -> answer => match answer {
                Ok(answer) => {
                    let body = answer.to_string();
                    let mut out = super::output::protocol_stdout();
                    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
                    out.flush()?;
                }
                // The reader has ended: the server's messages only.
                Err(_) => answers = &closed,
            },
        }
    }
}

/// The client's choice of position encoding: UTF-8 if it offers it, else UTF-16.
fn encoding(params: &InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![".".into(), ":".into(), " ".into()]),
            ..Default::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection) -> Result<Ended, Stop> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| Stop::Error(e.to_string()))?;
    let encoding = encoding(&params);
    #[expect(deprecated, reason = "clients that send no workspace folders still send a root URI")]
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or(params.root_uri.clone())
        .and_then(|u| uri::to_path(&u));
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo { name: "policy lsp".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result)?;
    let mut workspace = Workspace::new(root, encoding);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(Ended::Done);
                }
                let response = answer(&workspace, request);
                connection.sender.send(Message::Response(response)).map_err(|e| Stop::Error(e.to_string()))?;
            }
            Message::Notification(notification) if notification.method == n::Exit::METHOD => {
                return Ok(Ended::ExitWithoutShutdown);
            }
            Message::Notification(notification) => {
                // A notification the server cannot read is dropped, as the protocol asks.
                if let Err(error) = notify(connection, &mut workspace, notification) {
                    super::output::write_stderr(&format!(
                        "policy lsp: {}\n",
                        crate::untrusted::Untrusted::new(error.to_string()).terminal()
                    ));
                }
            }
            Message::Response(_) => {}
        }
    }
    // The input ended (or its framing broke: `run` reports that).
    Ok(Ended::Done)
}

fn reply<T: serde::Serialize>(request: &Request, result: T) -> Response {
    Response::new_ok(request.id.clone(), result)
}

fn params<P: serde::de::DeserializeOwned>(request: &Request) -> Result<P, Response> {
    serde_json::from_value(request.params.clone())
        .map_err(|e| Response::new_err(request.id.clone(), ErrorCode::InvalidParams as i32, e.to_string()))
}

fn answer(workspace: &Workspace, request: Request) -> Response {
    let result = match request.method.as_str() {
        r::HoverRequest::METHOD => params::<lsp_types::HoverParams>(&request).map(|p| {
            let at = p.text_document_position_params;
            reply(&request, workspace.hover(&at.text_document.uri, at.position))
        }),
        r::Completion::METHOD => params::<lsp_types::CompletionParams>(&request).map(|p| {
            let at = p.text_document_position;
            reply(&request, workspace.completion(&at.text_document.uri, at.position))
        }),
        r::GotoDefinition::METHOD => params::<lsp_types::GotoDefinitionParams>(&request).map(|p| {
            let at = p.text_document_position_params;
            reply(&request, workspace.definition(&at.text_document.uri, at.position))
        }),
        r::Formatting::METHOD => params::<lsp_types::DocumentFormattingParams>(&request)
            .map(|p| reply(&request, workspace.formatting(&p.text_document.uri))),
        r::CodeActionRequest::METHOD => params::<lsp_types::CodeActionParams>(&request)
            .map(|p| reply(&request, quick_fixes(&p.text_document.uri, &p.context.diagnostics))),
        _ => Err(Response::new_err(
            request.id.clone(),
            ErrorCode::MethodNotFound as i32,
            format!("unknown method `{}`", request.method),
        )),
    };
    result.unwrap_or_else(|error| error)
}

fn notify(connection: &Connection, workspace: &mut Workspace, notification: Notification) -> Result<(), String> {
    let changed = match notification.method.as_str() {
        n::DidOpenTextDocument::METHOD => {
            let p: lsp_types::DidOpenTextDocumentParams = decode(notification)?;
            let uri = p.text_document.uri;
            workspace.update(uri.clone(), p.text_document.text);
            affected(uri)
        }
        n::DidChangeTextDocument::METHOD => {
            let p: lsp_types::DidChangeTextDocumentParams = decode(notification)?;
            // Full sync: the last change is the whole text.
            let Some(change) = p.content_changes.into_iter().last() else { return Ok(()) };
            let uri = p.text_document.uri;
            workspace.update(uri.clone(), change.text);
            affected(uri)
        }
        n::DidCloseTextDocument::METHOD => {
            let p: lsp_types::DidCloseTextDocumentParams = decode(notification)?;
            workspace.close(&p.text_document.uri);
            publish(connection, p.text_document.uri, Vec::new())?;
            Affected::None
        }
        n::DidSaveTextDocument::METHOD | n::DidChangeWatchedFiles::METHOD => {
            workspace.reload_config();
            Affected::All
        }
        _ => Affected::None,
    };
    let uris: Vec<_> = match changed {
        Affected::None => Vec::new(),
        Affected::One(uri) => vec![uri],
        // A policy's change can change every proposal's findings: all open documents again.
        Affected::All => workspace.uris().cloned().collect(),
    };
    for uri in uris {
        let diagnostics = workspace.diagnostics(&uri);
        publish(connection, uri, diagnostics)?;
    }
    Ok(())
}

/// The open documents whose diagnostics a change can change.
enum Affected {
    None,
    One(lsp_types::Uri),
    All,
}

/// A proposal's text is read by no other document (a template it imports is
/// read from disk, and a save re-checks everything); a policy file's is
/// read by every proposal and the set's other files.
fn affected(uri: lsp_types::Uri) -> Affected {
    match Kind::of(&uri) {
        // The config is read from disk: until it is saved, its own errors only.
        Kind::Proposal | Kind::Config => Affected::One(uri),
        Kind::Policy => Affected::All,
        Kind::Other => Affected::None,
    }
}

fn decode<P: serde::de::DeserializeOwned>(notification: Notification) -> Result<P, String> {
    serde_json::from_value(notification.params).map_err(|e| e.to_string())
}

fn publish(
    connection: &Connection,
    uri: lsp_types::Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
) -> Result<(), String> {
    let params = PublishDiagnosticsParams { uri, diagnostics, version: None };
    let notification = Notification::new(n::PublishDiagnostics::METHOD.into(), params);
    connection.sender.send(Message::Notification(notification)).map_err(|e| e.to_string())
}
