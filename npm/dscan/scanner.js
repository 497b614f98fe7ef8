// createScanner (SPEC §5b): one long-lived `dscan serve` process that keeps
// the module graph between scans, so an update after an edit re-reads only
// the changed files.
//
//   const s = await createScanner(options)   // scanDirectives' options
//   const r = await s.scan()                 // as scanDirectives' result
//   const u = await s.update({ changed: [absPath], removed: [absPath] })
//   // u: the whole new result, u.delta = {client: {added, removed}, server: {…}},
//   //    u.stats.filesRead = files read by this update
//   await s.close()
//
// Requests are queued (one at a time, in call order). A process that dies is
// started again by the next call, which then runs a full scan (the delta is
// still against the last result the caller saw). close() is idempotent.
//
// Option resolveUnresolved: async ({specifier, importer, env}) => absPath | null.
// After each scan or update, every unresolved import not asked about before
// is offered to it; the files it returns are sent back to dscan (op
// "resolved"), which walks on from them in that environment and keeps those
// edges for later updates; repeated until nothing new comes back.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { binaryPath } from "./binary.js";
import { buildInvocation, DscanError } from "./index.js";

// buildInvocation's `scan` flags that `serve` takes too (with their value).
const SERVE_FLAGS = new Map([["--config", 1], ["--entry", 1], ["--src", 1], ["--no-prescan", 0], ["--mode", 1]]);

function serveArgs(options) {
  const { args, optionsJson, root } = buildInvocation(options);
  const out = ["serve", root];
  for (let i = 2; i < args.length; i++) {
    const n = SERVE_FLAGS.get(args[i]);
    if (n === undefined) continue; // --json, --stats, -j N, report flags
    out.push(args[i]);
    if (n) out.push(args[++i]);
  }
  return { args: out, optionsJson, root };
}

function diffLists(before, after) {
  const b = new Set(before);
  const a = new Set(after);
  return { added: after.filter((p) => !b.has(p)), removed: before.filter((p) => !a.has(p)) };
}

/**
 * Starts a scanner for `options` (scanDirectives' options, plus
 * `resolveUnresolved`). Nothing is scanned until scan() or update().
 */
