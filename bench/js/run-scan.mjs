#!/usr/bin/env node
// run-scan.mjs --impl dscan|rwsdk --root APP [--entry FILE]... [--mode production|development]
//              [--vite harness|app] [--dscan-pkg DIR]
//
// One directive scan through the JavaScript call a Vite plugin makes:
// builds the `worker` and `client` environments as a RedwoodSDK app's
// `vite build` configures them (rwsdk's configPlugin + @cloudflare/vite-plugin
// conditions, vite-tsconfig-paths on Vite 7; the same setup as
// bench/reference/rwsdk-scan.mjs), then calls
//   rwsdk: RedwoodSDK's own runDirectivesScan (bench/reference/node_modules/rwsdk)
//   dscan: the npm package's runDirectivesScan (npm/dscan, or --dscan-pkg DIR)
// with the same arguments, and prints one JSON object on stdout:
//   {impl, root, client, server, unresolved, unmapped, callMs, setupMs,
//    baselineTreeRssKb, peakTreeRssKb, vite}
// callMs is the runDirectivesScan call alone. peakTreeRssKb is the highest
// VmRSS summed over this process and all its children (esbuild's service for
// rwsdk, the dscan binary for dscan), sampled every 5 ms from a worker
// thread while the call runs; baselineTreeRssKb is the same sum just before.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const REF = path.join(REPO, "bench", "reference");
const { sampleTree } = await import(pathToFileURL(path.join(REF, "proctree.mjs")).href);

if (!isMainThread) {
  // Sampler: keeps the peak of the tree's summed RSS; "reset" starts a new
  // window, "stop" answers with the peak of the current window.
  const { pid, intervalMs } = workerData;
  let peak = 0;
  const tick = () => { peak = Math.max(peak, sampleTree(pid).totalKb); };
  let timer = setInterval(tick, intervalMs);
  parentPort.on("message", (m) => {
    tick();
    if (m === "reset") { peak = sampleTree(pid).totalKb; parentPort.postMessage(peak); }
    else { clearInterval(timer); timer = null; parentPort.postMessage(peak); }
  });
} else {
  main().catch((e) => {
    process.stderr.write(`run-scan: ${e?.stack ?? e}\n`);
    process.exit(1);
  });
}

function usage(msg) {
  if (msg) process.stderr.write(`run-scan: ${msg}\n`);
  process.stderr.write("usage: run-scan.mjs --impl dscan|rwsdk --root APP [--entry FILE]... [--mode production|development] [--vite harness|app] [--dscan-pkg DIR]\n");
  process.exit(2);
}

function parseArgs(argv) {
  const o = { impl: null, root: null, entries: [], mode: "production", vite: "harness", dscanPkg: path.join(REPO, "npm", "dscan") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === "--impl") o.impl = val();
    else if (a === "--root") o.root = val();
    else if (a === "--entry") o.entries.push(val());
    else if (a === "--mode") o.mode = val();
    else if (a === "--vite") o.vite = val();
    else if (a === "--dscan-pkg") o.dscanPkg = path.resolve(val());
    else usage(`unexpected argument ${a}`);
  }
  if (!["dscan", "rwsdk"].includes(o.impl)) usage("--impl must be dscan or rwsdk");
  if (!o.root) usage("--root is required");
  if (!["production", "development"].includes(o.mode)) usage("--mode must be production or development");
  if (!["harness", "app"].includes(o.vite)) usage("--vite must be harness or app");
  if (!o.entries.length) o.entries.push("src/worker.tsx");
  return o;
}

const ask = (w, msg) => new Promise((res) => { w.once("message", res); w.postMessage(msg); });

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const root = fs.realpathSync(path.resolve(opt.root));
  // rwsdk prints progress with console.log after a 500 ms timer unless
  // RWSDK_WORKER_RUN is set; keep stdout for our JSON either way.
  process.env.RWSDK_WORKER_RUN = "1";
  process.env.NODE_ENV = opt.mode;
  for (const k of ["log", "info", "warn", "debug"]) console[k] = (...a) => console.error(...a);

  const sampler = new Worker(new URL(import.meta.url), { workerData: { pid: process.pid, intervalMs: 5 } });

  const refRequire = createRequire(path.join(REF, "package.json"));
  const viteDir = opt.vite === "app"
    ? path.dirname(createRequire(path.join(root, "package.json")).resolve("vite/package.json"))
    : path.dirname(refRequire.resolve("vite/package.json"));
  const vite = await import(pathToFileURL(path.join(viteDir, "dist", "node", "index.js")).href);
  const viteMajor = Number(vite.version.split(".")[0]);

  const { runDirectivesScan } = opt.impl === "rwsdk"
    // Not in rwsdk's "exports": load the file itself.
    ? await import(pathToFileURL(path.join(REF, "node_modules", "rwsdk", "dist", "vite", "runDirectivesScan.mjs")).href)
    : await import(pathToFileURL(path.join(opt.dscanPkg, "index.js")).href);

  // As bench/reference/rwsdk-scan.mjs: worker conditions are rwsdk's plus
  // @cloudflare/vite-plugin's; client is rwsdk's.
  const cfBuiltins = ["cloudflare:email", "cloudflare:node", "cloudflare:sockets", "cloudflare:workers", "cloudflare:workflows"];
  const workerConditions = ["workerd", "react-server", "module", "node",
    "workerd", "worker", "module", "browser", "development|production"];
  const plugins = [];
  const resolveRoot = {};
  if (viteMajor < 8) plugins.push((await import(pathToFileURL(refRequire.resolve("vite-tsconfig-paths")).href)).default());
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
      client: { consumer: "client", resolve: { conditions: ["browser", "module"] } },
    },
  });
  const setupMs = performance.now() - tSetup;

  const clientFiles = new Set();
  const serverFiles = new Set();
  const baselineTreeRssKb = await ask(sampler, "reset");
  const t0 = performance.now();
  const ret = await runDirectivesScan({
    rootConfig: builder.config,
    environments: builder.environments,
    clientFiles,
    serverFiles,
    entries: opt.entries,
  });
  const callMs = performance.now() - t0;
  const peakTreeRssKb = await ask(sampler, "stop");
  await sampler.terminate();

  const byteSort = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const out = {
    impl: opt.impl,
    root: builder.config.root,
    client: [...clientFiles].sort(byteSort),
    server: [...serverFiles].sort(byteSort),
    unresolved: ret?.unresolved ?? null,
    unmapped: ret?.unmapped ?? null,
    callMs: Math.round(callMs * 10) / 10,
    setupMs: Math.round(setupMs * 10) / 10,
    baselineTreeRssKb,
    peakTreeRssKb,
    vite: vite.version,
    stats: ret?.stats ?? null,
  };
  // Exit at once: rwsdk leaves a 500 ms timer and esbuild's service running.
  process.stdout.write(JSON.stringify(out) + "\n", () => process.exit(0));
}
