#!/usr/bin/env node
// compare-vite.mjs RWSDK.json DSCAN.json [--dscan BIN] [--allow FILE]
//
// Compares the client/server sets that RedwoodSDK's runDirectivesScan and
// dscan's drop-in put in their Sets (outputs of run-scan.mjs on the same
// app, same Vite environments). Prints, per list, the paths only on one side
// and, for each path only dscan found, the import chain dscan followed to it
// (`dscan scan --why`), so the difference can be read against the known
// reference defects (bench/reference/README.md).
//
// --allow FILE: JSON {"client": {"<path>": "why"}, "server": {...}} of
// differences already explained; those are printed with their reason and do
// not fail the comparison. Exit 0 when every difference is explained.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const argv = process.argv.slice(2);
const files = [];
let bin = null;
let allow = { client: {}, server: {} };
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--dscan") bin = argv[++i];
  else if (argv[i] === "--allow") allow = { client: {}, server: {}, ...JSON.parse(fs.readFileSync(argv[++i], "utf8")) };
  else files.push(argv[i]);
}
if (files.length !== 2) {
  console.error("usage: compare-vite.mjs RWSDK.json DSCAN.json [--dscan BIN] [--allow FILE]");
  process.exit(2);
}
const [ref, got] = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
if (ref.root !== got.root) console.log(`note: roots differ: ${ref.root} vs ${got.root}`);

let unexplained = 0;
for (const key of ["client", "server"]) {
  const A = new Set(ref[key]);
  const B = new Set(got[key]);
  const onlyRef = [...A].filter((p) => !B.has(p));
  const onlyDscan = [...B].filter((p) => !A.has(p));
  console.log(`${key}: rwsdk ${A.size}, dscan ${B.size}, only rwsdk ${onlyRef.length}, only dscan ${onlyDscan.length}`);
  for (const [sign, list] of [["-", onlyRef], ["+", onlyDscan]]) {
    for (const p of list) {
      const why = allow[key]?.[p];
      console.log(`  ${sign} ${p}${why ? `  (explained: ${why})` : ""}`);
      if (!why) unexplained++;
      if (sign === "+" && bin) {
        const r = spawnSync(bin, ["scan", got.root, "--why", p.startsWith("/") && fs.existsSync(got.root + p) ? got.root + p : p],
          { encoding: "utf8" });
        const lines = (r.stdout || r.stderr).trim().split("\n");
        const at = lines.findIndex((l) => l.startsWith("why "));
        for (const l of at >= 0 ? lines.slice(at + 1) : lines) console.log(`      ${l}`);
      }
    }
  }
}
if (got.unresolved) console.log(`dscan unresolved: ${got.unresolved.length}` +
  got.unresolved.slice(0, 10).map((u) => `\n  ${u.env} ${u.importer}: ${u.specifier}`).join(""));
if (got.unmapped?.length) console.log(`dscan unmapped: ${got.unmapped.join("; ")}`);
console.log(unexplained ? `${unexplained} unexplained difference(s)` : "sets equal, or every difference explained");
process.exit(unexplained ? 1 : 0);
