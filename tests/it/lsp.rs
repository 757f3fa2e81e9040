//! `policy lsp` as an editor runs it: a child process spoken to in JSON-RPC
//! over its pipes, on a policy file and on a proposal, with errors and with
//! non-ASCII text, each answer checked.

#[path = "../lsp/client.rs"]
mod client;

use client::Client;
use serde_json::{Value, json};

use crate::common::QUICK_REQUESTS as POLICY;

fn proposal(extra: &str) -> String {
    format!(
        "name: café-api\npattern: lambda_api_gateway\nenvironment: production\ntags: {{ team: \"équipe 😀\" }}\n\
         workload: {{ requests_per_month: 1000000, avg_duration: 80ms, max_request_duration: 20s, peak_rps: 5 }}\n\
         gateway: {{ api: http }}\n\
         function:\n  runtime: python3.13\n  memory: 512MiB\n  timeout: 25s\n{extra}"
    )
}

/// A workspace: `.archpolicy.yaml` naming `org.policy`.
fn workspace() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".archpolicy.yaml"), "policies: [org.policy]\n").unwrap();
    std::fs::write(dir.path().join("org.policy"), POLICY).unwrap();
    let root = archpolicy::lsp::uri::from_path(dir.path()).unwrap().as_str().to_string();
    (dir, root)
}

fn start(root: &str, utf8: bool) -> Client {
    let mut client = Client::start();
    let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
    let result = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": root, "capabilities": { "general": { "positionEncodings": encodings } } }),
    );
    assert_eq!(result["capabilities"]["positionEncoding"], if utf8 { "utf-8" } else { "utf-16" });
    assert_eq!(result["capabilities"]["hoverProvider"], true);
    client.notify("initialized", json!({}));
    client
}

fn open(client: &mut Client, uri: &str, language: &str, text: &str) -> Vec<Value> {
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
    );
    client.diagnostics(uri)
}

fn change(client: &mut Client, uri: &str, version: i64, text: &str) -> Vec<Value> {
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
    );
    client.diagnostics(uri)
}

fn at(uri: &str, line: usize, character: usize) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// The line and UTF-16 column of the first `needle` in `text`.
fn find(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (text[..offset].matches('\n').count(), text[line_start..offset].encode_utf16().count())
}

