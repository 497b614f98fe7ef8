// Type check of index.d.ts from a consumer's side (tests/real/test_npm.sh runs tsc --strict on it).
import { scanDirectives, runDirectivesScan, DscanError, viteToDscanOptions, type ScanResult } from "dscan";
const r: ScanResult = await scanDirectives({ root: "/x", alias: { "@": "./src" }, environments: { worker: { conditions: ["a"] } } });
const n: number = r.stats.modules + r.client.length;
const clientFiles = new Set<string>(), serverFiles = new Set<string>();
const out = await runDirectivesScan({ rootConfig: { root: "/x" }, environments: { worker: { config: {} }, client: { config: {} } }, clientFiles, serverFiles });
out.unresolved.forEach((u) => u.env === "client");
try { await scanDirectives({ mode: "production" }); } catch (e) { if (e instanceof DscanError) console.log(e.exitCode, n); }
viteToDscanOptions({ rootConfig: { root: "/x" }, environments: { worker: { config: {} }, client: { config: {} } } }).options.entries;
// Reports (SPEC §5a): scan options, result fields, diff.
import { diff, type DiffResult } from "dscan";
const rep = await scanDirectives({ root: "/x", report: true, reportHtml: "/tmp/r.html", why: "src/a.tsx" });
const top: number | undefined = rep.report?.packages[0]?.files;
const names: string[] | undefined = rep.report?.barrels[0]?.importedNames;
const chain: string | undefined = rep.why?.[0]?.steps[1]?.specifier;
const d: DiffResult = diff(rep, "/tmp/baseline.json");
console.log(top, names, chain, d.changed, d.moved.map((m) => m.from + m.to));
