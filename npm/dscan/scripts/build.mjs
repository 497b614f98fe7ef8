#!/usr/bin/env node
// npm's "install" step: builds the dscan binary from C sources with the
// system C compiler. Nothing is downloaded.
//
// Where the sources are:
//   - native/            in a packed package (scripts/embed.mjs copies them at `npm pack`);
//   - ../../             when installed from the repository folder (npm links it).
// The binary goes to build/dscan inside this package. DSCAN_BINARY=/path/to/dscan
// skips the build and makes index.js use that binary instead.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(pkgDir, "build");
const bin = path.join(out, "dscan");

function fail(msg) {
  process.stderr.write(`dscan: install: ${msg}\n`);
  process.exit(1);
}

if (process.env.DSCAN_BINARY) {
  if (!fs.existsSync(process.env.DSCAN_BINARY)) fail(`DSCAN_BINARY '${process.env.DSCAN_BINARY}' does not exist`);
  process.exit(0);
}

const isSrc = (d) =>
  fs.existsSync(path.join(d, "Makefile")) &&
  fs.existsSync(path.join(d, "include", "dscan.h")) &&
  fs.existsSync(path.join(d, "src")) &&
  fs.existsSync(path.join(d, "cli"));
const srcDir = [path.join(pkgDir, "native"), path.resolve(pkgDir, "..", "..")].find(isSrc);
if (!srcDir) fail(`cannot find dscan's C sources: neither '${path.join(pkgDir, "native")}' nor the repository above '${pkgDir}'`);

const cc = process.env.CC || "cc";
const jobs = String(Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length)));
fs.mkdirSync(out, { recursive: true });

// The repository's Makefile, with the object directory moved into this
// package, and without -Werror: a newer compiler's new warning must not make
// an install fail.
const hasMake = spawnSync("make", ["--version"], { stdio: "ignore" }).status === 0;
let r;
if (hasMake) {
  r = spawnSync("make", ["-C", srcDir, `-j${jobs}`, "VARIANT=release", `O=${out}`, `CC=${cc}`,
    "WARN=-std=c11 -Wall", bin], { stdio: ["ignore", "inherit", "inherit"] });
} else {
  // No make: one compiler call over every source file.
  const files = ["src", "cli"].flatMap((d) =>
    fs.readdirSync(path.join(srcDir, d)).filter((f) => f.endsWith(".c")).sort().map((f) => path.join(srcDir, d, f)));
  r = spawnSync(cc, ["-std=c11", "-O2", "-DNDEBUG", "-D_GNU_SOURCE", "-pthread",
    "-I", path.join(srcDir, "include"), "-I", path.join(srcDir, "src"), "-o", bin, ...files, "-lm"],
    { stdio: ["ignore", "inherit", "inherit"] });
}
if (r.error) fail(`cannot run ${hasMake ? "make" : cc}: ${r.error.message}`);
if (r.status !== 0) fail(`building the native core failed (exit ${r.status}); a C11 compiler (cc, or $CC) is needed`);
const v = spawnSync(bin, ["--version"], { encoding: "utf8" });
if (v.status !== 0) fail(`built '${bin}' but it does not run: ${v.stderr || v.error?.message}`);
process.stderr.write(`dscan: built ${bin} (${v.stdout.trim()})\n`);
