// The reference side of bench/lex: es-module-lexer on the .js files and
// oxc-parser on the .ts/.tsx files, held in memory, best of ROUNDS.
//
//   node bench.mjs ALL_FILES.txt OUTDIR ROUNDS
//
// Writes OUTDIR/js.txt (the .js/.mjs/.cjs files es-module-lexer lexes without
// error) and OUTDIR/ts.txt (the .ts/.tsx files oxc-parser parses without
// error), so dscan is timed on exactly the same files, and prints one line
// per measurement: "<tool> <set> files=N bytes=B best_s=T MBps=X".
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { init, parse } = await import(require.resolve('es-module-lexer', { paths: [process.env.LEX_NODE_PATH] }));
const { parseSync } = require(require.resolve('oxc-parser', { paths: [process.env.LEX_NODE_PATH] }));
await init;

const [listPath, outDir, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 5);
const all = readFileSync(listPath, 'utf8').split('\n').filter(Boolean);

function load(files) {
  return files.map((f) => ({ f, src: readFileSync(f, 'utf8'), bytes: readFileSync(f).length }));
}

const js = [], ts = [];
for (const f of all) {
  if (/\.(c|m)?js$/.test(f)) js.push(f);
  else if (/\.(m|c)?tsx?$/.test(f) && !/\.d\.(m|c)?ts$/.test(f)) ts.push(f);
}
const jsOk = load(js).filter(({ src }) => { try { parse(src); return true; } catch { return false; } });
const tsOk = load(ts).filter(({ f, src }) => parseSync(f, src).errors.length === 0);
writeFileSync(`${outDir}/js.txt`, jsOk.map((x) => x.f).join('\n') + '\n');
writeFileSync(`${outDir}/ts.txt`, tsOk.map((x) => x.f).join('\n') + '\n');

function time(name, set, items, fn) {
  const bytes = items.reduce((a, x) => a + x.bytes, 0);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    // Process CPU time (user + system), as bench_lex.c measures: on a shared
    // machine wall time counts the time other processes ran.
    const c0 = process.cpuUsage();
    for (const x of items) fn(x);
    const c = process.cpuUsage(c0);
    const t = (c.user + c.system) / 1e6;
    if (t < best) best = t;
  }
  console.log(`${name} ${set} files=${items.length} bytes=${bytes} best_s=${best.toFixed(6)} MBps=${(bytes / 1e6 / best).toFixed(1)}`);
}

time('es-module-lexer', 'js', jsOk, (x) => parse(x.src));
time('oxc-parser', 'ts', tsOk, (x) => parseSync(x.f, x.src));
// oxc on the .js set too, for scale (slow: LEX_BENCH_OXC_JS=1 to include).
if (process.env.LEX_BENCH_OXC_JS) time('oxc-parser', 'js', jsOk, (x) => parseSync(x.f, x.src));
