// The archpolicy extension: starts `policy lsp` for policy files and
// proposals. `npm run bundle` bundles it with vscode-languageclient into
// dist/extension.js, the file package.json's `main` names.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('archpolicy').get('path') || 'policy';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'archpolicy' },
      { scheme: 'file', pattern: '**/*.arch.{yaml,yml,json}' },
      { scheme: 'file', pattern: '**/.archpolicy.yaml' },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.archpolicy.yaml,*.policy}'),
    },
  };
  client = new LanguageClient('archpolicy', 'archpolicy', server, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
