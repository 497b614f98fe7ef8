#!/usr/bin/env node
// compare.mjs EXPECTED.json ACTUAL.json [--ignore REGEX]...
//
// Differential check of two scan results in dscan's JSON shape (e.g. the
// reference from rwsdk-scan.mjs and `dscan scan --json`): prints, per list
// ("client", "server"), the paths only in one of them and exits 1 if any
// differ (0 if equal). --ignore drops matching paths from both sides first,
// for known reference defects (see README.md).
import fs from "node:fs";

const args = process.argv.slice(2);
const files = [], ignore = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--ignore") ignore.push(new RegExp(args[++i]));
  else files.push(args[i]);
}
if (files.length !== 2) {
  console.error("usage: compare.mjs EXPECTED.json ACTUAL.json [--ignore REGEX]...");
  process.exit(2);
}
const [a, b] = files.map((f) => {
  try { return JSON.parse(fs.readFileSync(f, "utf8")); }
  catch (e) { console.error(`compare: ${f}: ${e.message}`); process.exit(2); }
});
if (a.root !== b.root) console.log(`note: roots differ: ${a.root} vs ${b.root}`);
let differ = false;
for (const key of ["client", "server"]) {
  const keep = (p) => !ignore.some((re) => re.test(p));
  const A = new Set((a[key] ?? []).filter(keep)), B = new Set((b[key] ?? []).filter(keep));
  const onlyA = [...A].filter((p) => !B.has(p)), onlyB = [...B].filter((p) => !A.has(p));
  console.log(`${key}: ${A.size} vs ${B.size}, only in ${files[0]}: ${onlyA.length}, only in ${files[1]}: ${onlyB.length}`);
  for (const p of onlyA) console.log(`  - ${p}`);
  for (const p of onlyB) console.log(`  + ${p}`);
  if (onlyA.length || onlyB.length) differ = true;
}
process.exit(differ ? 1 : 0);
