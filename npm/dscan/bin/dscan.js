#!/usr/bin/env node
// `npx dscan …`: runs the native binary this package built.
import { spawnSync } from "node:child_process";
import { binaryPath } from "../index.js";

const r = spawnSync(binaryPath(), process.argv.slice(2), { stdio: "inherit" });
if (r.error) {
  process.stderr.write(`dscan: ${r.error.message}\n`);
  process.exit(1);
}
process.exit(r.status ?? 1);
