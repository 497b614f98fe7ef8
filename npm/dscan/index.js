// dscan for Node: finds the "use client" / "use server" modules of a React
// Server Components app with dscan's native core.
//
// The core is the `dscan` binary (binary.js finds it: this platform's
// prebuilt package, else one built from the bundled sources), driven over JSON: one process per scan, options passed
// as flags plus, when needed, `--options-json -` on its stdin (the binary lays
// them over the project's dscan.json itself). README.md says why this rather than a
// Node-API addon (measured: the spawn costs a few milliseconds, the scan
// itself dominates).
//
// Two entry points:
//   scanDirectives(options)  SPEC §2's options in camelCase → the result of
//                            `dscan scan --json --stats`;
//   runDirectivesScan(args)  RedwoodSDK's function of that name: same
//                            arguments, fills the same two sets.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { binaryPath } from "./binary.js";

// Reports (report.js): diff(a, b) as `dscan diff`, and the scan options
// report / reportHtml / why (SPEC §5a).
import { REPORT_KEYS, reportArgs, reportFields } from "./report.js";
export { diff } from "./report.js";
// The persistent scanner (SPEC §5b): scanner.js.
export { createScanner, pluginResolver } from "./scanner.js";
import { canPluginResolve, createScanner, pluginResolver } from "./scanner.js";

const pkgDir = path.dirname(fileURLToPath(import.meta.url));

// Path of the native binary: $DSCAN_BINARY, else this platform's prebuilt
// package, else one built from the bundled sources at first use (binary.js).
export { binaryPath };