fn hover_text(client: &mut Client, uri: &str, (line, character): (usize, usize)) -> String {
    let hover = client.request("textDocument/hover", at(uri, line, character + 1));
    hover["contents"]["value"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_policy_file_is_checked_completed_explained_formatted_and_fixed() {
    let (_dir, root) = workspace();
    let mut client = start(&root, false);
    let uri = format!("{root}/org.policy");
    assert_eq!(open(&mut client, &uri, "archpolicy", POLICY), Vec::<Value>::new());

    // A typo after non-ASCII text: the range counts UTF-16 units.
    let broken = POLICY.replace("title   \"Requests are quick\"", "title   \"Requêtes rapides 😀\"").replace(
        "require workload.max_request_duration <= max_duration\n",
        "require name != \"é😀\" and workload.max_reqest_duration <= max_duration\n",
    );
    let diagnostics = change(&mut client, &uri, 2, &broken);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert!(d["message"].as_str().unwrap().starts_with("unknown fact `workload.max_reqest_duration`"), "{d}");
    assert!(d["message"].as_str().unwrap().contains("help: did you mean `workload.max_request_duration`?"), "{d}");
    let (line, character) = find(&broken, "workload.max_reqest_duration");
    assert_eq!(d["range"]["start"], json!({ "line": line, "character": character }));
    assert_eq!(d["range"]["end"]["character"], character + "workload.max_reqest_duration".len());
    assert_eq!(d["code"], "archpolicy::check::unknown_fact");

    // The did-you-mean is a quick fix.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(edit["newText"], "workload.max_request_duration");
    assert_eq!(edit["range"], d["range"]);

    // Back to a file that checks: the diagnostics are cleared.
    assert_eq!(change(&mut client, &uri, 3, POLICY), Vec::<Value>::new());

    let fact = hover_text(&mut client, &uri, find(POLICY, "max_request_duration <="));
    assert!(fact.contains("**fact `workload.max_request_duration`**: duration"), "{fact}");
    let param = hover_text(&mut client, &uri, find(POLICY, "max_duration\n"));
    assert!(
        param.contains("**param `max_duration`**: `duration` = `10s`") && param.contains("the longest request"),
        "{param}"
    );

    // Completion of a dotted path replaces what was typed.
    let typing = POLICY.replace("<= max_duration\n", "<= max_duration and workload.pea\n");
    change(&mut client, &uri, 4, &typing);
    let (line, character) = find(&typing, "workload.pea");
    let items = client.request("textDocument/completion", at(&uri, line, character + "workload.pea".len()));
    let peak = items.as_array().unwrap().iter().find(|i| i["label"] == "workload.peak_rps").expect("workload.peak_rps");
    assert_eq!(peak["textEdit"]["range"]["start"], json!({ "line": line, "character": character }));
    assert!(items.as_array().unwrap().iter().all(|i| i["label"].as_str().unwrap().starts_with("workload.pea")));
    change(&mut client, &uri, 5, POLICY);

    // Go to the param's declaration.
    let (line, character) = find(POLICY, "max_duration\n");
    let location = client.request("textDocument/definition", at(&uri, line, character + 2));
    assert_eq!(location["uri"], uri);
    assert_eq!(location["range"]["start"], json!({ "line": 0, "character": 6 }));

    // Formatting through `policy fmt`'s code.
    let messy = POLICY.replace("  title   \"Requests are quick\"", "title \"Requests are quick\"");
    change(&mut client, &uri, 6, &messy);
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["newText"], archpolicy::policy::format_source(&messy).unwrap());
    client.stop();
}

#[test]
fn a_proposal_gets_its_load_errors_and_the_workspace_policies_findings() {
    let (_dir, root) = workspace();
    let mut client = start(&root, false);
    let uri = format!("{root}/caf%C3%A9.arch.yaml");
    let text = proposal(
        "waivers:\n  - { policy: quick-requests, reason: \"lancement\", expires: 2099-01-01, approved_by: \"@plat\" }\n",
    );
    let diagnostics = open(&mut client, &uri, "yaml", &text);
    let finding = diagnostics.iter().find(|d| d["code"] == "quick-requests").expect("the org policy's finding");
    assert!(
        finding["message"].as_str().unwrap().starts_with("Requests are quick: requests run up to 20s"),
        "{finding}"
    );
    assert!(finding["message"].as_str().unwrap().contains("waived until 2099-01-01"), "{finding}");
    assert_eq!(finding["relatedInformation"][0]["location"]["uri"], format!("{root}/org.policy"));

    // A misspelt key after non-ASCII text: a load error with its quick fix.
    let typo = text.replace("  timeout: 25s", "  timout: 25s");
    let diagnostics = change(&mut client, &uri, 2, &typo);
    let d = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with("unknown key `timout`"))
        .expect("unknown key");
    // The label under the span says what the message says: not repeated.
    assert!(!d["message"].as_str().unwrap().contains("(unknown key)"), "{d}");
    let (line, character) = find(&typo, "timout");
    assert_eq!(d["range"]["start"], json!({ "line": line, "character": character }));
    assert_eq!(d["data"]["replace"], "timeout");
    change(&mut client, &uri, 3, &text);

    let key = hover_text(&mut client, &uri, find(&text, "timeout: 25s"));
    assert!(
        key.contains("**`function.timeout`**") && key.contains("900") && key.contains("docs.aws.amazon.com/lambda"),
        "{key}"
    );
    let waiver = hover_text(&mut client, &uri, find(&text, "quick-requests"));
    assert!(waiver.contains("**policy `quick-requests`** (warn)"), "{waiver}");

    // Keys of the section not written yet (`memory` is), and a key's values.
    let typing = text.replace("  timeout: 25s\n", "  timeout: 25s\n  arch\n");
    change(&mut client, &uri, 4, &typing);
    let (line, _) = find(&typing, "  arch\n");
    let items = client.request("textDocument/completion", at(&uri, line, 6));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(
        labels.contains(&"architecture") && !labels.contains(&"memory") && !labels.contains(&"peak_rps"),
        "{labels:?}"
    );
    let typing = text.replace("  timeout: 25s\n", "  timeout: 25s\n  architecture: \n");
    change(&mut client, &uri, 5, &typing);
    let items = client.request("textDocument/completion", at(&uri, line, 16));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["x86_64", "arm64"]);
    change(&mut client, &uri, 6, &text);

    // From the waiver to the policy's declaration.
    let (line, character) = find(&text, "quick-requests");
    let location = client.request("textDocument/definition", at(&uri, line, character + 3));
    assert_eq!(location["uri"], format!("{root}/org.policy"));
    assert_eq!(location["range"]["start"], json!({ "line": 2, "character": 7 }));
    client.stop();
}

