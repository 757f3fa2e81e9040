// Starts `policy lsp` as the extension does, under Node without VS Code:
// extension.js's own activate() builds the server and client options and the
// LanguageClient, and vscode-languageclient's own createMessageTransports
// turns them into a command line (it appends `--stdio` for
// TransportKind.stdio) and spawns it. Only `vscode` is a stub, and the
// client's start() speaks initialize and didOpen over vscode-jsonrpc instead
// of VS Code's UI. Prints the command line and the diagnostics as JSON.
//
// Usage: node test/start-server.js POLICY_BINARY WORKSPACE_DIR FILE
// Run by tests/editors_vscode.rs.
'use strict';

const Module = require('module');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const [binary, workspace, file] = process.argv.slice(2);

/** A stand-in for anything of the `vscode` API: callable, constructible, with any property. */
function stub(name, overrides = {}) {
  return new Proxy(function () {}, {
    get(_, prop) {
      if (prop in overrides) return overrides[prop];
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      return stub(`${name}.${String(prop)}`);
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

const vscode = stub('vscode', {
  version: '1.82.0',
  workspace: stub('vscode.workspace', {
    // The setting `archpolicy.path`: the binary under test.
    getConfiguration: (section) => ({ get: (key) => (section === 'archpolicy' && key === 'path' ? binary : undefined) }),
    workspaceFolders: [{ uri: { scheme: 'file', fsPath: workspace }, name: 'ws', index: 0 }],
  }),
});

const load = Module._load;
let Probe;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node' && Probe) return { ...real, LanguageClient: Probe };
  return load.call(this, request, parent, isMain);
};

const real = require('vscode-languageclient/node');
const { createMessageConnection } = require('vscode-jsonrpc/node');

function fail(message) {
  console.error(message);
  process.exit(1);
}
setTimeout(() => fail('no diagnostics within 20 s'), 20000).unref();

Probe = class extends real.LanguageClient {
  async start() {
    const { reader, writer } = await this.createMessageTransports('utf-8');
    const server = this._serverProcess;
    let stderr = '';
    server.stderr.on('data', (d) => (stderr += d));
    server.on('exit', (code) => fail(`the server exited (${code}) before answering: ${stderr}`));
    const connection = createMessageConnection(reader, writer);
    const uri = pathToFileURL(file).href;
    const diagnostics = new Promise((resolve) =>
      connection.onNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && resolve(p.diagnostics)),
    );
    connection.listen();
    const init = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      capabilities: {},
    });
    connection.sendNotification('initialized', {});
    const languageId = file.endsWith('.policy') ? 'archpolicy' : 'yaml';
    connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text: fs.readFileSync(file, 'utf8') },
    });
    const result = {
      spawnargs: server.spawnargs,
      documentSelector: this.clientOptions.documentSelector,
      capabilities: Object.keys(init.capabilities),
      diagnostics: await diagnostics,
    };
    server.removeAllListeners('exit');
    await connection.sendRequest('shutdown');
    connection.sendNotification('exit');
    console.log(JSON.stringify(result));
  }
};

const extension = require(path.join(__dirname, '..', 'extension.js'));
const context = { subscriptions: [] };
Promise.resolve(extension.activate(context)).catch((e) => fail(e && e.stack ? e.stack : String(e)));