export async function createScanner(options = {}) {
  const { resolveUnresolved, ...scanOptions } = options ?? {};
  if (scanOptions.precise) throw new TypeError("option 'precise' is not supported by createScanner yet (dscan serve keeps no names); use scanDirectives");
  if (resolveUnresolved != null && typeof resolveUnresolved !== "function")
    throw new TypeError("invalid option 'resolveUnresolved': expected a function");
  const { args, optionsJson } = serveArgs(scanOptions);
  const bin = binaryPath();
  let optionsFile = null;
  if (optionsJson) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dscan-options-"));
    optionsFile = path.join(dir, "options.json");
    fs.writeFileSync(optionsFile, JSON.stringify(optionsJson));
    args.push("--options-json", optionsFile);
  }

  let child = null;
  let pending = new Map();
  let nextId = 1;
  let fresh = true; // the running process has no scan yet
  let closed = false; // close() was called: new calls are refused
  let queue = Promise.resolve();
  let last = null; // the last result handed out
  const asked = new Map(); // "env\0importer\0specifier" -> answer (path or null)

  function start() {
    const proc = spawn(bin, args, { stdio: ["pipe", "pipe", "pipe"] });
    const mine = new Map();
    let stderr = "";
    child = proc;
    pending = mine;
    fresh = true;
    asked.clear(); // the new process knows none of the earlier answers
    proc.stdin.on("error", () => {});
    proc.stderr.on("data", (b) => {
      stderr = (stderr + b).slice(-65536);
    });
    readline.createInterface({ input: proc.stdout }).on("line", (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      const p = mine.get(msg.id);
      if (p) {
        mine.delete(msg.id);
        p.resolve(msg);
      }
    });
    const gone = (why) => {
      if (child === proc) child = null;
      const text = stderr.split("\n").find((l) => l.startsWith("dscan: "))?.slice(7) ?? why;
      for (const p of mine.values()) p.reject(new DscanError(text, { stderr }));
      mine.clear();
    };
    proc.on("error", (e) => gone(`cannot run '${bin}': ${e.message}`));
    proc.on("close", (code, sig) => gone(sig ? `dscan serve was killed by ${sig}` : `dscan serve exited with status ${code}`));
  }

  function request(req) {
    if (!child) start();
    const id = nextId++;
    const proc = child;
    const mine = pending;
    const p = new Promise((resolve, reject) => mine.set(id, { resolve, reject }));
    proc.stdin.write(JSON.stringify({ id, ...req }) + "\n");
    return p.then((msg) => {
      if (!msg.ok) throw new DscanError(msg.error);
      return msg;
    });
  }

  // Offers new unresolved imports to resolveUnresolved until none is new.
  async function follow(msg, stats) {
    while (resolveUnresolved && msg.unresolved?.length) {
      const items = [];
      for (const u of msg.unresolved) {
        const key = `${u.env}\0${u.importer}\0${u.specifier}`;
        if (asked.has(key)) continue;
        const importer = u.importer.startsWith("/") && fs.existsSync(msg.root + u.importer) ? msg.root + u.importer : u.importer;
        let answer = null;
        try {
          answer = await resolveUnresolved({ specifier: u.specifier, importer, env: u.env });
        } catch {
          answer = null;
        }
        const ok = typeof answer === "string" && path.isAbsolute(answer) ? answer : null;
        asked.set(key, ok);
        if (ok) items.push({ specifier: u.specifier, importer: u.importer, env: u.env, path: ok });
      }
      if (!items.length) break;
      msg = await request({ op: "resolved", items });
      stats.filesRead += msg.stats.filesRead;
      stats.bytesRead += msg.stats.bytesRead;
      stats.wallMs += msg.stats.wallMs;
    }
    return msg;
  }

  function shape(msg, stats) {
    const result = {
      root: msg.root,
      client: msg.client,
      server: msg.server,
      unresolved: msg.unresolved,
      warnings: [],
      stats: { ...msg.stats, ...stats },
    };
    result.delta = {
      client: diffLists(last?.client ?? [], result.client),
      server: diffLists(last?.server ?? [], result.server),
    };
    last = result;
    return result;
  }

  function enqueue(fn) {
    if (closed) return Promise.reject(new Error("dscan scanner is closed"));
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  }

  async function run(req) {
    // A new (or restarted) process scans in full first.
    if (!child) start();
    let msg = await request(fresh ? { op: "scan" } : req);
    fresh = false;
    const stats = { filesRead: msg.stats.filesRead, bytesRead: msg.stats.bytesRead, wallMs: msg.stats.wallMs };
    msg = await follow(msg, stats);
    return shape(msg, stats);
  }

  const paths = (v, key) => {
    if (v == null) return [];
    if (!Array.isArray(v) || v.some((p) => typeof p !== "string")) throw new TypeError(`invalid '${key}': expected an array of paths`);
    return v;
  };

  return {
    scan() {
      return enqueue(() => {
        fresh = true;
        asked.clear(); // a full scan forgets the answers given so far
        return run({ op: "scan" });
      });
    },
    update({ changed, removed } = {}) {
      const c = paths(changed, "changed");
      const r = paths(removed, "removed");
      return enqueue(() => run({ op: "update", changed: c, removed: r }));
    },
    close() {
      if (closed) return queue;
      const done = queue.then(async () => {
        const proc = child;
        child = null;
        if (optionsFile) fs.rmSync(path.dirname(optionsFile), { recursive: true, force: true });
        if (!proc || proc.exitCode !== null) return;
        const exited = new Promise((resolve) => proc.once("close", resolve));
        proc.stdin.end(); // EOF ends the session
        await exited;
      });
      queue = done.catch(() => {});
      closed = true;
      return done;
    },
    /** The serve process's pid (for tests), or null. */
    get pid() {
      return child?.pid ?? null;
    },
  };
}

/**
 * resolveUnresolved for RedwoodSDK's Vite environments: asks the plugin
 * container of the environment the import was seen in (rwsdk names them
 * "worker" and "client", as dscan does), and keeps an answer that is an
 * existing absolute file (a query or a "\0virtual" id is no file dscan can
 * read). As rwsdk's own scan does through esbuild's onResolve.
 */
