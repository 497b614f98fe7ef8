// createScanner (SPEC §5b) on the real native core: scan, updates after
// edits with deltas and files read, queued calls, a killed process restarted
// with a full scan, idempotent close, and resolveUnresolved followed.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createScanner, scanDirectives } from "../index.js";

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dscan-scanner-")));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root, files) {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
}

test("scan, update after edits, delta and filesRead, same as a fresh scan", async () => {
  const app = path.join(tmp, "a");
  write(app, {
    "src/worker.tsx": "import './Button';\nimport './actions';\n",
    "src/Button.tsx": "'use client';\nexport const B = 1;\n",
    "src/actions.ts": "export async function save() {}\n",
  });
  const s = await createScanner({ root: app });
  const r = await s.scan();
  assert.deepEqual(r.client, ["/src/Button.tsx"]);
  assert.deepEqual(r.delta.client, { added: ["/src/Button.tsx"], removed: [] });

  write(app, { "src/actions.ts": "'use server';\nexport async function save() {}\n" });
  // Two calls at once: queued, answered in order.
  const [u1, u2] = await Promise.all([
    s.update({ changed: [path.join(app, "src/actions.ts")] }),
    s.update({}),
  ]);
  assert.deepEqual(u1.server, ["/src/actions.ts"]);
  assert.deepEqual(u1.delta.server, { added: ["/src/actions.ts"], removed: [] });
  assert.equal(u1.stats.filesRead, 1);
  assert.equal(u2.stats.filesRead, 0);
  assert.deepEqual(u2.delta.server, { added: [], removed: [] });

  fs.rmSync(path.join(app, "src/Button.tsx"));
  const u3 = await s.update({ removed: [path.join(app, "src/Button.tsx")] });
  const fresh = await scanDirectives({ root: app });
  assert.deepEqual([u3.client, u3.server, u3.unresolved.map((u) => u.specifier)],
    [fresh.client, fresh.server, fresh.unresolved.map((u) => u.specifier)]);
  assert.deepEqual(u3.delta.client, { added: [], removed: ["/src/Button.tsx"] });

  await s.close();
  await s.close(); // idempotent
  await assert.rejects(s.scan(), /closed/);
});

test("a killed process is restarted by the next call, with a full scan", async () => {
  const app = path.join(tmp, "b");
  write(app, {
    "src/worker.tsx": "import './a';\n",
    "src/a.tsx": "'use client';\n",
  });
  const s = await createScanner({ root: app });
  await s.scan();
  const pid = s.pid;
  process.kill(pid, "SIGKILL");
  await new Promise((r) => setTimeout(r, 100));
  write(app, { "src/a.tsx": "'use server';\n" });
  const u = await s.update({ changed: [path.join(app, "src/a.tsx")] });
  assert.notEqual(s.pid, pid);
  assert.deepEqual(u.server, ["/src/a.tsx"]);
  assert.deepEqual(u.delta, { client: { added: [], removed: ["/src/a.tsx"] }, server: { added: ["/src/a.tsx"], removed: [] } });
  assert.equal(u.stats.filesRead, 2); // the full scan of the new process
  await s.close();
});

test("resolveUnresolved: the scan goes on from the files it returns, and keeps them", async () => {
  const app = path.join(tmp, "c");
  write(app, {
    "src/worker.tsx": "import '~gen/x';\n",
    "gen/x.ts": "'use client';\nimport '~gen/y';\n",
    "gen/y.ts": "'use server';\n",
  });
  const asked = [];
  const s = await createScanner({
    root: app,
    resolveUnresolved: async ({ specifier, importer, env }) => {
      asked.push(`${env} ${path.relative(app, importer)} ${specifier}`);
      return specifier.startsWith("~gen/") ? path.join(app, "gen", specifier.slice(5) + ".ts") : null;
    },
  });
  const r = await s.scan();
  assert.deepEqual(r.client, ["/gen/x.ts"]);
  assert.deepEqual(r.server, ["/gen/y.ts"]);
  assert.deepEqual(r.unresolved, []);
  assert.deepEqual(asked, ["worker src/worker.tsx ~gen/x", "client gen/x.ts ~gen/y"]);
  // An edit elsewhere: the resolved edges stand without asking again.
  write(app, { "gen/y.ts": "export const y = 1;\n" });
  const u = await s.update({ changed: [path.join(app, "gen/y.ts")] });
  assert.deepEqual(u.server, []);
  assert.deepEqual(u.client, ["/gen/x.ts"]);
  assert.equal(asked.length, 2);
  // A full scan forgets the answers: they are asked for again.
  const again = await s.scan();
  assert.deepEqual(again.client, ["/gen/x.ts"]);
  assert.equal(asked.length, 4);
  await s.close();
});