#[test]
fn utf8_positions_when_the_client_negotiates_them() {
    let (_dir, root) = workspace();
    let mut client = start(&root, true);
    let uri = format!("{root}/%C3%BCn%C3%AF.arch.yaml");
    let text = proposal("").replace(
        "function:\n  runtime: python3.13\n  memory: 512MiB\n  timeout: 25s\n",
        "function: { runtime: python3.13, \"é😀\": 1, memory: 512MiB, timout: 25s }\n",
    );
    let diagnostics = open(&mut client, &uri, "yaml", &text);
    let d = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with("unknown key `timout`"))
        .expect("unknown key");
    let offset = text.find("timout").unwrap();
    let line_start = text[..offset].rfind('\n').unwrap() + 1;
    assert_eq!(d["range"]["start"]["character"], offset - line_start);
    client.stop();
}

#[test]
fn the_config_example_of_docs_editors_reads() {
    let doc = std::fs::read_to_string("docs/editors.md").unwrap();
    let block = doc.split("```yaml\n").nth(1).unwrap().split("```").next().unwrap();
    let file = archpolicy::SourceFile::new("docs/editors.md", block);
    let config = archpolicy::lsp::Config::parse(std::path::Path::new("/ws"), &file).unwrap();
    assert_eq!(config.policies.len(), 2);
    assert!(config.with_standard);
    assert_eq!(config.params[1], ("max_request_time".to_string(), "20s".to_string()));
}

#[test]
fn editing_the_standard_pack_in_this_repository_checks_it_as_the_set() {
    use archpolicy::lsp::{Encoding, Workspace, uri};
    let root = std::env::current_dir().unwrap();
    let mut ws = Workspace::new(Some(root.clone()), Encoding::Utf16);
    let file = root.join("policies/security.policy");
    let policy = uri::from_path(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    ws.update(policy.clone(), text.clone());
    assert_eq!(ws.diagnostics(&policy), Vec::new(), "the pack's own file is not a duplicate of itself");
    // An edit reaches the proposals: a typo in the pack is an error in the pack...
    ws.update(policy.clone(), text.replacen("require", "require not_a_fact and", 1));
    let errors = ws.diagnostics(&policy);
    assert!(errors[0].message.starts_with("unknown name `not_a_fact`"), "{errors:?}");
    // ...and a proposal then says the workspace's policies do not check.
    let proposal = uri::from_path(&root.join("examples/fargate_alb.arch.yaml")).unwrap();
    ws.update(proposal.clone(), std::fs::read_to_string("examples/fargate_alb.arch.yaml").unwrap());
    let refused = ws.diagnostics(&proposal);
    assert!(refused[0].message.starts_with("the workspace's policies do not check"), "{refused:?}");
}

/// A proposal standing on `app.yaml` (the orders template, its function's
/// timeout 20 s) and a policy `short-functions` that fails above 10 s.
fn template_workspace() -> (tempfile::TempDir, String, String) {
    let (dir, root) = workspace();
    let template = std::fs::read_to_string("tests/fixtures/import/orders-template.yaml").unwrap();
    std::fs::write(dir.path().join("app.yaml"), &template).unwrap();
    let short = "\npolicy short-functions: warn {\n  title   \"Functions stop quickly\"\n  when    pattern == lambda_api_gateway\n  \
                 require function.timeout <= 10s else \"functions run up to {function.timeout}\"\n}\n";
    std::fs::write(dir.path().join("org.policy"), format!("{POLICY}{short}")).unwrap();
    (dir, root, template)
}

const ORDERS: &str = "name: orders\nenvironment: production\nimport: { from: app.yaml, select: OrdersFunction }\n\
                      workload: { requests_per_month: 1000000, avg_duration: 80ms, max_request_duration: 5s, peak_rps: 5 }\n";

/// A proposal that stands on a template: errors and findings whose place is
/// in the template are shown on the document with the template's place as
/// related information.
#[test]
fn a_proposal_standing_on_a_template_points_into_it() {
    let (_dir, root, template) = template_workspace();
    let text = ORDERS;
    let mut client = start(&root, false);
    let uri = format!("{root}/orders.arch.yaml");
    // The org policy fails on the function's 20 s, which only the template says.
    let diagnostics = open(&mut client, &uri, "yaml", text);
    let finding = diagnostics.iter().find(|d| d["code"] == "short-functions").expect("the org policy's finding");
    let (line, character) = find(text, "import");
    assert_eq!(finding["range"]["start"], json!({ "line": line, "character": character }), "{finding}");
    let (line, character) = find(&template, "20\n      Events");
    let related = &finding["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], format!("{root}/app.yaml"));
    assert_eq!(related["range"]["start"], json!({ "line": line, "character": character }));
    // A conflict: the proposal's value in the document, the template's as related information.
    let conflict = format!("{text}function: {{ timeout: 30s }}\n");
    let diagnostics = change(&mut client, &uri, 2, &conflict);
    let d = diagnostics.iter().find(|d| d["code"] == "archpolicy::load::import_conflict").expect("a conflict");
    let (line, character) = find(&conflict, "30s");
    assert_eq!(d["range"]["start"], json!({ "line": line, "character": character }));
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], format!("{root}/app.yaml"));
    let (line, character) = find(&template, "20\n      Events");
    assert_eq!(related["location"]["range"]["start"], json!({ "line": line, "character": character }));
    client.stop();
}

