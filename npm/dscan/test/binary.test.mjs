// Binary finding (binary.js) on a copy of the package laid out as npm lays
// it out, with stand-in platform packages: which binary is chosen, and why
// one is refused. (Real installs from tarballs: tests/real/test_install.sh.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dscan-binary-")));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
const here = `${process.platform}-${process.arch}`;

// node_modules/dscan (binary.js, scripts/, package.json; no sources) and
// node_modules/@dscan/<here> of the given version with a bin/dscan.
function layout(name, platformVersion) {
  const nm = path.join(tmp, name, "node_modules");
  const d = path.join(nm, "dscan");
  fs.mkdirSync(path.join(d, "scripts"), { recursive: true });
  for (const f of ["binary.js", "package.json", "scripts/build.mjs"]) fs.copyFileSync(path.join(pkg, f), path.join(d, f));
  if (platformVersion) {
    const p = path.join(nm, "@dscan", here);
    fs.mkdirSync(path.join(p, "bin"), { recursive: true });
    fs.writeFileSync(path.join(p, "package.json"), JSON.stringify({ name: `@dscan/${here}`, version: platformVersion }));
    fs.writeFileSync(path.join(p, "bin", "dscan"), "#!/bin/sh\necho stand-in\n", { mode: 0o755 });
  }
  return d;
}

// binaryPath() in a fresh node process with this environment → {bin} or {error, code}.
function find(d, env = {}) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", `
    import { binaryPath } from ${JSON.stringify(pathToFileURL(path.join(d, "binary.js")).href)};
    try { console.log(JSON.stringify({ bin: binaryPath() })); }
    catch (e) { console.log(JSON.stringify({ error: e.message, code: e.code })); }`],
    { encoding: "utf8", env: { ...process.env, DSCAN_BINARY: "", DSCAN_BUILD_FROM_SOURCE: "", CC: "/nonexistent", ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("the platform package of the same version is the binary", { skip: !["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"].includes(here) }, () => {
  const d = layout("same", version);
  assert.deepEqual(find(d), { bin: path.join(path.dirname(d), "@dscan", here, "bin", "dscan") });
  // DSCAN_BINARY wins; DSCAN_BUILD_FROM_SOURCE=1 skips the package.
  assert.deepEqual(find(d, { DSCAN_BINARY: "/x/dscan" }), { bin: "/x/dscan" });
  const s = find(d, { DSCAN_BUILD_FROM_SOURCE: "1" });
  assert.equal(s.code, "DSCAN_NO_BINARY");
  assert.match(s.error, /^DSCAN_BUILD_FROM_SOURCE=1, and this package carries no C sources/);
});

test("a platform package of another version is refused, with the reason", () => {
  const d = layout("other", "0.0.1-other");
  const r = find(d);
  assert.equal(r.code, "DSCAN_NO_BINARY");
  if (["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"].includes(here))
    assert.match(r.error, new RegExp(`^@dscan/${here} is version 0\\.0\\.1-other, dscan is ${version.replace(/\./g, "\\.")}, `));
  assert.ok(!r.error.includes("\n"));
});

test("no platform package: the reason names it, in one line", () => {
  const r = find(layout("none", null));
  assert.equal(r.code, "DSCAN_NO_BINARY");
  assert.ok(!r.error.includes("\n"));
  if (["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"].includes(here))
    assert.match(r.error, new RegExp(`^the optional package @dscan/${here} is not installed`));
});
