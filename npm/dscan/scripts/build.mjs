#!/usr/bin/env node
// Builds the dscan binary from the C sources this package carries, with the
// system C compiler. Not an install script: binary.js calls it at first use
// when no prebuilt platform package fits (or DSCAN_BUILD_FROM_SOURCE=1), so
// an install never needs a compiler, and a machine without one fails only
// when dscan is used, with one line saying what is missing.
// `node scripts/build.mjs` builds (or rebuilds) it by hand and prints its path.
//
// Where the sources are:
//   - native/   in a packed package (scripts/embed.mjs copies them at `npm pack`);
//   - ../../    when installed from the repository folder (npm links it).
// Where the binary goes: build/dscan inside this package, or, when that folder
// cannot be written, $XDG_CACHE_HOME/dscan/<version>-<platform>-<arch>/dscan
// (default ~/.cache). Nothing is downloaded.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const isSrc = (d) =>
  fs.existsSync(path.join(d, "Makefile")) &&
  fs.existsSync(path.join(d, "include", "dscan.h")) &&
  fs.existsSync(path.join(d, "src")) &&
  fs.existsSync(path.join(d, "cli"));

function noBinary(msg) {
  return Object.assign(new Error(msg), { code: "DSCAN_NO_BINARY" });
}

function writableDir(d) {
  try {
    fs.mkdirSync(d, { recursive: true });
    fs.accessSync(d, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function outDir(version) {
  const own = path.join(pkgDir, "build");
  if (writableDir(own)) return own;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  const d = path.join(cache, "dscan", `${version}-${process.platform}-${process.arch}`);
  if (writableDir(d)) return d;
  throw noBinary(`cannot build from source: neither '${own}' nor '${d}' can be written`);
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// Two processes using dscan for the first time at once (parallel test
// workers, a dev server and a build) build it once: the second waits.
function withLock(dir, fn) {
  const lock = path.join(dir, ".lock");
  const staleMs = 15 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > staleMs) fs.rmSync(lock, { recursive: true, force: true });
      } catch {}
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

const madeThisProcess = new Set();

/**
 * Path of a dscan binary built from the bundled sources, building it first
 * when needed. `why` says why no prebuilt binary was used; it starts the
 * one-line message thrown (code DSCAN_NO_BINARY) when it cannot be built.
 * `force` rebuilds even if a binary is there.
 */
export function buildFromSource({ why = "no prebuilt binary", version = "0", force = false, quiet = false } = {}) {
  const srcDir = [path.join(pkgDir, "native"), path.resolve(pkgDir, "..", "..")].find(isSrc);
  if (!srcDir)
    throw noBinary(`${why}, and this package carries no C sources to build one (neither '${path.join(pkgDir, "native")}' nor a repository above it)`);
  // From the repository folder the sources change under the binary: let make
  // decide once per process. From a packed package they never change.
  const fromRepo = srcDir !== path.join(pkgDir, "native");
  const out = outDir(version);
  const bin = path.join(out, "dscan");
  if (madeThisProcess.has(bin) || (!force && !fromRepo && fs.existsSync(bin))) return bin;

  const cc = (process.env.CC || "cc").trim();
  const ccArgv = cc.split(/\s+/);
  const probe = spawnSync(ccArgv[0], [...ccArgv.slice(1), "--version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    const how = probe.error?.code === "ENOENT" ? "was not found" : probe.error ? `cannot be run (${probe.error.code})` : `failed (\`${cc} --version\` exit ${probe.status})`;
    throw noBinary(`${why}, and building from the bundled sources needs a C11 compiler: '${cc}' ${how} (install gcc or clang, or set CC; or set DSCAN_BINARY to a dscan binary)`);
  }

  return withLock(out, () => {
    if (!force && !fromRepo && fs.existsSync(bin)) return bin; // built while we waited
    const log = path.join(out, "build.log");
    const obj = path.join(out, "obj");
    const jobs = String(Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length)));
    const hasMake = spawnSync("make", ["--version"], { stdio: "ignore" }).status === 0;
    if (!quiet && !fromRepo) process.stderr.write(`dscan: ${why}; building it from the bundled sources with ${cc} (once)\n`);
    const logFd = fs.openSync(log, "w");
    let r;
    let made;
    try {
      if (hasMake) {
        // The repository's Makefile, objects in this folder, without -Werror:
        // a newer compiler's new warning must not stop the build.
        // PORTABLE=1: the POSIX file-system backend, for every OS but Linux.
        made = path.join(obj, "dscan");
        r = spawnSync("make", ["-C", srcDir, `-j${jobs}`, "VARIANT=release", `O=${obj}`, `CC=${cc}`,
          "WARN=-std=c11 -Wall", ...(process.platform === "linux" ? [] : ["PORTABLE=1"]), made],
          { stdio: ["ignore", logFd, logFd] });
      } else {
        // No make: one compiler call over every source file but the other
        // file-system backend (as the Makefile's PORTABLE switch does).
        made = path.join(out, "dscan.cc-out");
        const linux = process.platform === "linux";
        const other = linux ? "sys_posix.c" : "sys_linux.c";
        const files = ["src", "cli"].flatMap((d) =>
          fs.readdirSync(path.join(srcDir, d)).filter((f) => f.endsWith(".c") && f !== other).sort().map((f) => path.join(srcDir, d, f)));
        r = spawnSync(ccArgv[0], [...ccArgv.slice(1), "-std=c11", "-O2", "-DNDEBUG", "-D_GNU_SOURCE", ...(linux ? [] : ["-DDS_PORTABLE"]), "-pthread",
          "-I", path.join(srcDir, "include"), "-I", path.join(srcDir, "src"), "-o", made, ...files, "-lm"],
          { stdio: ["ignore", logFd, logFd] });
      }
    } finally {
      fs.closeSync(logFd);
    }
    if (r.error || r.status !== 0) {
      const last = fs.readFileSync(log, "utf8").split("\n").filter((l) => /error/i.test(l)).pop();
      throw noBinary(`${why}, and building from the bundled sources with ${hasMake ? "make and " : ""}'${cc}' failed` +
        `${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}${last ? `: ${last.trim()}` : ""}; the whole output is in ${log}`);
    }
    // Replace the binary in one step: a process starting it meanwhile
    // sees the old file or the new one, never half of one.
    const tmp = `${bin}.tmp-${process.pid}`;
    fs.copyFileSync(made, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, bin);
    if (!hasMake) fs.rmSync(made, { force: true });
    madeThisProcess.add(bin);
    return bin;
  });
}

// `node scripts/build.mjs`: build now (e.g. in a Dockerfile, ahead of use).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const version = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
    const bin = buildFromSource({ why: "asked to build from source", version, force: true, quiet: true });
    process.stdout.write(`${bin}\n`);
  } catch (e) {
    process.stderr.write(`dscan: ${e.message}\n`);
    process.exit(1);
  }
}