/// Issue 23's measure: a proposal's edit re-checks that proposal only (no
/// other document reads its text), and the proposals a server keeps loaded
/// are read again when a file is saved (a template they import).
#[test]
fn a_proposal_edit_republishes_only_itself_and_a_saved_template_is_read_again() {
    let (dir, root, template) = template_workspace();
    let text = ORDERS;
    let mut client = start(&root, false);
    let imported = format!("{root}/orders.arch.yaml");
    let has_short = |d: &[Value]| d.iter().any(|d| d["code"] == "short-functions");
    assert!(has_short(&open(&mut client, &imported, "yaml", text)));
    let other = format!("{root}/other.arch.yaml");
    assert!(!open(&mut client, &other, "yaml", &proposal("")).is_empty());

    let diagnostics = change(&mut client, &other, 2, &proposal("").replace("timeout: 25s", "timeout: 26s"));
    assert!(!diagnostics.is_empty());
    // Answers come in order: a publication the edit caused would be read by now.
    client.request("textDocument/hover", at(&other, 0, 0));
    assert_eq!(client.unread_diagnostics(), Vec::<String>::new(), "a proposal's edit re-checked other documents");

    // The template's function now stops in 5 s; saving it re-reads it.
    std::fs::write(dir.path().join("app.yaml"), template.replace("Timeout: 20", "Timeout: 5")).unwrap();
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": format!("{root}/app.yaml") } }));
    assert!(!has_short(&client.diagnostics(&imported)), "the saved template was not read again");
    client.stop();
}

/// Issue 23: the repository's own `policies/tests.policy` is checked with
/// the policies it tests, as `policy test policies` is: no false "unknown
/// name" for the pack's params and policies.
#[test]
fn a_test_file_is_checked_with_the_policies_of_its_folder() {
    use archpolicy::lsp::{Encoding, Workspace, uri};
    let root = std::env::current_dir().unwrap();
    let mut ws = Workspace::new(Some(root.clone()), Encoding::Utf16);
    let file = root.join("policies/tests.policy");
    let tests = uri::from_path(&file).unwrap();
    ws.update(tests.clone(), std::fs::read_to_string(&file).unwrap());
    assert_eq!(ws.diagnostics(&tests), Vec::new(), "tests.policy checks with the pack it tests");
    // A real error in it is still one.
    let text = std::fs::read_to_string(&file).unwrap().replacen("expect ", "expect no-such-policy: pass\n  expect ", 1);
    ws.update(tests.clone(), text);
    let errors = ws.diagnostics(&tests);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("no-such-policy"), "{errors:?}");
}

