// Tokenizes the standard pack (policies/*.policy) with the TextMate grammar
// under vscode-textmate and vscode-oniguruma, as VS Code does, and checks
// that every non-blank piece of text gets a scope and that keywords,
// comments, strings, policy ids and literals get theirs.
// Run by tests/grammar.rs when node_modules is present (`npm install` here).
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const here = __dirname;
const repo = path.resolve(here, '../../..');
const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;

async function main() {
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope !== 'source.archpolicy') return null;
      const file = path.join(here, '../syntaxes/archpolicy.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.archpolicy');
  const dir = path.join(repo, 'policies');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.policy')).sort();
  if (files.length === 0) throw new Error('no policy files in ' + dir);
  const failures = [];
  const seen = new Map();
  let tokens = 0;
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    let state = vsctm.INITIAL;
    lines.forEach((line, i) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      for (const token of result.tokens) {
        const text = line.slice(token.startIndex, token.endIndex);
        tokens += 1;
        if (text.trim() !== '' && token.scopes.length < 2) {
          failures.push(`${file}:${i + 1}: \`${text}\` has no scope`);
        }
        const scope = token.scopes[token.scopes.length - 1];
        if (!seen.has(text.trim())) seen.set(text.trim(), scope);
      }
    });
  }
  const expect = {
    policy: 'storage.type.policy.archpolicy',
    param: 'storage.type.param.archpolicy',
    test: 'storage.type.archpolicy',
    title: 'keyword.other.clause.archpolicy',
    when: 'keyword.other.clause.archpolicy',
    require: 'keyword.other.clause.archpolicy',
    help: 'keyword.other.clause.archpolicy',
    docs: 'keyword.other.clause.archpolicy',
    else: 'keyword.control.else.archpolicy',
    or: 'keyword.operator.logical.archpolicy',
    implies: 'keyword.operator.logical.archpolicy',
    'gateway-sync-limit': 'entity.name.function.policy.archpolicy',
    deny: 'constant.language.severity.archpolicy',
    '29s': 'constant.numeric.quantity.archpolicy',
    '==': 'keyword.operator.comparison.archpolicy',
  };
  for (const [text, scope] of Object.entries(expect)) {
    if (seen.get(text) !== scope) failures.push(`\`${text}\` is ${seen.get(text)}, expected ${scope}`);
  }
  // The grammar follows the parser: interpolation only in `else` and `help`
  // messages, only the language's escapes, no string across lines.
  const snippet = [
    'policy p: deny {',
    '  title "t {workload.peak_rps}"',
    '  require true else "m {workload.peak_rps} \\n \\u00e9"',
    '  help "h {name}"',
    '  docs "unclosed',
    '  when true',
    '}',
  ];
  const scopesOf = new Map();
  let snippetState = vsctm.INITIAL;
  snippet.forEach((line, i) => {
    const result = grammar.tokenizeLine(line, snippetState);
    snippetState = result.ruleStack;
    for (const token of result.tokens) {
      scopesOf.set(`${i}:${line.slice(token.startIndex, token.endIndex)}`, token.scopes);
    }
  });
  const has = (key, scope) => (scopesOf.get(key) || []).some((s) => s.startsWith(scope));
  const checks = [
    ['1:{', 'invalid.illegal.brace'],
    ['2:workload.peak_rps', 'variable.other.fact'],
    ['2:\\n', 'constant.character.escape'],
    ['2:\\u', 'invalid.illegal.escape'],
    ['3:name', 'variable.other.fact'],
    ['3:help', 'keyword.other.clause'],
    ['2:else', 'keyword.control.else'],
    ['5:when', 'keyword.other.clause'],
  ];
  for (const [key, scope] of checks) {
    if (!has(key, scope)) failures.push(`snippet \`${key}\` is ${JSON.stringify(scopesOf.get(key))}, expected ${scope}`);
  }
  const comment = [...seen.entries()].find(([t]) => t.startsWith('#'));
  if (!comment || !comment[1].startsWith('comment.line')) failures.push('comments are not scoped as comments');
  if (failures.length > 0) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
  console.log(`tokenized ${files.length} files, ${tokens} tokens`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
