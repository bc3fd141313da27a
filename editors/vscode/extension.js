// The Pathway extension for VS Code: the language (`pathway`, files `.pw`)
// and its TextMate grammar are declared in package.json; this file starts
// the language server, `pathway lsp` (docs/lsp.md), with the settings
// `pathway.server.path` and `pathway.server.args`, and restarts it when they
// change or on the command "Pathway: Restart the language server".
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

// The server as the settings say: a program and its arguments, speaking
// JSON-RPC over its standard input and output.
function serverOptions() {
  const config = vscode.workspace.getConfiguration('pathway');
  const command = config.get('server.path') || 'pathway';
  const args = config.get('server.args') || ['lsp'];
  return { command, args };
}

function clientOptions() {
  return {
    documentSelector: [
      { scheme: 'file', language: 'pathway' },
      { scheme: 'untitled', language: 'pathway' },
    ],
    // An included file changed on disk: the server recompiles what includes it.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.pw') },
  };
}

async function start() {
  client = new LanguageClient('pathway', 'Pathway language server', serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (err) {
    // A missing or broken `pathway`: say what to set instead of failing quietly.
    vscode.window.showErrorMessage(
      `Pathway: could not start "${serverOptions().command} ${serverOptions().args.join(' ')}" ` +
      `(${err.message}). Set "pathway.server.path" to the pathway program.`);
  }
}

async function restart() {
  if (client) {
    await client.stop().catch(() => {});
    client = undefined;
  }
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('pathway.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('pathway.server')) restart();
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
