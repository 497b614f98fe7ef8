#!/usr/bin/env node
// rwsdk-scan.mjs --root APP [--entry src/worker.tsx]... [--mode production|development]
//                [--vite harness|app] [--no-tree-rss] [--modules FILE]
//
// --modules FILE writes the absolute path of every source file the scan read
// (= every module it visited: rwsdk reads each once, through a cache), sorted,
// one a line, for debugging differences.
//
// Runs RedwoodSDK's own directive scan (rwsdk/dist/vite/runDirectivesScan.mjs)
// the way a RedwoodSDK app's `vite build` runs it, and prints the result in
// dscan's JSON shape on stdout:
//   {"root":..., "client":[sorted], "server":[sorted], "stats":{...}}
// Paths are exactly what rwsdk puts in its clientFiles/serverFiles sets
// (normalizeModulePath of the real path: "/" + path inside root, else absolute).
//
// Why real Vite environments: rwsdk's resolver first offers every import to
// the resolveId hooks of the environment's Vite plugins and only falls back to
// enhanced-resolve when none answers. Hand-built environments give a smaller,
// wrong answer. So we build environments with vite.createBuilder, configured
// as rwsdk's configPlugin + @cloudflare/vite-plugin configure them.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { sampleTree } from "./proctree.mjs";

// ---- memory sampler thread: sums VmRSS of this process and its children
// (esbuild's service) every 20 ms, so stats.peakRssKb covers the whole tree.
if (!isMainThread) {
  const { pid, intervalMs } = workerData;
  let peak = 0;
  const tick = () => { peak = Math.max(peak, sampleTree(pid).totalKb); };
  const t = setInterval(tick, intervalMs);
  parentPort.on("message", () => { tick(); clearInterval(t); parentPort.postMessage(peak); });
} else {
  main().catch((e) => {
    process.stderr.write(`rwsdk-scan: ${e?.stack ?? e}\n`);
    process.exit(1);
  });
}

function parseArgs(argv) {
  const o = { root: null, entries: [], mode: "production", vite: "harness", treeRss: true, modules: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === "--root") o.root = val();
    else if (a === "--entry") o.entries.push(val());
    else if (a === "--mode") o.mode = val();
    else if (a === "--vite") o.vite = val();
    else if (a === "--no-tree-rss") o.treeRss = false;
    else if (a === "--modules") o.modules = val();
    else if (a === "-h" || a === "--help") usage();
    else if (!o.root && !a.startsWith("-")) o.root = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!o.root) usage("--root is required");
  if (!["production", "development"].includes(o.mode)) usage("--mode must be production or development");
  if (!["harness", "app"].includes(o.vite)) usage("--vite must be harness or app");
  if (!o.entries.length) o.entries.push("src/worker.tsx");
  return o;
}
function usage(msg) {
  if (msg) process.stderr.write(`rwsdk-scan: ${msg}\n`);
  process.stderr.write("usage: rwsdk-scan.mjs --root APP [--entry FILE]... [--mode production|development] [--vite harness|app] [--no-tree-rss] [--modules FILE]\n");
  process.exit(2);
}

