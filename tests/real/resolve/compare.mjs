// compare.mjs REQUESTS.tsv DSCAN.txt REFERENCE.txt [--rules oxc|vite] [--show N]
// Compares dscan's answers with a reference resolver's, line by line. Two
// answers agree when they are the same path, both failures, both external,
// or dscan's empty:X (browser field false) against the reference's
// "ignored" answer or Vite's browser-external stub (Vite uses one stub for
// both). Each disagreement is then explained, when it can be, by one of the
// documented rules below (each pinned by a fixture test in
// tests/test_resolve.c, resolve_vite_rules_that_differ_from_node); the rest
// is "unexplained". Prints the groups with examples, then
// "agreement P% (A/N), unexplained U".
import fs from 'node:fs';
import path from 'node:path';

const [reqFile, dFile, rFile, ...rest] = process.argv.slice(2);
const opt = (k, d) => (rest.includes(k) ? rest[rest.indexOf(k) + 1] : d);
const show = Number(opt('--show', 3));
const ruleset = opt('--rules', 'oxc');
const read = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l, i, a) => i < a.length - 1 || l);
const reqs = read(reqFile), d = read(dFile), r = read(rFile);
if (d.length !== reqs.length || r.length !== reqs.length) {
  console.error(`line counts differ: ${reqs.length} requests, ${d.length} dscan, ${r.length} reference`);
  process.exit(2);
}
const kind = (a) => (a.startsWith('!') ? 'fail' : a.startsWith('external:') ? 'external' : a.startsWith('empty:') ? 'empty' : 'file');
const pkgJson = (file) => {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try { return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')); } catch {}
  }
  return {};
};

// Where dscan follows Vite (or SPEC) and the reference does not.
const rules = {
  oxc: [
    ['Vite: a relative import of a package directory uses its exports (tryCleanFsResolve -> resolvePackageEntry)',
      (q, a, b) => /^\.\.?\/?$/.test(q.spec) && kind(a) === 'file' && kind(b) === 'file'],
    ['Vite: a browser entry without ESM syntax gives way to module (tryResolveBrowserEntry)',
      (q, a, b) => q.env === 'client' && kind(a) === 'file' && kind(b) === 'file' &&
        path.basename(a) === String(pkgJson(a).module || '').replace(/^\.\//, '')],
    ['Vite: a specifier ending in "/" is probed like the path without it (path.resolve drops the slash)',
      (q, a, b) => q.spec.endsWith('/') && kind(a) === 'file' && kind(b) === 'fail'],
    ['Vite: the importer\'s browser field remaps a builtin on the client (tryResolveBrowserMapping before isBuiltin)',
      (q, a, b) => q.env === 'client' && kind(a) === 'file' && /external|builtin/i.test(b)],
  ],
  vite: [
    ['SPEC §4.5: a Node builtin is never resolved, even when a package of that name is installed',
      (q, a, b) => kind(a) === 'external' && kind(b) === 'file' && /^[a-z_\/]+$/.test(q.spec)],
  ],
}[ruleset];

let agree = 0, unexplained = 0;
const groups = new Map();
for (let i = 0; i < reqs.length; i++) {
  const a = d[i], b = r[i];
  const ka = kind(a), kb = kind(b);
  const same = a === b || (ka === kb && ka !== 'file') ||
    (ka === 'external' && kb === 'fail' && /builtin/i.test(b)) ||
    (ka === 'empty' && (kb === 'empty' || kb === 'external' || /ignored/i.test(b)));
  if (same) { agree++; continue; }
  const [importer, spec, env, k] = reqs[i].split('\t');
  const rule = rules.find(([, f]) => f({ importer, spec, env, kind: k }, a, b));
  const g = rule ? 'documented: ' + rule[0] : `UNEXPLAINED: dscan ${ka} / reference ${kb}`;
  if (!rule) unexplained++;
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g).push(`${reqs[i]}\n      dscan: ${a}\n      ref:   ${b}`);
}
for (const [g, list] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
  console.log(`${list.length}\t${g}`);
  for (const e of list.slice(0, show)) console.log('    ' + e);
}
const pct = (100 * agree) / reqs.length;
console.log(`agreement ${pct.toFixed(3)}% (${agree}/${reqs.length}), unexplained ${unexplained}`);
