// The real native core on a small project written here: results, options
// that change them, errors with dscan's messages, rwsdk's path format.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DscanError, runDirectivesScan, scanDirectives } from "../index.js";

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dscan-scan-")));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root, files) {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
}
function listTree(dir) {
  return fs.readdirSync(dir, { recursive: true }).sort();
}

const app = path.join(tmp, "app");
write(app, {
  "src/worker.tsx": [
    'import { Button } from "~/components/Button";',
    'import "./lib/shared";',
    'import { action } from "./actions";',
    'import "./missing-file";',
    'import x from "pkg";',
    'import "cloudflare:workers";',
    'import "node:fs";',
    "export default { Button, action, x };",
  ].join("\n"),
  "src/components/Button.tsx": '"use client";\nimport "pkg";\nimport "../lib/shared";\nexport const Button = 1;\n',
  "src/actions.ts": "// actions\n'use server';\nexport async function action() {}\n",
  "src/lib/shared.ts": "export const s = 1;\n",
  "src/orphan.tsx": '"use client";\nexport default 1;\n',
  "src/notes.tsx": '// "use client"\nexport default 1;\n',
  "node_modules/pkg/package.json": JSON.stringify({
    name: "pkg", exports: { ".": { "react-server": "./server.js", browser: "./client.js", default: "./default.js" } },
  }),
  "node_modules/pkg/server.js": 'import "./srv-only.js";\nexport default 1;\n',
  "node_modules/pkg/srv-only.js": '"use server";\nexport async function f() {}\n',
  "node_modules/pkg/client.js": '"use client";\nexport default 1;\n',
  "node_modules/pkg/default.js": "export default 1;\n",
});
const appTree = listTree(app);
const alias = { "~": "./src" }; // not "@": SPEC §2 makes "@" → ./src a default

test("scanDirectives: directive modules of both sides, unresolved imports, stats", async () => {
  const r = await scanDirectives({ root: app, alias });
  assert.equal(r.root, app);
  assert.deepEqual(r.client, ["/node_modules/pkg/client.js", "/src/components/Button.tsx", "/src/orphan.tsx"]);
  assert.deepEqual(r.server, ["/node_modules/pkg/srv-only.js", "/src/actions.ts"]);
  assert.deepEqual(r.unresolved.map((u) => [u.specifier, u.importer, u.env]), [["./missing-file", "/src/worker.tsx", "worker"]]);
  assert.ok(Array.isArray(r.warnings));
  for (const k of ["modules", "filesRead", "bytesRead", "duplicateReads", "resolveCalls", "statCalls", "wallMs", "peakRssKb"])
    assert.equal(typeof r.stats[k], "number", `stats.${k}`);
  assert.equal(r.stats.duplicateReads, 0);
  assert.deepEqual(listTree(app), appTree, "nothing written into the project");
});

test("scanDirectives: directive lint warnings (SPEC §4.9), each once, paths as the lists write them", async () => {
  const root = path.join(tmp, "lint");
  write(root, {
    "src/worker.tsx": "import './late';\nimport './Typo';\nimport './Both';\nimport './fine';\n",
    "src/late.tsx": "import './Both';\n\n'use client';\n",
    "src/Typo.tsx": "'use-client';\nexport {}\n",
    "src/Both.tsx": "'use client';\n'use server';\n",
    "src/fine.tsx": "'use strict';\nf();\n'not a directive';\nfunction g() { 'use server' }\n",
  });
  const r = await scanDirectives({ root });
  const lint = r.warnings.filter((w) => /directive/.test(w.code ?? "")).map((w) => [w.code, w.path, w.line, w.col]);
  assert.deepEqual(lint.sort(), [
    ["conflicting-directives", "/src/Both.tsx", 2, 1],
    ["directive-typo", "/src/Typo.tsx", 1, 1],
    ["misplaced-directive", "/src/late.tsx", 3, 1],
  ]);
});

test("scanDirectives: conditions, noPrescan and entries change the answer", async () => {
  // Without "react-server" the worker resolves pkg to default.js.
  const noRsc = await scanDirectives({ root: app, alias, environments: { worker: { conditions: ["workerd"] } } });
  assert.deepEqual(noRsc.server, ["/src/actions.ts"]);
  const noPre = await scanDirectives({ root: app, alias, noPrescan: true });
  assert.ok(!noPre.client.includes("/src/orphan.tsx"));
  assert.ok(noPre.client.includes("/src/components/Button.tsx"));
  const onlyActions = await scanDirectives({ root: app, noPrescan: true, entries: ["src/actions.ts"] });
  assert.deepEqual(onlyActions.client, []);
  assert.deepEqual(onlyActions.server, ["/src/actions.ts"]);
  // Without the alias "~/components/Button" is unresolved (a warning, not an error).
  const noAlias = await scanDirectives({ root: app, noPrescan: true });
  assert.ok(noAlias.unresolved.some((u) => u.specifier === "~/components/Button"));
});