test("runDirectivesScan sends what dscan cannot resolve to the environment's pluginContainer", async () => {
  const { runDirectivesScan } = await import("../index.js");
  const app = path.join(tmp, "d");
  write(app, {
    "src/worker.tsx": "import '~plugin/page';\n",
    "src/App.tsx": "export const App = 1;\n",
    "plugin/page.tsx": "'use client';\nimport '~p/act';\n",
    "plugin/act.ts": "'use server';\n",
  });
  const calls = [];
  const container = (env) => ({
    async resolveId(id, importer) {
      calls.push(`${env} ${id} ${path.relative(app, importer)}`);
      if (id === "~plugin/page") return { id: path.join(app, "plugin/page.tsx") };
      if (id === "~p/act") return path.join(app, "plugin/act.ts") + "?v=1";
      return null;
    },
  });
  const clientFiles = new Set();
  const serverFiles = new Set();
  await runDirectivesScan({
    rootConfig: { root: app, command: "build", resolve: {} },
    environments: { worker: { pluginContainer: container("worker"), config: {} }, client: { pluginContainer: container("client"), config: {} } },
    clientFiles, serverFiles, entries: ["src/worker.tsx"],
  });
  assert.deepEqual([...clientFiles], ["/plugin/page.tsx"]);
  assert.deepEqual([...serverFiles], ["/plugin/act.ts"]);
  assert.deepEqual(calls, ["worker ~plugin/page src/worker.tsx", "client ~p/act plugin/page.tsx"]);
});

test("devSessionScan: one session per dev server, an HMR sub-scan reads only the edited file", async () => {
  const { viteToDscanOptions, normalizeModulePath } = await import("../index.js");
  const { devSessionScan, closeDevSessions } = await import("../scanner.js");
  const app = path.join(tmp, "e");
  write(app, {
    "src/worker.tsx": "import './a';\n",
    "src/a.tsx": "export const a = 1;\n",
    "src/b.tsx": "export const b = 1;\n",
    "src/c.tsx": "'use client';\nexport const c = 1;\n",
    "lib/d.ts": "'use server';\n", // not under src: read only once reached
  });
  const rewriteFor = () => (p) => p;
  const clientFiles = new Set();
  const serverFiles = new Set();
  const args = { rootConfig: { root: app, command: "serve", resolve: {} }, environments: { worker: { config: {} }, client: { config: {} } }, clientFiles, serverFiles, entries: ["src/worker.tsx"] };
  const r1 = await devSessionScan("dev-start", args, viteToDscanOptions, rewriteFor);
  assert.deepEqual([...clientFiles], ["/src/c.tsx"]);
  assert.equal(r1.stats.filesRead, 4);
  write(app, { "src/a.tsx": "import '../lib/d';\n" });
  // rwsdk names the edited worker file; d is new to the graph, so it is read too.
  const r2 = await devSessionScan("dev-update", { ...args, entries: [path.join(app, "src/a.tsx")] }, viteToDscanOptions, rewriteFor);
  assert.deepEqual([...serverFiles], ["/lib/d.ts"]);
  assert.equal(r2.stats.filesRead, 2);
  // b gains "use client" with no sub-scan naming it: the watcher saw it, so
  // the next sub-scan (of another file) reads it too.
  write(app, { "src/b.tsx": "'use client';\nexport const b = 1;\n" });
  await new Promise((r) => setTimeout(r, 200));
  write(app, { "src/a.tsx": "import '../lib/d';\nimport './b';\n" });
  await new Promise((r) => setTimeout(r, 200));
  await devSessionScan("dev-update", { ...args, entries: [path.join(app, "src/a.tsx")] }, viteToDscanOptions, rewriteFor);
  assert.deepEqual([...clientFiles].sort(), ["/src/b.tsx", "/src/c.tsx"]);
  await closeDevSessions();
  void normalizeModulePath;
});
