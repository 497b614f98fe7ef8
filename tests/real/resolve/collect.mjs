// collect.mjs APPDIR > pairs.tsv      (LEXPAIRS=path/to/lexpairs to use dscan's lexer)
// Every (importer, specifier, kind) pair in the installed packages of APPDIR
// (pnpm layout: each real file under node_modules/.pnpm once, symlinks not
// followed), plus the app's own imports of its dependencies from
// APPDIR/src/index.ts. Imports are those dscan's own lexer finds (lexpairs.c,
// when LEXPAIRS is set), together with those es-module-lexer finds (static,
// re-exports, dynamic with a string literal) and require("x") calls found by
// a regular expression: the union, so the resolver sees every pair the scan
// would follow and more. Lines: IMPORTER<TAB>SPECIFIER<TAB>import|require.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { init, parse } from 'es-module-lexer';

const app = fs.realpathSync(process.argv[2]);
const maxFiles = Number(process.env.COLLECT_MAX_FILES || 1e9);
const out = [];
const seen = new Set();
const requireRE = /(?:^|[^.\w$])require\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

function add(importer, spec, kind) {
  if (!spec || /[\n\t]/.test(spec)) return;
  const key = importer + '\t' + spec + '\t' + kind;
  if (seen.has(key)) return;
  seen.add(key);
  out.push(key);
}

await init;
let files = 0;
const list = [];
function walk(dir) {
  let ents;
  try { ents = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of ents) {
    if (files >= maxFiles) return;
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) { walk(p); continue; }
    if (!/\.(m|c)?js$/.test(e.name) || /\.min\.js$/.test(e.name)) continue;
    let src;
    try { src = fs.readFileSync(p, 'utf8'); } catch { continue; }
    if (src.length > 2e6) continue;
    files++;
    list.push(p);
    try {
      const [imports] = parse(src);
      for (const i of imports) if (i.n !== undefined && i.d !== -2) add(p, i.n, 'import');
    } catch { /* not an ES module the lexer accepts: requires only */ }
    for (const m of src.matchAll(requireRE)) add(p, m[2], 'require');
  }
}
walk(path.join(app, 'node_modules', '.pnpm'));
let fromDscan = 0;
if (process.env.LEXPAIRS) {
  const r = spawnSync(process.env.LEXPAIRS, [], { input: list.join('\n') + '\n', maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error('lexpairs failed: ' + r.stderr);
  for (const l of r.stdout.split('\n')) {
    if (!l) continue;
    const [f, spec, kind] = l.split('\t');
    const before = out.length;
    add(f, spec, kind);
    fromDscan += out.length - before;
  }
}

const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
const entry = path.join(app, 'src', 'index.ts');
for (const d of Object.keys(pkg.dependencies || {})) add(entry, d, 'import');
process.stdout.write(out.join('\n') + '\n');
process.stderr.write(`collect: ${files} files, ${out.length} pairs` +
  (process.env.LEXPAIRS ? ` (${fromDscan} found only by dscan's lexer)` : '') + '\n');
