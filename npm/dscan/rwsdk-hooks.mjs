// Module resolve hook of dscan/rwsdk (see rwsdk.mjs). Works both as a
// synchronous hook (module.registerHooks) and as an off-thread one
// (module.register): whatever `nextResolve` returns, a value or a promise,
// the answer is built from it the same way.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { binaryPath } from "./binary.js";

/** RedwoodSDK versions whose runDirectivesScan this hook was tested against. */
export const TESTED_RWSDK = ["1.7.3"];

const SCAN_FILE = "/dist/vite/runDirectivesScan.mjs";
const ORIGINAL = "dscan-rwsdk:original";
const wrapper = new URL("./rwsdk-scan.mjs", import.meta.url).href;
const decided = new Map(); // rwsdk package URL → wrapper URL, or null: rwsdk's own

function warn(text) {
  // fs.writeSync: also right from module.register's loader thread.
  fs.writeSync(2, `dscan/rwsdk: warning: ${text}; RedwoodSDK's own scan is used\n`);
}

// Runs the binary once: a missing, non-executable or broken binary shows here,
// before rwsdk's module is replaced, not in the middle of a build.
function binaryProblem() {
  let bin;
  try {
    bin = binaryPath(); // $DSCAN_BINARY, the platform package's, or built from source once
  } catch (e) {
    return e.message;
  }
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 10000 });
  if (r.error) return `cannot run dscan's binary '${bin}': ${r.error.code ?? r.error.message}`;
  if (r.status !== 0) return `dscan's binary '${bin}' exited with status ${r.status ?? r.signal} on --version`;
  return null;
}

function decide(pkgUrl, scanUrl) {
  if (decided.has(pkgUrl)) return decided.get(pkgUrl);
  let to = null;
  let version = "?";
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL("package.json", pkgUrl), "utf8"));
    if (pkg.name !== "rwsdk") {
      decided.set(pkgUrl, null);
      return null; // another package's file of the same name: not ours to touch
    }
    version = String(pkg.version);
  } catch (e) {
    warn(`cannot read RedwoodSDK's package.json at ${new URL("package.json", pkgUrl).pathname}: ${e.message}`);
    decided.set(pkgUrl, null);
    return null;
  }
  const force = /^force$/i.test(process.env.DSCAN_RWSDK ?? "");
  const problem = binaryProblem();
  if (problem) warn(problem);
  else if (!TESTED_RWSDK.includes(version) && !force)
    warn(`rwsdk ${version} is not a version dscan was tested with (${TESTED_RWSDK.join(", ")}); DSCAN_RWSDK=force uses dscan anyway`);
  else to = `${wrapper}?rwsdk=${encodeURIComponent(version)}&original=${encodeURIComponent(scanUrl)}`;
  decided.set(pkgUrl, to);
  return to;
}

function redirect(result, context) {
  const url = result?.url;
  if (typeof url !== "string" || !url.startsWith("file:") || !url.endsWith(SCAN_FILE)) return result;
  if (context.parentURL?.startsWith(wrapper)) return result; // the wrapper loading the original
  const to = decide(url.slice(0, -SCAN_FILE.length + 1), url);
  return to ? { url: to, format: "module", shortCircuit: true } : result;
}

export function resolve(specifier, context, nextResolve) {
  if (specifier === ORIGINAL && context.parentURL?.startsWith(wrapper + "?")) {
    const original = new URL(context.parentURL).searchParams.get("original");
    return { url: original, format: "module", shortCircuit: true };
  }
  // rwsdk imports it as "./runDirectivesScan.mjs"; everything else passes untouched.
  if (!specifier.includes("runDirectivesScan")) return nextResolve(specifier, context);
  const r = nextResolve(specifier, context);
  return typeof r?.then === "function" ? r.then((x) => redirect(x, context)) : redirect(r, context);
}
