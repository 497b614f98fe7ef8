// compare.mjs REQUESTS.tsv DSCAN.txt REFERENCE.txt [--show N]
// Compares dscan's answers with a reference resolver's, line by line. Two
// answers agree when they are the same path, both failures, both external,
// or dscan's empty:X (browser field false) against the reference's
// "ignored" answer. Prints the agreement, the disagreements grouped by kind
// with examples, and a final "agreement P%" line.
import fs from 'node:fs';

const [reqFile, dFile, rFile, ...rest] = process.argv.slice(2);
const show = rest.includes('--show') ? Number(rest[rest.indexOf('--show') + 1]) : 3;
const read = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l, i, a) => i < a.length - 1 || l);
const reqs = read(reqFile), d = read(dFile), r = read(rFile);
if (d.length !== reqs.length || r.length !== reqs.length) {
  console.error(`line counts differ: ${reqs.length} requests, ${d.length} dscan, ${r.length} reference`);
  process.exit(2);
}
const kind = (a) => (a.startsWith('!') ? 'fail' : a.startsWith('external:') ? 'external' : a.startsWith('empty:') ? 'empty' : 'file');
let agree = 0;
const groups = new Map();
for (let i = 0; i < reqs.length; i++) {
  const a = d[i], b = r[i];
  const ka = kind(a), kb = kind(b);
  const same = a === b || (ka === kb && ka !== 'file') ||
    (ka === 'external' && kb === 'fail' && /builtin/i.test(b)) ||
    (ka === 'empty' && (kb === 'empty' || /ignored/i.test(b)));
  if (same) { agree++; continue; }
  const g = ka === 'file' && kb === 'file' ? 'different files' : `dscan ${ka} / reference ${kb}`;
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g).push(`${reqs[i]}\n      dscan: ${a}\n      ref:   ${b}`);
}
for (const [g, list] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
  console.log(`${list.length}\t${g}`);
  for (const e of list.slice(0, show)) console.log('    ' + e);
}
const pct = (100 * agree) / reqs.length;
console.log(`agreement ${pct.toFixed(3)}% (${agree}/${reqs.length})`);
