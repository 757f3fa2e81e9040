//! `policy lsp`: the language server over stdio. The protocol loop only:
//! what it answers is `archpolicy::lsp`.

use archpolicy::lsp::{Encoding, Workspace, quick_fixes, uri};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{self as n, Notification as _};
use lsp_types::request::{self as r, Request as _};
use lsp_types::{
    CodeActionProviderCapability, InitializeParams, OneOf, PositionEncodingKind, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
};

use super::output::{Exit, print_reports};

pub fn run() -> Exit {
    let (connection, threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    let joined = threads.join();
    match result.and(joined.map_err(|e| e.to_string())) {
        Ok(()) => Exit::Ok,
        Err(error) => {
            print_reports(&[miette::miette!(code = "archpolicy::lsp", "the language server stopped: {error}")]);
            Exit::Error
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

fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
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
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let mut workspace = Workspace::new(root, encoding);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                    return Ok(());
                }
                let response = answer(&workspace, request);
                connection.sender.send(Message::Response(response)).map_err(|e| e.to_string())?;
            }
            Message::Notification(notification) => {
                // A notification the server cannot read is dropped, as the protocol asks.
                if let Err(error) = notify(connection, &mut workspace, notification) {
                    super::output::write_stderr(&format!(
                        "policy lsp: {}\n",
                        archpolicy::untrusted::Untrusted::new(error.to_string()).terminal()
                    ));
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn reply<T: serde::Serialize>(request: &Request, result: T) -> Response {
    Response::new_ok(request.id.clone(), result)
}

fn params<P: serde::de::DeserializeOwned>(request: &Request) -> Result<P, Response> {
    serde_json::from_value(request.params.clone())
        .map_err(|e| Response::new_err(request.id.clone(), lsp_server::ErrorCode::InvalidParams as i32, e.to_string()))
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
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("unknown method `{}`", request.method),
        )),
    };
    result.unwrap_or_else(|error| error)
}

fn notify(connection: &Connection, workspace: &mut Workspace, notification: Notification) -> Result<(), String> {
    let changed = match notification.method.as_str() {
        n::DidOpenTextDocument::METHOD => {
            let p: lsp_types::DidOpenTextDocumentParams = decode(notification)?;
            workspace.update(p.text_document.uri.clone(), p.text_document.text);
            true
        }
        n::DidChangeTextDocument::METHOD => {
            let p: lsp_types::DidChangeTextDocumentParams = decode(notification)?;
            // Full sync: the last change is the whole text.
            let Some(change) = p.content_changes.into_iter().last() else { return Ok(()) };
            workspace.update(p.text_document.uri, change.text);
            true
        }
        n::DidCloseTextDocument::METHOD => {
            let p: lsp_types::DidCloseTextDocumentParams = decode(notification)?;
            workspace.close(&p.text_document.uri);
            publish(connection, p.text_document.uri, Vec::new())?;
            false
        }
        n::DidSaveTextDocument::METHOD | n::DidChangeWatchedFiles::METHOD => {
            workspace.reload_config();
            true
        }
        _ => false,
    };
    if changed {
        // A policy's change can change every proposal's findings: all open documents again.
        let uris: Vec<_> = workspace.uris().cloned().collect();
        for uri in uris {
            let diagnostics = workspace.diagnostics(&uri);
            publish(connection, uri, diagnostics)?;
        }
    }
    Ok(())
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