/** An error reported by dscan itself (exit status 1 or 2); `message` is dscan's. */
export class DscanError extends Error {
  constructor(message, { exitCode, stderr, cause } = {}) {
    super(message, cause ? { cause } : undefined);
    this.name = "DscanError";
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

// ---------------------------------------------------------------------------
// Options (SPEC §2 in camelCase)

const OPTION_KEYS = new Set([
  "root", "config", "entries", "srcDir", "noPrescan", "mode", "environments",
  "extensions", "alias", "external", "tsconfig", "threads", "signal", "precise",
]);
for (const k of REPORT_KEYS) OPTION_KEYS.add(k);
// Keys that only the config file can carry (the CLI has no flag for them).
const CONFIG_ONLY = ["environments", "extensions", "alias", "external", "tsconfig"];
const ENV_NAMES = ["worker", "client"];

function bad(key, expected) {
  return new TypeError(`invalid option '${key}': expected ${expected}`);
}
function checkStrings(key, v) {
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) throw bad(key, "an array of strings");
  return [...v];
}
function checkString(key, v) {
  if (typeof v !== "string" || v === "") throw bad(key, "a non-empty string");
  return v;
}

/**
 * Vite's alias forms → dscan's [{find, replacement}] with string `find`
 * (exact specifier, or prefix followed by '/').
 * A RegExp `find` is translated when it is the usual prefix form —
 * /^@\/(.*)$/ → "$1"-ended replacement, or /^@\// → "/"-ended replacement —
 * or an exact match /^react$/ → find "react$" (that specifier only);
 * anything else is returned in `unmapped`.
 */
export function translateAlias(alias) {
  const list = [];
  const unmapped = [];
  if (alias == null) return { alias: list, unmapped };
  let entries;
  if (Array.isArray(alias)) entries = alias;
  else if (typeof alias === "object") entries = Object.entries(alias).map(([find, replacement]) => ({ find, replacement }));
  else throw bad("alias", "an array of {find, replacement} or an object of find → replacement");
  for (const a of entries) {
    if (!a || typeof a !== "object" || typeof a.replacement !== "string")
      throw bad("alias", "an array of {find, replacement} with a string replacement");
    if (typeof a.customResolver === "function" || (a.customResolver && typeof a.customResolver === "object"))
      unmapped.push(`alias ${a.find}: its customResolver is not run; the plain replacement is used`);
    if (typeof a.find === "string") {
      if (a.find === "") throw bad("alias", "a non-empty find");
      list.push({ find: a.find, replacement: a.replacement });
      continue;
    }
    if (!(a.find instanceof RegExp)) throw bad("alias", "a string or RegExp find");
    if (VITE_INTERNAL_ALIAS.some((s) => s === a.find.source)) continue;
    const t = regexpAliasToPrefix(a.find, a.replacement) ?? regexpAliasToExact(a.find, a.replacement);
    if (t) list.push(t);
    else unmapped.push(`alias ${a.find} → '${a.replacement}': dscan's alias matches an exact specifier or a string prefix only`);
  }
  return { alias: list, unmapped };
}

// Vite adds these to every resolved config; they map "@vite/env" and
// "@vite/client" to Vite's own dev-server client, which a scan never needs.
const VITE_INTERNAL_ALIAS = ["^\\/?@vite\\/env", "^\\/?@vite\\/client"];

// /^LITERAL$/ (no flags, no "$n" in the replacement) → {find: "LITERAL$"}:
// dscan reads a find ending in '$' as that exact specifier.
function exactAliasLiteral(re) {
  if (re.flags.replace(/[gy]/g, "") !== "") return null;
  const m = /^\^((?:\\[^A-Za-z0-9]|[^\\^$.*+?()[\]{}|])+)\$$/.exec(re.source);
  return m ? m[1].replace(/\\([^A-Za-z0-9])/g, "$1") : null;
}
function regexpAliasToExact(re, replacement) {
  const lit = exactAliasLiteral(re);
  if (lit === null || /\$\d/.test(replacement)) return null;
  return { find: lit + "$", replacement };
}

function regexpAliasToPrefix(re, replacement) {
  if (re.flags.replace(/[gy]/g, "") !== "") return null;
  // ^PREFIX/(.*)$  or  ^PREFIX/(.+)  with a replacement ending in "/$1";
  // ^PREFIX/       with a replacement ending in "/".
  let m = /^\^((?:\\.|[^\\^$.*+?()[\]{}|/])+)\\\/\((?:\.\*|\.\+)\)\$?$/.exec(re.source);
  let rest;
  if (m) {
    if (!replacement.endsWith("/$1")) return null;
    rest = replacement.slice(0, -3);
  } else {
    m = /^\^((?:\\.|[^\\^$.*+?()[\]{}|/])+)\\\/$/.exec(re.source);
    if (!m || !replacement.endsWith("/")) return null;
    rest = replacement.slice(0, -1);
  }
  if (rest.includes("$")) return null;
  // Only escaped punctuation may appear in the prefix: \/ \. \- \@ …
  const prefix = m[1].replace(/\\([^A-Za-z0-9])/g, "$1");
  if (/\\/.test(prefix)) return null;
  return { find: prefix, replacement: rest || "/" };
}

function checkOptions(options) {
  if (options == null) options = {};
  if (typeof options !== "object" || Array.isArray(options)) throw new TypeError("options must be an object");
  for (const k of Object.keys(options))
    if (!OPTION_KEYS.has(k) && options[k] !== undefined) throw new TypeError(`unknown option '${k}'`);
  const o = {};
  o.root = path.resolve(options.root === undefined ? "." : checkString("root", options.root));
  if (options.config !== undefined) o.config = path.resolve(checkString("config", options.config));
  if (options.entries !== undefined) o.entries = checkStrings("entries", options.entries);
  if (options.srcDir !== undefined) o.srcDir = checkString("srcDir", options.srcDir);
  if (options.noPrescan !== undefined) {
    if (typeof options.noPrescan !== "boolean") throw bad("noPrescan", "a boolean");
    o.noPrescan = options.noPrescan;
  }
  if (options.precise !== undefined) {
    if (typeof options.precise !== "boolean") throw bad("precise", "a boolean");
    o.precise = options.precise;
  }
  if (o.noPrescan && o.srcDir !== undefined) throw new TypeError("options 'srcDir' and 'noPrescan' exclude each other");
  if (options.mode !== undefined) {
    if (options.mode !== "production" && options.mode !== "development") throw bad("mode", "'production' or 'development'");
    o.mode = options.mode;
  }
  if (options.environments !== undefined) {
    const e = options.environments;
    if (!e || typeof e !== "object" || Array.isArray(e)) throw bad("environments", "an object with 'worker' and/or 'client'");
    o.environments = {};
    for (const [name, v] of Object.entries(e)) {
      if (v === undefined) continue;
      if (!ENV_NAMES.includes(name)) throw bad("environments", `'worker' or 'client', not '${name}'`);
      if (!v || typeof v !== "object") throw bad(`environments.${name}`, "an object");
      const env = {};
      for (const [k, list] of Object.entries(v)) {
        if (list === undefined) continue;
        if (k !== "conditions" && k !== "mainFields") throw bad(`environments.${name}`, `'conditions' and/or 'mainFields', not '${k}'`);
        env[k] = checkStrings(`environments.${name}.${k}`, list);
      }
      o.environments[name] = env;
    }
  }
  if (options.extensions !== undefined) {
    o.extensions = checkStrings("extensions", options.extensions);
    for (const x of o.extensions) if (!x.startsWith(".")) throw bad("extensions", `extensions starting with '.', not '${x}'`);
  }
  if (options.alias !== undefined) {
    const { alias, unmapped } = translateAlias(options.alias);
    if (unmapped.length) throw new TypeError(`invalid option 'alias': ${unmapped[0]}`);
    o.alias = alias;
  }
  if (options.external !== undefined) o.external = checkStrings("external", options.external);
  if (options.tsconfig !== undefined) o.tsconfig = checkString("tsconfig", options.tsconfig);
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw bad("threads", "a positive integer");
    o.threads = options.threads;
  }
  if (options.signal !== undefined) {
    if (!(options.signal instanceof AbortSignal)) throw bad("signal", "an AbortSignal");
    o.signal = options.signal;
  }
  return o;
}