export function pluginResolver(environments) {
  return async ({ specifier, importer, env }) => {
    const container = environments?.[env]?.pluginContainer;
    if (typeof container?.resolveId !== "function") return null;
    const r = await container.resolveId(specifier, importer);
    const id = typeof r === "string" ? r : r?.id;
    if (typeof id !== "string" || r?.external) return null;
    const file = id.split("?")[0];
    return path.isAbsolute(file) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
  };
}

/** Does any environment have a plugin container that can resolve? */
export function canPluginResolve(environments) {
  return Object.values(environments ?? {}).some((e) => typeof e?.pluginContainer?.resolveId === "function");
}

// ---------------------------------------------------------------------------
// One scanner per dev server (for rwsdk-scan.mjs)

const devScanners = new Map(); // real root -> {scanner, unmapped, watchers, seen}

// rwsdk's HMR sub-scan names only the worker file whose imports changed; a
// client component that gained "use client" meanwhile, or a new file, is
// not named. So the session also takes what fs.watch saw since the last
// update: srcDir recursively and the root's own entries (package.json,
// tsconfig) — not node_modules. Watchers are unref'd: they never keep the
// process alive.
function watchDev(root, srcDir, seen) {
  const watchers = [];
  const add = (dir, recursive) => {
    try {
      const w = fs.watch(dir, { recursive }, (_event, name) => {
        if (name) seen.add(path.join(dir, name.toString()));
      });
      w.on("error", () => {});
      w.unref();
      watchers.push(w);
    } catch {
      // No watching here (platform or permission): updates name only entries.
    }
  };
  add(root, false);
  if (srcDir && fs.existsSync(srcDir)) add(srcDir, true);
  return watchers;
}

/**
 * RedwoodSDK's dev scans through one session per dev server root: "dev-start"
 * opens it and scans, "dev-update" (rwsdk's HMR sub-scan, entries: the edited
 * file) updates it with the edited files, so only they are read again. Fills
 * the Sets as runDirectivesScan does and returns its shape. `rewrite` maps a
 * result path to rwsdk's spelling.
 */
export async function devSessionScan(phase, args, viteToDscanOptions, rewriteFor) {
  const { rootConfig, environments, clientFiles, serverFiles, entries } = args;
  const root = path.resolve(rootConfig.root);
  let dev = devScanners.get(root);
  let result;
  if (phase === "dev-start" || !dev) {
    if (dev) await closeDev(dev);
    const { options, unmapped } = viteToDscanOptions({ rootConfig, environments, entries });
    if (options.entries.length === 0) return { unresolved: [], warnings: [], stats: {}, unmapped };
    const scanner = await createScanner({ ...options, resolveUnresolved: pluginResolver(environments) });
    const seen = new Set();
    // Watching starts before the scan: an edit during it is seen by the next update.
    const watchers = watchDev(root, path.resolve(root, options.srcDir ?? "src"), seen);
    dev = { scanner, unmapped, watchers, seen };
    devScanners.set(root, dev);
    result = await scanner.scan();
  } else {
    const named = [...(entries ?? []).map((e) => path.resolve(root, e)), ...dev.seen];
    // As the one-shot scan (and rwsdk's own): a sub-scan of an entry that is
    // gone fails, and the caller falls back as it does then.
    for (const e of entries ?? []) {
      const p = path.resolve(root, e);
      if (!fs.existsSync(p)) throw new DscanError(`Directive scan failed: cannot find entry '${p}': no such file or directory`);
    }
    dev.seen.clear();
    const changed = [];
    const removed = [];
    for (const p of new Set(named)) (fs.existsSync(p) ? changed : removed).push(p);
    result = await dev.scanner.update({ changed, removed });
  }
  const rewrite = rewriteFor(result.root, root);
  for (const p of result.client) clientFiles.add(rewrite(p));
  for (const p of result.server) serverFiles.add(rewrite(p));
  return { unresolved: result.unresolved, warnings: result.warnings, stats: result.stats, unmapped: dev.unmapped };
}

/** Closes every dev-server session (a dev server that stops; tests). */
export async function closeDevSessions() {
  const all = [...devScanners.values()];
  devScanners.clear();
  await Promise.all(all.map(closeDev));
}

function closeDev(dev) {
  for (const w of dev.watchers) w.close();
  return dev.scanner.close();
}