test("scanDirectives: a project's dscan.json is read, and options override it", async () => {
  const root = path.join(tmp, "cfg");
  write(root, {
    "dscan.json": JSON.stringify({ entries: ["main.ts"], srcDir: "empty", alias: [{ find: "#", replacement: "./lib" }] }),
    "main.ts": 'import "#/a";\n',
    "lib/a.ts": '"use client";\n',
    "lib/b.ts": '"use server";\n',
    "empty/readme.md": "",
  });
  assert.deepEqual((await scanDirectives({ root })).client, ["/lib/a.ts"]);
  // An option that needs a config file still keeps dscan.json's other keys.
  const r = await scanDirectives({ root, external: ["#/a"] });
  assert.deepEqual(r.client, []);
  assert.deepEqual(r.unresolved, []);
});

test("scanDirectives: errors carry dscan's message", async () => {
  await assert.rejects(scanDirectives({ root: path.join(tmp, "nope") }), (e) => {
    assert.ok(e instanceof DscanError);
    assert.equal(e.exitCode, 1);
    assert.match(e.message, /nope/);
    assert.doesNotMatch(e.message, /^dscan: /);
    return true;
  });
  await assert.rejects(scanDirectives({ root: app, entries: ["src/absent.tsx"] }),
    (e) => e instanceof DscanError && e.exitCode === 1 && /absent\.tsx/.test(e.message));
  const bad = path.join(tmp, "badcfg");
  write(bad, { "dscan.json": '{"entries": 3}', "src/worker.ts": "" });
  await assert.rejects(scanDirectives({ root: bad }),
    (e) => e instanceof DscanError && /dscan\.json/.test(e.message) && /entries/.test(e.message));
  // With options that dscan.json also carries, the error still names the
  // user's own file (the binary lays the options over it), and its position.
  const jsonc = path.join(tmp, "badjsonc");
  write(jsonc, { "dscan.json": '// mine\n{"srcDir": "src",,}\n', "src/worker.ts": "" });
  await assert.rejects(scanDirectives({ root: jsonc, alias: { "@": "./src" } }), (e) => {
    assert.ok(e instanceof DscanError);
    assert.equal(e.message, `cannot parse config '${path.join(jsonc, "dscan.json")}': expected string key at 2:18`);
    return true;
  });
  // Bad values given as options are named as options.
  await assert.rejects(scanDirectives({ root: app, tsconfig: "nope.json" }),
    (e) => e instanceof DscanError && e.message === `invalid options '-': "tsconfig" 'nope.json': '${path.join(app, "nope.json")}': No such file or directory`);
});

test("runDirectivesScan: Vite-shaped arguments on the same project", async () => {
  const env = (conditions, mainFields) => ({
    config: { resolve: { conditions, mainFields, extensions: [".mjs", ".js", ".mts", ".ts", ".jsx", ".tsx", ".json"],
      alias: [{ find: /^~\/(.*)$/, replacement: `${app}/src/$1` }] }, build: { rollupOptions: { input: { index: "src/worker.tsx" } } } },
    plugins: [],
  });
  const clientFiles = new Set();
  const serverFiles = new Set();
  const r = await runDirectivesScan({
    rootConfig: { root: app, mode: "production", isProduction: true, resolve: {} },
    environments: {
      worker: env(["workerd", "react-server", "module", "node", "worker", "browser", "development|production"], ["module", "jsnext:main", "jsnext"]),
      client: env(["browser", "module"], ["browser", "module", "jsnext:main", "jsnext"]),
    },
    clientFiles, serverFiles,
  });
  assert.deepEqual([...clientFiles].sort(), ["/node_modules/pkg/client.js", "/src/components/Button.tsx", "/src/orphan.tsx"]);
  assert.deepEqual([...serverFiles].sort(), ["/node_modules/pkg/srv-only.js", "/src/actions.ts"]);
  assert.deepEqual(r.unresolved.map((u) => u.specifier), ["./missing-file"]);
  assert.deepEqual(r.unmapped, []);
});

test("scanDirectives: precise lists only what the barrel's used names reach (SPEC §4.10)", async () => {
  const pa = path.join(tmp, "precise");
  write(pa, {
    "package.json": '{"name":"p","private":true}',
    "src/worker.tsx": 'import { A } from "icons";\nexport default A;\n',
    "node_modules/icons/package.json": JSON.stringify({ name: "icons", version: "1.0.0", main: "index.js", sideEffects: false }),
    "node_modules/icons/index.js": 'export { A } from "./a.js";\nexport { B } from "./b.js";\n',
    "node_modules/icons/a.js": '"use client";\nexport const A = 1;\n',
    "node_modules/icons/b.js": '"use client";\nexport const B = 1;\n',
  });
  const all = await scanDirectives({ root: pa });
  assert.deepEqual(all.client, ["/node_modules/icons/a.js", "/node_modules/icons/b.js"]);
  const precise = await scanDirectives({ root: pa, precise: true });
  assert.deepEqual(precise.client, ["/node_modules/icons/a.js"]);
  await assert.rejects(scanDirectives({ root: pa, precise: "yes" }), /invalid option 'precise': expected a boolean/);
  const { createScanner } = await import("../index.js");
  await assert.rejects(async () => createScanner({ root: pa, precise: true }), /not supported by createScanner/);
});