/**
 * The argv for `dscan scan` and, when options need one, the object passed as
 * `--options-json -` on its stdin: dscan.json's keys, which the binary lays
 * over the user's own dscan.json (or `config`) itself, key by key, so that
 * any error about that file names it. Relative paths are relative to the
 * root, as in dscan.json. Exported for tests.
 */
export function buildInvocation(options) {
  const o = checkOptions(options);
  const args = ["scan", o.root, "--json", "--stats", "--quiet"];
  const abs = (p) => path.resolve(o.root, p);
  let optionsJson = null;
  if (CONFIG_ONLY.some((k) => o[k] !== undefined)) {
    optionsJson = {};
    for (const k of CONFIG_ONLY) if (o[k] !== undefined) optionsJson[k] = o[k];
  }
  if (o.config) args.push("--config", o.config);
  if (optionsJson) args.push("--options-json", "-");
  for (const e of o.entries ?? []) args.push("--entry", abs(e));
  if (o.srcDir !== undefined) args.push("--src", abs(o.srcDir));
  if (o.noPrescan) args.push("--no-prescan");
  if (o.mode) args.push("--mode", o.mode);
  if (o.precise) args.push("--precise");
  if (o.threads) args.push("-j", String(o.threads));
  args.push(...reportArgs(options ?? {}));
  return { args, optionsJson, root: o.root, signal: o.signal };
}

