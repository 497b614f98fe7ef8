#!/usr/bin/env node
// overhead.mjs ROOT [RUNS] [--dscan-pkg DIR] [--addon FILE.node] [-- scanDirectives options as JSON]
//
// What driving the binary over JSON costs on top of the scan itself: runs
// scanDirectives(ROOT) RUNS times (default 15) and compares the time of the
// whole JavaScript call (temp config, spawn, scan, JSON on a pipe, parse)
// with the scan's own stats.wallMs, measured inside the binary. The
// difference is the most a Node-API addon could save per call. Also times a
// bare spawn of `dscan --version`, the floor of any process round trip.
// --addon: the same calls through the Node-API probe (addon/dscan_addon.c)
// instead of the binary, with the same inputs (temp config file included),
// so the two differ only by spawn + JSON vs an in-process call. Run each
// variant in its own process: nodeRssKb is this process's RSS at the end
// (the addon's scan memory stays in node's heap; the binary's goes with it).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
let pkg = path.resolve(HERE, "..", "..", "npm", "dscan");
let extra = {};
let addonPath = null;
const pos = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--dscan-pkg") pkg = path.resolve(argv[++i]);
  else if (argv[i] === "--addon") addonPath = path.resolve(argv[++i]);
  else if (argv[i] === "--") { extra = JSON.parse(argv.slice(i + 1).join(" ")); break; }
  else pos.push(argv[i]);
}
if (!pos[0]) {
  console.error("usage: overhead.mjs ROOT [RUNS] [--dscan-pkg DIR] [-- OPTIONS_JSON]");
  process.exit(2);
}
const root = path.resolve(pos[0]);
const runs = Number(pos[1] ?? 15);
const dscan = await import(pathToFileURL(path.join(pkg, "index.js")).href);
const { binaryPath } = dscan;
let scanDirectives = dscan.scanDirectives;
if (addonPath) {
  const { createRequire } = await import("node:module");
  const fs = await import("node:fs");
  const os = await import("node:os");
  const addon = createRequire(import.meta.url)(addonPath);
  // The package's own argv, handed to the addon instead of the binary.
  scanDirectives = async (options) => {
    const { args, config } = dscan.buildInvocation(options);
    const val = (flag) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : null; };
    const entries = args.flatMap((a, i) => (a === "--entry" ? [args[i + 1]] : []));
    let tmp = null;
    let cfg = val("--config");
    if (config) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dscan-"));
      cfg = path.join(tmp, "dscan.json");
      fs.writeFileSync(cfg, JSON.stringify(config));
    }
    try {
      return await addon.scan(args[1], cfg, entries, val("--src"), args.includes("--no-prescan"), val("--mode"));
    } finally {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const f = (x) => x.toFixed(2);

const spawnMs = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await new Promise((res, rej) => {
    const c = spawn(binaryPath(), ["--version"], { stdio: ["ignore", "pipe", "pipe"] });
    c.stdout.resume();
    c.on("error", rej);
    c.on("close", res);
  });
  spawnMs.push(performance.now() - t);
}

await scanDirectives({ root, ...extra }); // warm the page cache
const callMs = [];
const scanMs = [];
let last;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  last = await scanDirectives({ root, ...extra });
  callMs.push(performance.now() - t);
  scanMs.push(last.stats.wallMs);
}
const over = callMs.map((c, i) => c - scanMs[i]);
const out = {
  via: addonPath ? "addon" : "binary",
  root, runs, options: extra,
  modules: last.stats.modules, client: last.client.length, server: last.server.length,
  bareSpawnMs: Number(f(median(spawnMs))),
  callMs: Number(f(median(callMs))),
  scanWallMs: Number(f(median(scanMs))),
  overheadMs: Number(f(median(over))),
  overheadPct: Number(((100 * median(over)) / median(callMs)).toFixed(1)),
  nodeRssKb: Math.round(process.memoryUsage().rss / 1024),
  nodeMaxRssKb: process.resourceUsage().maxRSS,
};
console.log(JSON.stringify(out));
