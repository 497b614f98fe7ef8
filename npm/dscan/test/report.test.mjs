// Reports through the npm API (SPEC §5a): diff() against `dscan diff --json`
// on two real scans of a project edited between them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { binaryPath, diff, scanDirectives } from "../index.js";

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dscan-report-")));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root, files) {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
}

const app = path.join(tmp, "app");
write(app, {
  "src/worker.tsx": 'import "./a";\nimport "./b";\nimport "./c";\nimport "./d";\n',
  "src/a.tsx": '"use client";\nexport const A = 1;\n',
  "src/b.ts": '"use server";\nexport async function b() {}\n',
  "src/c.tsx": '"use client";\nexport const C = 1;\n',
  "src/d.tsx": "export const D = 1;\n",
});

test("diff: added, removed and moved, as `dscan diff --json` says", async () => {
  const before = await scanDirectives({ root: app });
  assert.deepEqual(diff(before, before), { added: [], removed: [], moved: [], changed: false });
  write(app, {
    "src/b.ts": "export async function b() {}\n",
    "src/c.tsx": '"use server";\nexport async function c() {}\n',
    "src/d.tsx": '"use client";\nexport const D = 1;\n',
  });
  const after = await scanDirectives({ root: app });
  const d = diff(before, after);
  assert.deepEqual(d, {
    added: [{ path: "/src/d.tsx", list: "client" }],
    removed: [{ path: "/src/b.ts", list: "server" }],
    moved: [{ path: "/src/c.tsx", from: "client", to: "server" }],
    changed: true,
  });

  // The same through files, and the same as the binary's own diff.
  const fa = path.join(tmp, "a.json");
  const fb = path.join(tmp, "b.json");
  fs.writeFileSync(fa, JSON.stringify(before));
  fs.writeFileSync(fb, JSON.stringify(after));
  assert.deepEqual(diff(fa, fb), d);
  const r = spawnSync(binaryPath(), ["diff", fa, fb, "--json"], { encoding: "utf8" });
  assert.equal(r.status, 1);
  const { changed, ...lists } = d;
  assert.equal(changed, true);
  assert.deepEqual(JSON.parse(r.stdout), lists);
});

test("diff: bad input is a TypeError naming it", () => {
  const ok = { client: [], server: [] };
  assert.throws(() => diff(ok, path.join(tmp, "absent.json")), { name: "TypeError", message: /cannot read '.*absent\.json'/ });
  fs.writeFileSync(path.join(tmp, "trunc.json"), '{"client": [');
  assert.throws(() => diff(path.join(tmp, "trunc.json"), ok), { name: "TypeError", message: /cannot parse '.*trunc\.json'/ });
  assert.throws(() => diff({ client: [] }, ok), { name: "TypeError", message: /"server" must be a list of paths/ });
  assert.throws(() => diff(ok, { client: ["/a", 3], server: [] }), { name: "TypeError", message: /item 2 of "client"/ });
  assert.throws(() => diff(null, ok), TypeError);
});

test("scan options report, reportHtml and why (SPEC §5a)", async () => {
  const root = path.join(tmp, "rep");
  write(root, {
    "src/worker.tsx": 'import "./ui";\nimport "lib";\n',
    "src/ui.tsx": '"use client";\nimport { go } from "./act";\nexport const U = 1;\n',
    "src/act.ts": '"use server";\nexport async function go() {}\n',
    "node_modules/lib/package.json": JSON.stringify({ name: "lib", version: "2.0.0", main: "i.js" }),
    "node_modules/lib/i.js": '"use client";\nexport default 1;\n',
  });
  const html = path.join(tmp, "rep.html");
  const r = await scanDirectives({ root, report: true, reportHtml: html, why: "node_modules/lib/i.js" });
  assert.deepEqual(r.report.packages.map((p) => [p.name, p.version, p.files, p.client]), [["(app)", "", 3, 1], ["lib", "2.0.0", 1, 1]]);
  assert.equal(r.report.packages.reduce((s, p) => s + p.files, 0), r.stats.filesRead);
  assert.deepEqual(r.report.barrels, []);
  assert.equal(r.why.length, 1);
  assert.equal(r.why[0].root, "entry");
  assert.deepEqual(r.why[0].steps.map((s) => [s.path, s.specifier]), [["/src/worker.tsx", undefined], ["/node_modules/lib/i.js", "lib"]]);
  assert.match(fs.readFileSync(html, "utf8"), /^<!doctype html>/);

  const plain = await scanDirectives({ root });
  assert.equal(plain.report, undefined);
  assert.equal(plain.why, undefined);
  const none = await scanDirectives({ root, why: "src/worker.tsx", noPrescan: true });
  assert.equal(none.why[0].steps.length, 1);
  await assert.rejects(scanDirectives({ root, why: "src/absent.ts" }), { name: "DscanError", message: /no such file/ });
  await assert.rejects(scanDirectives({ root, report: "yes" }), { name: "TypeError", message: /'report'/ });
  await assert.rejects(scanDirectives({ root, why: "" }), { name: "TypeError", message: /'why'/ });
});