function run(bin, args, signal, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: [input == null ? "ignore" : "pipe", "pipe", "pipe"], signal });
    if (input != null) {
      // A binary that exits before reading it all closes the pipe: its exit
      // status and message say why, not EPIPE.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, sig) =>
      resolve({ code, sig, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

// "dscan: cannot read config '/x/dscan.json': …" → the text after "dscan: "
// of the first such line (usage text that may follow is left out).
function dscanMessage(stderr, fallback) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const first = lines.find((l) => l.startsWith("dscan: ")) ?? lines[0];
  if (!first) return fallback;
  return first.startsWith("dscan: ") ? first.slice(7) : first;
}

/**
 * Scans a project. Resolves to {root, client, server, unresolved, warnings,
 * stats}; rejects with a TypeError for bad options and a DscanError carrying
 * dscan's message when the scan cannot be done (root or entry missing, bad
 * config). Unresolved imports and bad files are not errors.
 */
export async function scanDirectives(options = {}) {
  const { args, optionsJson, signal } = buildInvocation(options);
  const bin = binaryPath();
  let r;
  try {
    r = await run(bin, args, signal, optionsJson && JSON.stringify(optionsJson));
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new DscanError(`cannot run '${bin}': ${e.message}` +
      (e.code === "ENOENT" ? (process.env.DSCAN_BINARY ? " (DSCAN_BINARY names a file that does not exist)" : " (the binary was removed after it was found)") : ""), { cause: e });
  }
  if (r.code !== 0) {
    const why = r.sig ? `dscan was killed by ${r.sig}` : `dscan exited with status ${r.code}`;
    throw new DscanError(dscanMessage(r.stderr, why), { exitCode: r.code, stderr: r.stderr });
  }
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch (e) {
    throw new DscanError(`cannot parse dscan's output: ${e.message}`, { stderr: r.stderr, cause: e });
  }
  return {
    root: json.root,
    client: json.client ?? [],
    server: json.server ?? [],
    unresolved: json.unresolved ?? [],
    warnings: json.warnings ?? json.diagnostics ?? [],
    stats: json.stats ?? {},
    ...reportFields(json),
  };
}

// ---------------------------------------------------------------------------
// RedwoodSDK's runDirectivesScan

// What rwsdk's scan marks external without resolving (its constants.mjs):
// Cloudflare's runtime modules and Node's builtins. dscan never resolves
// Node builtins or node: ids anyway (SPEC §4.5), so only the first are listed.
const CLOUDFLARE_BUILTINS = ["cloudflare:email", "cloudflare:sockets", "cloudflare:workers", "cloudflare:workflows"];
// Vite plugins whose resolveId dscan does itself: Vite's own resolver and
// alias plugins, and tsconfig paths (dscan reads tsconfig.json).
// Vite 8 names its Rust-side plugins "builtin:…" (builtin:oxc-runtime answers
// only the transform's own helper imports).
const NATIVE_PLUGIN = /^(vite:|builtin:|alias$|vite-tsconfig-paths$|commonjs--resolver$)/;
// RedwoodSDK's and @cloudflare/vite-plugin's own plugins whose resolveId
// never reaches a module a directive scan needs (read from rwsdk 1.7.3 and
// @cloudflare/vite-plugin 1.64.0): they answer virtual ids (lookup tables,
// preamble, Cloudflare's virtual modules and client fallback), the state and
// SSR-bridge ids (rwsdk's own scan marks both external, and both plugins
// return early when `custom.rwsdk.directiveScan` is set), React's pinned
// copies (known-dependencies: also skipped during rwsdk's scan), Node
// built-ins and unenv polyfills (nodejs-compat: no directives there) and
// non-JavaScript module types (additional-modules: .wasm, .bin, .txt, .html).
const QUIET_PLUGIN = new Set([
  "rwsdk:state", "rwsdk:ssr-bridge", "rwsdk:known-dependencies-resolver:resolveId",
  "rwsdk:virtual-virtual:vite-preamble", "rwsdk:use-client-lookup", "rwsdk:use-server-lookup",
  "vite-plugin-cloudflare:additional-modules", "vite-plugin-cloudflare:nodejs-compat",
  "vite-plugin-cloudflare:virtual-modules", "vite-plugin-cloudflare:virtual-client-fallback",
]);

const isObject = (v) => Object.prototype.toString.call(v) === "[object Object]";
const dedupe = (list) => [...new Set(list)];

function entryList(input) {
  if (Array.isArray(input)) return input;
  if (typeof input === "string") return [input];
  if (isObject(input)) return Object.values(input);
  return [];
}

// "react$" → "/…/node_modules/react/react.react-server.js": an exact alias
// that pins a package to one of its own files, as rwsdk does for React per
// side. dscan reaches the same file by resolving the package with that side's
// conditions (one copy installed), so such an alias needs no rule.
function isPackagePin(a) {
  if (!a.find.endsWith("$") || !path.isAbsolute(a.replacement)) return false;
  const spec = a.find.slice(0, -1);
  const parts = spec.split("/");
  const pkg = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return a.replacement.includes(`/node_modules/${pkg}/`);
}

// dscan has one alias list for both sides; Vite has one per environment.
// Rules both sides share are kept; a package pin on one side or differing
// between them is left to dscan's own resolution; anything else that differs
// is applied to both sides (worker's) or not at all (client's), and said.
function aliasForBothSides(workerAlias, clientAlias) {
  const w = translateAlias(workerAlias);
  const c = translateAlias(clientAlias);
  const unmapped = dedupe([...w.unmapped, ...c.unmapped]);
  const key = (a) => `${a.find}\0${a.replacement}`;
  const wKeys = new Set(w.alias.map(key));
  const cKeys = new Set(c.alias.map(key));
  const alias = [];
  for (const a of w.alias) {
    if (cKeys.has(key(a))) alias.push(a);
    else if (!isPackagePin(a)) {
      alias.push(a);
      unmapped.push(`alias '${a.find}' → '${a.replacement}' is the worker's only; dscan applies it to both sides`);
    }
  }
  for (const a of c.alias)
    if (!wKeys.has(key(a)) && !isPackagePin(a))
      unmapped.push(`alias '${a.find}' → '${a.replacement}' is the client's only; dscan does not apply it`);
  return { alias, unmapped };
}

/**
 * Maps the Vite resolved config of the `worker` and `client` environments
 * onto scanDirectives options, as rwsdk's runDirectivesScan would resolve.
 * Returns {options, unmapped}; `unmapped` lists, in words, what dscan
 * cannot do (RegExp aliases of other shapes, plugins' own resolveId hooks).
 */
export function viteToDscanOptions({ rootConfig, environments, entries } = {}) {
  if (!rootConfig || typeof rootConfig.root !== "string") throw new TypeError("rootConfig must be Vite's resolved config (with 'root')");
  if (!environments || !environments.worker || !environments.client)
    throw new TypeError("environments must hold Vite's 'worker' and 'client' environments");
  const unmapped = [];
  const input = entries ?? environments.worker.config?.build?.rolldownOptions?.input ??
    environments.worker.config?.build?.rollupOptions?.input;
  const list = entryList(input).filter((e) => typeof e === "string" && !e.includes("virtual:"));

  const mode = typeof rootConfig.isProduction === "boolean"
    ? (rootConfig.isProduction ? "production" : "development")
    : rootConfig.mode === "development" ? "development" : "production";

  const envOptions = {};
  const resolveOf = (name) => environments[name].config?.resolve ?? {};
  for (const name of ENV_NAMES) {
    const r = resolveOf(name);
    const env = {};
    // Vite writes "development|production" and picks one by mode when it
    // resolves; dscan does the same with the entry kept, and a list without
    // it (rwsdk's client) gets no mode condition, as in Vite (SPEC §4.6).
    if (Array.isArray(r.conditions)) env.conditions = dedupe(r.conditions);
    if (Array.isArray(r.mainFields)) env.mainFields = dedupe(r.mainFields);
    envOptions[name] = env;
  }

  // dscan has one list of extensions and aliases for both sides; Vite's are
  // the root config's unless an environment overrides them.
  const w = resolveOf("worker");
  const c = resolveOf("client");
  const extensions = w.extensions ?? rootConfig.resolve?.extensions;
  if (c.extensions && extensions && c.extensions.join() !== extensions.join())
    unmapped.push(`client resolve.extensions [${c.extensions}] differ from worker's; worker's are used for both`);
  const { alias, unmapped: badAlias } = aliasForBothSides(w.alias ?? rootConfig.resolve?.alias ?? [],
    c.alias ?? rootConfig.resolve?.alias ?? []);
  unmapped.push(...badAlias);

  const external = dedupe([...CLOUDFLARE_BUILTINS,
    ...(Array.isArray(w.builtins) ? w.builtins.filter((b) => typeof b === "string" && !builtinModules.includes(b)) : [])]);

  const hooks = new Map(); // plugin name → environments where it has resolveId
  for (const name of ENV_NAMES) {
    for (const p of environments[name].plugins ?? []) {
      if (!p || !p.resolveId || NATIVE_PLUGIN.test(p.name ?? "") || QUIET_PLUGIN.has(p.name)) continue;
      hooks.set(p.name, [...(hooks.get(p.name) ?? []), name]);
    }
  }
  for (const [p, envs] of hooks) unmapped.push(`plugin '${p}' (${dedupe(envs).join(", ")}) has a resolveId hook; dscan resolves without it`);

  const options = {
    root: rootConfig.root,
    entries: list,
    srcDir: "src", // rwsdk pre-scans <root>/src whatever the config says
    mode,
    environments: envOptions,
    alias,
    external,
  };
  if (Array.isArray(extensions)) options.extensions = dedupe(extensions);
  return { options, unmapped };
}

/**
 * rwsdk's normalizeModulePath for a real absolute path: "/" + the path
 * relative to `root` inside it, the absolute path outside it.
 */
export function normalizeModulePath(absPath, root) {
  const r = path.resolve(root);
  if (absPath === r) return "/";
  if (absPath.startsWith(r + "/")) return absPath.slice(r.length);
  return absPath;
}

/**
 * Drop-in for RedwoodSDK's runDirectivesScan (sdk/src/vite/runDirectivesScan.mts):
 * same arguments, adds the directive modules to `clientFiles` and
 * `serverFiles` written as rwsdk writes them. `esbuildOptions` is accepted and
 * ignored. Where rwsdk returns nothing, this resolves to
 * {unresolved, warnings, stats, unmapped} so a caller may resolve the
 * unresolved specifiers with Vite and continue.
 */
export async function runDirectivesScan({ rootConfig, environments, clientFiles, serverFiles, entries, esbuildOptions, precise } = {}) {
  void esbuildOptions;
  if (!(clientFiles instanceof Set) || !(serverFiles instanceof Set)) throw new TypeError("clientFiles and serverFiles must be Sets");
  const { options, unmapped } = viteToDscanOptions({ rootConfig, environments, entries });
  const empty = { unresolved: [], warnings: [], stats: {}, unmapped };
  if (options.entries.length === 0) return empty; // as rwsdk: nothing to scan
  if (precise) options.precise = true; // SPEC §4.10 (DSCAN_PRECISE=1 in the rwsdk hook)

  let result;
  try {
    result = await scanDirectives(options);
    // Imports dscan cannot resolve (virtual modules, custom resolvers) go to
    // the Vite environments' plugin containers, as rwsdk's esbuild scan
    // sends them (SPEC §5b resolveUnresolved): a session walks on from the
    // files they name. Only then, since the session's scan is one thread.
    if (result.unresolved.length && canPluginResolve(environments)) {
      const s = await createScanner({ ...options, resolveUnresolved: pluginResolver(environments) });
      try {
        const followed = await s.scan();
        result = { ...result, ...followed, warnings: result.warnings };
      } finally {
        await s.close();
      }
    }
  } catch (e) {
    throw new DscanError(`Directive scan failed: ${e.message}`, { exitCode: e.exitCode, stderr: e.stderr, cause: e });
  }
  // dscan writes paths against the real root; rwsdk against rootConfig.root.
  const root = path.resolve(rootConfig.root);
  const same = result.root === root;
  const rewrite = (p) => {
    if (same) return p;
    const abs = p.startsWith("/") && fs.existsSync(result.root + p) ? result.root + p : p;
    return normalizeModulePath(abs, root);
  };
  for (const p of result.client) clientFiles.add(rewrite(p));
  for (const p of result.server) serverFiles.add(rewrite(p));
  return {
    unresolved: same ? result.unresolved : result.unresolved.map((u) => ({ ...u, importer: rewrite(u.importer) })),
    warnings: [...unmapped.map((message) => ({ severity: "warning", code: "unmapped", path: "", message })), ...result.warnings],
    stats: result.stats,
    unmapped,
  };
}
