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
  out.names = moduleNames(r);
  return out;
}

// What precise mode needs (issue 15), from oxc's module record (the ESM
// spec's import and export entries) and its AST:
//   imports:  per non-type static import entry, specifier + imported name
//             ("default", "*" for a namespace, or the name) + local binding;
//   reexports: per entry of an `export … from` statement, specifier +
//             imported name ("*" for export *) + exported name ("" for a plain
//             `export *`);
//   exports:  the set of the module's own export names: local declarations, `export
//             default`, `export {a as b}` without `from` (oxc files those of
//             imported bindings as indirect entries; they count here);
//   barrel:   every statement is an import or export declaration without a
//             declaration of its own (directives and `;` aside), at least one;
//   esm:      oxc's hasModuleSyntax.
// Type-only entries are left out, as dscan leaves them out.
function nameOf(n) {
  if (!n) return '';
  if (n.kind === 'Default') return 'default';
  if (n.kind === 'NamespaceObject' || n.kind === 'All' || n.kind === 'AllButDefault') return '*';
  return n.name ?? '';
}
function moduleNames(r) {
  const m = r.module;
  const imports = [], reexports = [], exports = [];
  for (const imp of m.staticImports) {
    for (const e of imp.entries) {
      if (e.isType) continue;
      imports.push([imp.moduleRequest.value, nameOf(e.importName), e.localName.value].join('\t'));
    }
  }
  for (const st of m.staticExports) {
    for (const e of st.entries) {
      if (e.isType) continue;
      const own = e.start >= st.start && e.start < st.end; // not an imported binding re-exported
      if (e.moduleRequest && own) {
        const exported = e.exportName.kind === 'None' ? '' : nameOf(e.exportName);
        reexports.push([e.moduleRequest.value, nameOf(e.importName), exported].join('\t'));
      } else {
        exports.push(nameOf(e.exportName));
      }
    }
  }
  let barrel = false;
  const body = r.program.body;
  if (body.some((st) => st.type === 'ImportDeclaration' || st.type === 'ExportAllDeclaration' ||
                        st.type === 'ExportNamedDeclaration')) {
    barrel = body.every((st) => st.type === 'ImportDeclaration' || st.type === 'ExportAllDeclaration' ||
      (st.type === 'ExportNamedDeclaration' && !st.declaration) || st.type === 'EmptyStatement' ||
      (st.type === 'ExpressionStatement' && typeof st.directive === 'string'));
  }
  // A set: oxc lists a TypeScript overload's name once per signature.
  return { imports, reexports, exports: [...new Set(exports)], barrel, esm: m.hasModuleSyntax };
}

function dscanNames(d) {
  const imports = [], reexports = [];
  d.imports.forEach(([spec, kind], i) => {
    for (const [imported, local] of d.names[i]) {
      if (kind === 'static') imports.push([spec, imported, local].join('\t'));
      else if (kind === 'reexport') reexports.push([spec, imported, local].join('\t'));
    }
  });
  return { imports, reexports, exports: d.exports.map(([name]) => name), barrel: d.barrel, esm: d.esm };
}

// Multiset difference, both ways: [only in a, only in b].
function diff(a, b) {
  const count = new Map();
  for (const x of a) count.set(x, (count.get(x) || 0) + 1);
  for (const x of b) count.set(x, (count.get(x) || 0) - 1);
  const onlyA = [], onlyB = [];
  for (const [x, n] of count) {
    for (let i = 0; i < n; i++) onlyA.push(x);
    for (let i = 0; i < -n; i++) onlyB.push(x);
  }
  return [onlyA, onlyB];
}

const key = (k, s) => k + '\t' + s;
let dirDiff = 0, nDirs = 0;
let compared = 0, agree = 0, skipped = 0, explained = 0, nOxc = 0, nDscan = 0, nBoth = 0;
const bad = [];
const names = { imports: { oxc: 0, dscan: 0, both: 0 }, reexports: { oxc: 0, dscan: 0, both: 0 }, exports: { oxc: 0, dscan: 0, both: 0 } };
let namesAgree = 0, nUnsure = 0, nBarrelOxc = 0, nBarrelDscan = 0;
const namesBad = [];
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
  // Names (issue 15): counted apart; they do not fail the import check.
  {
    const on = o.names, dn = dscanNames(d);
    const parts = [['imports', on.imports, dn.imports], ['reexports', on.reexports, dn.reexports]];
    if (!d.unsure) parts.push(['exports', on.exports, dn.exports]);
    else nUnsure++;
    const notes = [];
    for (const [what, a, b] of parts) {
      const [onlyO, onlyD] = diff(a, b);
      names[what].oxc += a.length;
      names[what].both += a.length - onlyO.length;
      names[what].dscan += b.length;
      if (onlyO.length || onlyD.length) notes.push(`${what}: only oxc [${onlyO.slice(0, 4).join(' | ')}] only dscan [${onlyD.slice(0, 4).join(' | ')}]`);
    }
    if (on.barrel) nBarrelOxc++;
    if (dn.barrel) nBarrelDscan++;
    if (on.barrel !== dn.barrel) notes.push(`barrel: oxc ${on.barrel} dscan ${dn.barrel}`);
    if (on.esm !== dn.esm) notes.push(`module syntax: oxc ${on.esm} dscan ${dn.esm}`);
    if (notes.length) namesBad.push({ file, notes }); else namesAgree++;
  }
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
for (const b of namesBad.slice(0, Number(process.env.NAMES_SHOW || 30))) {
  console.log(`NAMES ${b.file}`);
  for (const n of b.notes) console.log(`  ${n}`);
}
console.log(`names: files agreeing ${namesAgree}/${compared} (${pct(namesAgree, compared)}); export lists dscan marks unsure: ${nUnsure}`);
for (const [what, c] of Object.entries(names))
  console.log(`names ${what}: oxc ${c.oxc}, dscan ${c.dscan}, in both ${c.both} (${pct(c.both, Math.max(c.oxc, c.dscan))})`);
console.log(`names barrels: oxc ${nBarrelOxc}, dscan ${nBarrelDscan}`);
console.log(`NAMESRESULT disagree=${namesBad.length} unsure=${nUnsure}`);
console.log(`RESULT agree=${agree} explained=${explained} unexplained=${bad.length} compared=${compared}`);
process.exit(bad.length ? 1 : 0);
