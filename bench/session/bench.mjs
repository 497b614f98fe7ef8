// bench/session/bench.mjs APPDIR [EDITS] [DSCAN]
//
// One `dscan serve APPDIR` session: a full scan, then EDITS one-file edits
// (a comment appended to a random file of the result under src/, restored
// at the end), each followed by an update naming that file, and as many
// updates with nothing changed; in the same run, 5 fresh `dscan scan`
// processes for comparison. Prints medians and p99 of the update's own time
// (stats.wallMs, inside the process) and of the round trip (request written
// to answer parsed), filesRead per update, and peak RSS of the session
// (VmHWM of the serve process) against a one-shot scan's.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const app = path.resolve(process.argv[2] ?? "/tmp/realapp");
const edits = Number(process.argv[3] ?? 300);
const bin = path.resolve(process.argv[4] ?? "build/dscan");

const child = spawn(bin, ["serve", app], { stdio: ["pipe", "pipe", "inherit"] });
const rl = readline.createInterface({ input: child.stdout });
const waiting = [];
rl.on("line", (l) => waiting.shift()(JSON.parse(l)));
let id = 0;
function ask(req) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    waiting.push((r) => resolve({ r, ms: performance.now() - t0 }));
    child.stdin.write(JSON.stringify({ id: ++id, ...req }) + "\n");
  });
}
const q = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const f = (x) => x.toFixed(3);

const first = await ask({ op: "scan" });
if (!first.r.ok) throw new Error(first.r.error);
const srcFiles = [...first.r.client, ...first.r.server].filter((p) => p.startsWith("/src/")).map((p) => app + p);
// Every file the app itself has under src (not only directive files).
const all = execFileSync("find", [path.join(app, "src"), "-type", "f", "-name", "*.ts*"]).toString().trim().split("\n");
const pool = all.length ? all : srcFiles;
const saved = new Map();
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const upd = [], updRt = [], none = [], noneRt = [], reads = [];
for (let i = 0; i < edits; i++) {
  const file = pool[Math.floor(rnd() * pool.length)];
  if (!saved.has(file)) saved.set(file, fs.readFileSync(file));
  fs.appendFileSync(file, `\n// edit ${i}\n`);
  const a = await ask({ op: "update", changed: [file] });
  if (!a.r.ok) throw new Error(a.r.error);
  upd.push(a.r.stats.wallMs); updRt.push(a.ms); reads.push(a.r.stats.filesRead);
  const b = await ask({ op: "update" });
  none.push(b.r.stats.wallMs); noneRt.push(b.ms);
}
// Files added and removed (a new component next to an edited one): the
// directory's listing changes, so resolutions are redone from warm caches.
const addRm = [];
for (let i = 0; i < 40; i++) {
  const dir = path.dirname(pool[Math.floor(rnd() * pool.length)]);
  const file = path.join(dir, `zz_session_bench_${i}.tsx`);
  fs.writeFileSync(file, "'use client';\nexport const Z = 1;\n");
  const a = await ask({ op: "update", changed: [file] });
  fs.rmSync(file);
  const b = await ask({ op: "update", removed: [file] });
  if (!a.r.ok || !b.r.ok) throw new Error(a.r.error ?? b.r.error);
  addRm.push(a.r.stats.wallMs, b.r.stats.wallMs);
}
for (const [file, text] of saved) fs.writeFileSync(file, text);
// Leave the session's view right: the files are back as they were.
await ask({ op: "update", changed: [...saved.keys()] });
const hwm = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]);
await ask({ op: "close" });

const full = [], fullPeak = [];
for (let i = 0; i < 5; i++) {
  const out = JSON.parse(execFileSync(bin, ["scan", app, "--json", "--stats"], { maxBuffer: 1 << 28 }));
  full.push(out.stats.wallMs); fullPeak.push(out.stats.peakRssKb);
  if (i === 0 && (out.client.length !== first.r.client.length || out.server.length !== first.r.server.length))
    throw new Error("session and fresh scan differ");
}
const mFull = q(full, 0.5), mUpd = q(upd, 0.5);
console.log(`app: ${app} (${first.r.stats.modules} modules, ${first.r.client.length} client, ${first.r.server.length} server)`);
console.log(`session first scan (parallel scan, then the edge walk): ${f(first.r.stats.wallMs)} ms, ${first.r.stats.filesRead} files read`);
console.log(`fresh dscan scan (5 runs, ${"all threads"}): median ${f(mFull)} ms`);
console.log(`one-file edit, ${edits} updates: median ${f(mUpd)} ms, p99 ${f(q(upd, 0.99))} ms (in process); ` +
  `round trip median ${f(q(updRt, 0.5))} ms, p99 ${f(q(updRt, 0.99))} ms; filesRead max ${Math.max(...reads)}`);
console.log(`speed-up over a fresh scan: ${(mFull / mUpd).toFixed(0)}x (in process), ${(mFull / q(updRt, 0.5)).toFixed(0)}x (round trip)`);
console.log(`nothing changed: median ${f(q(none, 0.5))} ms, p99 ${f(q(none, 0.99))} ms; round trip median ${f(q(noneRt, 0.5))} ms`);
console.log(`file added or removed (80 updates): median ${f(q(addRm, 0.5))} ms, p99 ${f(q(addRm, 0.99))} ms (in process)`);
console.log(`peak RSS: session ${hwm} kB after ${2 * edits + 2} requests; one-shot scan ${q(fullPeak, 0.5)} kB (${(hwm / q(fullPeak, 0.5)).toFixed(2)}x)`);
