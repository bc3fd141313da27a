// editors.textmate: tokenises rule files with the VS Code extension's
// TextMate grammar (editors/vscode/syntaxes/pathway.tmLanguage.json) through
// vscode-textmate and vscode-oniguruma, the libraries VS Code itself uses,
// and writes each file's tokens (line:column, text, scopes) for comparison
// with a golden file. It also fails (exit 1) when
//   - a token that is not layout has only the root scope source.pathway:
//     some construct is not highlighted;
//   - a reserved word of the scanner (every `"word" { return T_...; }` rule
//     of grammar/lexer.l) outside a comment or a string is not scoped as a
//     keyword (keyword.*, storage.type.* or constant.language.*);
//   - the fixture (--fixture FILE) lacks a reserved word outside comments
//     and strings, so that a keyword added to the scanner and not to the
//     fixture and the grammar fails here.
// usage: node textmate.js GRAMMAR LEXER_L OUT_DIR ROOT [--fixture] FILE...
//   FILE is relative to ROOT; its tokens go to OUT_DIR/FILE with `/` as `__`
//   and `.tokens` appended.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const [grammarPath, lexerPath, outDir, root, ...rest] = process.argv.slice(2);
const ROOT_SCOPE = 'source.pathway';
const KEYWORD_SCOPE = /^(keyword|storage\.type|constant\.language)\./;
const PROSE_SCOPE = /^(comment|string)\./;

function reservedWords() {
  const words = new Set();
  for (const m of fs.readFileSync(lexerPath, 'utf8').matchAll(/^"([A-Za-z]+)"\s+\{/gm))
    words.add(m[1]);
  return words;
}

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => scope === ROOT_SCOPE
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar(ROOT_SCOPE);
}

// A scope as the golden files show it: without the language suffix.
const short = (s) => s.replace(/\.pathway$/, '');

// Tokenises one file; returns its golden text and adds to `problems`.
function tokenise(grammar, rel, reserved, seen, problems) {
  const lines = fs.readFileSync(path.join(root, rel), 'utf8').split('\n');
  let stack = vsctm.INITIAL;
  const out = [];
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      const text = line.slice(t.startIndex, t.endIndex);
      if (!text.trim()) continue;
      const where = `${rel}:${i + 1}:${t.startIndex + 1}`;
      const scopes = t.scopes.filter((s) => s !== ROOT_SCOPE);
      out.push(`${i + 1}:${t.startIndex + 1} ${JSON.stringify(text)} ${scopes.map(short).join(' ')}`);
      if (scopes.length === 0) {
        problems.push(`${where}: ${JSON.stringify(text)} has only the root scope ${ROOT_SCOPE}`);
        continue;
      }
      if (scopes.some((s) => PROSE_SCOPE.test(s))) continue;
      const inner = scopes[scopes.length - 1];
      for (const w of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) || []) {
        if (!reserved.has(w)) continue;
        seen.add(w);
        if (w !== text.trim() || !KEYWORD_SCOPE.test(inner))
          problems.push(`${where}: reserved word \`${w}\` is scoped ${inner}, not as a keyword`);
      }
    }
  });
  return out.join('\n') + '\n';
}

async function main() {
  const reserved = reservedWords();
  if (reserved.size < 40) {
    console.error(`FAIL only ${reserved.size} reserved words read from ${lexerPath}`);
    process.exit(1);
  }
  const grammar = await loadGrammar();
  const problems = [];
  let fixture = false;
  for (const rel of rest) {
    if (rel === '--fixture') { fixture = true; continue; }
    const seen = new Set();
    const text = tokenise(grammar, rel, reserved, seen, problems);
    fs.writeFileSync(path.join(outDir, rel.replace(/\//g, '__') + '.tokens'), text);
    if (fixture) {
      for (const w of reserved)
        if (!seen.has(w)) problems.push(`${rel}: the fixture never uses the reserved word \`${w}\` as code`);
      fixture = false;
    }
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => { console.error(`FAIL ${e.stack || e}`); process.exit(1); });
