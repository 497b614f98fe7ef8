#!/usr/bin/env node
// measure.mjs [--interval MS] [--series FILE] [--out FILE] [--label NAME] -- CMD ARGS...
//
// Runs CMD (stdin/stdout/stderr passed through), polls its whole process tree
// every MS ms (default 10) and reports wall time and peak RSS summed over the
// tree as one JSON line, on stderr or appended to --out FILE:
//   {"label":..,"cmd":[..],"exitCode":0,"wallMs":..,"peakRssKb":..,
//    "peakSingleRssKb":..,"maxProcs":..,"samples":..,"intervalMs":10}
// --series FILE writes "t_ms rss_kb" lines (one per sample) for charts.
// Exits with CMD's exit status. Used for both dscan and the reference.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { sampleTree } from "./proctree.mjs";

function usage(msg) {
  if (msg) console.error(`measure: ${msg}`);
  console.error("usage: measure.mjs [--interval MS] [--series FILE] [--out FILE] [--label NAME] -- CMD ARGS...");
  process.exit(2);
}
const argv = process.argv.slice(2);
const opt = { interval: 10, series: null, out: null, label: null };
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--") { i++; break; }
  if (a === "--interval") opt.interval = Number(argv[++i]);
  else if (a === "--series") opt.series = argv[++i];
  else if (a === "--out") opt.out = argv[++i];
  else if (a === "--label") opt.label = argv[++i];
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else break;  // no "--": the command starts here
}
const cmd = argv.slice(i);
if (!cmd.length) usage("no command given");
if (!(opt.interval > 0)) usage("--interval must be > 0");

const t0 = process.hrtime.bigint();
const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
const child = spawn(cmd[0], cmd.slice(1), { stdio: "inherit" });
child.on("error", (e) => { console.error(`measure: cannot run ${cmd[0]}: ${e.message}`); process.exit(127); });

// Pass Ctrl-C / kill on to the command instead of orphaning it.
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));

let peak = 0, peakSingle = 0, maxProcs = 0, samples = 0;
const series = [];
function sample() {
  if (!child.pid) return;
  const s = sampleTree(child.pid);
  if (s.procs === 0 || s.totalKb === 0) return;  // not started or already reaped
  samples++;
  peak = Math.max(peak, s.totalKb);
  peakSingle = Math.max(peakSingle, s.maxKb);
  maxProcs = Math.max(maxProcs, s.procs);
  if (opt.series) series.push(`${ms().toFixed(1)} ${s.totalKb}`);
}
// setInterval in this (idle) parent keeps a steady cadence; the measured
// command runs in its own process so it is not slowed by our event loop.
const timer = setInterval(sample, opt.interval);
sample();

child.on("exit", (code, signal) => {
  const wallMs = ms();
  clearInterval(timer);
  const rec = {
    label: opt.label ?? undefined, cmd, exitCode: code ?? 128 + (os.constants.signals[signal] ?? 0), signal: signal ?? undefined,
    wallMs: Math.round(wallMs * 10) / 10, peakRssKb: peak, peakSingleRssKb: peakSingle,
    maxProcs, samples, intervalMs: opt.interval,
  };
  if (opt.series) fs.writeFileSync(opt.series, series.join("\n") + "\n");
  const line = JSON.stringify(rec) + "\n";
  if (opt.out) fs.appendFileSync(opt.out, line); else process.stderr.write(line);
  process.exit(rec.exitCode);
});
