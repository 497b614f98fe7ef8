// The process boundary, with a stand-in binary (DSCAN_BINARY): arguments and
// the options it receives on stdin, results, errors with dscan's
// message, path format of the runDirectivesScan drop-in.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DscanError, runDirectivesScan, scanDirectives } from "../index.js";

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dscan-proc-")));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));

// The stand-in: behaviour picked by $FAKE; it echoes its argv and the
// options it was given on stdin, so tests can see what the package passed.
const fake = path.join(tmp, "fake-dscan");
fs.writeFileSync(fake, `#!/usr/bin/env node
const fs = require("fs");
const argv = process.argv.slice(2);
const i = argv.indexOf("--options-json");
const config = i >= 0 ? JSON.parse(fs.readFileSync(0, "utf8")) : null;
const root = fs.realpathSync(argv[1]);
switch (process.env.FAKE) {
case "fail":
  process.stderr.write("dscan: cannot read config '" + root + "/dscan.json': expected ',' at 3:7\\n");
  process.exit(1);
case "usage":
  process.stderr.write("dscan: unknown option '--bogus'\\nusage: dscan scan [ROOT] ...\\n");
  process.exit(2);
case "garbage":
  process.stdout.write("not json");
  process.exit(0);
case "sleep":
  setTimeout(() => {}, 60000);
  break;
case "kill":
  process.kill(process.pid, "SIGKILL");
  break;
default:
  process.stdout.write(JSON.stringify({
    root,
    client: ["/node_modules/.pnpm/x@1/node_modules/x/a.js", "/src/Button.tsx", "/opt/shared/c.tsx"],
    server: ["/src/actions.ts"],
    unresolved: [{ specifier: "./missing", importer: "/src/a.tsx", env: "client" }],
    warnings: [{ severity: "warning", code: "parse", path: root + "/src/bad.ts", line: 1, col: 2, message: "unterminated string" }],
    stats: { modules: 4, filesRead: 4, bytesRead: 10, duplicateReads: 0, resolveCalls: 3, statCalls: 9, wallMs: 1.5, peakRssKb: 2000 },
    argv, config,
  }));
}
`, { mode: 0o755 });

async function withFake(mode, fn) {
  const saved = [process.env.DSCAN_BINARY, process.env.FAKE];
  process.env.DSCAN_BINARY = fake;
  process.env.FAKE = mode;
  try {
    return await fn();
  } finally {
    [process.env.DSCAN_BINARY, process.env.FAKE] = saved;
    if (saved[0] === undefined) delete process.env.DSCAN_BINARY;
    if (saved[1] === undefined) delete process.env.FAKE;
  }
}

const proj = path.join(tmp, "app");
fs.mkdirSync(path.join(proj, "src"), { recursive: true });

test("result object: lists, unresolved, warnings, stats", async () => {
  const r = await withFake("ok", () => scanDirectives({ root: proj }));
  assert.equal(r.root, proj);
  assert.deepEqual(r.server, ["/src/actions.ts"]);
  assert.equal(r.client.length, 3);
  assert.deepEqual(r.unresolved, [{ specifier: "./missing", importer: "/src/a.tsx", env: "client" }]);
  assert.equal(r.warnings[0].code, "parse");
  assert.equal(r.stats.duplicateReads, 0);
  assert.deepEqual(Object.keys(r).sort(), ["client", "root", "server", "stats", "unresolved", "warnings"]);
});

test("config-only options reach dscan on its stdin: nothing written anywhere", async () => {
  // A private TMPDIR, so other programs' temporary folders do not interfere.
  const privTmp = path.join(tmp, "tmpdir");
  fs.mkdirSync(privTmp);
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = privTmp;
  let r;
  try {
    r = await withFake("ok", () => scanDirectives({ root: proj, alias: { "@": "./src" }, entries: ["src/w.ts"] }));
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = savedTmp;
  }
  assert.ok(r.client.length > 0);
  assert.deepEqual(fs.readdirSync(privTmp), [], "no temporary files");
  assert.deepEqual(fs.readdirSync(proj), ["src"], "nothing written into the project");
});

test("argv and options as the binary sees them", async () => {
  // A stand-in that stores its argv/config in a side file.
  const spy = path.join(tmp, "spy.json");
  const spyBin = path.join(tmp, "spy-dscan");
  fs.writeFileSync(spyBin, `#!/usr/bin/env node
const fs = require("fs");
const argv = process.argv.slice(2);
const i = argv.indexOf("--options-json");
const config = i >= 0 && argv[i + 1] === "-" ? JSON.parse(fs.readFileSync(0, "utf8")) : null;
fs.writeFileSync(${JSON.stringify(spy)}, JSON.stringify({ argv, config }));
process.stdout.write(JSON.stringify({ root: argv[1], client: [], server: [], unresolved: [], stats: {} }));
`, { mode: 0o755 });
  const saved = process.env.DSCAN_BINARY;
  process.env.DSCAN_BINARY = spyBin;
  try {
    const r = await scanDirectives({
      root: proj, entries: ["src/w.ts"], mode: "development",
      environments: { worker: { conditions: ["react-server"] } }, alias: [{ find: /^@\/(.*)$/, replacement: "./src/$1" }],
    });
    assert.deepEqual(r.warnings, []);
  } finally {
    if (saved === undefined) delete process.env.DSCAN_BINARY; else process.env.DSCAN_BINARY = saved;
  }
  const { argv, config } = JSON.parse(fs.readFileSync(spy, "utf8"));
  assert.deepEqual(argv.slice(0, 5), ["scan", proj, "--json", "--stats", "--quiet"]);
  assert.ok(argv.includes("--entry") && argv[argv.indexOf("--entry") + 1] === path.join(proj, "src/w.ts"));
  assert.equal(argv[argv.indexOf("--mode") + 1], "development");
  assert.ok(!argv.includes("--config"), "no config file of the package's own");
  assert.deepEqual(config, {
    environments: { worker: { conditions: ["react-server"] } },
    alias: [{ find: "@", replacement: "./src" }],
  });
});

