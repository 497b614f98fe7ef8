// Stands in for RedwoodSDK's dist/vite/runDirectivesScan.mjs when dscan/rwsdk
// is active (rwsdk-hooks.mjs sends rwsdk's imports of that file here). Every
// export of rwsdk's module is kept; only runDirectivesScan is dscan's.
//
// rwsdk calls it in three places, told apart here as phases:
//   "build"      buildApp, once per `vite build`;
//   "dev-start"  directiveModulesDevPlugin, once per dev server (config);
//   "dev-update" miniflareHMRPlugin, when an edited worker file's imports
//                changed (entries: [the edited file]).
// Each call prints one line: phase, modules, files read, time from this
// function's call to its return, and what it added.
import fs from "node:fs";
import path from "node:path";
import { DscanError, normalizeModulePath, runDirectivesScan as dscanRunDirectivesScan, viteToDscanOptions } from "./index.js";
import { devSessionScan } from "./scanner.js";
import * as rwsdk from "dscan-rwsdk:original";

export * from "dscan-rwsdk:original";

const query = new URL(import.meta.url).searchParams;
const rwsdkVersion = query.get("rwsdk") ?? "?";

// The one-shot scan: a dscan process per call (index.js). Resolves to
// {stats, unresolved, unmapped, warnings}; fills the two Sets.
// DSCAN_PRECISE=1: precise mode (SPEC §4.10), only the directive modules the
// app can reference through its barrels — for `vite build` only. The dev
// server pre-bundles each dependency whole, and rwsdk then looks up every
// "use client" module inside it (a barrel's unused icons too): with a
// precise list, `vite dev` of an app importing from @mui/icons-material
// fails with "(ssr) No module found for '…/AbcOutlined.mjs' in module
// lookup for "use client" directive". Dev scans stay complete.
const precise = /^(1|true|yes|on)$/i.test(process.env.DSCAN_PRECISE ?? "");
const oneShot = (args) => dscanRunDirectivesScan(args);
const preciseBuild = (args) => dscanRunDirectivesScan({ ...args, precise: true });

/**
 * The function that runs one scan of `phase` for this dev server or build.
 * This is the seam for a persistent scanner (`createScanner`, SPEC §5b,
 * issue 13): it would keep one session per `rootConfig` and return that
 * session's scan for "dev-start" and "dev-update", so that an HMR sub-scan
 * reuses what the startup scan read. Same arguments, same result shape.
 */
function scannerFor(phase, rootConfig) {
  void rootConfig;
  // One session per dev server (DSCAN_SESSION=0: a process per scan); the
  // startup scan opens it and each HMR sub-scan updates it with the edited
  // file and what fs.watch saw under srcDir and in the root meanwhile
  // (scanner.js devSessionScan).
  if (process.env.DSCAN_SESSION !== "0" && phase !== "build")
    return (args) => devSessionScan(phase, args, viteToDscanOptions, (real, root) => (p) => {
      if (real === root) return p;
      const abs = p.startsWith("/") && fs.existsSync(real + p) ? real + p : p;
      return normalizeModulePath(abs, root);
    });
  return precise && phase === "build" ? preciseBuild : oneShot;
}

// Roots whose dev server had its startup scan. By root, not by config
// object: rwsdk's HMR plugin passes another config object than its startup
// scan did. (A dev server restarted in the same process is labelled
// "dev-update" from then on; the scan itself is the same.)
const started = new Set();
const said = new Set(); // unmapped/warning texts already printed (once per process)

function line(text) {
  process.stderr.write(`dscan/rwsdk: ${text}\n`);
}

function phaseOf(rootConfig) {
  if (rootConfig?.command !== "serve") return "build";
  if (!started.has(rootConfig.root)) {
    started.add(rootConfig.root);
    return "dev-start";
  }
  return "dev-update";
}

export const runDirectivesScan = async (args) => {
  const t0 = performance.now();
  const { rootConfig, clientFiles, serverFiles, entries } = args ?? {};
  const phase = phaseOf(rootConfig);
  const before = [clientFiles?.size ?? 0, serverFiles?.size ?? 0];
  let result;
  try {
    result = await scannerFor(phase, rootConfig)(args);
  } catch (e) {
    if (!(e instanceof DscanError)) throw e;
    // dscan could not scan (e.g. an entry in dscan.json is missing): say
    // why, then do what rwsdk alone would have done.
    line(`${phase} scan: ${e.message}; RedwoodSDK's own scan is used`);
    return rwsdk.runDirectivesScan(args);
  }
  const ms = performance.now() - t0;
  for (const text of [...result.unmapped, ...result.warnings.filter((w) => w.code !== "unmapped").map((w) => w.message)]) {
    if (said.has(text)) continue;
    said.add(text);
    line(`warning: ${text}`);
  }
  const s = result.stats ?? {};
  const root = rootConfig?.root ?? "";
  const what = phase === "dev-update" && Array.isArray(entries)
    ? ` of ${entries.map((e) => (path.isAbsolute(e) ? path.relative(root, e) : e)).join(", ")}` : "";
  const counts = phase === "dev-update"
    ? `+${clientFiles.size - before[0]} client, +${serverFiles.size - before[1]} server modules`
    : `${clientFiles.size} client, ${serverFiles.size} server modules`;
  const unresolved = result.unresolved?.length ? `, ${result.unresolved.length} imports unresolved` : "";
  line(`active (rwsdk ${rwsdkVersion}${precise && phase === "build" ? ", precise" : ""}): ${phase} scan${what}: ${s.modules ?? "?"} modules, ` +
    `${s.filesRead ?? "?"} files read, ${Math.round(ms)} ms; ${counts}${unresolved}`);
  // rwsdk's function returns nothing; its callers ignore the value.
  return undefined;
};
