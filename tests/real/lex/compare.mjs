// Compares dscan's import lists with oxc-parser's, file by file.
//
//   node compare.mjs FILES.txt DSCAN.jsonl [KNOWN.tsv]
//
// What each side counts (the same thing, SPEC §4.4):
//   oxc-parser (a full parser), from its AST: ImportDeclaration (static),
//   ExportNamedDeclaration/ExportAllDeclaration with a source (reexport),
//   ImportExpression with a string or substitution-free template
//   argument (dynamic), require() with one such argument (require), TS
//   `import x = require("y")` (require). Type-only statements (importKind/exportKind
//   "type" on the statement or on every specifier, as esbuild drops them)
//   are left out, as dscan leaves them out.
//   dscan: `ds_lex` on the same file, through tests/real/lex/lex_many.c.
// Directive prologues are compared too (oxc: the leading ExpressionStatements
// with a `directive`, i.e. the raw text between the quotes).
// Lists are compared as multisets of (kind, specifier): order is not compared.
// Files oxc cannot parse without errors are skipped and counted.
import { readFileSync } from 'node:fs';
import { parseSync } from 'oxc-parser';

const [listPath, dscanPath, knownPath] = process.argv.slice(2);
const files = readFileSync(listPath, 'utf8').split('\n').filter(Boolean);
const dscan = new Map();
for (const line of readFileSync(dscanPath, 'utf8').split('\n')) {
  if (!line) continue;
  const r = JSON.parse(line);
  dscan.set(r.file, r);
}
const known = new Map(); // path suffix -> reason
if (knownPath) {
  for (const line of readFileSync(knownPath, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [suffix, ...why] = line.split('\t');
    known.set(suffix, why.join(' '));
  }
}

function literal(node) {
  if (!node) return null;
  if ((node.type === 'Literal' || node.type === 'StringLiteral') && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

function walk(node, out) {
  // Iterative: minified bundles nest deeper than the JS stack likes.
  const stack = [node];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) { for (let i = n.length - 1; i >= 0; i--) stack.push(n[i]); continue; }
    if (n.type === 'ImportDeclaration') {
      const typeOnly = n.importKind === 'type' ||
        (n.specifiers.length > 0 && n.specifiers.every((x) => x.importKind === 'type'));
      if (!typeOnly) out.push(['static', n.source.value, n.start]);
      continue;
    }
    if ((n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration') && n.source) {
      const typeOnly = n.exportKind === 'type' ||
        (n.specifiers && n.specifiers.length > 0 && n.specifiers.every((x) => x.exportKind === 'type'));
      if (!typeOnly) out.push(['reexport', n.source.value, n.start]);
      continue;
    }
    if (n.type === 'ImportExpression') {
      const v = literal(n.source);
      if (v !== null) out.push(['dynamic', v, n.source.start]);
    } else if (n.type === 'CallExpression' && n.callee && n.callee.type === 'Identifier' &&
               n.callee.name === 'require' && n.arguments.length === 1) {
      const v = literal(n.arguments[0]);
      if (v !== null) out.push(['require', v, n.arguments[0].start]);
    } else if (n.type === 'TSImportEqualsDeclaration' && n.importKind !== 'type' &&
               n.moduleReference && n.moduleReference.type === 'TSExternalModuleReference') {
      const v = literal(n.moduleReference.expression);
      if (v !== null) out.push(['require', v, n.start]);
      continue;
    }
    if (n.type === 'TSModuleDeclaration' && n.declare) continue; // ambient: types only
    for (const k in n) {
      if (k === 'type' || k === 'start' || k === 'end' || k === 'loc' || k === 'range') continue;
      const v = n[k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
}

function oxcImports(file) {
  const src = readFileSync(file, 'utf8');
  const ext = file.slice(file.lastIndexOf('.'));
  const lang = ext === '.tsx' ? 'tsx' : ['.ts', '.mts', '.cts'].includes(ext) ? 'ts' : 'jsx';
  const sourceType = ext === '.cjs' || ext === '.cts' ? 'commonjs' : ext === '.mjs' || ext === '.mts' ? 'module' : 'unambiguous';
  let r = parseSync(file, src, { lang, sourceType });
  if (r.errors.length && lang === 'jsx') r = parseSync(file, src, { lang: 'js', sourceType });
  if (r.errors.length) return null;
  const out = [];
  walk(r.program, out);
  // The directive prologue: raw text between the quotes, as dscan reports it.
  const dirs = [];
  for (const st of r.program.body) {
    if (st.type !== 'ExpressionStatement' || typeof st.directive !== 'string') break;
    dirs.push(st.directive);
  }
  out.directives = dirs;
  return out;
}

const key = (k, s) => k + '\t' + s;
let dirDiff = 0, nDirs = 0;
let compared = 0, agree = 0, skipped = 0, explained = 0, nOxc = 0, nDscan = 0, nBoth = 0;
const bad = [];
for (const file of files) {
  const d = dscan.get(file);
  let o;
  try { o = oxcImports(file); } catch { o = null; }
  if (!o || !d || d.error) { skipped++; continue; }
  compared++;
  const want = new Map();
  for (const [k, s] of o) want.set(key(k, s), (want.get(key(k, s)) || 0) + 1);
  const got = new Map();
  for (const [s, k] of d.imports) got.set(key(k, s), (got.get(key(k, s)) || 0) + 1);
  nOxc += o.length;
  nDscan += d.imports.length;
  const onlyOxc = [], onlyDscan = [];
  for (const [k, n] of want) {
    const m = got.get(k) || 0;
    nBoth += Math.min(n, m);
    if (n > m) onlyOxc.push(`${k.replace('\t', ' ')} x${n - m}`);
  }
  for (const [k, n] of got) {
    const m = want.get(k) || 0;
    if (n > m) onlyDscan.push(`${k.replace('\t', ' ')} x${n - m}`);
  }
  if (JSON.stringify(o.directives) !== JSON.stringify(d.directives)) {
    dirDiff++;
    onlyOxc.push(`directives ${JSON.stringify(o.directives)}`);
    onlyDscan.push(`directives ${JSON.stringify(d.directives)}`);
  }
  nDirs += o.directives.length;
  if (!onlyOxc.length && !onlyDscan.length) { agree++; continue; }
  const why = [...known].find(([suffix]) => file.endsWith(suffix));
  if (why) { explained++; console.log(`explained ${file}: ${why[1]}`); continue; }
  bad.push({ file, onlyOxc, onlyDscan });
}
for (const b of bad.slice(0, 40)) {
  console.log(`DIFF ${b.file}`);
  if (b.onlyOxc.length) console.log(`  only oxc:   ${b.onlyOxc.slice(0, 6).join(' | ')}`);
  if (b.onlyDscan.length) console.log(`  only dscan: ${b.onlyDscan.slice(0, 6).join(' | ')}`);
}
const pct = (a, b) => (b ? (100 * a / b).toFixed(3) : '100') + '%';
console.log(`files: ${files.length}, compared: ${compared}, skipped (oxc parse errors): ${skipped}`);
console.log(`files agreeing: ${agree}/${compared} (${pct(agree, compared)}); explained differences: ${explained}; unexplained: ${bad.length}`);
console.log(`imports: oxc ${nOxc}, dscan ${nDscan}, in both ${nBoth} (${pct(nBoth, Math.max(nOxc, nDscan))})`);
console.log(`directive prologues: ${nDirs} strings (oxc); files whose prologue differs: ${dirDiff}`);
console.log(`RESULT agree=${agree} explained=${explained} unexplained=${bad.length} compared=${compared}`);
process.exit(bad.length ? 1 : 0);
