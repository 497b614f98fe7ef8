// Finds the native `dscan` binary, with no install script (pnpm 10+ does not
// run one unless the project approves it, and a failed one fails the whole
// app install). In order:
//
//   1. $DSCAN_BINARY, as given;
//   2. the prebuilt binary of this platform's optional package
//      (@dscan/linux-x64, …; npm and pnpm install only the one whose
//      os/cpu/libc fit), unless DSCAN_BUILD_FROM_SOURCE=1;
//   3. a binary built from the C sources this package carries (native/, or
//      the repository when installed from its folder), built at first use
//      (scripts/build.mjs) and kept for later calls.
//
// When none can be had, it throws an Error whose message is one line saying
// what is missing (error.code "DSCAN_NO_BINARY").
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildFromSource } from "./scripts/build.mjs";

const pkgDir = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** `${process.platform}-${process.arch}` → the optional package with a prebuilt binary for it. */
export const PLATFORM_PACKAGES = {
  "linux-x64": "@dscan/linux-x64",
  "linux-arm64": "@dscan/linux-arm64",
  "darwin-x64": "@dscan/darwin-x64",
  "darwin-arm64": "@dscan/darwin-arm64",
};

function ownVersion() {
  return JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
}

/** {bin} of the installed platform package that fits, else {why} it does not. */
export function prebuiltBinary(platform = `${process.platform}-${process.arch}`) {
  const name = PLATFORM_PACKAGES[platform];
  if (!name) return { why: `no prebuilt package exists for ${platform}` };
  let manifest;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    return { why: `the optional package ${name} is not installed` };
  }
  // A platform package of another version would run a command line this
  // index.js was not written for (as esbuild, refuse it).
  const version = JSON.parse(fs.readFileSync(manifest, "utf8")).version;
  const want = ownVersion();
  if (version !== want) return { why: `${name} is version ${version}, dscan is ${want}` };
  const bin = path.join(path.dirname(manifest), "bin", "dscan");
  if (!fs.existsSync(bin)) return { why: `${name} has no bin/dscan` };
  return { bin };
}

/** Path of the native binary (see the top of this file); may build it, once, synchronously. */
export function binaryPath() {
  if (process.env.DSCAN_BINARY) return process.env.DSCAN_BINARY;
  let why = "DSCAN_BUILD_FROM_SOURCE=1";
  if (process.env.DSCAN_BUILD_FROM_SOURCE !== "1") {
    const p = prebuiltBinary();
    if (p.bin) return p.bin;
    why = p.why;
  }
  return buildFromSource({ why, version: ownVersion() });
}
