#!/usr/bin/env node
// npm's "prepack" step: copies the C sources the install step builds
// (Makefile, include/, src/, cli/) from the repository into native/, so a
// packed tarball can build its binary on a machine without the repository
// when no prebuilt platform package fits (binary.js), and the repository's
// LICENSE beside package.json. `--clean` (postpack) removes them again.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.resolve(pkgDir, "..", "..");
const dest = path.join(pkgDir, "native");

fs.rmSync(dest, { recursive: true, force: true });
fs.rmSync(path.join(pkgDir, "LICENSE"), { force: true });
if (process.argv.includes("--clean")) process.exit(0);

if (!fs.existsSync(path.join(repo, "include", "dscan.h"))) {
  process.stderr.write(`dscan: prepack: no repository at '${repo}'\n`);
  process.exit(1);
}
fs.mkdirSync(dest);
fs.copyFileSync(path.join(repo, "LICENSE"), path.join(pkgDir, "LICENSE"));
fs.copyFileSync(path.join(repo, "Makefile"), path.join(dest, "Makefile"));
for (const d of ["include", "src", "cli"]) {
  fs.mkdirSync(path.join(dest, d));
  for (const f of fs.readdirSync(path.join(repo, d)))
    if (/\.[ch]$/.test(f)) fs.copyFileSync(path.join(repo, d, f), path.join(dest, d, f));
}