test("a failed scan rejects with dscan's message", async () => {
  await assert.rejects(withFake("fail", () => scanDirectives({ root: proj })), (e) => {
    assert.ok(e instanceof DscanError && e instanceof Error);
    assert.equal(e.message, `cannot read config '${proj}/dscan.json': expected ',' at 3:7`);
    assert.equal(e.exitCode, 1);
    return true;
  });
  await assert.rejects(withFake("usage", () => scanDirectives({ root: proj })),
    (e) => e.message === "unknown option '--bogus'" && e.exitCode === 2);
  await assert.rejects(withFake("garbage", () => scanDirectives({ root: proj })), /cannot parse dscan's output/);
  await assert.rejects(withFake("kill", () => scanDirectives({ root: proj })), /killed by SIGKILL/);
});

test("an AbortSignal kills the native process and rejects with AbortError", async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  const p = withFake("sleep", () => scanDirectives({ root: proj, signal: ac.signal }));
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(p, (e) => e.name === "AbortError");
  assert.ok(performance.now() - t0 < 10000);
});

test("a missing binary is an Error that says so", async () => {
  const saved = process.env.DSCAN_BINARY;
  process.env.DSCAN_BINARY = path.join(tmp, "nope");
  try {
    await assert.rejects(scanDirectives({ root: proj }), (e) => e instanceof DscanError && /cannot run '.*nope'/.test(e.message));
  } finally {
    if (saved === undefined) delete process.env.DSCAN_BINARY; else process.env.DSCAN_BINARY = saved;
  }
});

test("bad options reject before anything runs", async () => {
  await assert.rejects(scanDirectives({ mode: "fast" }), TypeError);
});

function viteLike(root, entries) {
  const env = (conditions, mainFields) => ({ config: { resolve: { conditions, mainFields, extensions: [".ts", ".tsx", ".js"], alias: [] }, build: {} }, plugins: [] });
  const worker = env(["workerd", "react-server"], ["module"]);
  if (entries) worker.config.build.rollupOptions = { input: entries };
  return { rootConfig: { root, mode: "production", isProduction: true, resolve: {} }, environments: { worker, client: env(["browser"], ["browser", "module"]) } };
}

test("runDirectivesScan fills the two Sets with rwsdk's path format", async () => {
  const clientFiles = new Set(["/src/already.tsx"]);
  const serverFiles = new Set();
  const r = await withFake("ok", () => runDirectivesScan({ ...viteLike(proj, { index: "src/worker.tsx" }), clientFiles, serverFiles }));
  assert.deepEqual([...clientFiles], ["/src/already.tsx", "/node_modules/.pnpm/x@1/node_modules/x/a.js", "/src/Button.tsx", "/opt/shared/c.tsx"]);
  assert.deepEqual([...serverFiles], ["/src/actions.ts"]);
  assert.equal(r.unresolved.length, 1);
  assert.deepEqual(r.unmapped, []);
});

test("runDirectivesScan through a symlinked root writes paths against rootConfig.root", async () => {
  const link = path.join(tmp, "link");
  fs.symlinkSync(proj, link);
  fs.writeFileSync(path.join(proj, "src", "Button.tsx"), "");
  fs.writeFileSync(path.join(proj, "src", "actions.ts"), "");
  const clientFiles = new Set();
  const serverFiles = new Set();
  fs.writeFileSync(path.join(proj, "src", "a.tsx"), "");
  const r = await withFake("ok", () => runDirectivesScan({ ...viteLike(link, ["src/worker.tsx"]), clientFiles, serverFiles }));
  // rwsdk normalizes real paths against the (symlinked) root: outside it.
  assert.ok(clientFiles.has(path.join(proj, "src/Button.tsx")));
  assert.ok(clientFiles.has("/opt/shared/c.tsx"));
  assert.deepEqual([...serverFiles], [path.join(proj, "src/actions.ts")]);
  assert.deepEqual(r.unresolved, [{ specifier: "./missing", importer: path.join(proj, "src/a.tsx"), env: "client" }]);
});

test("runDirectivesScan: no entries is a no-op, as in rwsdk; errors are Errors with dscan's message", async () => {
  const clientFiles = new Set();
  const serverFiles = new Set();
  const r = await withFake("fail", () => runDirectivesScan({ ...viteLike(proj), clientFiles, serverFiles }));
  assert.equal(clientFiles.size + serverFiles.size, 0);
  assert.deepEqual(r.unresolved, []);
  await assert.rejects(withFake("fail", () => runDirectivesScan({ ...viteLike(proj, ["src/worker.tsx"]), clientFiles, serverFiles })),
    (e) => e instanceof Error && e.message === `Directive scan failed: cannot read config '${proj}/dscan.json': expected ',' at 3:7`);
  await assert.rejects(runDirectivesScan({ ...viteLike(proj, ["a"]), clientFiles: [], serverFiles }), TypeError);
});