/// Issue 23: a standalone policy file is offered only the params it can
/// use, and keeps its own while an edit does not parse; go to definition
/// never names a file that is not there.
#[test]
fn a_standalone_file_sees_its_own_params_and_keeps_them_while_it_does_not_parse() {
    use archpolicy::lsp::{Encoding, Workspace, uri};
    let (dir, _) = workspace();
    let mut ws = Workspace::new(Some(dir.path().to_path_buf()), Encoding::Utf16);
    let file = dir.path().join("alone.policy");
    let alone = uri::from_path(&file).unwrap();
    let text =
        "param own_limit: duration = 5s\n\npolicy p: warn {\n  require workload.max_request_duration <= own_limit\n}\n";
    ws.update(alone.clone(), text.to_string());
    let labels = |ws: &Workspace, text: &str| -> Vec<String> {
        let line = text.lines().count() - 1;
        let character = text.lines().last().unwrap().len() as u32;
        ws.completion(&alone, lsp_types::Position::new(line as u32, character)).into_iter().map(|i| i.label).collect()
    };
    let typing = format!("{text}policy q: warn {{\n  require ");
    ws.update(alone.clone(), typing.clone());
    let offered = labels(&ws, &typing);
    assert!(offered.contains(&"own_limit".to_string()), "{offered:?}");
    assert!(!offered.contains(&"max_duration".to_string()), "the workspace's param is not this file's: {offered:?}");
    // Go to definition of the param, from the unparsed edit, lands in the document.
    let at = typing.find("<= own_limit").unwrap() + 4;
    let line = typing[..at].matches('\n').count() as u32;
    let character = (at - typing[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
    let location = ws.definition(&alone, lsp_types::Position::new(line, character)).expect("a definition");
    assert_eq!(location.uri, alone);
    // The standard pack, not on disk in this workspace: no definition rather than a file that is not there.
    let proposal = uri::from_path(&dir.path().join("p.arch.yaml")).unwrap();
    let waiver = format!(
        "{}waivers:\n  - {{ policy: gateway-sync-limit, reason: r, expires: 2030-01-01, approved_by: a }}\n",
        proposal_text()
    );
    ws.update(proposal.clone(), waiver.clone());
    let at = waiver.find("gateway-sync-limit").unwrap() + 3;
    let line = waiver[..at].matches('\n').count() as u32;
    let character = (at - waiver[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
    let location = ws.definition(&proposal, lsp_types::Position::new(line, character));
    assert!(location.as_ref().is_none_or(|l| uri::to_path(&l.uri).is_some_and(|p| p.exists())), "{location:?}");
}

fn proposal_text() -> String {
    proposal("")
}

// ------------------------------------------------------- framing (issue 22)
//
// The server reads its own frames (`archpolicy::lsp::framing`): a body that
// is not a message is answered and the server goes on; a `Content-Length`
// above the limit is answered, then its body skipped unread; broken headers
// stop the server with what is wrong.

const LIMIT: u64 = archpolicy::lsp::framing::MAX_CONTENT_LENGTH;

fn framed(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn initialized(args: &[&str], capture_stderr: bool) -> Client {
    let mut client = Client::start_with(args, capture_stderr);
    let result = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
    assert_eq!(result["serverInfo"]["name"], "policy lsp");
    client.notify("initialized", json!({}));
    client
}

/// A request the server answers from any state: formatting a document it does not have.
fn still_answers(client: &mut Client) {
    let edits = client.request("textDocument/formatting", json!({ "textDocument": { "uri": "file:///nowhere.policy" }, "options": { "tabSize": 2, "insertSpaces": true } }));
    assert_eq!(edits, Value::Null);
}

fn error_of(message: &Value) -> (i64, String) {
    (message["error"]["code"].as_i64().unwrap(), message["error"]["message"].as_str().unwrap().to_string())
}

#[test]
fn the_stdio_flag_vscode_adds_is_accepted() {
    initialized(&["lsp", "--stdio"], false).stop();
}

/// A client or launcher that closes the pipe between messages (before
/// `initialize`, or after it without `exit`) ends the server quietly with
/// success; only a message cut short is an error (exit 2).
/// `.archpolicy.yaml` open in the editor: a misspelt key shows on it, at
/// the key, as it is typed; a path that is not there, once saved.
#[test]
fn the_config_document_shows_its_own_errors_at_their_place() {
    let (dir, root) = workspace();
    let mut client = start(&root, false);
    let uri = format!("{root}/.archpolicy.yaml");
    let text = "policies: [org.policy]\n";
    assert_eq!(open(&mut client, &uri, "yaml", text), Vec::<Value>::new());
    let typo = "policies: [org.policy]\nwith_standrd: true\n";
    let diagnostics = change(&mut client, &uri, 2, typo);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["message"], "unknown key `with_standrd`: did you mean `with_standard`?");
    assert_eq!(diagnostics[0]["range"]["start"], json!({ "line": 1, "character": 0 }), "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["end"], json!({ "line": 1, "character": "with_standrd".len() }));
    // Saved naming a file that is not there: the set's error, on the config too.
    let missing = "policies: [org.policy, gone.policy]\n";
    std::fs::write(dir.path().join(".archpolicy.yaml"), missing).unwrap();
    change(&mut client, &uri, 3, missing);
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri } }));
    let diagnostics = client.diagnostics(&uri);
    assert!(diagnostics.iter().any(|d| d["message"].as_str().unwrap().contains("gone.policy")), "{diagnostics:?}");
    client.stop();
}

/// The protocol: "exit with success code 0 if the shutdown request has been
/// received before; otherwise with error code 1".
#[test]
fn exit_without_shutdown_exits_1() {
    let mut client = initialized(&["lsp"], true);
    client.notify("exit", Value::Null);
    let (status, stderr) = client.finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`exit` came before `shutdown`"), "{stderr}");
}

#[test]
fn a_closed_input_between_messages_ends_the_server_quietly() {
    let (status, stderr) = Client::start_with(&["lsp", "--stdio"], true).finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    let (status, stderr) = initialized(&["lsp", "--stdio"], true).finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    let mut cut = Client::start_with(&["lsp", "--stdio"], true);
    cut.send_raw(b"Content-Length: 40\r\n\r\n{\"jsonrpc\"").unwrap();
    let (status, stderr) = cut.finish();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the input ended inside a message"), "{stderr}");
}

#[test]
fn a_body_that_is_not_json_is_a_parse_error_and_the_server_goes_on() {
    let mut client = initialized(&["lsp"], false);
    client.send_raw(&framed("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": ")).unwrap();
    let answer = client.next_message();
    assert_eq!(answer["id"], Value::Null, "{answer}");
    let (code, message) = error_of(&answer);
    assert_eq!(code, -32700);
    assert!(message.starts_with("the message is not JSON: EOF while parsing"), "{message}");
    client.send_raw(b"Content-Length: 2\r\n\r\n\xff\xfe").unwrap();
    assert_eq!(error_of(&client.next_message()).0, -32700);

    still_answers(&mut client);
    client.stop();
}

#[test]
fn json_that_is_not_a_request_is_an_invalid_request_with_its_id() {
    let mut client = initialized(&["lsp"], false);
    let cases = [
        (r#"{"jsonrpc": "2.0", "id": 41, "method": 5}"#, json!(41)),
        (r#"{"jsonrpc": "2.0", "id": "x", "params": {}}"#, json!("x")),
        (r#"{"id": 42, "method": "textDocument/hover"}"#, json!(42)),
        (r#"[{"jsonrpc": "2.0", "id": 43, "method": "shutdown"}]"#, Value::Null),
        ("17", Value::Null),
    ];
    for (body, id) in cases {
        client.send_raw(&framed(body)).unwrap();
        let answer = client.next_message();
        assert_eq!(answer["id"], id, "{body}: {answer}");
        assert_eq!(error_of(&answer).0, -32600, "{body}: {answer}");
    }
    still_answers(&mut client);
    client.stop();
}

#[test]
fn a_body_above_the_limit_is_refused_skipped_and_the_next_request_answered() {
    let mut client = initialized(&["lsp"], true);
    let length = LIMIT + 1;
    // The body holds a framed `shutdown` the server must not read as a message.
    let mut body = framed(r#"{"jsonrpc": "2.0", "id": 1000, "method": "shutdown"}"#);
    body.resize(usize::try_from(length).unwrap(), b' ');
    client.send_raw(format!("Content-Length: {length}\r\n\r\n").as_bytes()).unwrap();
    client.send_raw(&body).unwrap();
    let answer = client.next_message();
    assert_eq!(answer["id"], Value::Null, "{answer}");
    assert_eq!(
        error_of(&answer),
        (-32600, format!("a message of {length} bytes is above the limit of {LIMIT} bytes: it is skipped unread"))
    );
    still_answers(&mut client);
    client.stop();
}

/// A `Content-Length` of a gigabyte and of 2^40, then a few bytes: the server
/// answers at once (it reads no body it would keep, and allocates none), its
/// memory stays small, and when the input ends inside the body it stops with
/// that message.
#[test]
fn a_content_length_of_a_gigabyte_or_two_to_the_forty_allocates_nothing() {
    for length in [1_000_000_000_u64, 1 << 40] {
        let mut client = initialized(&["lsp"], true);
        let mut input = format!("Content-Length: {length}\r\n\r\n").into_bytes();
        input.extend(std::iter::repeat_n(b'{', 100_000));
        client.send_raw(&input).unwrap();
        let answer = client.next_message();
        assert_eq!(
            error_of(&answer),
            (-32600, format!("a message of {length} bytes is above the limit of {LIMIT} bytes: it is skipped unread"))
        );
        #[cfg(target_os = "linux")]
        {
            let peak = client.peak_memory_kib();
            assert!(peak < 64 * 1024, "`policy lsp` held {peak} KiB");
        }
        let (status, stderr) = client.finish();
        assert_eq!(status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("policy lsp: a message of {length} bytes is above the limit")), "{stderr}");
        assert!(stderr.contains("the language server stopped: the input ended inside a message"), "{stderr}");
    }
}

#[test]
fn headers_without_end_stop_the_server_with_a_message() {
    let mut client = initialized(&["lsp"], true);
    // The server stops reading after 16 lines: a write may find the pipe closed.
    let _ = client.send_raw("X-Header: value\r\n".repeat(10_000).as_bytes());
    let (status, stderr) = client.finish();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the language server stopped: a message has more than 16 header lines"), "{stderr}");
}

#[test]
fn a_header_line_of_megabytes_stops_the_server_with_a_message() {
    let mut client = initialized(&["lsp"], true);
    let mut line = b"Content-Type: ".to_vec();
    line.resize(4 << 20, b'a');
    let _ = client.send_raw(&line);
    let (status, stderr) = client.finish();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the language server stopped: a header line is longer than 1024 bytes"), "{stderr}");
}

/// Issue 26: hovering a policy id says which patterns the policy applies to
/// and which components it reads, as `policy explain` does.
#[test]
fn hover_on_a_policy_says_where_it_applies_and_what_it_reads() {
    use archpolicy::lsp::{Encoding, Workspace, uri};
    let (dir, _) = workspace();
    let mut ws = Workspace::new(Some(dir.path().to_path_buf()), Encoding::Utf16);
    let policy_uri = uri::from_path(&dir.path().join("org.policy")).unwrap();
    let text = "policy fn-memory: warn {\n  when function is set\n  require function.memory >= 256MiB\n}\n";
    ws.update(policy_uri.clone(), text.to_string());
    assert_eq!(ws.diagnostics(&policy_uri), Vec::new());
    let hover = ws.hover(&policy_uri, lsp_types::Position::new(0, 9)).expect("a hover on the id");
    let lsp_types::HoverContents::Markup(markup) = hover.contents else { panic!("markdown hover") };
    assert!(markup.value.contains("Applies to: `lambda_api_gateway`"), "{}", markup.value);
    assert!(!markup.value.contains("fargate_alb"), "{}", markup.value);
    assert!(markup.value.contains("Reads: `function`"), "{}", markup.value);
}
