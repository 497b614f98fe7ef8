#!/usr/bin/env node
// `npx dscan …`: runs the native binary (binary.js says which: $DSCAN_BINARY,
// this platform's prebuilt package, or one built from the bundled sources).
import { spawnSync } from "node:child_process";
import { binaryPath } from "../binary.js";

let bin;
try {
  bin = binaryPath();
} catch (e) {
  process.stderr.write(`dscan: ${e.message}\n`);
  process.exit(1);
}
const r = spawnSync(bin, process.argv.slice(2), { stdio: "inherit" });
if (r.error) {
  const hint = r.error.code !== "ENOENT" ? "" :
    process.env.DSCAN_BINARY ? " (DSCAN_BINARY names a file that does not exist)" : " (the binary was removed after it was found)";
  process.stderr.write(`dscan: cannot run '${bin}': ${r.error.message}${hint}\n`);
  process.exit(1);
}
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