async function main() {
  const t0 = performance.now();
  const opt = parseArgs(process.argv.slice(2));
  // Real path: rwsdk stores real paths, so a symlinked root would make every
  // path "outside" the root. dscan writes paths relative to the real root too.
  if (!fs.existsSync(opt.root)) { process.stderr.write(`rwsdk-scan: root ${path.resolve(opt.root)} not found\n`); process.exit(1); }
  const root = fs.realpathSync(path.resolve(opt.root));
  for (const e of opt.entries)
    if (!fs.existsSync(path.resolve(root, e))) { process.stderr.write(`rwsdk-scan: entry ${path.resolve(root, e)} not found\n`); process.exit(1); }

  // Keep stdout for our JSON only: rwsdk prints progress with console.log
  // (after a 500 ms timer); RWSDK_WORKER_RUN routes that to `debug` instead,
  // and anything else printed goes to stderr.
  process.env.RWSDK_WORKER_RUN = "1";
  process.env.NODE_ENV = opt.mode;   // rwsdk's configPlugin derives mode from it
  for (const k of ["log", "info", "warn", "debug"]) console[k] = (...a) => console.error(...a);

  const sampler = opt.treeRss
    ? new Worker(new URL(import.meta.url), { workerData: { pid: process.pid, intervalMs: 20 } })
    : null;

  // Count what rwsdk reads: it reads through node:fs/promises readFile.
  const fsp = fs.promises;
  const realReadFile = fsp.readFile;
  // Counted only while runDirectivesScan runs (not Vite's config loading).
  // Source files (what rwsdk reads to scan) apart from the package.json /
  // tsconfig.json reads of Vite's plugins.
  const sourceRe = /\.(c|m)?[jt]sx?$|\.mdx$/;
  let filesRead = 0, bytesRead = 0, otherReads = 0, duplicateReads = 0, counting = false;
  const readPaths = new Set();
  fsp.readFile = async function (p, ...rest) {
    const r = await realReadFile.call(this, p, ...rest);
    if (!counting) return r;
    const k = String(p);
    if (!sourceRe.test(k)) { otherReads++; return r; }
    filesRead++; bytesRead += Buffer.byteLength(r);
    if (readPaths.has(k)) duplicateReads++; else readPaths.add(k);
    return r;
  };

  const vite = opt.vite === "app"
    ? await import(pathToFileURL(path.join(path.dirname(
        createRequire(path.join(root, "package.json")).resolve("vite/package.json")), "dist/node/index.js")).href)
    : await import("vite");
  const viteMajor = Number(vite.version.split(".")[0]);
  // Not in rwsdk's "exports": load the file from our own node_modules.
  const { runDirectivesScan } = await import(
    new URL("./node_modules/rwsdk/dist/vite/runDirectivesScan.mjs", import.meta.url).href);

  // Conditions, as a RedwoodSDK app resolves them:
  //  worker = rwsdk configPlugin's ["workerd","react-server","module","node"]
  //         + @cloudflare/vite-plugin's ["workerd","worker","module","browser","development|production"]
  //  client = rwsdk's ["browser","module"]
  // Vite turns "development|production" into one of the two by mode.
  const cfBuiltins = ["cloudflare:email", "cloudflare:node", "cloudflare:sockets", "cloudflare:workers", "cloudflare:workflows"];
  const workerConditions = ["workerd", "react-server", "module", "node",
    "workerd", "worker", "module", "browser", "development|production"];
  // Vite 7: rwsdk's viteCompat adds vite-tsconfig-paths (a JS resolveId the
  // scan can call). Vite 8: rwsdk sets resolve.tsconfigPaths (native).
  const plugins = [];
  const resolveRoot = {};
  if (viteMajor < 8) plugins.push((await import("vite-tsconfig-paths")).default());
  else resolveRoot.tsconfigPaths = true;

  const tSetup = performance.now();
  const builder = await vite.createBuilder({
    root, configFile: false, mode: opt.mode, logLevel: "silent", appType: "custom",
    plugins, resolve: resolveRoot,
    ssr: { target: "webworker" },
    environments: {
      worker: {
        consumer: "server",
        resolve: { conditions: workerConditions, noExternal: true, builtins: cfBuiltins },
        build: { ssr: true },
      },
      client: {
        consumer: "client",
        resolve: { conditions: ["browser", "module"] },
      },
    },
  });
  const setupMs = performance.now() - tSetup;

  const clientFiles = new Set(), serverFiles = new Set();
  const tScan = performance.now();
  counting = true;
  await runDirectivesScan({
    rootConfig: builder.config,
    environments: builder.environments,
    clientFiles, serverFiles,
    entries: opt.entries,
  });
  const scanMs = performance.now() - tScan;
  if (opt.modules) fs.writeFileSync(opt.modules, [...readPaths].sort().join("\n") + "\n");
  counting = false;

  let peakRssKb = 0;
  if (sampler) {
    peakRssKb = await new Promise((res) => { sampler.once("message", res); sampler.postMessage("stop"); });
    await sampler.terminate();
  }
  const byteSort = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const out = {
    root: builder.config.root,
    client: [...clientFiles].sort(byteSort),
    server: [...serverFiles].sort(byteSort),
    stats: {
      wallMs: round(scanMs),              // runDirectivesScan alone
      setupMs: round(setupMs),            // vite.createBuilder
      totalMs: round(performance.now() - t0),
      peakRssKb,                          // node + esbuild, summed (0 with --no-tree-rss)
      nodeMaxRssKb: process.resourceUsage().maxRSS,
      filesRead, bytesRead, duplicateReads, otherReads,
      vite: vite.version, mode: opt.mode,
      workerConditions: builder.environments.worker.config.resolve.conditions,
      clientConditions: builder.environments.client.config.resolve.conditions,
    },
  };
  // Exit right away: rwsdk leaves a 500 ms timer and esbuild's service running.
  process.stdout.write(JSON.stringify(out, null, 1) + "\n", () => process.exit(0));
}
function round(x) { return Math.round(x * 10) / 10; }
